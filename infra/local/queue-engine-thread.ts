// local runtime, queue thread: fauxqs alone, so that a 202 waits only on its own SendMessageBatch, never behind the
// consumer's sentiment scoring or LevelDB writes (in the cloud, SQS is someone else's machine too). Its write-ahead
// journal (queue-journal.ts) lives here too, so the 202's fsync never waits behind the back end's disk writes.
import { startQueueEngine, type QueueEngineOptions } from './engines.js';
import { currentThreadId } from './thread-priority.js';
import { serveThread } from './threads.js';

await serveThread(async (options: QueueEngineOptions) => {
  const queues = await startQueueEngine(options);
  const { stop, ...addresses } = queues;
  return { ready: { ...addresses, threadId: currentThreadId() }, operations: { stop } };
});
