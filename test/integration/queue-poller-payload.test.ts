// integration: the SQS poller keeps each batch's event within Lambda's payload quota (the deploy-faithful runner gives
// it 6 MB, as Lambda's event source stops filling a batch there): received messages that would make a larger event
// are handed over in consecutive smaller batches, each message once, and all of them deleted. Against the real queue
// engine; the quota here is a few KB so that a handful of messages cross it.
import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { batchesUnder, startQueuePoller } from '../../infra/local/queue-poller.js';
import { useQueueEngine } from '../support/queue-engine.js';
import { eventually } from '../support/local-runtime.js';

const queues = useQueueEngine();

const record = (messageId: string, body: string) => ({ messageId, body }) as SQSRecord;
const eventBytes = (records: SQSRecord[]) => Buffer.byteLength(JSON.stringify({ Records: records }));

describe('batches under a payload quota', () => {
  it('fills each batch up to the quota exactly, and starts the next one with the record that would cross it', () => {
    // Prepare: three records of the same size; a quota that fits exactly two of them in one event
    const records = ['a', 'b', 'c'].map((id) => record(id, 'x'.repeat(100)));
    const quota = eventBytes(records.slice(0, 2));

    // Act
    const atQuota = batchesUnder(records, quota);
    const oneUnder = batchesUnder(records, quota - 1);

    // Assess
    expect(atQuota.map((batch) => batch.map((r) => r.messageId))).toEqual([['a', 'b'], ['c']]);
    expect(oneUnder.map((batch) => batch.map((r) => r.messageId))).toEqual([['a'], ['b'], ['c']]);
    expect(batchesUnder([], quota)).toEqual([]);
    // no quota (the local runtime's poller): one batch of all
    expect(batchesUnder(records, Number.POSITIVE_INFINITY)).toEqual([records]);
    // a record larger than the quota on its own still goes, alone (Lambda's event source cannot split a message)
    expect(batchesUnder([record('big', 'x'.repeat(500)), record('small', '')], 100).map((batch) => batch.length)).toEqual([1, 1]);
  });
});

describe('the SQS poller under a payload quota', () => {
  it('hands a received batch over in events within the quota, each message once, and deletes them all', async () => {
    // Prepare: 20 messages of 1 KB; batches of up to 10 by count, a quota of about three messages' worth
    const queueUrl = queues.engine.queueUrls.responses;
    const codes = await queues.engine.sendMessages(queueUrl, Array.from({ length: 20 }, (_, i) => JSON.stringify({ n: i, pad: 'x'.repeat(1000) })));
    expect(codes.every((code) => code === undefined)).toBe(true);
    const quota = 3_500;
    const events: SQSRecord[][] = [];
    const poller = startQueuePoller({
      sqs: queues.sqs,
      queueUrl,
      queueArn: queues.engine.queueArns.responses,
      handler: async (event) => {
        events.push(event.Records);
      },
      batchSize: 10,
      maxBatchingWindowMs: 0,
      concurrency: 1,
      maxEventBytes: quota,
    });

    try {
      // Act
      await eventually(async () => ((await poller.backlog()) === 0 ? true : undefined), 60_000, 'an empty queue');
    } finally {
      await poller.stop();
    }

    // Assess: every event within the quota, none empty, and the 20 messages each delivered once
    expect(events.length).toBeGreaterThanOrEqual(7);
    for (const records of events) {
      expect(records.length).toBeGreaterThan(0);
      expect(eventBytes(records)).toBeLessThanOrEqual(quota);
    }
    const delivered = events.flat().map((r) => (JSON.parse(r.body) as { n: number }).n);
    expect(delivered.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
