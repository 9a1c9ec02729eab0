// local runtime: intake first. Linux keeps a nice value per thread, so the back-end thread (the consumers, sentiment
// scoring, dynalite) lowers its own: under a burst, a core goes to the gateway and the queue engine before it.
// Only that thread: the libuv pool, where the queue's journal commits its fsynced writes, and V8's helper threads,
// where the gateway's garbage collection runs, keep their priority. An earlier version lowered every thread but the
// gateway's and the queue's, and each 202 then waited longer for its commit: on a fast 2-core machine a saturating load
// got ≈25 % fewer requests/s through. Elsewhere (no /proc) this does nothing.
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

export const BACKGROUND_NICENESS = 10;

/**
 * the nice value for a background thread that started at `niceness`: BACKGROUND_NICENESS, never a higher priority
 * than it started with (under `nice -n 15` it stays at 15). Not lower still under `nice`: the back end runs dynalite,
 * which the gateway's reads wait for, and at 19 beside other busy processes it can starve.
 */
export const backgroundNiceness = (niceness: number): number => Math.max(niceness, BACKGROUND_NICENESS);

/** the kernel id of the calling thread (Linux), or undefined */
export function currentThreadId(): number | undefined {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return undefined;
  }
}

/** lowers the calling thread (not its process) to backgroundNiceness() of its own; answers whether it did */
export function lowerPriorityOfThisThread(): boolean {
  const id = currentThreadId();
  if (id === undefined) return false;
  try {
    const niceness = getPriority(id);
    setPriority(id, backgroundNiceness(niceness));
    return backgroundNiceness(niceness) > niceness;
  } catch {
    // not permitted: it keeps its priority
    return false;
  }
}
