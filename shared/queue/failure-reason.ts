// domain: why a queued message was not handled, in words safe to log (the DLQ alarm's runbook reads them, docs/operations.md):
// error names, service errors and our own messages, never a value from the message, which holds comments and customers.
// Its own module so a consumer that logs reasons does not load the process step.

/** an error whose message is ours and quotes nothing from the message it concerns; its cause's reason is added */
export class SafeReasonError extends Error {}

/** an error as a reason without personal data: an SDK's client-side message may quote the value after a colon */
export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const own = error instanceof SafeReasonError;
  const service = '$metadata' in error;
  const message = own || service ? error.message : error.message.split(':')[0];
  const cause = own && error.cause !== undefined ? ` (${reasonOf(error.cause)})` : '';
  return `${error.name}: ${message?.slice(0, 200) ?? ''}${cause}`;
}
