// integration: the SQS poller's batching window, against the real queue engine. The deploy-faithful runner gathers a
// batch as Lambda's event source does, for up to the mapping's MaximumBatchingWindowInSeconds from its first message
// (so messages sent a moment apart make one batch, and a lone message waits out the window); the local runtime's
// poller hands a batch over as soon as the queue has nothing more.
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { startQueuePoller } from '../../infra/local/queue-poller.js';
import { eventually } from '../support/local-runtime.js';
import { useQueueEngine } from '../support/queue-engine.js';

const queues = useQueueEngine();

/** a poller on the responses queue that records each batch's message bodies */
function recordingPoller(options: { batchSize: number; maxBatchingWindowMs: number; waitOutBatchingWindow: boolean }) {
  const batches: { bodies: string[] }[] = [];
  const poller = startQueuePoller({
    sqs: queues.sqs,
    queueUrl: queues.engine.queueUrls.responses,
    queueArn: queues.engine.queueArns.responses,
    handler: async (event) => {
      batches.push({ bodies: event.Records.map((record: SQSRecord) => record.body) });
    },
    concurrency: 1,
    ...options,
  });
  return { batches, poller };
}

const send = async (...bodies: string[]) => {
  const codes = await queues.engine.sendMessages(queues.engine.queueUrls.responses, bodies);
  expect(codes.every((code) => code === undefined)).toBe(true);
};
/** messages received and not yet deleted: in a poller's hands */
const inFlight = async () => {
  const { Attributes = {} } = await queues.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queues.engine.queueUrls.responses, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }));
  return Number(Attributes.ApproximateNumberOfMessagesNotVisible);
};
const delivered = (batches: { bodies: string[] }[]) => batches.reduce((sum, batch) => sum + batch.bodies.length, 0);

describe('the batching window, as Lambda\'s event source keeps it', () => {
  it('gathers messages sent a moment apart into one batch, handed over when it is full', async () => {
    // Prepare: a long window, so only a full batch ends it
    const { batches, poller } = recordingPoller({ batchSize: 3, maxBatchingWindowMs: 30_000, waitOutBatchingWindow: true });
    try {
      // Act: one message, then two more once the poller has it in hand (the queue shows it in flight)
      await send('first');
      await eventually(async () => ((await inFlight()) === 1 ? true : undefined), 10_000, 'the first message received');
      await send('second', 'third');
      await eventually(async () => (delivered(batches) === 3 ? true : undefined), 20_000, 'three messages handed over');
    } finally {
      await poller.stop();
    }

    // Assess
    expect(batches.map((batch) => batch.bodies.sort())).toEqual([['first', 'second', 'third']]);
  });

  it('hands a lone message over alone once its window has passed, however short the batch', async () => {
    // Prepare: a window short enough to pass while the test waits, a batch far from full
    const { batches, poller } = recordingPoller({ batchSize: 10, maxBatchingWindowMs: 1_000, waitOutBatchingWindow: true });
    try {
      // Act
      await send('alone');
      await eventually(async () => (delivered(batches) === 1 ? true : undefined), 20_000, 'the message handed over');
    } finally {
      await poller.stop();
    }

    // Assess: one batch, of the one message: the window ends a batch that never fills
    expect(batches.map((batch) => batch.bodies)).toEqual([['alone']]);
  });

  it('without waiting out the window (the local runtime), hands a message over as soon as the queue has nothing more', async () => {
    // Prepare
    const { batches, poller } = recordingPoller({ batchSize: 3, maxBatchingWindowMs: 30_000, waitOutBatchingWindow: false });
    try {
      // Act
      await send('first');
      await eventually(async () => (delivered(batches) === 1 ? true : undefined), 20_000, 'the first message handed over');
    } finally {
      await poller.stop();
    }

    // Assess: well within the 30 s window
    expect(batches.map((batch) => batch.bodies)).toEqual([['first']]);
  });
});
