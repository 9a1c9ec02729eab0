// middleware: rate limits for the public routes, per client IP and per survey (token buckets, shared/abuse). Over the
// limit: 429 with Retry-After (through httpErrors, so CORS headers apply). State lives in this function instance's
// memory: exact for one process (the local runtime), approximate in the cloud, where each Lambda instance counts
// alone; API Gateway stage throttling and the WAF rate-based rule are the cloud's real limits (see README).
//   RATE_LIMIT_PER_MINUTE            per client IP (default 120; 0 turns every limit off, e.g. for load tests)
//   RATE_LIMIT_SURVEY_PER_MINUTE     per survey (default 50 × the per-IP limit; 0 turns this one off)
//   RATE_LIMIT_CLIENT_IP_HEADER      a header that carries the client IP when a trusted proxy is in front (the CDK
//                                    sets the one its edge writes: infra/cdk/viewer-address.ts); the sourceIp otherwise
//   RATE_LIMIT_AUTH_FAILURES_PER_MINUTE  failed authentications per client IP on the bearer-token routes (default 10;
//                                    0 turns this one off): see authFailureThrottle below
// One line wires it into a handler: `.use(rateLimit())`, or `.use(rateLimit({ surveyOf }))` when the survey is known.
import { isIP } from 'node:net';
import type { MiddlewareObj } from '@middy/core';
import * as z from '../../shared/validation.js';
import { createTokenBuckets, type TokenBuckets } from '../../shared/abuse/token-bucket.js';
import { ApiError } from '../../shared/errors.js';
import { readEnv } from './env.js';
import { header, type HttpEvent, type HttpResult } from './http.js';

export const DEFAULT_PER_IP_PER_MINUTE = 120;
export const SURVEY_FACTOR = 50;
export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 10;

export interface RateLimitSettings {
  perIpPerMinute: number;
  perSurveyPerMinute: number;
  clientIpHeader?: string;
}

export function rateLimitSettingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): RateLimitSettings {
  const parsed = readEnv(
    {
      RATE_LIMIT_PER_MINUTE: z._default(z.coerce.number().check(z.int(), z.gte(0)), DEFAULT_PER_IP_PER_MINUTE),
      RATE_LIMIT_SURVEY_PER_MINUTE: z.optional(z.coerce.number().check(z.int(), z.gte(0))),
      RATE_LIMIT_CLIENT_IP_HEADER: z.optional(z.string().check(z.minLength(1))),
    },
    env,
  );
  const perIp = parsed.RATE_LIMIT_PER_MINUTE;
  return {
    perIpPerMinute: perIp,
    perSurveyPerMinute: perIp === 0 ? 0 : (parsed.RATE_LIMIT_SURVEY_PER_MINUTE ?? perIp * SURVEY_FACTOR),
    clientIpHeader: parsed.RATE_LIMIT_CLIENT_IP_HEADER?.toLowerCase(),
  };
}

/**
 * an address ("203.0.113.7", "2001:db8::1", as the edge's viewer-request function writes it) as it is, or one with a
 * port ("203.0.113.7:46532", "2001:db8::1:46532", as CloudFront-Viewer-Address gives it) without the port
 */
const addressOf = (value: string) => (isIP(value) ? value : value.replace(/:\d+$/, ''));

export function clientIpOf(event: HttpEvent, clientIpHeader?: string): string {
  const forwarded = clientIpHeader ? header(event, clientIpHeader) : undefined;
  return forwarded ? addressOf(forwarded.trim()) : event.requestContext.http.sourceIp;
}

const LIMIT_NAMES = { client: 'over the per-client rate limit', survey: 'over the per-survey rate limit', authFailures: 'too many failed authentications from this client' };

export class RateLimitedError extends ApiError {
  constructor(readonly retryAfterSeconds: number, what: keyof typeof LIMIT_NAMES) {
    super(429, 'too many requests', [{ path: what === 'authFailures' ? 'authorization' : '', reason: `${LIMIT_NAMES[what]}; retry after ${retryAfterSeconds} s` }], { retryAfterSeconds });
  }
}

export interface RateLimitOptions {
  /** the survey a request is about, when it can be told cheaply; limited per survey too */
  surveyOf?: (event: HttpEvent) => string | undefined;
  settings?: RateLimitSettings;
  /** epoch ms (tests) */
  now?: () => number;
}

export function rateLimit({ surveyOf, settings = rateLimitSettingsFromEnvironment(), now = Date.now }: RateLimitOptions = {}): MiddlewareObj<HttpEvent, HttpResult> {
  const { perIpPerMinute, perSurveyPerMinute, clientIpHeader } = settings;
  // off: a no-op (middy wants at least one hook)
  if (perIpPerMinute === 0) return { before: () => undefined };
  // one minute's worth may come at once, then the refill rate holds
  const perIp: TokenBuckets = createTokenBuckets({ capacity: perIpPerMinute, refillPerMinute: perIpPerMinute });
  const perSurvey: TokenBuckets | undefined =
    surveyOf && perSurveyPerMinute > 0 ? createTokenBuckets({ capacity: perSurveyPerMinute, refillPerMinute: perSurveyPerMinute }) : undefined;

  return {
    before: async ({ event }) => {
      // preflights carry no survey and are cached by browsers for a day
      if (event.requestContext.http.method === 'OPTIONS') return;
      const at = now();
      const client = perIp.take(clientIpOf(event, clientIpHeader), at);
      if (!client.allowed) throw new RateLimitedError(client.retryAfterSeconds, 'client');
      const surveyId = perSurvey ? surveyOf?.(event) : undefined;
      if (perSurvey && surveyId !== undefined) {
        const survey = perSurvey.take(surveyId, at);
        if (!survey.allowed) throw new RateLimitedError(survey.retryAfterSeconds, 'survey');
      }
    },
  };
}

export interface AuthFailureSettings {
  failuresPerMinute: number;
  clientIpHeader?: string;
}

/** RATE_LIMIT_AUTH_FAILURES_PER_MINUTE; RATE_LIMIT_PER_MINUTE=0 turns this limit off too, as it does every other */
export function authFailureSettingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): AuthFailureSettings {
  const { perIpPerMinute, clientIpHeader } = rateLimitSettingsFromEnvironment(env);
  const { RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: failures } = readEnv({ RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: z._default(z.coerce.number().check(z.int(), z.gte(0)), DEFAULT_AUTH_FAILURES_PER_MINUTE) }, env);
  return { failuresPerMinute: perIpPerMinute === 0 ? 0 : failures, clientIpHeader };
}

/**
 * Throttles guessing on the bearer-token routes: each failed authentication (no, unknown or revoked token) takes one
 * token from the client IP's bucket; once it is empty the client is answered 429 before its token is even looked at,
 * a correct one included (else the throttle would still answer which guess is right). A successful request takes
 * nothing, so a client that authenticates correctly is never slowed. Per function instance, in memory.
 */
export function authFailureThrottle({ settings = authFailureSettingsFromEnvironment(), now = Date.now }: { settings?: AuthFailureSettings; now?: () => number } = {}) {
  const { failuresPerMinute, clientIpHeader } = settings;
  const failures = failuresPerMinute > 0 ? createTokenBuckets({ capacity: failuresPerMinute, refillPerMinute: failuresPerMinute }) : undefined;
  return {
    /** 429 while the client has no failed attempt left */
    check(event: HttpEvent): void {
      const left = failures?.peek(clientIpOf(event, clientIpHeader), now());
      if (left && !left.allowed) throw new RateLimitedError(left.retryAfterSeconds, 'authFailures');
    },
    failed(event: HttpEvent): void {
      failures?.take(clientIpOf(event, clientIpHeader), now());
    },
  };
}

export type AuthFailureThrottle = ReturnType<typeof authFailureThrottle>;
