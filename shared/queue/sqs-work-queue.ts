// adapter: WorkQueue over SQS (fauxqs locally, Amazon SQS in the cloud).
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { WorkQueue } from './work-queue.js';

export function createSqsWorkQueue<T>(client: SQSClient, queueUrl: string): WorkQueue<T> {
  return {
    async send(message) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }));
    },
  };
}
