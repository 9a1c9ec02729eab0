// Lambda's payload quotas, which both local runtimes hold the functions to (infra/local, infra/deployed): a
// synchronous invocation (API Gateway's, and an SQS event source's, whose batches Lambda keeps under it) takes an
// event of at most 6 MiB and answers at most 6 MiB and 100 bytes. Past them Lambda refuses the invocation, or fails
// it after the handler returned, and API Gateway answers 500. (An asynchronous invocation's event may take 1 MB; the
// only ones here, schedules, carry EventBridge Scheduler's inputs of at most 256 KB.)
export const MAX_EVENT_BYTES = 6_291_456;
export const MAX_PAYLOAD_BYTES = 6_291_556;

/** what Lambda's Invoke answers for an answer over MAX_PAYLOAD_BYTES */
export const RESPONSE_TOO_LARGE = {
  errorType: 'Function.ResponseSizeTooLarge',
  errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_PAYLOAD_BYTES} bytes).`,
} as const;

/** whether an answer, as the JSON the runtime sends, is past Lambda's answer quota */
export const pastAnswerQuota = (json: string): boolean => Buffer.byteLength(json) > MAX_PAYLOAD_BYTES;

/** `result` when its JSON is within Lambda's answer quota; past it, the error Lambda's Invoke answers (a 500 for API Gateway) */
export function withinAnswerQuota<T>(result: T): T {
  // (a result with no JSON, a function say, answers null)
  if (pastAnswerQuota(JSON.stringify(result ?? null) ?? 'null')) {
    throw Object.assign(new Error(RESPONSE_TOO_LARGE.errorMessage), { name: RESPONSE_TOO_LARGE.errorType });
  }
  return result;
}
