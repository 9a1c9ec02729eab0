// integration: intake first. While the gateway reads busy, the back end's SQS poller holds back to one batch per
// interval (so the backlog still moves) and catches up at full speed once the burst passes; the gauge the gateway
// publishes reads busy while its event loop is busy and idle when it is not; the back-end thread alone runs at a
// lower priority. Against the real queue engine.
import { existsSync, readdirSync } from 'node:fs';
import { getPriority } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { createPressureGauge, gatewayBusy, publishEventLoopUtilization } from '../../infra/local/intake-pressure.js';
import { startQueuePoller } from '../../infra/local/queue-poller.js';
import { backgroundNiceness } from '../../infra/local/thread-priority.js';
import { useQueueEngine } from '../support/queue-engine.js';
import { eventually, startTestRuntime } from '../support/local-runtime.js';

const queues = useQueueEngine();

describe('the SQS poller under intake pressure', () => {
  it('takes one batch per interval while held back, then drains the rest at once', async () => {
    // Prepare: 60 messages waiting; a poller of 3 loops, batches of 5, held back to one batch per second
    const queueUrl = queues.engine.queueUrls.responses;
    const codes = await queues.engine.sendMessages(queueUrl, Array.from({ length: 60 }, (_, i) => JSON.stringify({ n: i })));
    expect(codes.every((code) => code === undefined)).toBe(true);
    let busy = true;
    const batches: number[] = [];
    // the client's first request (its set-up) before the clock starts: only the poller's pace is timed
    await queues.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    const heldSince = Date.now();
    const poller = startQueuePoller({
      sqs: queues.sqs,
      queueUrl,
      queueArn: queues.engine.queueArns.responses,
      handler: async (event) => {
        batches.push(event.Records.length);
      },
      batchSize: 5,
      maxBatchingWindowMs: 0,
      concurrency: 3,
      holdBackWhile: () => busy,
      heldBatchEveryMs: 1000,
    });

    try {
      // Act: two seconds held back (a first batch still comes: the backlog moves), then released
      await sleep(2000);
      await eventually(async () => (batches.length > 0 ? true : undefined), 60_000, 'a first batch while held back');
      const heldForMs = Date.now() - heldSince;
      const whileHeld = batches.length;
      busy = false;

      // Assess: batches started at least 1 s apart while held, so at most one per second held (a late timer only
      // lengthens the time held), where the three loops unhindered take all 12 in about two; released, every message
      // is consumed once and deleted
      expect(whileHeld).toBeLessThanOrEqual(Math.floor(heldForMs / 1000) + 1);
      await eventually(async () => ((await poller.backlog()) === 0 ? true : undefined), 60_000, 'an empty queue');
      expect(batches.reduce((a, b) => a + b, 0)).toBe(60);
    } finally {
      await poller.stop();
    }
  });
});

/** keeps this thread's event loop busy for `ms`, in slices, so that its timers (the gauge's sampling) still run */
async function busyFor(ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const slice = Date.now() + 20;
    while (Date.now() < slice) Math.sqrt(Math.random());
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('the gateway gauge', () => {
  it('reads busy while the event loop stays busy, not for a lone busy moment, and idle once the work stops', async () => {
    const gauge = createPressureGauge();
    const busy = gatewayBusy(gauge);
    const stop = publishEventLoopUtilization(gauge);
    try {
      // a lone busy moment: 150 ms blocked at once (a long garbage collection, say), then a pause
      const until = Date.now() + 150;
      while (Date.now() < until) Math.sqrt(Math.random());
      await sleep(20);
      expect(busy()).toBe(false);
      await sleep(500);
      // a burst: busy for 600 ms on end
      await busyFor(600);
      expect(busy()).toBe(true);
      // idle again once there is nothing to do (after a few samples; a loaded machine runs them late)
      await eventually(async () => (busy() ? undefined : true), 60_000, 'the gauge to read idle');
    } finally {
      stop();
    }
    expect(busy()).toBe(false);
  });
});

/** this process's threads at each nice value (Linux: os.getPriority takes a thread's id as well as a process's) */
function threadsByNiceness(): Map<number, number> {
  const counts = new Map<number, number>();
  for (const id of readdirSync('/proc/self/task')) {
    try {
      const nice = getPriority(Number(id));
      counts.set(nice, (counts.get(nice) ?? 0) + 1);
    } catch {
      // a thread that ended meanwhile
    }
  }
  return counts;
}

// the nice value this process started with: 0 usually, 10 under `nice -n 10 npx vitest`
const startNiceness = getPriority();
const lowered = backgroundNiceness(startNiceness);

describe('intake first, by thread priority', () => {
  it('puts a background thread at nice 10, and never at a higher priority than it started with', () => {
    expect(backgroundNiceness(0)).toBe(10);
    expect(backgroundNiceness(5)).toBe(10);
    expect(backgroundNiceness(10)).toBe(10);
    expect(backgroundNiceness(15)).toBe(15);
  });

  // started at nice 10 or more (`nice -n 10 npx vitest`), no thread is lowered, and there is nothing to see
  it.runIf(existsSync('/proc/self/task') && lowered > startNiceness)(
    'is lowered for the back-end thread alone: the gateway, the queue, the libuv pool and V8 helpers keep theirs',
    async () => {
      // Prepare
      const before = threadsByNiceness().get(lowered) ?? 0;

      // Act
      const local = await startTestRuntime({ intakeFirst: true });
      const during = threadsByNiceness();
      await local.close();

      // Assess: one more thread at the background niceness, and the others (this one among them) where they started
      expect((during.get(lowered) ?? 0) - before).toBe(1);
      expect(during.get(startNiceness)).toBeGreaterThan(1);
    },
    // a hang guard: the lowered back end takes long to drain at close on a busy machine
    300_000,
  );
});
