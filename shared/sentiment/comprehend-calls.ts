// adapter support: the one gate every Amazon Comprehend call of a function instance goes through (the sentiment
// analyzer's and the PII redactor's alike), so that
// - the instance makes at most `callsPerSecond` calls a second (a token bucket holding one second of calls): the
//   account's Comprehend quotas are per second and shared by every concurrent instance, so the deploy-time setting
//   (context comprehendCallsPerSecond) times the instances that can run at once is what reaches Comprehend;
// - a call that fails for a reason worth retrying (throttling, a 5xx, a network fault or timeout, as the SDK itself
//   classifies them) is retried with full-jitter exponential backoff, at most `maxAttempts` times and never past the
//   caller's deadline (`budgetMs` after the analyze or redact call began).
// What is still failing then rejects, and the adapters make it a `failed` outcome: the response is stored pending and
// the rescore schedule finishes it; nothing here can fail a batch. The client's own retries are off (maxAttempts 1,
// createComprehendClient): two retry loops would multiply attempts (3 × 4) past any bound this one states.
import { InternalServerException } from '../aws/comprehend.js';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { COMPREHEND_CALLS_PER_SECOND, COMPREHEND_RETRY, type RetryPolicy } from './comprehend-limits.js';

/** time as the gate sees it; tests pass one that records the waits instead of sleeping */
export interface Timer {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** uniform in [0, 1) */
  random(): number;
}

export const systemTimer: Timer = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** no call slot could be had before the deadline: the instance's own rate cap, not Comprehend, held the call back */
export class ComprehendRateCapError extends Error {
  constructor(callsPerSecond: number) {
    super(`no Comprehend call slot before the deadline at ${callsPerSecond} calls a second`);
    this.name = 'ComprehendRateCapError';
  }
}

export interface ComprehendCalls {
  /** the deadline of one analyze or redact call that starts now (epoch ms) */
  deadline(): number;
  /** runs `call` in a call slot, retrying what is worth retrying until the deadline; rejects with the last error */
  run<T>(call: () => Promise<T>, deadline: number): Promise<T>;
}

/** the backoff before retry `retry` (1-based), for a draw `random` in [0, 1): full jitter */
export function backoffDelayMs(retry: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: number): number {
  return random * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
}

/** throttling, a service fault or a network fault: worth another attempt */
export function isRetryable(error: unknown): boolean {
  if (error instanceof InternalServerException) return true;
  if (typeof error !== 'object' || error === null) return false;
  const sdkError = error as Parameters<typeof isThrottlingError>[0];
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError);
}

/**
 * A token bucket of `ratePerSecond` tokens a second holding at most one second of them. `reserve` takes the next
 * token and says how long to wait for it (reservations queue up behind each other), or undefined, taking nothing,
 * when that wait would end after `deadline`.
 */
export function tokenBucket(ratePerSecond: number, now: () => number) {
  const capacity = Math.max(1, ratePerSecond);
  let tokens = capacity;
  let at = now();
  return {
    reserve(deadline: number): number | undefined {
      const time = now();
      tokens = Math.min(capacity, tokens + ((time - at) * ratePerSecond) / 1000);
      at = time;
      const wait = tokens >= 1 ? 0 : ((1 - tokens) * 1000) / ratePerSecond;
      if (time + wait > deadline) return undefined;
      tokens -= 1;
      return wait;
    },
  };
}

export function createComprehendCalls({
  callsPerSecond = COMPREHEND_CALLS_PER_SECOND.default,
  retry = COMPREHEND_RETRY,
  timer = systemTimer,
}: { callsPerSecond?: number; retry?: RetryPolicy; timer?: Timer } = {}): ComprehendCalls {
  const bucket = tokenBucket(callsPerSecond, () => timer.now());
  return {
    deadline: () => timer.now() + retry.budgetMs,
    async run(call, deadline) {
      let lastError: unknown;
      for (let attempt = 1; ; attempt++) {
        const wait = bucket.reserve(deadline);
        // a retry that cannot get a slot in time fails with what Comprehend said, not with the cap
        if (wait === undefined) throw attempt === 1 ? new ComprehendRateCapError(callsPerSecond) : lastError;
        if (wait > 0) await timer.sleep(wait);
        try {
          return await call();
        } catch (error) {
          lastError = error;
          if (attempt >= retry.maxAttempts || !isRetryable(error)) throw error;
          const delay = backoffDelayMs(attempt, retry, timer.random());
          if (timer.now() + delay > deadline) throw error;
          await timer.sleep(delay);
        }
      }
    },
  };
}
