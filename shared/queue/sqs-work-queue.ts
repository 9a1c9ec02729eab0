// adapter: WorkQueue over SQS (fauxqs locally, Amazon SQS in the cloud).
// Sends made in the same tick go out together in SendMessageBatch calls of up to 10: one round trip and one signature
// instead of ten. Each send still resolves only when SQS has accepted its own entry, and rejects if SQS refused it,
// so an acknowledgement always means "durably queued". In Lambda (one request per invocation) a batch holds one entry.
import { randomUUID } from 'node:crypto';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { WorkQueue } from './work-queue.js';

const SQS_MAX_BATCH = 10;

interface PendingSend {
  body: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class QueueSendError extends Error {
  constructor(code: string | undefined) {
    super(`queue refused the message (${code ?? 'unknown'})`);
    this.name = 'QueueSendError';
  }
}

export function createSqsWorkQueue<T>(client: SQSClient, queueUrl: string): WorkQueue<T> {
  let pending: PendingSend[] = [];

  async function sendBatch(batch: PendingSend[]): Promise<void> {
    const entries = batch.map((send) => ({ Id: randomUUID(), send }));
    try {
      const { Failed = [] } = await client.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries.map(({ Id, send }) => ({ Id, MessageBody: send.body })) }),
      );
      const failed = new Map(Failed.map((f) => [f.Id, f.Code]));
      for (const { Id, send } of entries) {
        if (failed.has(Id)) send.reject(new QueueSendError(failed.get(Id)));
        else send.resolve();
      }
    } catch (error) {
      for (const { send } of entries) send.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  function flush(): void {
    const ready = pending;
    pending = [];
    for (let i = 0; i < ready.length; i += SQS_MAX_BATCH) void sendBatch(ready.slice(i, i + SQS_MAX_BATCH));
  }

  return {
    send(message) {
      return new Promise<void>((resolve, reject) => {
        if (pending.length === 0) setImmediate(flush);
        pending.push({ body: JSON.stringify(message), resolve, reject });
      });
    },
  };
}
