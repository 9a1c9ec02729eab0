// use case: bring the aggregates up to date (every minute). Exact under at-least-once delivery and crashes without
// transactions (ARCHITECTURE.md): nothing is ever incremented, every aggregate is recomputed from stored items.
// The process step marks the (survey, minute) of each stored response. For each dirty minute, grouped by hour:
//   1. recompute the minute's aggregate from its stored responses (a redelivered response is one stored item)
//   2. recompute the hour's aggregate as the merge of its minute aggregates
//   3. recompute the day's aggregate as the merge of its hour aggregates
//   4. clear the mark, only if nobody re-marked it meanwhile
// A crash between any two steps leaves the mark, and the next run recomputes the same buckets from the same data.
// Cost follows new responses: a minute's responses are read when it is rolled up, and again only if a response
// (late, redelivered, rescored or erased) re-marks it. A mark is due once it has settled (settleSeconds without a new
// mark); a minute that keeps receiving responses keeps being re-marked, so a busy minute is read once, after it ends.
// Migration: an hour aggregate written by the older rollup (from its responses, without minute aggregates) and an
// hour-format mark (written by the older process step) both make the rollup rebuild all that hour's minutes from
// one read of the hour; the hour is then marked `fromMinutes` and merged from its minutes from then on.
// Retention: aggregates hold anonymous counts and keep counting responses after they expire, so trends stay stable.
// An hour whose responses may have started to expire (its start is older than the survey's retentionDays, or a
// response it counts has expired: its `firstExpiry`, which a retention raised since they were received puts before
// that point) is never recomputed (that would forget them): its marks are cleared and its aggregates kept. Minute
// aggregates expire (TTL) a day after the later of that point and the first expiry of the responses they count (a
// retention lowered since they came, then raised, makes their hour recomputable until then); they outlive the
// responses they count.
import type { Clock } from '../clock.js';
import type { ResponseStore, StoredResponse } from '../response/stored-response.js';
import type { Survey } from '../survey/schema.js';
import type { SurveyStore } from '../survey/survey-store.js';
import type { AggregateStore } from './aggregate-store.js';
import { aggregateOf, mergeAggregates } from './aggregate-of.js';
import { bucketBounds, dayKeyOf, hourKeyOf, hourRecomputedUntil, minuteKeyOf, periodOfKey, type BucketAggregate } from './bucket.js';
import type { DirtyBucket, DirtyBuckets } from './dirty-buckets.js';

export interface RollUpDeps {
  responses: ResponseStore;
  aggregates: AggregateStore;
  dirty: DirtyBuckets;
  surveys: SurveyStore;
  clock: Clock;
  /**
   * Marks younger than this are left for the next run: the survey index (a GSI) is eventually consistent, so a
   * response just stored may not be readable through it yet. 0 where indexes are synchronous (dynalite).
   */
  settleSeconds: number;
  /** dirty marks taken per run; the rest wait for the next run */
  maxBucketsPerRun?: number;
}

export interface RollUpResult {
  /** surveys with at least one recomputed bucket (for drop alerts) */
  surveys: string[];
  /** minute aggregates recomputed from their responses */
  minutesRecomputed: number;
  hoursRecomputed: number;
  /** hours rebuilt whole from one read of their responses (old-format marks, hours of the older rollup) */
  hoursRebuilt?: number;
  /** dirty hours past the survey's retention, kept as they were (see the header) */
  hoursKept?: number;
  daysRecomputed: number;
  /** marks removed; a mark re-set during the run stays for the next one */
  cleared: number;
  /** marks left for the next run: too young, re-marked meanwhile, or beyond this run's share */
  left: number;
  /** DynamoDB items read: dirty marks, responses, aggregates (an hour's own, its minutes, a day's hours) */
  itemsRead: { marks: number; responses: number; aggregates: number };
  /** surveys whose rollup failed this run; their buckets stay dirty */
  failed: { surveyId: string; error: unknown }[];
}

const RESPONSES_PAGE = 1000;
const DAY_SECONDS = 86_400;

/** the marked hour of a mark: its own key for an hour-format mark, else its minute's hour; undefined if neither */
const hourOfMark = (mark: DirtyBucket): string | undefined => {
  const period = periodOfKey(mark.bucket);
  return period === 'hour' ? mark.bucket : period === 'minute' ? hourKeyOf(mark.bucket) : undefined;
};

/** whether a response the aggregate counts has expired (isExpired's test): a recomputation would no longer read it */
const countsExpired = (aggregate: BucketAggregate | undefined, now: Date): boolean =>
  aggregate?.firstExpiry !== undefined && aggregate.firstExpiry <= Math.floor(now.getTime() / 1000);

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string | undefined, T[]> {
  // (Map.groupBy is Node 21+)
  const groups = new Map<string | undefined, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const members = groups.get(key);
    if (members) members.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

export function makeRollUp({ responses, aggregates, dirty, surveys, clock, settleSeconds, maxBucketsPerRun = 2000 }: RollUpDeps) {
  async function responsesIn(survey: Survey, bounds: { from: Date; until: Date }, now: Date): Promise<StoredResponse[]> {
    const found: StoredResponse[] = [];
    let cursor: string | undefined;
    do {
      const page = await responses.listBySurvey({
        surveyId: survey.id,
        from: bounds.from.toISOString(),
        to: new Date(bounds.until.getTime() - 1).toISOString(),
        limit: RESPONSES_PAGE,
        cursor,
        now,
      });
      found.push(...page.items);
      cursor = page.cursor ?? undefined;
    } while (cursor);
    return found;
  }

  return async function rollUp(): Promise<RollUpResult> {
    const now = clock.now();
    const marks = await dirty.list(maxBucketsPerRun);
    const settledBefore = now.getTime() - settleSeconds * 1000;
    const due = marks.filter((mark) => Date.parse(mark.markedAt) <= settledBefore);
    const result: RollUpResult = {
      surveys: [],
      minutesRecomputed: 0,
      hoursRecomputed: 0,
      daysRecomputed: 0,
      cleared: 0,
      left: marks.length - due.length,
      itemsRead: { marks: marks.length, responses: 0, aggregates: 0 },
      failed: [],
    };

    /** steps 1 and 2 for one hour (`current`: its stored aggregate): its minute aggregates, each recomputed from its responses, merged */
    async function rollUpHour(survey: Survey, hour: string, hourMarks: DirtyBucket[], current: BucketAggregate | undefined): Promise<void> {
      const retainedUntil = Math.floor(bucketBounds('hour', hour).from.getTime() / 1000) + (survey.retentionDays + 1) * DAY_SECONDS;
      // a minute also outlives the first expiry of what it counts: a retention lowered since, then raised, makes its
      // hour recomputable until then
      const minuteOf = (minute: string, members: readonly StoredResponse[]): BucketAggregate => {
        const aggregate = aggregateOf(survey.id, 'minute', minute, members, survey);
        return { ...aggregate, expiresAt: Math.max(retainedUntil, (aggregate.firstExpiry ?? 0) + DAY_SECONDS) };
      };

      let minutes: BucketAggregate[];
      const rebuild = hourMarks.some((mark) => periodOfKey(mark.bucket) === 'hour') || (current !== undefined && !current.fromMinutes);
      if (rebuild) {
        // every minute of the hour from one read; minutes that lost all their responses are rewritten empty
        const stored = await responsesIn(survey, bucketBounds('hour', hour), now);
        result.itemsRead.responses += stored.length;
        const byMinute = groupBy(stored, (response) => minuteKeyOf(response.receivedAt));
        const previous = await aggregates.list(survey.id, 'minute', `${hour}:00`, `${hour}:59`);
        result.itemsRead.aggregates += previous.length;
        for (const { start } of previous) if (!byMinute.has(start)) byMinute.set(start, []);
        minutes = [...byMinute].flatMap(([minute, members]) => (minute === undefined ? [] : [minuteOf(minute, members)]));
        await Promise.all(minutes.map((minute) => aggregates.put(minute)));
        result.minutesRecomputed += minutes.length;
        result.hoursRebuilt = (result.hoursRebuilt ?? 0) + 1;
      } else {
        // the hour's dirty minutes side by side (at most 60): a run's time follows the round trips, not only the reads
        await Promise.all(
          [...new Set(hourMarks.map((mark) => mark.bucket))].map(async (minute) => {
            const stored = await responsesIn(survey, bucketBounds('minute', minute), now);
            result.itemsRead.responses += stored.length;
            await aggregates.put(minuteOf(minute, stored));
            result.minutesRecomputed += 1;
          }),
        );
        minutes = await aggregates.list(survey.id, 'minute', `${hour}:00`, `${hour}:59`);
        result.itemsRead.aggregates += minutes.length;
      }
      await aggregates.put({ ...mergeAggregates(survey.id, 'hour', hour, minutes), fromMinutes: true });
      result.hoursRecomputed += 1;
    }

    for (const [surveyId, surveyMarks] of groupBy(due, (mark) => mark.surveyId)) {
      if (surveyId === undefined) continue;
      try {
        const survey = await surveys.get(surveyId);
        if (survey) {
          // 1 and 2. minutes and their hours (a mark of neither format has nothing to recompute)
          const recomputedHours: string[] = [];
          for (const [hour, hourMarks] of groupBy(surveyMarks, hourOfMark)) {
            if (hour === undefined) continue;
            const pastRetention = hourRecomputedUntil(bucketBounds('hour', hour).from, survey.retentionDays).getTime() <= now.getTime();
            const [current] = pastRetention ? [] : await aggregates.list(survey.id, 'hour', hour, hour);
            result.itemsRead.aggregates += current ? 1 : 0;
            if (pastRetention || countsExpired(current, now)) {
              result.hoursKept = (result.hoursKept ?? 0) + 1;
              continue;
            }
            await rollUpHour(survey, hour, hourMarks, current);
            recomputedHours.push(hour);
          }
          // 3. days, from their hours
          for (const day of new Set(recomputedHours.map((hour) => dayKeyOf(hour)))) {
            const hours = await aggregates.list(surveyId, 'hour', `${day}T00`, `${day}T23`);
            result.itemsRead.aggregates += hours.length;
            await aggregates.put(mergeAggregates(surveyId, 'day', day, hours));
            result.daysRecomputed += 1;
          }
          result.surveys.push(surveyId);
        }
        // 4. marks (a survey that no longer exists has nothing to aggregate against: its marks are dropped)
        for (const mark of surveyMarks) {
          if (await dirty.clear(mark)) result.cleared += 1;
          else result.left += 1;
        }
      } catch (error) {
        // this survey's marks stay for the next run; the other surveys still roll up
        result.left += surveyMarks.length;
        result.failed.push({ surveyId, error });
      }
    }
    return result;
  };
}
