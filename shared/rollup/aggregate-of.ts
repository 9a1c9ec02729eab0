// domain: a bucket's aggregate from its stored responses, and the merge of aggregates. Pure.
import type { StoredResponse } from '../response/stored-response.js';
import type { Survey } from '../survey/schema.js';
import { histogramOf, mergeHistograms } from '../metrics/histogram-of.js';
import { emptyHistogram, type Histogram } from '../metrics/histogram.js';
import { aggregateItemBytes } from './aggregate-item.js';
import {
  MAX_AGGREGATE_ITEM_BYTES,
  MAX_SEGMENT_VALUES,
  NO_SEGMENT_VALUE,
  OTHER_SEGMENT_VALUES,
  SEGMENT_DIMENSIONS,
  type BucketAggregate,
  type RollupPeriod,
  type SegmentDimension,
} from './bucket.js';

type Segments = BucketAggregate['segments'];

const emptySegments = (): Segments => ({ channel: {}, touchpoint: {}, journeyStage: {}, locale: {} });

const segmentValueOf = (response: StoredResponse, dimension: SegmentDimension): string => {
  const value = response[dimension];
  return typeof value === 'string' && value !== '' ? (dimension === 'locale' ? value.toLowerCase() : value) : NO_SEGMENT_VALUE;
};

/**
 * The aggregate of one bucket: the histogram of its distinct responses, and per dimension the histogram of each
 * value's responses. A dimension with more than MAX_SEGMENT_VALUES values keeps its largest ones and sums the rest
 * under OTHER_SEGMENT_VALUES; then, if the item would still pass MAX_AGGREGATE_ITEM_BYTES, the smallest values of any
 * dimension are summed there too (fittedToItem), so the item fits DynamoDB's 400 KB whatever clients send.
 */
export function aggregateOf(surveyId: string, period: RollupPeriod, start: string, responses: readonly StoredResponse[], survey: Survey): BucketAggregate {
  const distinct = [...new Map(responses.map((r) => [r.id, r])).values()];
  const segments = emptySegments();
  for (const dimension of SEGMENT_DIMENSIONS) {
    // (Map.groupBy is Node 21+)
    const byValue = new Map<string, StoredResponse[]>();
    for (const response of distinct) {
      const value = segmentValueOf(response, dimension);
      const members = byValue.get(value);
      if (members) members.push(response);
      else byValue.set(value, [response]);
    }
    const histograms = [...byValue].map(([value, members]) => [value, histogramOf(members, survey)] as const);
    segments[dimension] = capped(histograms);
  }
  const firstExpiry = distinct.reduce<number | undefined>((first, r) => (first === undefined || r.expiresAt < first ? r.expiresAt : first), undefined);
  return fittedToItem({ surveyId, period, start, total: histogramOf(distinct, survey), segments, ...(firstExpiry === undefined ? {} : { firstExpiry }) });
}

/** the MAX_SEGMENT_VALUES − 1 largest values, and the rest summed with any (other) of merged parts under (other) */
function capped(histograms: (readonly [string, Histogram])[]): Record<string, Histogram> {
  if (histograms.length <= MAX_SEGMENT_VALUES) return Object.fromEntries(histograms);
  const bySize = histograms.filter(([value]) => value !== OTHER_SEGMENT_VALUES).sort(([a, x], [b, y]) => y.responses - x.responses || a.localeCompare(b));
  const kept = bySize.slice(0, MAX_SEGMENT_VALUES - 1);
  const folded = [...bySize.slice(MAX_SEGMENT_VALUES - 1), ...histograms.filter(([value]) => value === OTHER_SEGMENT_VALUES)];
  const other = folded.reduce((sum, [, h]) => mergeHistograms(sum, h), emptyHistogram());
  return Object.fromEntries([...kept, [OTHER_SEGMENT_VALUES, other]]);
}

/**
 * The aggregate of the union of disjoint buckets, labelled as `period`/`start`, capped and fitted as aggregateOf's.
 * `partial` names the dimensions in which a part had folded values (its values may be short here); `firstExpiry` is
 * the earliest of the parts'.
 */
export function mergeAggregates(surveyId: string, period: RollupPeriod, start: string, parts: readonly BucketAggregate[]): BucketAggregate {
  const segments = emptySegments();
  const partial = new Set<SegmentDimension>();
  let total = emptyHistogram();
  for (const part of parts) {
    total = mergeHistograms(total, part.total);
    for (const dimension of SEGMENT_DIMENSIONS) {
      const values = part.segments?.[dimension] ?? {};
      if (Object.hasOwn(values, OTHER_SEGMENT_VALUES)) partial.add(dimension);
      for (const [value, histogram] of Object.entries(values)) {
        segments[dimension][value] = mergeHistograms(segments[dimension][value] ?? emptyHistogram(), histogram);
      }
    }
  }
  for (const dimension of SEGMENT_DIMENSIONS) segments[dimension] = capped(Object.entries(segments[dimension]));
  const firstExpiry = firstExpiryOf(parts);
  return fittedToItem({ surveyId, period, start, total, segments, partial: SEGMENT_DIMENSIONS.filter((d) => partial.has(d)), ...(firstExpiry === undefined ? {} : { firstExpiry }) });
}

/** the earliest firstExpiry of the parts that count responses; unknown (undefined) if one of them does not say */
function firstExpiryOf(parts: readonly BucketAggregate[]): number | undefined {
  let first: number | undefined;
  for (const part of parts) {
    if (!(part.total.responses > 0)) continue;
    if (part.firstExpiry === undefined) return undefined;
    if (first === undefined || part.firstExpiry < first) first = part.firstExpiry;
  }
  return first;
}

/**
 * `aggregate` with its smallest segment values summed under OTHER_SEGMENT_VALUES, one at a time, until its item fits
 * MAX_AGGREGATE_ITEM_BYTES (itself if it does). Smallest: fewest responses, then the largest in bytes, then by
 * dimension (SEGMENT_DIMENSIONS' order) and value (code units): a total order on the aggregate's contents, so the same
 * aggregate folds the same way in every run and whatever order its parts were merged in. A value folds whole, so the
 * totals and each dimension's sum of responses stay exact. The survey schema bounds what is left when everything has
 * folded (every dimension one "(other)": 5 histograms of at most 30 questions, 28 KB with counts up to 10⁸).
 */
export function fittedToItem(aggregate: BucketAggregate): BucketAggregate {
  let bytes = aggregateItemBytes(aggregate);
  if (bytes <= MAX_AGGREGATE_ITEM_BYTES) return aggregate;
  const segments = Object.fromEntries(SEGMENT_DIMENSIONS.map((d) => [d, { ...aggregate.segments[d] }])) as Segments;
  const candidates = SEGMENT_DIMENSIONS.flatMap((dimension, order) =>
    Object.entries(segments[dimension])
      .filter(([value]) => value !== OTHER_SEGMENT_VALUES)
      .map(([value, histogram]) => ({ dimension, order, value, histogram, bytes: entryBytes(value, histogram) })),
  ).sort((a, b) => a.histogram.responses - b.histogram.responses || b.bytes - a.bytes || a.order - b.order || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  for (const candidate of candidates) {
    if (bytes <= MAX_AGGREGATE_ITEM_BYTES) break;
    const values = segments[candidate.dimension];
    const before = values[OTHER_SEGMENT_VALUES];
    const after = mergeHistograms(before ?? emptyHistogram(), candidate.histogram);
    delete values[candidate.value];
    values[OTHER_SEGMENT_VALUES] = after;
    // the value's entry leaves the JSON object; "(other)"'s entry replaces it, or grows and the value's comma goes
    bytes += entryBytes(OTHER_SEGMENT_VALUES, after) - candidate.bytes - (before ? entryBytes(OTHER_SEGMENT_VALUES, before) + 1 : 0);
  }
  return { ...aggregate, segments };
}

/** the UTF-8 bytes of `"value":histogram` in the item's JSON */
const entryBytes = (value: string, histogram: Histogram) => Buffer.byteLength(JSON.stringify(value)) + 1 + Buffer.byteLength(JSON.stringify(histogram));
