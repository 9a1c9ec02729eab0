// domain: rollup buckets. A survey's responses are summarised per UTC hour (the unit the rollup recomputes) and per
// UTC day (the merge of its hours, kept so that long ranges read days, not hours). Weeks, months and rolling windows
// are merges of days at read time.
import type { Histogram } from '../metrics/histogram.js';

export const SEGMENT_DIMENSIONS = ['channel', 'touchpoint', 'journeyStage', 'locale'] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];

/** the segment of responses that carry no value for a dimension (no touchpoint, no locale, …) */
export const NO_SEGMENT_VALUE = '(none)';
/** where a bucket's rarest values go once a dimension has MAX_SEGMENT_VALUES of them (keeps an item under 400 KB) */
export const OTHER_SEGMENT_VALUES = '(other)';
export const MAX_SEGMENT_VALUES = 100;

export type BucketPeriod = 'hour' | 'day';

export interface BucketAggregate {
  surveyId: string;
  period: BucketPeriod;
  /** the bucket's key: "2026-11-23T09" for an hour, "2026-11-23" for a day (UTC) */
  start: string;
  /** every distinct response of the bucket */
  total: Histogram;
  /** per dimension, per value, the histogram of the responses with that value */
  segments: Record<SegmentDimension, Record<string, Histogram>>;
}

/** "2026-11-23T09" for any instant in that UTC hour */
export const hourKeyOf = (instant: string | Date) => new Date(instant).toISOString().slice(0, 13);
/** "2026-11-23" for any instant, or hour key, in that UTC day */
export const dayKeyOf = (instantOrHour: string | Date) =>
  typeof instantOrHour === 'string' && /^\d{4}-\d{2}-\d{2}(T\d{2})?$/.test(instantOrHour)
    ? instantOrHour.slice(0, 10)
    : new Date(instantOrHour).toISOString().slice(0, 10);

/** the first instant of a bucket, and the first instant after it */
export function bucketBounds(period: BucketPeriod, start: string): { from: Date; until: Date } {
  const from = new Date(period === 'hour' ? `${start}:00:00.000Z` : `${start}T00:00:00.000Z`);
  const until = new Date(from.getTime() + (period === 'hour' ? 3_600_000 : 86_400_000));
  return { from, until };
}
