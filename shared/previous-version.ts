// domain: how long a deploy's previous version may still be at work. Lambda lets an invocation that started before a
// deploy replaced its function finish on the old code, so an upgrade's one-off pass over stored items waits this long
// after it first runs, lest an item the old code writes meanwhile be left behind it.

/** longer than any function runs (the longest timeout in infra/topology.ts is 300 s) */
export const PREVIOUS_VERSION_SETTLE_MS = 10 * 60_000;
