// adapter: the alert webhook. POSTs JSON signed with HMAC-SHA256, and the check receivers run on it.
//
// Signature scheme (v1), for receivers:
//   x-feedback-timestamp: <unix seconds when the request was sent>
//   x-feedback-signature: v1=<hex HMAC-SHA256(signing secret, "<timestamp>.<raw body>")>
// Compute the HMAC over the raw body bytes exactly as received (before any JSON parsing), compare in constant time,
// and reject timestamps too far from your clock (replays). `verifyWebhookSignature` does all three:
//
//   import { verifyWebhookSignature } from './shared/alerts/webhook.js';
//   http.createServer(async (req, res) => {
//     const chunks = []; for await (const chunk of req) chunks.push(chunk);
//     const body = Buffer.concat(chunks);
//     if (!verifyWebhookSignature(body, req.headers, process.env.ALERT_WEBHOOK_SECRET, 300)) return res.writeHead(401).end();
//     const { type, alert } = JSON.parse(body.toString('utf8'));   // type "metric-drop"
//     res.writeHead(204).end();                                     // any 2xx = delivered
//   });
//
// A header may carry several comma-separated `v1=` signatures (any match is accepted), so a receiver can be handed a
// new secret before the sender switches to it. Delivery is at least once: deduplicate on (alert.surveyId,
// alert.alertId). Redirects are not followed (configure the final URL).
// Sending: one attempt has a timeout; 2xx = delivered; 408, 429, 5xx, a timeout or a network error = worth retrying;
// any other status (3xx, 4xx) = permanent. Neither the body nor the secret nor the URL (it may hold a token) is ever
// put in an error message.
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from '../validation.js';
import { payloadOf, type Alert, type AlertPayload } from './alert.js';

/**
 * zod's hostname pattern (`regexes.hostname`), written out: reached through zod's `regexes` namespace, it would bring
 * every pattern zod has (about 7 KB) into each bundle. test/unit/alerts-webhook.test.ts checks that it is still zod's.
 */
export const HOSTNAME_PATTERN = /^(?=.{1,253}\.?$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[-0-9a-zA-Z]{0,61}[0-9a-zA-Z])?)*\.?$/;

/** a webhook URL: http or https, with a host, without user:password@ (fetch refuses those: use a path or query token) */
export const webhookUrlSchema = z
  .url({ protocol: /^https?$/, hostname: HOSTNAME_PATTERN, message: 'an http(s) URL such as https://hooks.example.com/feedback' })
  .check(z.refine((url) => !/^https?:\/\/[^/?#]*@/i.test(url), 'no user:password@ in the URL'));

export interface AlertWebhook {
  /** http(s) URL the alerts are POSTed to */
  url: string;
  /** HMAC-SHA256 signing secret */
  secret: string;
}

export const TIMESTAMP_HEADER = 'x-feedback-timestamp';
export const SIGNATURE_HEADER = 'x-feedback-signature';
export const SIGNATURE_VERSION = 'v1';
/** how far a receiver should accept a timestamp from its own clock, by default */
export const DEFAULT_TOLERANCE_SECONDS = 300;
/** per attempt */
export const DEFAULT_TIMEOUT_MS = 5_000;
/** waits between the attempts of one delivery run: 3 attempts in all */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [500, 1_000];

/** the JSON body POSTed for an alert */
export interface WebhookBody {
  type: 'metric-drop';
  alert: AlertPayload;
}

export const webhookBodyOf = (alert: Alert): string => JSON.stringify({ type: 'metric-drop', alert: payloadOf(alert) } satisfies WebhookBody);

const hmacOf = (secret: string, timestamp: string, body: string | Uint8Array) =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();

/** the `x-feedback-signature` value of `body` sent at `timestamp` (unix seconds) */
export const signatureOf = (body: string | Uint8Array, timestamp: number, secret: string): string =>
  `${SIGNATURE_VERSION}=${hmacOf(secret, String(timestamp), body).toString('hex')}`;

/** headers as node:http gives them (lower-case names) or as a fetch `Headers` */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function headerOf(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * true only if `headers` carry a v1 signature of `body` (the raw bytes or text as received) under `secret`, made at
 * a timestamp within `toleranceSeconds` of `now`. Never throws on what a request carries. A boolean rather than a
 * result object on purpose: `if (!verifyWebhookSignature(...)) reject` cannot be got wrong.
 */
export function verifyWebhookSignature(
  body: string | Uint8Array,
  headers: HeaderSource,
  secret: string,
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
  now: Date = new Date(),
): boolean {
  if (!secret) return false;
  const timestamp = headerOf(headers, TIMESTAMP_HEADER)?.trim();
  const signatures = headerOf(headers, SIGNATURE_HEADER);
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signatures) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = hmacOf(secret, timestamp, body);
  let valid = false;
  for (const candidate of signatures.split(',')) {
    const match = /^v1=([0-9a-f]{64})$/i.exec(candidate.trim());
    // no early exit: every candidate is compared, in constant time
    if (match?.[1] && timingSafeEqual(Buffer.from(match[1], 'hex'), expected)) valid = true;
  }
  return valid;
}

/** the outcome of one POST */
export type AttemptOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; error: string }
  | { kind: 'permanent'; error: string };

export type Fetch = typeof globalThis.fetch;
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PostOptions {
  fetch?: Fetch;
  /** per attempt */
  timeoutMs?: number;
  /** the signing time (the clock of the use case) */
  now?: () => Date;
}

const RETRYABLE_STATUSES = new Set([408, 429]);

/** a network error's code (ECONNREFUSED, UND_ERR_SOCKET, …) without its message, which may name the host */
function networkErrorOf(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(cause.code) ? cause.code : undefined;
  return code ? `network error (${code})` : 'network error';
}

/** one signed POST of `body` */
export async function postSigned(
  webhook: AlertWebhook,
  body: string,
  { fetch = globalThis.fetch, timeoutMs = DEFAULT_TIMEOUT_MS, now = () => new Date() }: PostOptions = {},
): Promise<AttemptOutcome> {
  const timestamp = Math.floor(now().getTime() / 1000);
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'feedback-platform-alerts/1',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signatureOf(body, timestamp, webhook.secret),
      },
      body,
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    return { kind: 'retry', error: signal.aborted ? `timeout after ${timeoutMs} ms` : networkErrorOf(error) };
  }
  // the answer's body is not needed (nor logged): release the connection
  await response.body?.cancel().catch(() => undefined);
  const { status } = response;
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status >= 500 || RETRYABLE_STATUSES.has(status)) return { kind: 'retry', error: `HTTP ${status}` };
  if (status >= 300 && status < 400) return { kind: 'permanent', error: `HTTP ${status} (redirects are not followed)` };
  return { kind: 'permanent', error: `HTTP ${status}` };
}

export interface RetryOptions extends PostOptions {
  sleep?: Sleep;
  /** the waits between attempts; their count + 1 is the number of attempts */
  retryDelaysMs?: readonly number[];
}

/**
 * POSTs `body` until it is delivered, fails permanently or has had 1 + retryDelaysMs.length attempts (each signed
 * afresh). Returns the last outcome and the number of requests sent.
 */
export async function postSignedWithRetries(
  webhook: AlertWebhook,
  body: string,
  { sleep = realSleep, retryDelaysMs = DEFAULT_RETRY_DELAYS_MS, ...options }: RetryOptions = {},
): Promise<{ outcome: AttemptOutcome; attempts: number }> {
  let attempts = 0;
  for (;;) {
    const outcome = await postSigned(webhook, body, options);
    attempts += 1;
    const delay = retryDelaysMs[attempts - 1];
    if (outcome.kind !== 'retry' || delay === undefined) return { outcome, attempts };
    await sleep(delay);
  }
}
