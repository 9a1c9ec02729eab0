// local runtime: intake first. Linux keeps a nice value per thread, so after start every thread of the process except
// the gateway's and the queue engine's is lowered: the back-end thread (consumers, sentiment, dynalite), the libuv pool
// where LevelDB does its I/O, and the helper threads. A burst of requests is then acknowledged at full speed and the
// queue absorbs it, as SQS does in the cloud. Elsewhere (no /proc) this does nothing.
import { readdirSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

export const BACKGROUND_NICENESS = 10;

/** the kernel id of the calling thread (Linux), or undefined */
export function currentThreadId(): number | undefined {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return undefined;
  }
}

/** lowers every other thread of this process to BACKGROUND_NICENESS; answers how many it lowered */
export function lowerPriorityOfOtherThreads(keep: readonly (number | undefined)[]): number {
  let lowered = 0;
  let threads: string[];
  try {
    threads = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  for (const thread of threads) {
    const id = Number(thread);
    if (keep.includes(id)) continue;
    try {
      setPriority(id, BACKGROUND_NICENESS);
      lowered += 1;
    } catch {
      // gone meanwhile, or not permitted: it keeps its priority
    }
  }
  return lowered;
}
