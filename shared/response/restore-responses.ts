// use case: bring back responses lost from the live table (a script, a bad release) from a point-in-time restore of it.
// A PITR restore is a new table; this copies from it only the responses the live table lacks and that must come back:
//   1. refuse a restore point older than the erasure markers vouch for (RESTORE_WINDOW_SECONDS): an erasure older than
//      its marker's life has left none, and its customer's responses would come back. Checked again at each page, so a
//      run that outlasts the margin stops
//   2. read the restored table a page at a time; leave out the table's system items (ids starting with "#": the
//      backfills' progress, response-id.ts), responses expired by now (retention deleted them on purpose) and responses
//      of a customer erased since they were received (a marker, or an item the erasure had begun on: no surveyId)
//   3. ask the live table which of the rest it holds (strongly consistent)
//   4. copy each one it lacks (RESTORE_ITEMS_PER_SECOND at most), as stored, with a conditional put (a response stored or changed since the restore point
//      is never overwritten); look up its customer's erasure marker again once it is put, as the process step does:
//      an erasure that began after step 2 wrote its marker before it searched, so either its search found the copy or
//      this second look finds the marker and deletes it. Then mark its (survey, minute) dirty, so the rollup counts it
//      again (or its removal). One a restore copied before is marked again: a run that stopped between its put and
//      its mark is finished by the next
//   5. answer the counts (never a response's content: only ids are handled beyond this module)
// A copy keeps its sentiment and follow-up state: one still pending is scored by the rescore and routed by the router
// as before; routing opens a task by a conditional put keyed by the response id, so a detractor routed after the
// restore point, whose task is still there, gets no second task. With `dryRun`, steps 1–3 only: nothing is written.
import type { Clock } from '../clock.js';
import { ERASURE_MARKER_KEEP_SECONDS, erasedBefore, type ErasureMarkers } from '../privacy/erasure-markers.js';
import { isExpired } from '../privacy/retention.js';
import { chunksOf } from '../chunks.js';
import { minuteKeyOf } from '../rollup/bucket.js';
import type { DirtyBuckets } from '../rollup/dirty-buckets.js';

/** an item of the responses table, as stored (its index attributes included) */
export type TableItem = Record<string, unknown> & { responseId: string };

// port: the restored table, read whole. Adapter: dynamo-restored-responses.
export interface RestoredTable {
  /** every item, a page at a time */
  pages(): AsyncIterable<TableItem[]>;
}

// port: the live responses table, as a restore writes to it. Adapter: dynamo-restored-responses.
export interface LiveResponses {
  /** of `ids`, those the live table holds, each with whether a restore put it there */
  holding(ids: readonly string[]): Promise<Map<string, { restored: boolean }>>;
  /** puts `item` unless an item with its id exists (tagged as restored at `at`); answers whether it put it */
  copyIfAbsent(item: TableItem, at: Date): Promise<boolean>;
  /** deletes a copy whose customer was erased while it was being put */
  removeErased(responseId: string): Promise<void>;
}

/**
 * the oldest restore point this copies from: the markers' life less a day, for the run itself. An erasure since the
 * restore point has a marker for a day at least after the run starts; one before it deleted its customer's responses
 * before the restore point, so the restored table does not hold them.
 */
export const RESTORE_WINDOW_SECONDS = ERASURE_MARKER_KEEP_SECONDS - 86_400;

/** items copied (or, in a dry run, to copy) at once */
const PARALLEL = 25;
/**
 * copies a second at most, as the index backfill paces itself (dynamo-index-backfill.ts): each copy also writes the
 * survey's index entries, and a copy of one survey's responses shares their partitions with its live traffic
 */
export const RESTORE_ITEMS_PER_SECOND = 200;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface RestoreCounts {
  /** items read from the restored table */
  read: number;
  /** put into the live table (a dry run: would be) */
  copied: number;
  /** the live table holds an item of that id: it stays as it is */
  alreadyPresent: number;
  /** past their retention: deleted on purpose */
  expired: number;
  /** their customer was erased after they were received */
  erased: number;
  /** the table's own items (ids starting with "#"), not responses */
  system: number;
}

export type RestoreOutcome = { refused: string } | { counts: RestoreCounts };

export interface RestoreResponsesDeps {
  restored: RestoredTable;
  live: LiveResponses;
  erasures: ErasureMarkers;
  dirty: DirtyBuckets;
  clock: Clock;
  /** waits `ms` (the pace of RESTORE_ITEMS_PER_SECOND); default a timer */
  pause?: (ms: number) => Promise<void>;
}

/** why a restore point is refused, or undefined when it is within the window */
export function restorePointRefusal(restoredAt: Date, now: Date): string | undefined {
  if (Number.isNaN(restoredAt.getTime())) return 'the restore point is not a time';
  if (restoredAt.getTime() > now.getTime()) return `the restore point ${restoredAt.toISOString()} is in the future`;
  const oldest = new Date(now.getTime() - RESTORE_WINDOW_SECONDS * 1000);
  if (restoredAt.getTime() >= oldest.getTime()) return undefined;
  return (
    `the restore point ${restoredAt.toISOString()} is older than ${oldest.toISOString()} (${RESTORE_WINDOW_SECONDS / 86_400} days ago): ` +
    `an erasure is remembered for ${ERASURE_MARKER_KEEP_SECONDS / 86_400} days, so a customer erased before that would get their responses back. ` +
    'Restore to a later point'
  );
}

type Verdict = 'system' | 'expired' | 'erased' | 'candidate';

export function makeRestoreResponses({ restored, live, erasures, dirty, clock, pause = sleep }: RestoreResponsesDeps) {
  const markMinute = (item: TableItem) => dirty.mark(String(item.surveyId), minuteKeyOf(String(item.receivedAt)), clock.now());

  /** step 4 for one item (a copy tagged as restored at `at`): what became of it; a dry run writes nothing */
  async function copyOne(item: TableItem, there: { restored: boolean } | undefined, { at, dryRun }: { at: Date; dryRun: boolean }): Promise<'alreadyPresent' | 'copied' | 'erased'> {
    if (there) {
      if (there.restored && !dryRun) await markMinute(item);
      return 'alreadyPresent';
    }
    if (dryRun) return 'copied';
    // stored meanwhile (a redelivery, an e-mail answer's new revision): the live one stays
    if (!(await live.copyIfAbsent(item, at))) return 'alreadyPresent';
    const erasedMeanwhile = typeof item.customerRef === 'string' && erasedBefore(String(item.receivedAt), (await erasures.erasedAt([item.customerRef])).get(item.customerRef));
    if (erasedMeanwhile) await live.removeErased(item.responseId);
    await markMinute(item);
    return erasedMeanwhile ? 'erased' : 'copied';
  }

  return async function restoreResponses({ restoredAt, dryRun }: { restoredAt: Date; dryRun: boolean }): Promise<RestoreOutcome> {
    // 1.
    const startedAt = clock.now();
    const refusal = restorePointRefusal(restoredAt, startedAt);
    if (refusal) return { refused: refusal };
    const counts: RestoreCounts = { read: 0, copied: 0, alreadyPresent: 0, expired: 0, erased: 0, system: 0 };
    let attempted = 0;

    for await (const page of restored.pages()) {
      const lateRefusal = restorePointRefusal(restoredAt, clock.now());
      if (lateRefusal) return { refused: `${lateRefusal} (the run stopped there, after copying ${counts.copied})` };
      counts.read += page.length;
      // 2.
      const refs = [...new Set(page.flatMap((item) => (typeof item.customerRef === 'string' ? [item.customerRef] : [])))];
      const erasedAt = refs.length > 0 ? await erasures.erasedAt(refs) : new Map<string, string>();
      const verdictOf = (item: TableItem): Verdict => {
        if (item.responseId.startsWith('#')) return 'system';
        // an item an erasure had begun on holds `erasingSurveyId` instead (dynamo-customer-data.ts, responsesHolder)
        if (item.erasingSurveyId !== undefined) return 'erased';
        if (typeof item.surveyId !== 'string' || typeof item.receivedAt !== 'string') return 'system';
        if (isExpired(item as { expiresAt?: number }, startedAt)) return 'expired';
        if (typeof item.customerRef === 'string' && erasedBefore(item.receivedAt, erasedAt.get(item.customerRef))) return 'erased';
        return 'candidate';
      };
      const candidates: TableItem[] = [];
      for (const item of page) {
        const verdict = verdictOf(item);
        if (verdict === 'candidate') candidates.push(item);
        else counts[verdict] += 1;
      }
      // 3.
      const held = candidates.length > 0 ? await live.holding(candidates.map((item) => item.responseId)) : new Map<string, { restored: boolean }>();
      // 4.
      for (const chunk of chunksOf(candidates, PARALLEL)) {
        if (!dryRun) {
          const due = startedAt.getTime() + (attempted / RESTORE_ITEMS_PER_SECOND) * 1000;
          const wait = due - clock.now().getTime();
          if (wait > 0) await pause(wait);
          attempted += chunk.length;
        }
        const outcomes = await Promise.all(chunk.map((item) => copyOne(item, held.get(item.responseId), { at: startedAt, dryRun })));
        for (const outcome of outcomes) counts[outcome] += 1;
      }
    }
    // 5.
    return { counts };
  };
}
