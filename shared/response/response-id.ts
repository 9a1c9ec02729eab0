// domain: response ids. The same idempotency key for the same survey always names the same response,
// so a retried submission or a redelivered message lands on one stored item.
import { hash, randomUUID } from 'node:crypto';

export function responseIdFor(surveyId: string, idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined) return randomUUID().replaceAll('-', '');
  return hash('sha256', `${surveyId}\u0000${idempotencyKey}`, 'hex').slice(0, 32);
}
