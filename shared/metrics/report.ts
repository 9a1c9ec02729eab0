// domain: a survey's metrics report over a range, built from rollup aggregates (adapter → use case report-metrics →
// here). Pure: which aggregates to read (`readsFor`), and the report from what was read (`buildMetricsReport`).
//
// - series: one point per interval of the range (widened to whole intervals), each compared with the interval before
//   it; the first with the interval just before `from`. An interval without responses is a point with responses 0
//   and null metrics: a gap is shown, not hidden.
// - totals: the whole range, compared with the range of the same number of intervals just before it (for months,
//   the same number of calendar months).
// - groups (groupBy): the same per segment value present in the range, most responses first; past MAX_GROUPS the
//   smallest are merged under "(other)" (as the rollup does past its own cap), which is always listed last. A group
//   is marked `approximate` (with the reason) when a bucket it was read from folded values into "(other)" (past
//   MAX_SEGMENT_VALUES, or to fit MAX_AGGREGATE_ITEM_BYTES) and so may hold some of its responses there; every other
//   group is exact.
// - rolling: the 7, 30 and 90 UTC days ending with the day that holds the range's last instant, each compared with
//   the window of the same length just before it.
// Every aggregate is merged once into the interval (or rolling chunk) that holds it; longer spans merge those sums:
// the 180 days of rolling 90 + its previous 90 are six chunk merges, not 254 merges of days.
import { answerBytesOf } from '../answer-size.js';
import type { ErrorDetail } from '../errors.js';
import type { BucketAggregate, BucketPeriod, SegmentDimension } from '../rollup/bucket.js';
import { bucketBounds, dayKeyOf, hourKeyOf, MAX_AGGREGATE_ITEM_BYTES, MAX_SEGMENT_VALUES, OTHER_SEGMENT_VALUES } from '../rollup/bucket.js';
import type { Survey } from '../survey/schema.js';
import { emptyHistogram, type Histogram } from './histogram.js';
import { mergeHistograms } from './histogram-of.js';
import { metricsOf, trendsOf, type Metrics, type Trends } from './indices.js';
import type { MetricsQuery } from './metrics-query.js';
import { MAX_GROUPS, MAX_REPORT_BYTES, maxReportIntervals, reportIntervals } from './range-limits.js';
import { binOf, boundariesOf, DAY_MS, HOUR_MS, isoInstant, shiftInterval, type Interval } from './report-intervals.js';

export const ROLLING_WINDOWS = { days7: 7, days30: 30, days90: 90 } as const;
export type RollingWindowName = keyof typeof ROLLING_WINDOWS;

export interface Span {
  /** inclusive, "2026-11-23T00:00:00Z" */
  from: string;
  /** exclusive */
  to: string;
}

export interface SeriesPoint {
  /** inclusive */
  start: string;
  /** exclusive */
  end: string;
  metrics: Metrics;
  /** vs the interval before this one */
  trend: Trends;
}

export interface Totals {
  metrics: Metrics;
  trend: Trends;
  /** the span `trend` compares with */
  comparedWith: Span;
}

export interface Group {
  /** the segment value; "(none)" for responses without one, "(other)" for values past the rollup's cap */
  key: string;
  /**
   * false: the group's figures are exact. true: some buckets of the range (or of the period it is compared with) had
   * more values of the dimension than the rollup keeps per bucket, and may count some of this group's responses under
   * "(other)" instead; `reason` says how many
   */
  approximate: boolean;
  /** only when approximate */
  reason?: string;
  totals: Totals;
  series: SeriesPoint[];
}

export interface RollingWindow extends Span, Totals {}

export interface MetricsReport {
  surveyId: string;
  /** the range widened to whole intervals: from inclusive */
  from: string;
  /** exclusive */
  to: string;
  interval: Interval;
  groupBy: SegmentDimension | null;
  timeZone: 'UTC';
  /** the survey's CSI dimensions (rating questions) in survey order, answered or not */
  csiDimensions: { questionId: string; dimension: string; weight: number }[];
  totals: Totals;
  series: SeriesPoint[];
  /** only with groupBy */
  groups?: Group[];
  rolling: Record<RollingWindowName, RollingWindow>;
  /** bucket aggregates read to build this report */
  aggregatesRead: Record<BucketPeriod, number>;
}

/** one AggregateStore.list call: bucket keys from ≤ start ≤ to */
export interface AggregateRead {
  period: BucketPeriod;
  from: string;
  to: string;
}

interface Layout {
  /** the bucket period the series is built from */
  period: BucketPeriod;
  /** 2n + 1 boundaries: the n previous intervals, then the n intervals of the range */
  boundaries: number[];
  n: number;
  /** ascending boundaries of the rolling chunks (days back from the end: 180, 90, 60, 30, 14, 7, 0) */
  rolling: number[];
}

function layoutOf({ from, to, interval }: MetricsQuery): Layout {
  const current = boundariesOf(interval, from, to);
  const n = current.length - 1;
  const previous = Array.from({ length: n }, (_, i) => shiftInterval(interval, current[0]!, i - n));
  const rollingEnd = boundariesOf('day', to - 1, to).at(-1)!;
  const offsets = new Set([0, ...Object.values(ROLLING_WINDOWS).flatMap((days) => [days, 2 * days])]);
  const rolling = [...offsets].sort((a, b) => b - a).map((days) => rollingEnd - days * DAY_MS);
  return { period: interval === 'hour' ? 'hour' : 'day', boundaries: [...previous, ...current], n, rolling };
}

const keyOf = (period: BucketPeriod, instant: number) => (period === 'hour' ? hourKeyOf(new Date(instant)) : dayKeyOf(new Date(instant)));

/**
 * The buckets a report needs: the series' 2n intervals, and the 180 days of the rolling windows. With daily series the
 * two spans overlap (both end with the range's last day), so they are one read.
 */
export function readsFor(query: MetricsQuery): AggregateRead[] {
  const { period, boundaries, rolling } = layoutOf(query);
  const read = (p: BucketPeriod, from: number, to: number): AggregateRead => ({
    period: p,
    from: keyOf(p, from),
    to: keyOf(p, to - (p === 'hour' ? HOUR_MS : DAY_MS)),
  });
  const [seriesFrom, seriesTo, rollingFrom, rollingTo] = [boundaries[0]!, boundaries.at(-1)!, rolling[0]!, rolling.at(-1)!];
  if (period === 'hour') return [read('hour', seriesFrom, seriesTo), read('day', rollingFrom, rollingTo)];
  return [read('day', Math.min(seriesFrom, rollingFrom), Math.max(seriesTo, rollingTo))];
}

/**
 * Why the report of `query` would not fit one answer (MAX_REPORT_BYTES), estimated before anything is read from the
 * survey's point size (range-limits.ts, which the CX console reads too). Undefined when it fits.
 * (The follow-up block GET …/metrics adds is measured with the report once both are built: answeredReportProblem.)
 */
export function reportSizeProblem(survey: Survey, query: MetricsQuery): ErrorDetail | undefined {
  const points = reportIntervals(query.interval, query.from, query.to);
  const maxPoints = maxReportIntervals(survey, query.groupBy !== null);
  if (points <= maxPoints) return undefined;
  const fixes = query.groupBy ? 'narrow the range, use a coarser interval, or drop groupBy' : 'narrow the range or use a coarser interval';
  const scope = query.groupBy ? `grouped by ${query.groupBy} (up to ${MAX_GROUPS} groups)` : 'ungrouped';
  return {
    path: query.groupBy ? 'groupBy' : 'from',
    reason: `too many points: ${scope}, a report of this survey holds at most ${maxPoints} intervals (${MAX_REPORT_BYTES / 1e6} MB); this range has ${points} ${query.interval} intervals: ${fixes}`,
  };
}

/**
 * Why a report as it would be answered (with the follow-up block beside it, which grows with the survey's root causes
 * and its tasks' assignees) does not fit one answer after all: a 400 rather than the 500 an answer past Lambda's quota
 * becomes. Undefined when it fits.
 */
export function answeredReportProblem(answeredJson: string): ErrorDetail | undefined {
  const bytes = answerBytesOf(answeredJson);
  if (bytes <= MAX_REPORT_BYTES) return undefined;
  return {
    path: 'from',
    reason: `too many points: with its follow-up breakdown this report takes ${(bytes / 1e6).toFixed(1)} MB, more than one answer holds (${MAX_REPORT_BYTES / 1e6} MB): narrow the range or use a coarser interval`,
  };
}

/** the report of `query` from the aggregates read as `readsFor` asked (extra or missing buckets are tolerated) */
export function buildMetricsReport(survey: Survey, query: MetricsQuery, aggregates: Record<BucketPeriod, readonly BucketAggregate[]>): MetricsReport {
  const layout = layoutOf(query);
  const { boundaries, n } = layout;
  const series = binned(aggregates[layout.period], layout.period, boundaries, query.groupBy);
  const report: MetricsReport = {
    surveyId: survey.id,
    from: isoInstant(boundaries[n]!),
    to: isoInstant(boundaries[2 * n]!),
    interval: query.interval,
    groupBy: query.groupBy,
    timeZone: 'UTC',
    csiDimensions: survey.questions.flatMap((q) => (q.type === 'rating' ? [{ questionId: q.id, dimension: q.dimension, weight: q.weight }] : [])),
    ...seriesAndTotals(series.total, boundaries, n, survey),
    rolling: rollingWindows(binned(aggregates.day, 'day', layout.rolling, null).total, layout.rolling, survey),
    aggregatesRead: { hour: aggregates.hour.length, day: aggregates.day.length },
  };
  if (query.groupBy) {
    const dimension = query.groupBy;
    report.groups = capped(series.byValue, n).map(([key, bins]) => ({
      key,
      ...approximation(key, series.folded, dimension),
      ...seriesAndTotals(bins, boundaries, n, survey),
    }));
  }
  return report;
}

/**
 * Whether a group may miss responses the rollup folded into "(other)". A value a bucket does not list may be in its
 * "(other)". A value it lists is whole in it unless the bucket is a merge (an hour of minutes, a day of hours) of a
 * part that had folded values in that dimension (`partial`): then its "(other)" may hold some of a listed value too.
 * The "(other)" group itself holds those folded responses, of values it cannot name.
 */
function approximation(key: string, folded: readonly FoldedBucket[], dimension: SegmentDimension): Pick<Group, 'approximate' | 'reason'> {
  const uncertain = key === OTHER_SEGMENT_VALUES ? folded.length : folded.filter((bucket) => !bucket.listedWhole || !bucket.listed.has(key)).length;
  if (uncertain === 0) return { approximate: false };
  const what = key === OTHER_SEGMENT_VALUES ? 'holds responses of values it cannot name' : 'may count some of its responses under (other)';
  return {
    approximate: true,
    reason: `the rollup keeps at most ${MAX_SEGMENT_VALUES} ${dimension} values per bucket, fewer where the bucket would pass ${MAX_AGGREGATE_ITEM_BYTES / 1024} KB, and sums the rest as (other); ${uncertain} bucket(s) of the range or of the period it is compared with folded values, so this group ${what}`,
  };
}

/** the values with responses in the range (bins n…), most first, ties by key; past MAX_GROUPS the rest under "(other)", last */
function capped(byValue: Map<string, Bins>, n: number): [string, Bins][] {
  const responses = (bins: Bins) => bins.slice(n).reduce((sum, h) => sum + (h?.responses ?? 0), 0);
  const present = [...byValue]
    .map(([key, bins]) => ({ key, bins, responses: responses(bins) }))
    .filter((value) => value.responses > 0)
    .sort((a, b) => b.responses - a.responses || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const named = present.filter((value) => value.key !== OTHER_SEGMENT_VALUES);
  const kept = named.length <= MAX_GROUPS - 1 || (named.length === MAX_GROUPS && named.length === present.length) ? named : named.slice(0, MAX_GROUPS - 1);
  const rest = present.filter((value) => !kept.includes(value));
  const other: Bins | undefined = rest.length
    ? rest.reduce<Bins>((sum, value) => sum.map((h, i) => merge(h, value.bins[i])), new Array(rest[0]!.bins.length).fill(undefined))
    : undefined;
  return [...kept.map((value) => [value.key, value.bins] as [string, Bins]), ...(other ? [[OTHER_SEGMENT_VALUES, other] as [string, Bins]] : [])];
}

/** per bin (undefined = nothing in it), the merge of the histograms of the aggregates it holds; each merged once */
type Bins = (Histogram | undefined)[];

/** a bucket aggregate whose dimension had values folded into "(other)", with the values it lists */
interface FoldedBucket {
  listed: ReadonlySet<string>;
  /** whether each value it lists holds all its responses of the bucket */
  listedWhole: boolean;
}

/**
 * a merge says whether a part had folded (`partial`); an aggregate computed from responses lists whole values. Merges
 * stored before `partial` (days, and hours merged from minutes) may have merged folded parts.
 */
const listsWholeValues = (aggregate: BucketAggregate, period: BucketPeriod, dimension: SegmentDimension): boolean =>
  aggregate.partial ? !aggregate.partial.includes(dimension) : period === 'hour' && !aggregate.fromMinutes;

function binned(aggregates: readonly BucketAggregate[], period: BucketPeriod, boundaries: readonly number[], dimension: SegmentDimension | null) {
  const total: Bins = new Array(boundaries.length - 1).fill(undefined);
  const byValue = new Map<string, Bins>();
  const folded: FoldedBucket[] = [];
  for (const aggregate of aggregates) {
    const instant = bucketBounds(period, aggregate.start).from.getTime();
    const bin = Number.isNaN(instant) ? -1 : binOf(boundaries, instant);
    if (bin < 0) continue;
    total[bin] = merge(total[bin], aggregate.total);
    if (!dimension) continue;
    const values = aggregate.segments?.[dimension] ?? {};
    if (Object.hasOwn(values, OTHER_SEGMENT_VALUES)) folded.push({ listed: new Set(Object.keys(values)), listedWhole: listsWholeValues(aggregate, period, dimension) });
    for (const [value, histogram] of Object.entries(values)) {
      let bins = byValue.get(value);
      if (!bins) byValue.set(value, (bins = new Array(boundaries.length - 1).fill(undefined)));
      bins[bin] = merge(bins[bin], histogram);
    }
  }
  return { total, byValue, folded };
}

const merge = (a: Histogram | undefined, b: Histogram | undefined) => (a && b ? mergeHistograms(a, b) : (a ?? b));
const mergeAll = (bins: Bins): Histogram => bins.reduce<Histogram>((sum, h) => (h ? mergeHistograms(sum, h) : sum), emptyHistogram());

function seriesAndTotals(bins: Bins, boundaries: readonly number[], n: number, survey: Survey): { totals: Totals; series: SeriesPoint[] } {
  const metrics = bins.map((h) => metricsOf(h ?? emptyHistogram(), survey));
  const series = metrics.slice(n).map((m, i) => ({
    start: isoInstant(boundaries[n + i]!),
    end: isoInstant(boundaries[n + i + 1]!),
    metrics: m,
    trend: trendsOf(m, metrics[n + i - 1]!),
  }));
  const current = metricsOf(mergeAll(bins.slice(n)), survey);
  const previous = metricsOf(mergeAll(bins.slice(0, n)), survey);
  return {
    totals: { metrics: current, trend: trendsOf(current, previous), comparedWith: { from: isoInstant(boundaries[0]!), to: isoInstant(boundaries[n]!) } },
    series,
  };
}

/** chunks: the bins between the rolling boundaries; a window and its predecessor are merges of whole chunks */
function rollingWindows(chunks: Bins, boundaries: readonly number[], survey: Survey): Record<RollingWindowName, RollingWindow> {
  const end = boundaries.at(-1)!;
  const indexOf = (days: number) => boundaries.indexOf(end - days * DAY_MS);
  const windows = {} as Record<RollingWindowName, RollingWindow>;
  // shortest first, so each window reuses the one inside it
  let inner = { days: 0, histogram: emptyHistogram() };
  for (const [name, days] of Object.entries(ROLLING_WINDOWS).sort(([, a], [, b]) => a - b) as [RollingWindowName, number][]) {
    const histogram = mergeHistograms(inner.histogram, mergeAll(chunks.slice(indexOf(days), indexOf(inner.days))));
    const previous = mergeAll(chunks.slice(indexOf(2 * days), indexOf(days)));
    const metrics = metricsOf(histogram, survey);
    windows[name] = {
      from: isoInstant(end - days * DAY_MS),
      to: isoInstant(end),
      metrics,
      trend: trendsOf(metrics, metricsOf(previous, survey)),
      comparedWith: { from: isoInstant(end - 2 * days * DAY_MS), to: isoInstant(end - days * DAY_MS) },
    };
    inner = { days, histogram };
  }
  return windows;
}

/** `value` with every non-integer number rounded to `places` decimals (the API shows rounded figures; −0 shows as 0) */
export function roundNumbers<T>(value: T, places = 4): T {
  const factor = 10 ** places;
  const round = (v: unknown): unknown => {
    if (typeof v === 'number') return Number.isInteger(v) ? v : Math.round(v * factor) / factor + 0;
    if (Array.isArray(v)) return v.map(round);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)]));
    return v;
  };
  return round(value) as T;
}
