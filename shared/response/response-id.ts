// domain: response ids. The same idempotency key for the same survey always names the same response,
// so a retried submission or a redelivered message lands on one stored item.
import { createHash, randomUUID } from 'node:crypto';

export function responseIdFor(surveyId: string, idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined) return randomUUID().replaceAll('-', '');
  return createHash('sha256').update(`${surveyId}\u0000${idempotencyKey}`).digest('hex').slice(0, 32);
}
