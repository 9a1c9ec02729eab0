// use case: bring the aggregates up to date (every minute). Exact under at-least-once delivery and crashes without
// transactions (ARCHITECTURE.md): nothing is ever incremented. For each dirty (survey, hour):
//   1. recompute the hour's aggregate from its stored responses (a redelivered response is one stored item)
//   2. recompute the day's aggregate from its hour aggregates
//   3. clear the mark, only if nobody re-marked it meanwhile
// A crash between any two steps leaves the mark, and the next run recomputes the same buckets from the same data.
// Retention: aggregates hold anonymous counts and keep counting responses after they expire, so trends stay stable.
// An hour whose responses may have started to expire (its start is older than the survey's retentionDays) is never
// recomputed (that would forget them): its mark is cleared and its aggregate kept.
// Cost grows with the number of dirty hours and their responses, never with the stored history.
import type { Clock } from '../clock.js';
import type { ResponseStore, StoredResponse } from '../response/stored-response.js';
import type { Survey } from '../survey/schema.js';
import type { SurveyStore } from '../survey/survey-store.js';
import type { AggregateStore } from './aggregate-store.js';
import { aggregateOf, mergeAggregates } from './aggregate-of.js';
import { bucketBounds, dayKeyOf } from './bucket.js';
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
  /** dirty hours taken per run; the rest wait for the next run */
  maxBucketsPerRun?: number;
}

export interface RollUpResult {
  /** surveys with at least one recomputed bucket (for drop alerts) */
  surveys: string[];
  hoursRecomputed: number;
  /** dirty hours past the survey's retention, kept as they were (see the header) */
  hoursKept?: number;
  daysRecomputed: number;
  /** marks removed; a mark re-set during the run stays for the next one */
  cleared: number;
  /** marks left for the next run: too young, re-marked meanwhile, or beyond this run's share */
  left: number;
  /** DynamoDB items read: dirty marks, responses, hour aggregates */
  itemsRead: { marks: number; responses: number; aggregates: number };
  /** surveys whose rollup failed this run; their buckets stay dirty */
  failed: { surveyId: string; error: unknown }[];
}

const RESPONSES_PAGE = 1000;

export function makeRollUp({ responses, aggregates, dirty, surveys, clock, settleSeconds, maxBucketsPerRun = 2000 }: RollUpDeps) {
  async function hourResponses(survey: Survey, hour: string, now: Date): Promise<StoredResponse[]> {
    const { from, until } = bucketBounds('hour', hour);
    const found: StoredResponse[] = [];
    let cursor: string | undefined;
    do {
      const page = await responses.listBySurvey({
        surveyId: survey.id,
        from: from.toISOString(),
        to: new Date(until.getTime() - 1).toISOString(),
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
      hoursRecomputed: 0,
      daysRecomputed: 0,
      cleared: 0,
      left: marks.length - due.length,
      itemsRead: { marks: marks.length, responses: 0, aggregates: 0 },
      failed: [],
    };

    const bySurvey = new Map<string, DirtyBucket[]>();
    for (const mark of due) {
      const list = bySurvey.get(mark.surveyId);
      if (list) list.push(mark);
      else bySurvey.set(mark.surveyId, [mark]);
    }
    for (const [surveyId, surveyMarks] of bySurvey) {
      try {
        const survey = await surveys.get(surveyId);
        if (survey) {
          // 1. hours
          for (const hour of new Set(surveyMarks.map((mark) => mark.hour))) {
            if (bucketBounds('hour', hour).from.getTime() + survey.retentionDays * 86_400_000 <= now.getTime()) {
              result.hoursKept = (result.hoursKept ?? 0) + 1;
              continue;
            }
            const stored = await hourResponses(survey, hour, now);
            result.itemsRead.responses += stored.length;
            await aggregates.put(aggregateOf(surveyId, 'hour', hour, stored, survey));
            result.hoursRecomputed += 1;
          }
          // 2. days, from their hours
          for (const day of new Set(surveyMarks.map((mark) => dayKeyOf(mark.hour)))) {
            const hours = await aggregates.list(surveyId, 'hour', `${day}T00`, `${day}T23`);
            result.itemsRead.aggregates += hours.length;
            await aggregates.put(mergeAggregates(surveyId, 'day', day, hours));
            result.daysRecomputed += 1;
          }
          result.surveys.push(surveyId);
        }
        // 3. marks (a survey that no longer exists has nothing to aggregate against: its marks are dropped)
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
