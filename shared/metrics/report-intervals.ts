// domain: the calendar of a metrics report, in UTC. Hours and days are fixed lengths; ISO weeks start on Monday;
// months are calendar months (28 to 31 days). Instants are epoch milliseconds. Pure.

export const INTERVALS = ['hour', 'day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** the first instant of the interval that contains `instant` */
export function intervalStart(interval: Interval, instant: number): number {
  switch (interval) {
    case 'hour':
      return Math.floor(instant / HOUR_MS) * HOUR_MS;
    case 'day':
      return Math.floor(instant / DAY_MS) * DAY_MS;
    case 'week': {
      const day = Math.floor(instant / DAY_MS) * DAY_MS;
      // getUTCDay: Sunday 0 … Saturday 6; days since Monday: Monday 0 … Sunday 6
      return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
    }
    case 'month': {
      const date = new Date(instant);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    }
  }
}

/** the start of the interval `steps` intervals after (or, negative, before) the one starting at `start` */
export function shiftInterval(interval: Interval, start: number, steps: number): number {
  switch (interval) {
    case 'hour':
      return start + steps * HOUR_MS;
    case 'day':
      return start + steps * DAY_MS;
    case 'week':
      return start + steps * 7 * DAY_MS;
    case 'month': {
      const date = new Date(start);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + steps, 1);
    }
  }
}

/**
 * The interval boundaries covering [from, to): from floored to its interval's start, to raised to the end of the
 * interval holding its last instant. n intervals have n + 1 boundaries.
 */
export function boundariesOf(interval: Interval, from: number, to: number): number[] {
  const boundaries = [intervalStart(interval, from)];
  const end = shiftInterval(interval, intervalStart(interval, to - 1), 1);
  while (boundaries[boundaries.length - 1]! < end) boundaries.push(shiftInterval(interval, boundaries[boundaries.length - 1]!, 1));
  return boundaries;
}

/** the index i with boundaries[i] ≤ instant < boundaries[i + 1], or -1 outside (boundaries ascending) */
export function binOf(boundaries: readonly number[], instant: number): number {
  let low = 0;
  let high = boundaries.length - 1;
  if (high < 1 || instant < boundaries[0]! || instant >= boundaries[high]!) return -1;
  // invariant: boundaries[low] ≤ instant < boundaries[high]
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (boundaries[middle]! <= instant) low = middle;
    else high = middle;
  }
  return low;
}

/** "2026-11-23T09:00:00Z": an instant as reports show it (UTC, whole seconds) */
export const isoInstant = (instant: number) => new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z');
