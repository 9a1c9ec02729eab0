// shared by the HTTP handlers: requests must come through the edge (CloudFront, with AWS WAF), not straight to the
// API Gateway endpoint. CloudFront adds a secret header to every request it forwards (its value is the Secrets Manager
// secret ORIGIN_VERIFY_SECRET_ARN, resolved at deploy time, never in the template); a request without that value is
// refused with 403 before anything else runs, so going around the edge skips neither the WAF nor the rate limits.
// Unset (the local runtime, which has no edge): no check.
import type { MiddlewareObj } from '@middy/core';
import { ApiError } from '../../shared/errors.js';
import { header, type HttpEvent, type HttpResult } from './http.js';
import { cachedSecret, secretsEqual } from './secret.js';

export const ORIGIN_VERIFY_SECRET_ARN_ENV = 'ORIGIN_VERIFY_SECRET_ARN';
/** the header CloudFront adds as a custom origin header (it replaces any a viewer sends under that name) */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

export function originVerify(env: NodeJS.ProcessEnv = process.env): MiddlewareObj<HttpEvent, HttpResult> {
  const secretArn = env[ORIGIN_VERIFY_SECRET_ARN_ENV];
  // (middy refuses a middleware with no hook)
  if (!secretArn) return { before: async () => undefined };
  if (!secretArn.startsWith('arn:')) throw new Error(`missing or invalid environment: ${ORIGIN_VERIFY_SECRET_ARN_ENV} (a Secrets Manager secret ARN)`);
  // every request needs it: read while the function initialises (beside the admin token, for the APIs that read both)
  const expected = cachedSecret(
    secretArn,
    (SecretString) => {
      if (!SecretString) throw new Error('origin verify secret is empty');
      return SecretString;
    },
    { readAtInit: true },
  );
  return {
    before: async ({ event }) => {
      const given = header(event, ORIGIN_VERIFY_HEADER);
      // compared as digests: the same time whatever the value, and a missing header costs the same as a wrong one
      if (!secretsEqual(given ?? '', await expected())) {
        throw new ApiError(403, 'forbidden', [{ path: '', reason: 'this API is reached through its edge URL only' }]);
      }
    },
  };
}
