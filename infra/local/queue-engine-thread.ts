// local runtime, queue thread: fauxqs alone, so that a 202 waits only on its own SendMessageBatch, never behind the
// consumer's sentiment scoring or LevelDB writes (in the cloud, SQS is someone else's machine too).
import { startQueueEngine } from './engines.js';
import { currentThreadId } from './thread-priority.js';
import { serveThread } from './threads.js';

await serveThread(async () => {
  const queues = await startQueueEngine();
  const { stop, ...addresses } = queues;
  return { ready: { ...addresses, threadId: currentThreadId() }, operations: { stop } };
});
