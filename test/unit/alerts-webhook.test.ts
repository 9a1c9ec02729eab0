// unit: the webhook signature (a known vector, and what receivers must refuse) and how each answer is classified.
// The requests themselves go to a real local receiver in test/integration/alerts.test.ts; here fetch is a stand-in.
import { describe, expect, it } from 'vitest';
import { regexes } from 'zod/mini';
import {
  HOSTNAME_PATTERN,
  postSigned,
  postSignedWithRetries,
  signatureOf,
  verifyWebhookSignature,
  type AlertWebhook,
  type Fetch,
} from '../../shared/alerts/webhook.js';

const SECRET = 'whsec-test-secret-0123456789';
const BODY = '{"type":"metric-drop"}';
const T = 1_700_000_000;
const at = (seconds: number) => new Date(seconds * 1000);
// printf '%s' '1700000000.{"type":"metric-drop"}' | openssl dgst -sha256 -hmac 'whsec-test-secret-0123456789'
const KNOWN = 'v1=82f0fef2b190d4c68c499e36319f00b2544d0450c40d3e57dbd84057cc66f2e2';

const signed = (body = BODY, timestamp = T, secret = SECRET) => ({
  'x-feedback-timestamp': String(timestamp),
  'x-feedback-signature': signatureOf(body, timestamp, secret),
});

describe('webhook URL', () => {
  it("checks its host with zod's hostname pattern, written out in webhook.ts", () => {
    expect([HOSTNAME_PATTERN.source, HOSTNAME_PATTERN.flags]).toEqual([regexes.hostname.source, regexes.hostname.flags]);
  });
});

describe('webhook signature', () => {
  it('is v1= and the hex HMAC-SHA256 of "<timestamp>.<body>" (matches openssl)', () => {
    expect(signatureOf(BODY, T, SECRET)).toBe(KNOWN);
    expect(signatureOf(Buffer.from(BODY), T, SECRET)).toBe(KNOWN);
  });

  it('verifies a signed body, as text or raw bytes, with node:http or fetch headers', () => {
    expect(verifyWebhookSignature(BODY, signed(), SECRET, 300, at(T))).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(BODY), signed(), SECRET, 300, at(T + 299))).toBe(true);
    expect(verifyWebhookSignature(BODY, new Headers(signed()), SECRET, 300, at(T - 299))).toBe(true);
    expect(verifyWebhookSignature(BODY, { 'X-Feedback-Timestamp': String(T), 'X-Feedback-Signature': KNOWN }, SECRET, 300, at(T))).toBe(true);
  });

  it('refuses a changed body, another secret, and a missing or malformed header', () => {
    expect(verifyWebhookSignature('{"type":"metric-drop" }', signed(), SECRET, 300, at(T))).toBe(false);
    expect(verifyWebhookSignature(BODY, signed(), 'another-secret-0123456789', 300, at(T))).toBe(false);
    expect(verifyWebhookSignature(BODY, signed(BODY, T, 'another-secret-0123456789'), SECRET, 300, at(T))).toBe(false);
    expect(verifyWebhookSignature(BODY, {}, SECRET, 300, at(T))).toBe(false);
    expect(verifyWebhookSignature(BODY, { 'x-feedback-signature': KNOWN }, SECRET, 300, at(T))).toBe(false);
    expect(verifyWebhookSignature(BODY, { 'x-feedback-timestamp': String(T) }, SECRET, 300, at(T))).toBe(false);
    for (const signature of ['', KNOWN.slice(3), `v2=${KNOWN.slice(3)}`, KNOWN.slice(0, -2), `${KNOWN}00`, 'v1=zz']) {
      expect(verifyWebhookSignature(BODY, { ...signed(), 'x-feedback-signature': signature }, SECRET, 300, at(T)), signature).toBe(false);
    }
    expect(verifyWebhookSignature(BODY, { ...signed(), 'x-feedback-timestamp': '1700000000.5' }, SECRET, 300, at(T))).toBe(false);
    expect(verifyWebhookSignature(BODY, signed(), '', 300, at(T))).toBe(false);
  });

  it('refuses a timestamp outside the tolerance, in either direction (a replay, or a skewed clock)', () => {
    expect(verifyWebhookSignature(BODY, signed(), SECRET, 300, at(T + 301))).toBe(false);
    expect(verifyWebhookSignature(BODY, signed(), SECRET, 300, at(T - 301))).toBe(false);
    expect(verifyWebhookSignature(BODY, signed(), SECRET, 600, at(T + 301))).toBe(true);
  });

  it('does not let a resent timestamp reuse an old signature', () => {
    const old = signed(BODY, T - 3600);
    expect(verifyWebhookSignature(BODY, { ...old, 'x-feedback-timestamp': String(T) }, SECRET, 300, at(T))).toBe(false);
  });

  it('accepts any of several comma-separated v1 signatures (secret rotation)', () => {
    const headers = { ...signed(), 'x-feedback-signature': `${signatureOf(BODY, T, 'the-old-secret-0123456789')}, ${KNOWN}` };
    expect(verifyWebhookSignature(BODY, headers, SECRET, 300, at(T))).toBe(true);
    expect(verifyWebhookSignature(BODY, headers, 'the-old-secret-0123456789', 300, at(T))).toBe(true);
    expect(verifyWebhookSignature(BODY, headers, 'neither-secret-0123456789', 300, at(T))).toBe(false);
  });
});

describe('webhook post: classification of answers', () => {
  const webhook: AlertWebhook = { url: 'https://hooks.invalid/alerts?token=t0ken', secret: SECRET };
  const answering = (status: number): Fetch => async () => new Response(status === 204 ? null : 'body', { status });

  it.each([
    [200, 'delivered'],
    [202, 'delivered'],
    [204, 'delivered'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [301, 'permanent'],
    [400, 'permanent'],
    [401, 'permanent'],
    [404, 'permanent'],
    [410, 'permanent'],
    [422, 'permanent'],
  ] as const)('HTTP %i → %s', async (status, kind) => {
    const outcome = await postSigned(webhook, BODY, { fetch: answering(status) });
    expect(outcome.kind).toBe(kind);
    if (outcome.kind !== 'delivered') expect(outcome.error).toMatch(new RegExp(`^HTTP ${status}`));
  });

  it('classifies a network error as worth retrying, naming its code but never the URL', async () => {
    const refused: Fetch = async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED hooks.invalid:443'), { code: 'ECONNREFUSED' }) });
    };
    expect(await postSigned(webhook, BODY, { fetch: refused })).toEqual({ kind: 'retry', error: 'network error (ECONNREFUSED)' });
  });

  it('sends a POST signed at the clock\'s time, JSON, without following redirects', async () => {
    // Prepare
    let seen: { url: string; init: RequestInit } | undefined;
    const recording: Fetch = async (url, init) => {
      seen = { url: String(url), init: init! };
      return new Response(null, { status: 204 });
    };

    // Act
    await postSigned(webhook, BODY, { fetch: recording, now: () => at(T) });

    // Assess
    expect(seen?.url).toBe(webhook.url);
    expect(seen?.init).toMatchObject({ method: 'POST', body: BODY, redirect: 'manual' });
    expect(seen?.init.signal).toBeInstanceOf(AbortSignal);
    const headers = new Headers(seen?.init.headers);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(headers.get('x-feedback-timestamp')).toBe(String(T));
    expect(headers.get('x-feedback-signature')).toBe(KNOWN);
  });

  it('retries up to twice with the given waits, re-signing each attempt, and stops at the first non-retryable answer', async () => {
    // Prepare
    const statuses = [503, 429, 400, 200];
    const timestamps: string[] = [];
    const fetch: Fetch = async (_url, init) => {
      timestamps.push(new Headers(init?.headers).get('x-feedback-timestamp')!);
      return new Response(null, { status: statuses.shift()! });
    };
    const waits: number[] = [];
    let clock = T;

    // Act
    const result = await postSignedWithRetries(webhook, BODY, {
      fetch,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms / 1000;
      },
      now: () => at(clock),
    });

    // Assess
    expect(result).toEqual({ outcome: { kind: 'permanent', error: 'HTTP 400' }, attempts: 3 });
    expect(waits).toEqual([500, 1000]);
    expect(timestamps).toEqual([String(T), String(T), String(T + 1)]);
  });
});
