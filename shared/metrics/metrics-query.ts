// domain: the query string of a metrics report (GET /v1/surveys/{id}/metrics and metrics.csv), parsed and checked.
// Returns a result union: the report's range as instants, or one detail per offending parameter.
//
//   from      ISO date (2026-11-01 = that day's 00:00 UTC) or ISO date-time with an offset; inclusive
//   to        ISO date (2026-11-30 = up to the END of that day: the day is included) or date-time; exclusive
//             default: now
//             default from: 30 days before the end of the interval holding `to` (interval=day: the 30 days ending
//             with today; interval=hour: the 720 hours ending with this one)
//   interval  hour | day | week (ISO, Monday) | month (calendar), all UTC; default day
//   groupBy   channel | touchpoint | journeyStage | locale; optional
// The report then widens the range to whole intervals. Limits, on the range as asked (range-limits.ts, which the CX
// console reads too): 31 days with interval=hour (744 points), 731 days (2 years) otherwise (at most 732 daily, 106
// weekly or 25 monthly points); each bound between 1970-01-01 and 9999-01-01 (shared/query-values.ts: a `to` date of
// 9998-12-31 is the last one).
import * as z from '../validation.js';
import type { ErrorDetail } from '../errors.js';
import { isQueryInstant, QUERY_INSTANT_RANGE } from '../query-values.js';
import { SEGMENT_DIMENSIONS, type SegmentDimension } from '../rollup/bucket.js';
import { DEFAULT_RANGE_DAYS, MAX_HOUR_RANGE_DAYS, MAX_RANGE_DAYS } from './range-limits.js';
import { DAY_MS, INTERVALS, intervalStart, isoInstant, shiftInterval, type Interval } from './report-intervals.js';

export interface MetricsQuery {
  /** epoch ms, inclusive */
  from: number;
  /** epoch ms, exclusive */
  to: number;
  interval: Interval;
  groupBy: SegmentDimension | null;
}

export type MetricsQueryResult = { success: true; data: MetricsQuery } | { success: false; details: ErrorDetail[] };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const dateTimeSchema = z.iso.datetime({ offset: true });

/** a bound as an instant; a date alone is its day's first instant, or (`to`) the first instant after it */
function instantOf(value: string, side: 'from' | 'to'): number | undefined {
  if (DATE.test(value)) {
    const midnight = Date.parse(`${value}T00:00:00Z`);
    // 2026-02-30 parses to March 2nd in some engines: a real date prints back unchanged
    if (Number.isNaN(midnight) || new Date(midnight).toISOString().slice(0, 10) !== value) return undefined;
    return side === 'to' ? midnight + DAY_MS : midnight;
  }
  if (!dateTimeSchema.safeParse(value).success) return undefined;
  const instant = Date.parse(value);
  return Number.isNaN(instant) ? undefined : instant;
}

const bound = (side: 'from' | 'to') =>
  z.pipe(
    z.string(),
    z.transform((value: string, ctx) => {
      const instant = instantOf(value, side);
      if (instant === undefined) {
        ctx.issues.push({ code: 'custom', message: `an ISO date (2026-11-01) or date-time with offset (2026-11-01T09:00:00Z); got "${value.slice(0, 40)}"`, input: value });
        return z.NEVER;
      }
      if (!isQueryInstant(instant)) {
        ctx.issues.push({ code: 'custom', message: `${QUERY_INSTANT_RANGE}; got "${value.slice(0, 40)}"`, input: value });
        return z.NEVER;
      }
      return instant;
    }),
  );

export const metricsQuerySchema = z.strictObject({
  from: z.optional(bound('from')),
  to: z.optional(bound('to')),
  interval: z._default(z.enum(INTERVALS, { error: `one of ${INTERVALS.join(', ')}` }), 'day'),
  groupBy: z.optional(z.enum(SEGMENT_DIMENSIONS, { error: `one of ${SEGMENT_DIMENSIONS.join(', ')}` })),
});

const PARAMETERS = Object.keys(metricsQuerySchema.shape).join(', ');

/** the query of a report asked for at `now`; never throws */
export function parseMetricsQuery(raw: Record<string, string | undefined>, now: Date): MetricsQueryResult {
  const parsed = metricsQuerySchema.safeParse(raw);
  if (!parsed.success) {
    return {
      success: false,
      details: parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => ({ path: key, reason: `unknown parameter (expected ${PARAMETERS})` }))
          : [{ path: issue.path.map(String).join('.'), reason: issue.message }],
      ),
    };
  }
  const { interval, groupBy = null } = parsed.data;
  const to = parsed.data.to ?? now.getTime();
  const endOfLastInterval = shiftInterval(interval, intervalStart(interval, to - 1), 1);
  const from = parsed.data.from ?? endOfLastInterval - DEFAULT_RANGE_DAYS * DAY_MS;
  if (from >= to) {
    const asked = raw.to ?? '';
    const toText = parsed.data.to === undefined ? `now, ${isoInstant(to)}` : DATE.test(asked) ? `${asked}, up to ${isoInstant(to)}` : isoInstant(to);
    return { success: false, details: [{ path: 'from', reason: `must be before "to" (${toText})` }] };
  }
  const days = (to - from) / DAY_MS;
  const maxDays = interval === 'hour' ? MAX_HOUR_RANGE_DAYS : MAX_RANGE_DAYS;
  if (days > maxDays) {
    const limit = interval === 'hour' ? `${maxDays} days with interval=hour (${maxDays * 24} points)` : `${maxDays} days (2 years)`;
    return {
      success: false,
      details: [{ path: 'from', reason: `too many points: the range is at most ${limit}; ${isoInstant(from)} to ${isoInstant(to)} is ${+days.toFixed(1)} days` }],
    };
  }
  return { success: true, data: { from, to, interval, groupBy } };
}
