// domain support: the DynamoDB item of a bucket aggregate, as dynamo-aggregate-store writes and reads it (pure, so the
// rollup can measure an aggregate as stored before it writes it). Key (surveyId, "minute#2026-11-23T09:07" |
// "hour#2026-11-23T09" | "day#2026-11-23"), the histograms as one JSON string (a fraction of the size of nested
// DynamoDB maps, and read whole anyway). Minutes carry `expiresAt` (the table's TTL attribute); hours and days do not.
// `firstExpiry`, the earliest expiry of the responses counted, is a number attribute of its own (not a TTL).
import { itemBytesOf } from '../dynamo-item-size.js';
import type { BucketAggregate, RollupPeriod } from './bucket.js';

export interface AggregateItem {
  surveyId: string;
  bucket: string;
  histograms: string;
  fromMinutes?: true;
  expiresAt?: number;
  firstExpiry?: number;
}

export const bucketKey = (period: RollupPeriod, start: string) => `${period}#${start}`;

export function aggregateItemOf({ surveyId, period, start, total, segments, partial, fromMinutes, expiresAt, firstExpiry }: BucketAggregate): AggregateItem {
  const item: AggregateItem = { surveyId, bucket: bucketKey(period, start), histograms: JSON.stringify({ total, segments, ...(partial ? { partial } : {}) }) };
  if (fromMinutes) item.fromMinutes = fromMinutes;
  if (expiresAt !== undefined) item.expiresAt = expiresAt;
  if (firstExpiry !== undefined) item.firstExpiry = firstExpiry;
  return item;
}

export function aggregateOfItem(surveyId: string, period: RollupPeriod, item: AggregateItem): BucketAggregate {
  const { total, segments, partial } = JSON.parse(item.histograms) as Pick<BucketAggregate, 'total' | 'segments' | 'partial'>;
  return {
    surveyId,
    period,
    start: item.bucket.slice(period.length + 1),
    total,
    segments,
    ...(partial ? { partial } : {}),
    ...(item.fromMinutes ? { fromMinutes: true as const } : {}),
    ...(item.expiresAt !== undefined ? { expiresAt: item.expiresAt } : {}),
    ...(typeof item.firstExpiry === 'number' ? { firstExpiry: item.firstExpiry } : {}),
  };
}

/** the bytes the aggregate's item takes of DynamoDB's 400 KB item limit */
export const aggregateItemBytes = (aggregate: BucketAggregate): number => itemBytesOf({ ...aggregateItemOf(aggregate) });
