// console: which periods the trend chart draws. Pure. A range longer than the data (a fresh install's 30 days with
// answers on the last two) would be an empty grid with the points at its edge, so the chart starts at the first
// period with answers, yet shows at least a few periods so a single day still reads as a point in time.
import type { Interval } from './state.js';

/** the fewest periods the chart shows, when the range has that many */
export const MIN_PERIODS: Record<Interval, number> = { day: 7, week: 4, month: 3 };

export interface TrendWindow<P> {
  points: P[];
  /** YYYY-MM-DD of the first period drawn */
  from: string;
  /** YYYY-MM-DD of the first period with answers */
  first: string;
  /** false when the whole range is drawn */
  trimmed: boolean;
}

/** the periods to draw: from the first with answers (keeping at least `minPeriods`), or null when none has answers */
export function trendWindow<P extends { start: string; responses: number }>(points: readonly P[], minPeriods: number): TrendWindow<P> | null {
  const first = points.findIndex((p) => p.responses > 0);
  if (first < 0) return null;
  const start = Math.max(0, Math.min(first, points.length - minPeriods));
  return { points: points.slice(start), from: points[start]!.start.slice(0, 10), first: points[first]!.start.slice(0, 10), trimmed: start > 0 };
}
