// infra: a deploy-time context value read as a whole number. `-c name=300` gives a string, cdk.json a number; the
// settings modules (throughput.ts, rate-limits.ts) and the budget (cdk/app.ts) read theirs this way and check the number
// against their own bounds.

/** undefined when not given (absent or ''); the number written, sign included; NaN for anything that is no whole number */
export function contextWholeNumber(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'number') return value;
  return typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
}
