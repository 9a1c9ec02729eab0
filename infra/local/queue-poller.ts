// local runtime: what Lambda's SQS event source does in the cloud. Receives batches, hands them to the consumer as
// SQS events, deletes what succeeded and leaves `batchItemFailures` on the queue to be received again (and, after
// maxReceiveCount receives, moved to the DLQ by the queue's redrive policy).
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { chunksOf } from '../../shared/chunks.js';

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export interface PollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  handler: SqsHandler;
  batchSize: number;
  /** how long a batch is gathered, from its first message: until full, or this long, whichever comes first */
  maxBatchingWindowMs: number;
  /**
   * gather for the whole window while the queue has nothing more, as Lambda's event source does ("the maximum amount of
   * time that Lambda spends gathering records before invoking the function": a lone message waits out the window); the
   * deploy-faithful runner. Default false: a batch is handed over as soon as the queue has nothing more, so the local
   * runtime stores a response at once
   */
  waitOutBatchingWindow?: boolean;
  concurrency: number;
  /**
   * how long a failed message stays invisible before it is received again; 'visibility-timeout': the queue's own, as
   * Lambda's event source leaves it (default 1 s, so the local runtime retries soon)
   */
  retryDelaySeconds?: number | 'visibility-timeout';
  /** honour the handler's `batchItemFailures` (the mapping's ReportBatchItemFailures); default true. Without it a
   * returned value is ignored and only a throw fails the batch, as in Lambda */
  reportBatchItemFailures?: boolean;
  /**
   * while this answers true (intake first: intake-pressure.ts), the loops take turns: one batch starts per
   * `heldBatchEveryMs` in all, so a burst leaves the cores to the gateway and the backlog still moves
   */
  holdBackWhile?: () => boolean;
  /** default HELD_BATCH_EVERY_MS */
  heldBatchEveryMs?: number;
  /**
   * the largest event a batch may make (Lambda's payload quota): received messages that would make a larger one are
   * handed over in consecutive batches under it, as Lambda's event source stops filling a batch at the quota
   */
  maxEventBytes?: number;
}

function toRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

/**
 * while held back, one batch starts per this interval (per poller, across its loops). Storing a response costs the
 * local back end ≈3–4 ms of CPU (scoring, the conditional put through the SDK, dynalite's LevelDB write): one batch of
 * 25 per second took ≈0.02–0.03 ms of CPU per acknowledged request of a saturating burst. One batch per 5 s keeps the
 * queue moving for a fifth of that.
 */
const HELD_BATCH_EVERY_MS = 5000;
/** while a batch waits out its window on an empty queue, how often the queue is asked again */
const GATHER_POLL_MS = 50;

/** `{"Records":[]}`: an SQS event around its records */
const EVENT_ENVELOPE_BYTES = 14;

/** the records as consecutive batches whose events stay within `maxEventBytes` (a record larger alone goes alone) */
export function batchesUnder(records: SQSRecord[], maxEventBytes: number): SQSRecord[][] {
  const batches: SQSRecord[][] = [];
  let bytes = 0;
  for (const record of records) {
    // each record after the first adds its JSON and a comma
    const size = Buffer.byteLength(JSON.stringify(record)) + 1;
    if (batches.length === 0 || bytes + size > maxEventBytes) {
      batches.push([]);
      bytes = EVENT_ENVELOPE_BYTES - 1;
    }
    batches.at(-1)!.push(record);
    bytes += size;
  }
  return batches;
}


export function startQueuePoller(options: PollerOptions) {
  const { sqs, queueUrl, queueArn, handler, batchSize, maxBatchingWindowMs, concurrency, retryDelaySeconds = 1, reportBatchItemFailures = true } = options;
  const { holdBackWhile, heldBatchEveryMs = HELD_BATCH_EVERY_MS, maxEventBytes = Number.POSITIVE_INFINITY, waitOutBatchingWindow = false } = options;
  let running = true;
  let nextHeldBatchAt = 0;

  /** resolves when this loop may receive: at once, unless held back and another batch started too recently */
  async function turn(): Promise<void> {
    while (running && holdBackWhile?.()) {
      const now = Date.now();
      if (now >= nextHeldBatchAt) {
        nextHeldBatchAt = now + heldBatchEveryMs;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, nextHeldBatchAt - now)));
    }
  }

  async function receiveBatch(): Promise<Message[]> {
    const messages: Message[] = [];
    // the window opens with the batch's first message: before it, the loop long-polls an empty queue
    let windowEnds = Number.POSITIVE_INFINITY;
    while (running && messages.length < batchSize) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, batchSize - messages.length),
          WaitTimeSeconds: messages.length ? 0 : 1,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      if (messages.length === 0 && Messages.length > 0) windowEnds = Date.now() + maxBatchingWindowMs;
      messages.push(...Messages);
      if (messages.length === 0) continue;
      if (Date.now() >= windowEnds) break;
      if (Messages.length === 0) {
        if (!waitOutBatchingWindow) break;
        await new Promise((resolve) => setTimeout(resolve, Math.min(GATHER_POLL_MS, windowEnds - Date.now())));
      }
    }
    return messages;
  }

  async function settle(messages: Message[], failedIds: Set<string>): Promise<void> {
    const done = messages.filter((m) => !failedIds.has(m.MessageId ?? ''));
    const failed = messages.filter((m) => failedIds.has(m.MessageId ?? ''));
    for (const part of chunksOf(done, 10)) {
      await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: part.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }),
      );
    }
    if (retryDelaySeconds === 'visibility-timeout') return;
    for (const part of chunksOf(failed, 10)) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: part.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: retryDelaySeconds })),
        }),
      );
    }
  }

  async function loop(): Promise<void> {
    while (running) {
      try {
        await turn();
        const received = await receiveBatch();
        for (const records of batchesUnder(received.map((m) => toRecord(m, queueArn)), maxEventBytes)) {
          const ids = new Set(records.map((record) => record.messageId));
          const messages = received.filter((m) => ids.has(m.MessageId ?? ''));
          let failedIds: Set<string>;
          try {
            const result = await handler({ Records: records });
            failedIds = new Set(reportBatchItemFailures ? (result?.batchItemFailures ?? []).map((f) => f.itemIdentifier) : []);
          } catch {
            // a thrown handler fails the whole batch, as with Lambda
            failedIds = ids;
          }
          await settle(messages, failedIds);
        }
      } catch {
        if (running) await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  const loops = Array.from({ length: concurrency }, () => loop());

  return {
    /** messages still on the queue: waiting, in flight or delayed */
    async backlog(): Promise<number> {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
        }),
      );
      return (
        Number(Attributes.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
      );
    },
    async stop(): Promise<void> {
      running = false;
      await Promise.all(loops);
    },
  };
}
