// port and use case: a run lease, so that two runs of one scheduled function never overlap, whatever the account's
// Lambda concurrency quota (docs/scale.md, One run at a time). Adapter: dynamo-run-lease.ts.
// 1. take the lease, which lasts until the run's own deadline (its Lambda timeout) plus a margin for clock skew: it is
//    free when no one holds it or its holder's time is up (a run killed at its timeout never gives it back);
// 2. a run that cannot take it does nothing: the next scheduled run covers its work;
// 3. run, then give the lease back, whether the run returned or threw.

export interface LeaseTerms {
  /** one lease per function, e.g. "rollup" */
  name: string;
  /**
   * who takes it: this invocation, and no other. Not the request id alone: Lambda gives an asynchronous event's
   * retries, and a duplicate delivery of it, the same id, and those must not share a lease with a run still going
   */
  holder: string;
  /** held until then, unless given back earlier */
  until: Date;
}

export interface RunLeases {
  /** true when `holder` now holds the lease: it was free, expired at `now`, or already this holder's */
  acquire(terms: LeaseTerms, now: Date): Promise<boolean>;
  /** gives the lease back if `holder` still holds it; never another holder's */
  release(name: string, holder: string): Promise<void>;
}

/**
 * How much later than its holder's deadline a lease expires: the next run compares it with its own host's clock, which
 * may run ahead of the holder's, and a write sent just before a timeout may still land after it. A run killed at its
 * timeout delays the next one by this much past its deadline; no figure for the skew between Lambda hosts was found in
 * AWS's documentation, so this is a generous allowance rather than a measured one (docs/scale.md, One run at a time).
 */
export const LEASE_CLOCK_MARGIN_MS = 10_000;

/** the lease of a run that must be over by `deadline` (its timeout) */
export const leaseUntil = (deadline: Date): Date => new Date(deadline.getTime() + LEASE_CLOCK_MARGIN_MS);

export type LeasedRun<T> = { ran: true; result: T } | { ran: false };

/**
 * `onReleaseFailed`: a lease that could not be given back expires by itself; the run's outcome stands either way (a
 * done run that failed for its release would be retried by Lambda, and do its work again)
 */
export async function runUnderLease<T>(
  leases: RunLeases,
  terms: LeaseTerms,
  now: Date,
  run: () => Promise<T>,
  onReleaseFailed: (error: unknown) => void = () => undefined,
): Promise<LeasedRun<T>> {
  if (!(await leases.acquire(terms, now))) return { ran: false };
  try {
    return { ran: true, result: await run() };
  } finally {
    await leases.release(terms.name, terms.holder).catch(onReleaseFailed);
  }
}
