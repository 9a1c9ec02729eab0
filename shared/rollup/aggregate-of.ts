// domain: a bucket's aggregate from its stored responses, and the merge of aggregates. Pure.
import type { StoredResponse } from '../response/stored-response.js';
import type { Survey } from '../survey/schema.js';
import { histogramOf, mergeHistograms } from '../metrics/histogram-of.js';
import { emptyHistogram, type Histogram } from '../metrics/histogram.js';
import {
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
 * under OTHER_SEGMENT_VALUES, so an aggregate stays far below DynamoDB's 400 KB item limit whatever clients send.
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
  return { surveyId, period, start, total: histogramOf(distinct, survey), segments };
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

/** the aggregate of the union of disjoint buckets, labelled as `period`/`start` */
export function mergeAggregates(surveyId: string, period: RollupPeriod, start: string, parts: readonly BucketAggregate[]): BucketAggregate {
  const segments = emptySegments();
  let total = emptyHistogram();
  for (const part of parts) {
    total = mergeHistograms(total, part.total);
    for (const dimension of SEGMENT_DIMENSIONS) {
      for (const [value, histogram] of Object.entries(part.segments?.[dimension] ?? {})) {
        segments[dimension][value] = mergeHistograms(segments[dimension][value] ?? emptyHistogram(), histogram);
      }
    }
  }
  for (const dimension of SEGMENT_DIMENSIONS) segments[dimension] = capped(Object.entries(segments[dimension]));
  return { surveyId, period, start, total, segments };
}
