// domain: which drops are worth an alert. Pure: compares the metrics of two equal windows, never throws on data.
// A drop is significant when it exceeds the combined 95% margin of both windows (indices.ts, compare), and only
// judged at all when both windows have enough answers: the margin formula is a normal approximation that claims
// certainty it does not have on tiny samples (everybody gave the same answer → margin 0).
import { compareCsat, compareNps, type Metrics, type Trend } from '../metrics/indices.js';
import type { AlertMetric, DayRange } from './alert.js';

/** a window needs at least this many answers to the metric's question before a drop in it can raise an alert */
export const MIN_ANSWERS_PER_WINDOW = 30;
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
  /** √(m_current² + m_previous²), < |change| */
  marginOfError: number;
  answers: { current: number; previous: number };
}

export interface DropOptions {
  minAnswers?: number;
}

/**
 * The significant drops from `previous` to `current` (metrics of two equal windows, previous first in time): NPS
 * and/or CSAT, in that order. A metric is left out when either window has fewer than `minAnswers` answers (or none),
 * and when it rose or fell by no more than the margin.
 */
export function dropAlertsOf(current: Metrics, previous: Metrics, { minAnswers = MIN_ANSWERS_PER_WINDOW }: DropOptions = {}): MetricDrop[] {
  const drops: MetricDrop[] = [];
  type Side = { answers: number; value: number } | null;
  const judge = (metric: AlertMetric, now: Side, before: Side, trend: Trend | null) => {
    if (!now || !before || !trend) return;
    if (now.answers < minAnswers || before.answers < minAnswers) return;
    if (!trend.significant || !(trend.change < 0)) return;
    drops.push({
      metric,
      current: now.value,
      previous: before.value,
      change: trend.change,
      marginOfError: trend.marginOfError,
      answers: { current: now.answers, previous: before.answers },
    });
  };
  judge(
    'nps',
    current.nps && { answers: current.nps.answers, value: current.nps.score },
    previous.nps && { answers: previous.nps.answers, value: previous.nps.score },
    compareNps(current.nps, previous.nps),
  );
  judge(
    'csat',
    current.csat && { answers: current.csat.answers, value: current.csat.percentage },
    previous.csat && { answers: previous.csat.answers, value: previous.csat.percentage },
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
