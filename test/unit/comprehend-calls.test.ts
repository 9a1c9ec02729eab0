// the Comprehend call gate: per-instance rate cap and bounded, jittered retries, on virtual time.
import { InternalServerException, TooManyRequestsException, UnsupportedLanguageException } from '../../shared/aws/comprehend.js';
import { describe, expect, it } from 'vitest';
import {
  ComprehendRateCapError,
  backoffDelayMs,
  createComprehendCalls,
  isRetryable,
  tokenBucket,
} from '../../shared/sentiment/comprehend-calls.js';
import { COMPREHEND_RETRY } from '../../shared/sentiment/comprehend-limits.js';
import { comprehendCallsPerSecondOf } from '../../shared/sentiment/comprehend-from-environment.js';
import { virtualTimer } from '../support/virtual-timer.js';

const throttled = () => new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
/** how Comprehend's unmodeled ThrottlingException arrives: a service error by name, HTTP 400 */
const unmodeledThrottling = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
const unavailable = () => Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailableException', $fault: 'server', $metadata: { httpStatusCode: 503 } });

/** a call failing with `errors` in turn, then answering 'ok'; counts its attempts */
function failing(...errors: (() => unknown)[]) {
  let attempts = 0;
  return {
    get attempts() {
      return attempts;
    },
    call: async () => {
      const error = errors[attempts++];
      if (error) throw error();
      return 'ok';
    },
  };
}

describe('backoffDelayMs', () => {
  it('doubles the ceiling with each retry up to the maximum, and draws below it (full jitter)', () => {
    const policy = { baseDelayMs: 200, maxDelayMs: 2_000 };
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelayMs(retry, policy, 1))).toEqual([200, 400, 800, 1_600, 2_000, 2_000]);
    expect(backoffDelayMs(3, policy, 0.5)).toBe(400);
    expect(backoffDelayMs(3, policy, 0)).toBe(0);
  });
});

describe('tokenBucket', () => {
  it('lets one second of calls through at once, then spaces them at the rate', () => {
    // Prepare
    const bucket = tokenBucket(4, () => 0);

    // Act
    const waits = Array.from({ length: 7 }, () => bucket.reserve(Number.POSITIVE_INFINITY));

    // Assess
    expect(waits).toEqual([0, 0, 0, 0, 250, 500, 750]);
  });

  it('refuses, taking nothing, a slot that would come after the deadline', () => {
    const bucket = tokenBucket(2, () => 0);
    expect([bucket.reserve(0), bucket.reserve(0), bucket.reserve(499), bucket.reserve(500)]).toEqual([0, 0, undefined, 500]);
  });

  it('refills with time, up to one second of calls', () => {
    let now = 0;
    const bucket = tokenBucket(4, () => now);
    for (let i = 0; i < 4; i++) bucket.reserve(Number.POSITIVE_INFINITY);
    now = 10_000;
    const waits = Array.from({ length: 5 }, () => bucket.reserve(Number.POSITIVE_INFINITY));
    expect(waits).toEqual([0, 0, 0, 0, 250]);
  });
});

describe('isRetryable', () => {
  it.each([
    ['TooManyRequestsException', throttled(), true],
    ['an unmodeled ThrottlingException (HTTP 400)', unmodeledThrottling(), true],
    ['ServiceUnavailableException (HTTP 503)', unavailable(), true],
    ['InternalServerException', new InternalServerException({ message: 'oops', $metadata: {} }), true],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
    ['UnsupportedLanguageException', new UnsupportedLanguageException({ message: 'no', $metadata: { httpStatusCode: 400 } }), false],
    ['a validation error', Object.assign(new Error('bad'), { name: 'InvalidRequestException', $metadata: { httpStatusCode: 400 } }), false],
    ['not an error', 'boom', false],
  ])('%s → %s', (_, error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });
});

describe('createComprehendCalls', () => {
  it('retries throttling with growing jittered waits and answers once Comprehend does', async () => {
    // Prepare
    const timer = virtualTimer();
    const gate = createComprehendCalls({ callsPerSecond: 100, timer });
    const call = failing(throttled, unmodeledThrottling, unavailable);

    // Act
    const answer = await gate.run(call.call, gate.deadline());

    // Assess: 4 attempts, the backoffs at their ceilings (random = 1)
    expect(answer).toBe('ok');
    expect(call.attempts).toBe(4);
    expect(timer.sleeps).toEqual([200, 400, 800]);
  });

  it('gives up after maxAttempts with the last error, having waited at most the sum of the backoff ceilings', async () => {
    // Prepare
    const timer = virtualTimer();
    const gate = createComprehendCalls({ callsPerSecond: 100, timer });
    const call = failing(throttled, throttled, throttled, throttled, throttled);

    // Act
    const outcome = gate.run(call.call, gate.deadline());

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(TooManyRequestsException);
    expect(call.attempts).toBe(COMPREHEND_RETRY.maxAttempts);
    expect(timer.elapsed()).toBeLessThanOrEqual(200 + 400 + 800);
  });

  it('never waits past the deadline: a backoff that would end after it is not taken', async () => {
    // Prepare: a 1 s budget
    const timer = virtualTimer();
    const gate = createComprehendCalls({ callsPerSecond: 100, timer, retry: { ...COMPREHEND_RETRY, maxAttempts: 10, budgetMs: 1_000 } });
    const call = failing(...Array.from({ length: 10 }, () => throttled));

    // Act
    const outcome = gate.run(call.call, gate.deadline());

    // Assess: 200 + 400 waited, 800 more would pass the deadline
    await expect(outcome).rejects.toBeInstanceOf(TooManyRequestsException);
    expect(timer.sleeps).toEqual([200, 400]);
    expect(call.attempts).toBe(3);
  });

  it('does not retry what retrying cannot fix', async () => {
    const timer = virtualTimer();
    const gate = createComprehendCalls({ timer });
    const call = failing(() => new UnsupportedLanguageException({ message: 'no', $metadata: { httpStatusCode: 400 } }));
    await expect(gate.run(call.call, gate.deadline())).rejects.toBeInstanceOf(UnsupportedLanguageException);
    expect(call.attempts).toBe(1);
    expect(timer.sleeps).toEqual([]);
  });

  it('holds calls to the rate, and refuses with ComprehendRateCapError the ones that would start after the deadline', async () => {
    // Prepare: 2 calls a second, a 2 s budget
    const timer = virtualTimer();
    const gate = createComprehendCalls({ callsPerSecond: 2, timer, retry: { ...COMPREHEND_RETRY, budgetMs: 2_000 } });
    const deadline = gate.deadline();
    let made = 0;

    // Act
    const outcomes = [];
    for (let i = 0; i < 8; i++) {
      outcomes.push(
        await gate.run(async () => ++made, deadline).then(
          (n) => `call ${n}`,
          (error: unknown) => (error instanceof ComprehendRateCapError ? 'capped' : 'other'),
        ),
      );
    }

    // Assess: 2 at once, then one each 500 ms until the deadline at 2 s
    expect(outcomes).toEqual(['call 1', 'call 2', 'call 3', 'call 4', 'call 5', 'call 6', 'capped', 'capped']);
    expect(timer.elapsed()).toBe(2_000);
  });
});

describe('comprehendCallsPerSecondOf (COMPREHEND_CALLS_PER_SECOND)', () => {
  it('reads a whole number in range, and the default when absent', () => {
    expect(comprehendCallsPerSecondOf('12')).toBe(12);
    expect(comprehendCallsPerSecondOf(undefined)).toBe(4);
    expect(comprehendCallsPerSecondOf('')).toBe(4);
  });

  it.each(['0', '2.5', 'fast', '1001'])('refuses %s, naming the variable', (value) => {
    expect(() => comprehendCallsPerSecondOf(value)).toThrow(/^COMPREHEND_CALLS_PER_SECOND: expected an integer from 1 to 1000/);
  });
});
