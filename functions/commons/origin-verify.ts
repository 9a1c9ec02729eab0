// shared by the HTTP handlers: requests must come through the edge (CloudFront, with AWS WAF), not straight to the
// API Gateway endpoint. CloudFront adds a secret header to every request it forwards (its value is the Secrets Manager
// secret ORIGIN_VERIFY_SECRET_ARN, resolved at deploy time, never in the template); a request without that value is
// refused with 403 before anything else runs, so going around the edge skips neither the WAF nor the rate limits.
// Unset (the local runtime, which has no edge): no check.
//
// Changing the value (docs/security-and-privacy.md) must not refuse the edge: CloudFront sends the new value only once
// the distribution is redeployed and that has reached every edge location, minutes later, and each container read the
// secret once. So the secret's previous value (its AWSPREVIOUS stage, which Secrets Manager gives the value a new one
// replaces) is accepted beside the current one, both are read again every few minutes, and a value that matches
// neither has them read again first (at most every REREAD_ON_MISMATCH_MS, so that wrong headers cannot make a
// container call Secrets Manager at their rate).
import type { MiddlewareObj } from '@middy/core';
import { ApiError } from '../../shared/errors.js';
import { header, type HttpEvent, type HttpResult } from './http.js';
import { cachedSecret, REREAD_ON_MISMATCH_MS, SECRET_TTL_MS, secretsEqual } from './secret.js';

export const ORIGIN_VERIFY_SECRET_ARN_ENV = 'ORIGIN_VERIFY_SECRET_ARN';
/** the header CloudFront adds as a custom origin header (it replaces any a viewer sends under that name) */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';


export function originVerify(env: NodeJS.ProcessEnv = process.env, now: () => number = Date.now): MiddlewareObj<HttpEvent, HttpResult> {
  const secretArn = env[ORIGIN_VERIFY_SECRET_ARN_ENV];
  // (middy refuses a middleware with no hook)
  if (!secretArn) return { before: async () => undefined };
  if (!secretArn.startsWith('arn:')) throw new Error(`missing or invalid environment: ${ORIGIN_VERIFY_SECRET_ARN_ENV} (a Secrets Manager secret ARN)`);
  const nonEmpty = (SecretString: string | undefined) => {
    if (!SecretString) throw new Error('origin verify secret is empty');
    return SecretString;
  };
  // every request needs them: read while the function initialises (beside the admin token, for the APIs that read both)
  const current = cachedSecret(secretArn, nonEmpty, { ttlMs: SECRET_TTL_MS, now, readAtInit: true });
  // a secret that was never changed has no previous value
  const previous = cachedSecret<string | undefined>(secretArn, nonEmpty, { ttlMs: SECRET_TTL_MS, now, readAtInit: true, versionStage: 'AWSPREVIOUS', absent: () => undefined });
  const accepted = async (given: string, options?: { ifOlderThanMs: number }) => {
    // the previous value only widens what is accepted: a read of it that fails refuses nothing the current one accepts
    const [currentValue, previousValue] = await Promise.all([current(options), previous(options).catch(() => undefined)]);
    // compared as digests, both of them: the same time whatever the value, and a missing header costs as a wrong one
    return [secretsEqual(given, currentValue), previousValue !== undefined && secretsEqual(given, previousValue)].some(Boolean);
  };
  return {
    before: async ({ event }) => {
      const given = header(event, ORIGIN_VERIFY_HEADER) ?? '';
      if (!(await accepted(given)) && !(await accepted(given, { ifOlderThanMs: REREAD_ON_MISMATCH_MS }))) {
        throw new ApiError(403, 'forbidden', [{ path: '', reason: 'this API is reached through its edge URL only' }]);
      }
    },
  };
}
