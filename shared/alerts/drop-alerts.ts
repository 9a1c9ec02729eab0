// domain: which drops are worth an alert. Pure: compares the metrics of two equal windows, never throws on data.
// A drop raises an alert when its trend is significant by the one rule the API and the console show
// (significance.ts: at least MINIMUM_SAMPLE answers in each window, and the 95% interval of the change below 0).
import { compareCsat, compareNps, type Metrics, type Trend } from '../metrics/indices.js';
import { MINIMUM_SAMPLE } from '../metrics/significance.js';
import type { AlertMetric, DayRange } from './alert.js';

/** a window needs at least this many answers to the metric's question before a drop in it can raise an alert */
export const MIN_ANSWERS_PER_WINDOW = MINIMUM_SAMPLE;
/** the length of each compared window, in UTC days */
export const WINDOW_DAYS = 7;

export interface MetricDrop {
  metric: AlertMetric;
  /** NPS score or CSAT percentage in the current window */
  current: number;
  /** the same in the previous window */
  previous: number;
  /** current − previous, < 0 */
  change: number;
  /** half the width of the change's 95% interval, whose upper bound is < 0 */
  marginOfError: number;
  answers: { current: number; previous: number };
}

/**
 * The significant drops from `previous` to `current` (metrics of two equal windows, previous first in time): NPS
 * and/or CSAT, in that order. A metric is left out when its trend is not significant (too few answers in a window,
 * or an interval that reaches 0) or when it rose.
 */
export function dropAlertsOf(current: Metrics, previous: Metrics): MetricDrop[] {
  const drops: MetricDrop[] = [];
  const judge = (metric: AlertMetric, values: { current: number; previous: number } | null, trend: Trend | null) => {
    if (!values || !trend || !trend.significant || !(trend.interval.upper < 0)) return;
    drops.push({ metric, ...values, change: trend.change, marginOfError: trend.marginOfError, answers: trend.answers });
  };
  judge('nps', current.nps && previous.nps && { current: current.nps.score, previous: previous.nps.score }, compareNps(current.nps, previous.nps));
  judge(
    'csat',
    current.csat && previous.csat && { current: current.csat.percentage, previous: previous.csat.percentage },
    compareCsat(current.csat, previous.csat),
  );
  return drops;
}

const DAY_MS = 86_400_000;
const dayKey = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The two compared windows at `now`: the current one is the WINDOW_DAYS UTC days ending today (today included, so
 * it holds a partial day), the previous one the WINDOW_DAYS days before it.
 */
export function dropWindowsAt(now: Date, days = WINDOW_DAYS): { current: DayRange; previous: DayRange } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return {
    current: { from: dayKey(today - (days - 1) * DAY_MS), to: dayKey(today) },
    previous: { from: dayKey(today - (2 * days - 1) * DAY_MS), to: dayKey(today - days * DAY_MS) },
  };
}
