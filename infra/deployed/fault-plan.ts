// deploy-faithful runner, for tests only: the faults a test arms at the local AWS endpoint, a departure from the
// template as `failedMessageRetrySeconds` is. Two kinds, the ones a deployed function meets:
// - a call answered with the service's error instead of being served (throttling, an internal error, an outage), with
//   the status the service gives that error over its JSON protocol; the SDK's retries see each attempt fail;
// - a function's sandbox that dies right after one of its calls is served, before it reads the answer (a crash, an
//   out-of-memory kill): what the call did stands, and nothing the function would have done next happens.
import { ServiceError } from './service-error.js';

/** each error's status, as the services send it (DynamoDB, SQS, Comprehend and Secrets Manager API references) */
const STATUS = {
  ThrottlingException: 400,
  ProvisionedThroughputExceededException: 400,
  RequestLimitExceeded: 400,
  TooManyRequestsException: 400,
  InternalServerError: 500,
  InternalServerException: 500,
  InternalServiceError: 500,
  InternalFailure: 500,
  ServiceUnavailable: 503,
} as const;

export type FaultCode = keyof typeof STATUS;

/** the errors each service answers for throttling and for its own faults: another code for it is a test's typo */
const CODES_OF: Record<string, readonly FaultCode[]> = {
  dynamodb: ['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'InternalServerError', 'ServiceUnavailable'],
  sqs: ['ThrottlingException', 'InternalFailure', 'ServiceUnavailable'],
  comprehend: ['ThrottlingException', 'TooManyRequestsException', 'InternalServerException', 'ServiceUnavailable'],
  secretsmanager: ['ThrottlingException', 'InternalServiceError', 'ServiceUnavailable'],
};

/** DynamoDB names the shape its error is in, as its JSON protocol sends `__type` */
const TYPE_PREFIX_OF: Record<string, string> = { dynamodb: 'com.amazonaws.dynamodb.v20120810#' };

/** the caller name of Lambda's own event source pollers at the endpoint: no fault strikes them (AWS shows a function none) */
export const LAMBDA_SERVICE_CALLER = 'lambda.amazonaws.com';

export interface CallMatch {
  /** the service and operation as called, e.g. `sqs:SendMessageBatch`, `dynamodb:PutItem` */
  operation: string;
  /** the calling function's name; any function when absent (never Lambda's own pollers) */
  caller?: string;
  /** narrows the match by the call's input (a table, an item) */
  when?: (input: Record<string, unknown>) => boolean;
}

export interface CallFault extends CallMatch {
  error: FaultCode;
  /** how many matching calls are answered with the error (each SDK attempt is a call) */
  times: number;
}

export interface SandboxDeath extends CallMatch {
  /** dies after this many matching calls have been served (default 1: the first) */
  after?: number;
}

interface Armed<T> {
  rule: T;
  left: number;
}

export function createFaultPlan() {
  let faults: Armed<CallFault>[] = [];
  let deaths: Armed<SandboxDeath>[] = [];
  const matches = (rule: CallMatch, caller: string, operation: string, input: Record<string, unknown>) =>
    rule.operation === operation && caller !== LAMBDA_SERVICE_CALLER && (rule.caller === undefined || rule.caller === caller) && (rule.when?.(input) ?? true);

  return {
    /** the next `times` calls that match are answered with `error` */
    failCalls(fault: CallFault): void {
      const service = fault.operation.split(':')[0]!;
      const codes = CODES_OF[service];
      if (!codes) throw new Error(`fault on ${fault.operation}: only ${Object.keys(CODES_OF).join(', ')} calls can fail`);
      if (!codes.includes(fault.error)) throw new Error(`fault on ${fault.operation}: ${service} answers ${codes.join(', ')}, not ${fault.error}`);
      if (!Number.isInteger(fault.times) || fault.times < 1) throw new Error(`fault on ${fault.operation}: times must be a whole number ≥ 1`);
      faults.push({ rule: fault, left: fault.times });
    },
    /** the caller's sandbox dies once the `after`th matching call is served */
    dieAfter(death: SandboxDeath): void {
      const after = death.after ?? 1;
      if (!Number.isInteger(after) || after < 1) throw new Error(`death after ${death.operation}: after must be a whole number ≥ 1`);
      deaths.push({ rule: death, left: after });
    },
    /** the error to answer this call with instead of serving it, if a fault is armed for it (it uses one) */
    errorFor(caller: string, operation: string, input: Record<string, unknown>): ServiceError | undefined {
      const armed = faults.find((fault) => fault.left > 0 && matches(fault.rule, caller, operation, input));
      if (!armed) return undefined;
      armed.left -= 1;
      const { error } = armed.rule;
      return new ServiceError(error, `injected: ${error}`, STATUS[error], TYPE_PREFIX_OF[operation.split(':')[0]!]);
    },
    /** whether the caller's sandbox dies now that this call has been served */
    diesAfter(caller: string, operation: string, input: Record<string, unknown>): boolean {
      const armed = deaths.find((death) => death.left > 0 && matches(death.rule, caller, operation, input));
      if (!armed) return false;
      armed.left -= 1;
      return armed.left === 0;
    },
    /** faults and deaths armed that have not struck yet */
    pending(): number {
      return [...faults, ...deaths].filter((armed) => armed.left > 0).length;
    },
    clear(): void {
      faults = [];
      deaths = [];
    },
  };
}

export type FaultPlan = ReturnType<typeof createFaultPlan>;
