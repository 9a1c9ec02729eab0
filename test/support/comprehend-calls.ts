// test support: a ComprehendCalls gate that sends each call once, at once (no rate cap, no retry), for the tests of
// what the adapters make of one answer or fault; the gate itself is tested in test/unit/comprehend-calls.test.ts and
// test/faults/throttling.test.ts.
import { createComprehendCalls, type ComprehendCalls } from '../../shared/sentiment/comprehend-calls.js';
import { COMPREHEND_RETRY } from '../../shared/sentiment/comprehend-limits.js';

export const oneAttemptCalls = (): ComprehendCalls =>
  createComprehendCalls({ callsPerSecond: 1_000, retry: { ...COMPREHEND_RETRY, maxAttempts: 1 } });
