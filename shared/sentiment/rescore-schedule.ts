// domain (pure): when the rescore schedule tries a pending sentiment again after the provider failed to score it.
// A provider outage (throttling, 5xx, network, timeouts) never ends in giving up: the waits grow instead, so a long
// outage costs a few calls a day per comment rather than one a minute, and the comment is scored once it is over.
//   failures 1–8:  1, 2, 4 … 128 minutes (about 4 h in all)
//   failures 9–14: every 4 hours (the rest of the first day)
//   failures 15+:  every day
const MINUTE_MS = 60_000;
/** the longest wait of the exponential part */
export const MAX_BACKOFF_MINUTES = 4 * 60;
/** from this failure on, one attempt a day */
export const DAILY_FROM_FAILURE = 15;
const DAY_MINUTES = 24 * 60;

/** the wait after the n-th failed attempt (n ≥ 1), in minutes */
export function rescoreDelayMinutes(failures: number): number {
  if (failures >= DAILY_FROM_FAILURE) return DAY_MINUTES;
  return Math.min(2 ** Math.max(0, failures - 1), MAX_BACKOFF_MINUTES);
}

/** when a sentiment that has now failed `failures` times is next due (ISO 8601) */
export const nextRescoreAt = (now: Date, failures: number): string =>
  new Date(now.getTime() + rescoreDelayMinutes(failures) * MINUTE_MS).toISOString();
