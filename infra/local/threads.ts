// local runtime: the worker threads it spreads the platform over, and a small request/reply channel to each.
// A thread module calls serveThread(start); the parent calls startThread(module, options) and gets what start
// returned as `ready`, and `ask(name, payload)` for the thread's named operations.
import { parentPort, Worker, workerData } from 'node:worker_threads';

type Operations = Record<string, (payload: any) => Promise<unknown>>;

type ThreadMessage = { type: 'ready'; ready: unknown } | { type: 'reply'; id: number; result?: unknown; error?: string };
interface ThreadRequest {
  id: number;
  operation: string;
  payload: unknown;
}

export interface Thread<Ready> {
  ready: Ready;
  ask<T = unknown>(operation: string, payload?: unknown): Promise<T>;
  terminate(): Promise<number>;
}

export async function startThread<Ready>(module: URL, options: unknown): Promise<Thread<Ready>> {
  const worker = new Worker(new URL('./thread-entry.mjs', import.meta.url), { workerData: { module: module.href, localRuntimeThread: true, options } });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const ready = await new Promise<Ready>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`${module.pathname} exited with ${code} before it was ready`)));
    worker.on('message', (message: ThreadMessage) => {
      if (message.type === 'ready') return resolve(message.ready as Ready);
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.error === undefined) waiting?.resolve(message.result);
      else waiting?.reject(new Error(message.error));
    });
  });
  worker.removeAllListeners('error').removeAllListeners('exit');
  let gone: Error | undefined;
  const failPending = (error: Error) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  worker.on('error', (error) => {
    console.error(`local runtime: ${module.pathname} failed:`, error.message);
    failPending(error);
  });
  // a request to a thread that has ended would wait for ever: it fails instead (a send then answers 5xx, not a hang)
  worker.on('exit', (code) => failPending((gone = new Error(`${module.pathname} ended (exit code ${code})`))));
  return {
    ready,
    ask: <T>(operation: string, payload?: unknown) =>
      new Promise<T>((resolve, reject) => {
        if (gone) return reject(gone);
        const id = nextId++;
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        worker.postMessage({ id, operation, payload } satisfies ThreadRequest);
      }),
    terminate: () => worker.terminate(),
  };
}

/** in a thread started by startThread: runs `start` with the parent's options, then answers the parent's requests */
export async function serveThread<Options, Ready>(start: (options: Options) => Promise<{ ready: Ready; operations: Operations }>): Promise<void> {
  const port = parentPort;
  const data = workerData as { localRuntimeThread?: boolean; options: Options } | undefined;
  if (!port || !data?.localRuntimeThread) return;
  const { ready, operations } = await start(data.options);
  port.on('message', ({ id, operation, payload }: ThreadRequest) => {
    const run = operations[operation];
    (run ? run(payload) : Promise.reject(new Error(`no operation ${operation}`))).then(
      (result) => port.postMessage({ type: 'reply', id, result } satisfies ThreadMessage),
      (error: unknown) => port.postMessage({ type: 'reply', id, error: error instanceof Error ? error.message : String(error) } satisfies ThreadMessage),
    );
  });
  port.postMessage({ type: 'ready', ready } satisfies ThreadMessage);
}
