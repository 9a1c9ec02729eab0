// composition: the one Comprehend client and call gate of a function instance, shared by the sentiment analyzer and
// the PII redactor so that the instance's rate cap (COMPREHEND_CALLS_PER_SECOND, set by the stack from the context
// comprehendCallsPerSecond) counts the calls of both. The setting is read when this module loads: a bad value fails the
// cold start, naming the variable, rather than every Comprehend call after it.
import type { ComprehendClient } from '../aws/comprehend.js';
import * as z from '../validation.js';
import { createComprehendClient } from './comprehend-analyzer.js';
import { createComprehendCalls, type ComprehendCalls } from './comprehend-calls.js';
import { COMPREHEND_CALLS_PER_SECOND } from './comprehend-limits.js';

const callsPerSecondSchema = z._default(
  z.coerce.number().check(z.int(), z.gte(COMPREHEND_CALLS_PER_SECOND.min), z.lte(COMPREHEND_CALLS_PER_SECOND.max)),
  COMPREHEND_CALLS_PER_SECOND.default,
);

/** the calls a second COMPREHEND_CALLS_PER_SECOND asks for (absent: the default); throws, naming it, on a bad value */
export function comprehendCallsPerSecondOf(value: string | undefined): number {
  const parsed = callsPerSecondSchema.safeParse(value === '' ? undefined : value);
  if (!parsed.success) {
    throw new Error(
      `${COMPREHEND_CALLS_PER_SECOND.env}: expected an integer from ${COMPREHEND_CALLS_PER_SECOND.min} to ${COMPREHEND_CALLS_PER_SECOND.max}, got ${JSON.stringify(value)}`,
    );
  }
  return parsed.data;
}

const callsPerSecond = comprehendCallsPerSecondOf(process.env[COMPREHEND_CALLS_PER_SECOND.env]);
let shared: { client: ComprehendClient; calls: ComprehendCalls } | undefined;

export function comprehendFromEnvironment(): { client: ComprehendClient; calls: ComprehendCalls } {
  shared ??= {
    client: createComprehendClient(),
    calls: createComprehendCalls({ callsPerSecond }),
  };
  return shared;
}
