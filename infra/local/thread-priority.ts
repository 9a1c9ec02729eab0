// local runtime: intake first. Linux keeps a nice value per thread, so the back-end thread (the consumers, sentiment
// scoring, dynalite) lowers its own: under a burst, a core goes to the gateway and the queue engine before it.
// Only that thread: the libuv pool, where the queue's journal commits its fsynced writes, and V8's helper threads,
// where the gateway's garbage collection runs, keep their priority. An earlier version lowered every thread but the
// gateway's and the queue's, and each 202 then waited longer for its commit: on a fast 2-core machine a saturating load
// got ≈25 % fewer requests/s through. Elsewhere (no /proc) this does nothing.
import { readlinkSync } from 'node:fs';
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

/** lowers the calling thread (not its process) to BACKGROUND_NICENESS; answers whether it could */
export function lowerPriorityOfThisThread(): boolean {
  const id = currentThreadId();
  if (id === undefined) return false;
  try {
    setPriority(id, BACKGROUND_NICENESS);
    return true;
  } catch {
    // not permitted: it keeps its priority
    return false;
  }
}
