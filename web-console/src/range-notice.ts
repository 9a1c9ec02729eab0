// console: what a view's metrics leave out of the chosen range, in words (state.ts metricsRange decides it): the last
// MAX_RANGE_DAYS days of a longer range, or the last intervals one report of the survey's questions holds. The
// Overview and the follow-up metrics above the queue say it the same way.
import { MAX_RANGE_DAYS } from '../../shared/metrics/range-limits.js';
import { rangeDates, type ConsoleState, type MetricsRange } from './state.js';
import type { Translate } from './strings.js';

/** why the metrics are for fewer days than chosen, or undefined when they cover the whole range */
export function clippedWords(t: Translate, state: ConsoleState, range: MetricsRange, now: Date): string | undefined {
  if (range.held) return t('intervalsClipped', { n: range.held, interval: t(state.interval).toLowerCase(), from: range.from, to: range.to });
  if (range.clipped) return t('metricsClipped', { days: MAX_RANGE_DAYS, ...rangeDates(state, now) });
  return undefined;
}
