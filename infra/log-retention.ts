// infra: how long every log group of the stacks keeps its lines (the functions', the API's access log, the console
// deployment's and the bucket-emptying provider's), as a deploy-time context value: `-c logRetentionDays=365`. The
// lines hold no customer data, so an audit that asks for a year of logs can have it; "never expire" is not offered,
// as it only grows the bill. Checked at synth against what CloudWatch Logs accepts.
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { contextWholeNumber } from './context-number.js';

export const DEFAULT_LOG_RETENTION = RetentionDays.ONE_MONTH;

/** the periods CloudWatch Logs accepts, in days (RetentionDays: 1, 3, 5, 7, 14, 30, … 3653), never-expire aside */
export const LOG_RETENTION_CHOICES: readonly number[] = Object.values(RetentionDays).filter((days): days is number => typeof days === 'number' && days !== RetentionDays.INFINITE);

/** the retention a context value gives (absent or '': the default); throws an Error naming the value and the choices */
export function logRetentionOf(value: unknown): RetentionDays {
  const days = contextWholeNumber(value);
  if (days === undefined) return DEFAULT_LOG_RETENTION;
  if (!LOG_RETENTION_CHOICES.includes(days)) throw new Error(`context logRetentionDays: expected one of CloudWatch Logs' periods, ${LOG_RETENTION_CHOICES.join(', ')} days, got ${JSON.stringify(value)}`);
  return days as RetentionDays;
}
