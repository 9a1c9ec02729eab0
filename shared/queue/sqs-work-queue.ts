// adapter: WorkQueue over SQS (fauxqs locally, Amazon SQS in the cloud).
// Sends made in the same tick go out together, in SendMessageBatch calls of up to 10: one round trip and one
// signature instead of ten. Each send still resolves only when SQS has accepted its own entry, and rejects if SQS
// refused it, so an acknowledgement always means "durably queued". In Lambda (one request per invocation) a batch
// holds one entry.
import { randomUUID } from 'node:crypto';
import { SendMessageBatchCommand, type SQSClient } from '../aws/sqs.js';
import type { WorkQueue } from './work-queue.js';

/** SQS's limit of entries per SendMessageBatch */
export const SQS_MAX_BATCH = 10;

/**
 * Sends message bodies to a queue: per body, undefined when the queue accepted it, or SQS's error code when it
 * refused it; rejects when the call as a whole failed (nothing known to be accepted).
 */
export type SendMessages = (queueUrl: string, bodies: string[]) => Promise<(string | undefined)[]>;

export class QueueSendError extends Error {
  constructor(code: string | undefined) {
    super(`queue refused the message (${code ?? 'unknown'})`);
    this.name = 'QueueSendError';
  }
}

/** SendMessages through the SDK: one SendMessageBatch call (so at most SQS_MAX_BATCH bodies) */
function sendMessageBatchVia(client: SQSClient): SendMessages {
  return async (queueUrl, bodies) => {
    const ids = bodies.map(() => randomUUID());
    const { Failed = [] } = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: bodies.map((MessageBody, i) => ({ Id: ids[i], MessageBody })) }));
    const failed = new Map(Failed.map((f) => [f.Id, f.Code ?? 'unknown']));
    return ids.map((id) => failed.get(id));
  };
}

/**
 * SQS takes only #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF in a body (fauxqs checks UTF-16 code units,
 * so it also refuses astral characters such as emoji). JSON.stringify leaves U+FFFE, U+FFFF and surrogates as they
 * are: each such code unit is written as its JSON escape instead, which JSON.parse reads back as the same text.
 */
const OUTSIDE_SQS_CHARACTERS = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/g;
export const sqsSafeJson = (message: unknown) =>
  JSON.stringify(message).replace(OUTSIDE_SQS_CHARACTERS, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);

interface PendingSend {
  body: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The queue at `queueUrl`, through `client` (or any SendMessages, e.g. the local runtime's in-process one), sending
 * what one tick queued up in calls of at most `maxBatch` bodies. With `maxCallsInFlight`, sends made while that many
 * calls are under way wait for one to end and then go out together: fewer, fuller calls, each still resolving every
 * send only once its own message is accepted.
 */
export function createSqsWorkQueue<T>(
  client: SQSClient | SendMessages,
  queueUrl: string,
  maxBatch = SQS_MAX_BATCH,
  maxCallsInFlight = Number.POSITIVE_INFINITY,
): WorkQueue<T> {
  const sendMessages = typeof client === 'function' ? client : sendMessageBatchVia(client);
  let pending: PendingSend[] = [];
  let callsInFlight = 0;

  async function sendBatch(batch: PendingSend[]): Promise<void> {
    callsInFlight += 1;
    try {
      const codes = await sendMessages(
        queueUrl,
        batch.map((send) => send.body),
      );
      batch.forEach((send, i) => (codes[i] === undefined ? send.resolve() : send.reject(new QueueSendError(codes[i]))));
    } catch (error) {
      for (const send of batch) send.reject(error instanceof Error ? error : new Error(String(error)));
    } finally {
      callsInFlight -= 1;
      if (pending.length > 0 && callsInFlight < maxCallsInFlight) flush();
    }
  }

  function flush(): void {
    const ready = pending;
    pending = [];
    for (let i = 0; i < ready.length; i += maxBatch) void sendBatch(ready.slice(i, i + maxBatch));
  }

  return {
    send(message) {
      return new Promise<void>((resolve, reject) => {
        // the first send of a tick schedules the call, unless calls are at their limit: the one that ends sends these
        if (pending.length === 0 && callsInFlight < maxCallsInFlight) setImmediate(flush);
        pending.push({ body: sqsSafeJson(message), resolve, reject });
      });
    },
  };
}
