// functions: the SQS work queue a handler sends to. In Lambda: SQS through the SDK. In the local runtime the gateway
// thread first binds an in-process route to its queue engine (infra/local/runtime.ts), and the same handlers' sends
// take it: journaled, then handled by fauxqs's own SendMessageBatch action, without the HTTP hop, SigV4 signature and
// checksums that exist for the network (LOCAL_QUEUE_TRANSPORT=sdk keeps the SDK route locally too).
import { SQSClient } from '../../shared/aws/sqs.js';
import { createSqsWorkQueue, type SendMessages } from '../../shared/queue/sqs-work-queue.js';
import type { WorkQueue } from '../../shared/queue/work-queue.js';

/** an in-process send carries what one tick queued, up to this many (the engine splits it into SQS-sized batches) */
const IN_PROCESS_MAX_BATCH = 200;
/**
 * one in-process send under way per queue: what arrives meanwhile goes in the next one. Each send waits for a journal
 * commit on the queue thread anyway, and the sends it would overlap with only join that commit; one at a time halves
 * the hand-overs between the threads under a burst (measured in three paired runs: a send's median round trip
 * ≈2.1–2.5 ms → ≈1.2–1.6 ms, and 4–27 % less CPU per request)
 */
const IN_PROCESS_SENDS_IN_FLIGHT = 1;

let inProcessSends: SendMessages | undefined;

/** the local runtime's in-process route to its queue engine, for handlers loaded after this call (undefined: none) */
export function bindInProcessQueueSends(sendMessages: SendMessages | undefined): void {
  inProcessSends = sendMessages;
}

export function sqsWorkQueue<T>(queueUrl: string): WorkQueue<T> {
  return inProcessSends ? createSqsWorkQueue<T>(inProcessSends, queueUrl, IN_PROCESS_MAX_BATCH, IN_PROCESS_SENDS_IN_FLIGHT) : createSqsWorkQueue<T>(new SQSClient({}), queueUrl);
}
