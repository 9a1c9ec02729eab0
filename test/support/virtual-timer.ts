// test support: a Timer (shared/sentiment/comprehend-calls.ts) on virtual time: `sleep` records the wait and moves the
// clock on by it, at once. Waits of concurrent callers add up rather than overlap, so virtual time runs ahead of real
// time: deadlines come sooner, never later, and a bound that holds here holds for real. No test waits on the wall
// clock. `random` is fixed (1 draws the longest backoff, the bound under test).
import type { Timer } from '../../shared/sentiment/comprehend-calls.js';

export interface VirtualTimer extends Timer {
  /** every wait asked for, in ms, in order */
  readonly sleeps: number[];
  /** virtual ms since the timer was made */
  elapsed(): number;
}

export function virtualTimer({ start = 0, random = 1 }: { start?: number; random?: number } = {}): VirtualTimer {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    elapsed: () => now - start,
    random: () => random,
    async sleep(ms) {
      sleeps.push(ms);
      now += ms;
    },
  };
}
