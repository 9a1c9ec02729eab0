// domain: rollup buckets. A survey's responses are summarised per UTC minute (the unit the rollup recomputes from
// stored responses, so a busy hour is read once, a minute at a time), per UTC hour (the merge of its minutes) and per
// UTC day (the merge of its hours, kept so that long ranges read days, not hours). Metrics read hours and days; weeks,
// months and rolling windows are merges of days at read time.
import type { Histogram } from '../metrics/histogram.js';

export const SEGMENT_DIMENSIONS = ['channel', 'touchpoint', 'journeyStage', 'locale'] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];

/** the segment of responses that carry no value for a dimension (no touchpoint, no locale, …) */
export const NO_SEGMENT_VALUE = '(none)';
/** where a bucket's rarest values go once a dimension has MAX_SEGMENT_VALUES of them, or its item passes MAX_AGGREGATE_ITEM_BYTES */
export const OTHER_SEGMENT_VALUES = '(other)';
export const MAX_SEGMENT_VALUES = 100;
/**
 * A bucket's item at most, as DynamoDB counts it (dynamo-item-size.ts); past it, the smallest segment values are folded
 * into OTHER_SEGMENT_VALUES (aggregate-of.ts). 100 values per dimension do not bound the item: each value is a
 * histogram of every question (30 questions with 40-character ids: 3 KB), so 100 touchpoints and 100 locales of one
 * minute take 658 KB, past DynamoDB's 400 KB. 300 KB leaves 100 KB of DynamoDB's limit unused: the attributes added
 * after the fold (fromMinutes, expiresAt: under 40 bytes) and any future one fit in it, and a Query page (1 MB) still
 * holds three items. Every write folds, after a merge too, so a merge needs no room of its own.
 */
export const MAX_AGGREGATE_ITEM_BYTES = 300 * 1024;

/** the periods metrics are read from */
export type BucketPeriod = 'hour' | 'day';
/** the periods the rollup writes: minutes are its working parts, read by nothing else */
export type RollupPeriod = 'minute' | BucketPeriod;

export interface BucketAggregate {
  surveyId: string;
  period: RollupPeriod;
  /** the bucket's key: "2026-11-23T09:07" for a minute, "2026-11-23T09" for an hour, "2026-11-23" for a day (UTC) */
  start: string;
  /**
   * on an hour: it is the merge of all its minute aggregates (written after them). An hour without it was computed
   * from its responses by an older rollup and has no minute aggregates yet, so it is rebuilt whole, not merged.
   */
  fromMinutes?: true;
  /** on a minute: when DynamoDB TTL may delete it (epoch seconds), once its hour can no longer be recomputed */
  expiresAt?: number;
  /**
   * on a merge (an hour of minutes, a day of hours): the dimensions in which a merged part had folded values into
   * OTHER_SEGMENT_VALUES, so that a value this aggregate lists may still have responses in its OTHER_SEGMENT_VALUES.
   * Absent on an aggregate computed from responses (each value it lists is whole) and on merges stored before it.
   */
  partial?: SegmentDimension[];
  /**
   * the earliest `expiresAt` (epoch seconds) of the responses it counts: once that has passed, a recomputation would
   * forget a response it counts (roll-up.ts, Retention). Absent when it counts none, and on a merge of a part that
   * counts responses without saying (an aggregate stored before it)
   */
  firstExpiry?: number;
  /** every distinct response of the bucket */
  total: Histogram;
  /** per dimension, per value, the histogram of the responses with that value */
  segments: Record<SegmentDimension, Record<string, Histogram>>;
}

const MINUTE_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const HOUR_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}$/;

/** "2026-11-23T09:07" for any instant in that UTC minute */
export const minuteKeyOf = (instant: string | Date) => new Date(instant).toISOString().slice(0, 16);
/** "2026-11-23T09" for any instant, or minute key, in that UTC hour */
export const hourKeyOf = (instantOrMinute: string | Date) =>
  typeof instantOrMinute === 'string' && MINUTE_KEY.test(instantOrMinute) ? instantOrMinute.slice(0, 13) : new Date(instantOrMinute).toISOString().slice(0, 13);
/** "2026-11-23" for any instant, or minute or hour key, in that UTC day */
export const dayKeyOf = (instantOrKey: string | Date) =>
  typeof instantOrKey === 'string' && /^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2})?)?$/.test(instantOrKey)
    ? instantOrKey.slice(0, 10)
    : new Date(instantOrKey).toISOString().slice(0, 10);

/** the period of a bucket key: "2026-11-23T09:07" is a minute, "2026-11-23T09" an hour, else a day */
export const periodOfKey = (key: string): RollupPeriod => (MINUTE_KEY.test(key) ? 'minute' : HOUR_KEY.test(key) ? 'hour' : 'day');

const PERIOD_MS: Record<RollupPeriod, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** the first instant of a bucket, and the first instant after it */
export function bucketBounds(period: RollupPeriod, start: string): { from: Date; until: Date } {
  const from = new Date(period === 'day' ? `${start}T00:00:00.000Z` : period === 'hour' ? `${start}:00:00.000Z` : `${start}:00.000Z`);
  return { from, until: new Date(from.getTime() + PERIOD_MS[period]) };
}

/**
 * The instant from which the rollup no longer recomputes the hour holding `instant`: the hour's start + the survey's
 * retentionDays, when its responses may have started to expire (roll-up.ts, Retention). A response stored in that hour
 * afterwards is never counted, and one that replaces another leaves the replaced one counted. (The rollup also stops
 * earlier for an hour one of whose responses has expired, its aggregate's `firstExpiry`, which a retention raised
 * since puts before this instant: roll-up.ts.)
 */
export const hourRecomputedUntil = (instant: string | Date, retentionDays: number): Date =>
  new Date(bucketBounds('hour', hourKeyOf(instant)).from.getTime() + retentionDays * PERIOD_MS.day);
