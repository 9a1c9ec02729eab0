// use case: delete what retention says must go (every 15 minutes). DynamoDB TTL does it lazily in the cloud (within days),
// dynalite never does: this makes deletion prompt and the same everywhere. Reads filter expired items meanwhile.
//   1. per table (responses, follow-up tasks, notifications, invitations), all at once, delete the items whose expiry
//      has passed, a page at a time
//   2. stop at `maxPerRun` per table; the next run goes on
// Aggregates are not touched: they hold anonymous counts, and an expired response stays counted in the hours and days
// it was part of (the rollup never recomputes an hour whose responses may have expired: see roll-up.ts).
import type { Clock } from '../clock.js';

// port: the expired items of one table. Adapter: dynamo-expired-items.
export interface ExpiredItems {
  /** deletes up to `limit` items whose expiry has passed at `now`; answers how many it deleted */
  deleteExpired(now: Date, limit: number): Promise<number>;
}

export interface SweepExpiredDeps {
  tables: Record<string, ExpiredItems>;
  clock: Clock;
  pageSize?: number;
  maxPerRun?: number;
}

export function makeSweepExpired({ tables, clock, pageSize = 100, maxPerRun = 50_000 }: SweepExpiredDeps) {
  return async function sweepExpired(): Promise<Record<string, number>> {
    const now = clock.now();
    // the tables side by side: they share nothing, and a run (a cold one most of all) then waits for the slowest
    // table rather than for all of them in turn
    const sweepTable = async (items: ExpiredItems) => {
      let deleted = 0;
      for (;;) {
        const count = await items.deleteExpired(now, Math.min(pageSize, maxPerRun - deleted));
        deleted += count;
        if (count === 0 || deleted >= maxPerRun) return deleted;
      }
    };
    const counts = await Promise.all(Object.values(tables).map(sweepTable));
    return Object.fromEntries(Object.keys(tables).map((name, index) => [name, counts[index]!]));
  };
}
