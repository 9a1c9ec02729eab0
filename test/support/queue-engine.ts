// test support: the local queue engine (fauxqs with the topology's queues) for a test file, and an SQS client on it,
// started before the file's tests and stopped after them.
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll } from 'vitest';
import { startQueueEngine } from '../../infra/local/engines.js';

export function useQueueEngine(): { engine: Awaited<ReturnType<typeof startQueueEngine>>; sqs: SQSClient } {
  const started = {} as ReturnType<typeof useQueueEngine>;
  beforeAll(async () => {
    started.engine = await startQueueEngine();
    started.sqs = new SQSClient({ endpoint: new URL(started.engine.queueUrls.responses).origin, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  });
  afterAll(async () => {
    started.sqs?.destroy();
    await started.engine?.stop();
  });
  return started;
}
