// local runtime, queue thread: fauxqs alone, so that a 202 waits only on its own send, never behind the consumer's
// sentiment scoring or LevelDB writes (in the cloud, SQS is someone else's machine too). Its write-ahead journal
// (queue-journal.ts) lives here too, so the 202's fsync never waits behind the back end's disk writes.
// Besides fauxqs's HTTP endpoint (the back end's SDK clients), it serves `sendMessages`: the gateway thread's queue
// sends, handed over in-process (runtime.ts).
import { startQueueEngine, type QueueEngineOptions } from './engines.js';
import { serveThread } from './threads.js';

export interface InProcessSendRequest {
  queueUrl: string;
  bodies: string[];
}

await serveThread(async (options: QueueEngineOptions) => {
  const { stop, sendMessages, ...addresses } = await startQueueEngine(options);
  return {
    ready: addresses,
    operations: {
      stop,
      sendMessages: ({ queueUrl, bodies }: InProcessSendRequest) => sendMessages(queueUrl, bodies),
    },
  };
});
