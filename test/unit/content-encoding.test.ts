// unit: large answers gzip-compressed when the request accepts gzip (functions/commons/content-encoding.ts). What
// Accept-Encoding allows (weights, `*`, identity, no header), which answers are left alone (small, 202/204/3xx,
// already encoded, not text), that a compressed body decodes to exactly the answer and never takes more of Lambda's
// answer than the body it replaces, and that the middleware sees the answer as it goes out (CORS and errors included).
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compressAnswers, compressedAnswer, MIN_COMPRESSED_BODY_BYTES, negotiatedEncoding } from '../../functions/commons/content-encoding.js';
import { makeConsoleCors } from '../../functions/commons/console-cors.js';
import { csv, httpErrors, json, type HttpEvent, type HttpResult } from '../../functions/commons/http.js';
import { answerBytesOf } from '../../shared/answer-size.js';
import { ApiError } from '../../shared/errors.js';
import fixture from '../events/http/post-response.json' with { type: 'json' };

/** a page of stored responses as GET /v1/surveys/{id}/responses answers it, about `bytes` long */
function responsesPage(bytes: number): HttpResult {
  const items = [];
  for (let i = 0, size = 0; size < bytes; i++) {
    const item = { id: `r-${i}`, surveyId: 'shop', receivedAt: `2026-12-01T10:${String(i % 60).padStart(2, '0')}:00.000Z`, answers: { nps: i % 11 }, comment: `Delivery ${i} was late, "again"` };
    items.push(item);
    size += JSON.stringify(item).length + 1;
  }
  return json(200, { items, cursor: null });
}

const decoded = (result: HttpResult) => gunzipSync(Buffer.from(result.body!, 'base64')).toString('utf8');

/** an HTTP API event for GET /v1/surveys/shop/responses with these request headers */
function getEvent(headers: Record<string, string>): HttpEvent {
  const event = structuredClone(fixture) as HttpEvent;
  return { ...event, routeKey: 'GET /v1/surveys/{id}/responses', rawPath: '/v1/surveys/shop/responses', body: undefined, headers: { host: event.headers.host!, ...headers } };
}

describe('what Accept-Encoding allows', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip', 'gzip'],
    ['gzip, deflate, br, zstd', 'gzip'],
    ['GZip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br', 'identity'],
    ['deflate, br', 'identity'],
    ['gzip;q=0', 'identity'],
    ['gzip; q=0.000', 'identity'],
    ['*', 'gzip'],
    ['*;q=0', 'identity'],
    ['gzip;q=0, *', 'identity'],
    ['identity', 'identity'],
    ['gzip;q=0.5, identity', 'identity'],
    ['gzip;q=0.5, identity;q=0.5', 'gzip'],
    ['gzip;q=0.5', 'gzip'],
    ['identity;q=0, *;q=0.3', 'gzip'],
    ['gzip ; q=0.8 , identity;q=0.5', 'gzip'],
    ['gzip;q=abc', 'identity'],
  ] as const)('%j gets %s', (acceptEncoding, expected) => {
    expect(negotiatedEncoding(acceptEncoding)).toBe(expected);
  });
});

describe('a compressed answer', () => {
  it('is a large page gzip-compressed in base64, which decodes to exactly the answer, with its headers kept', () => {
    // Prepare
    const page = responsesPage(200_000);

    // Act
    const answer = compressedAnswer(page, 'gzip, deflate, br');

    // Assess
    expect(answer).toMatchObject({ statusCode: 200, isBase64Encoded: true, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-encoding': 'gzip', vary: 'accept-encoding' } });
    expect(decoded(answer)).toBe(page.body);
    expect(answer.body!.length).toBeLessThan(page.body!.length / 4);
  });

  it('compresses a CSV download and an error answer alike, and keeps their own headers', () => {
    // Prepare
    const download = csv(200, 'id,comment\n'.concat('r-1,"late, again"\n'.repeat(500)), 'shop-responses.csv', { 'x-rows': '500', 'content-length': '9011' });
    const refusal = json(400, { error: 'invalid request', details: Array.from({ length: 60 }, (_, i) => ({ path: `items.${i}.nps`, reason: 'a whole number from 0 to 10' })) });

    // Act
    const [csvAnswer, errorAnswer] = [download, refusal].map((result) => compressedAnswer(result, 'gzip'));

    // Assess: a length for the uncompressed body would be wrong, so it goes
    expect(csvAnswer!.headers).toEqual({ ...download.headers, 'content-length': undefined, 'content-encoding': 'gzip', vary: 'accept-encoding' });
    expect(Object.keys(csvAnswer!.headers!)).not.toContain('content-length');
    expect(decoded(csvAnswer!)).toBe(download.body);
    expect(errorAnswer).toMatchObject({ statusCode: 400, isBase64Encoded: true, headers: { 'content-encoding': 'gzip' } });
    expect(decoded(errorAnswer!)).toBe(refusal.body);
  });

  it('is not made for a request without gzip in its Accept-Encoding, which still learns the answer varies on it', () => {
    // Prepare
    const page = responsesPage(20_000);

    // Act
    const answers = [undefined, 'identity', 'br', 'gzip;q=0'].map((acceptEncoding) => compressedAnswer(page, acceptEncoding));

    // Assess
    for (const answer of answers) expect(answer).toEqual({ ...page, headers: { ...page.headers, vary: 'accept-encoding' } });
  });

  it('leaves small answers, 202, 204 and redirects, encoded bodies and types other than text alone', () => {
    // Prepare
    const large = 'x'.repeat(5_000);
    const untouched: HttpResult[] = [
      json(200, 'x'.repeat(MIN_COMPRESSED_BODY_BYTES - 3)),
      json(202, { id: 'r-1', padding: large }),
      { statusCode: 204, headers: { 'content-type': 'text/plain' }, body: large },
      { statusCode: 302, headers: { location: '/console/', 'content-type': 'text/html' }, body: large },
      { statusCode: 200, headers: { 'content-type': 'application/json', 'Content-Encoding': 'br' }, body: large },
      { statusCode: 200, headers: { 'content-type': 'image/png' }, body: large },
      { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: Buffer.from(large).toString('base64'), isBase64Encoded: true },
      { statusCode: 200, body: large },
    ];

    // Act + Assess
    for (const result of untouched) expect(compressedAnswer(result, 'gzip')).toEqual(result);
    // at the threshold it compresses
    expect(compressedAnswer(json(200, 'x'.repeat(MIN_COMPRESSED_BODY_BYTES - 2)), 'gzip').headers).toMatchObject({ 'content-encoding': 'gzip' });
  });

  it('goes out uncompressed when compressing does not shrink it, so no answer outgrows the page it was sized for', () => {
    // Prepare: random text compresses to more than its base64 would save
    const noise = { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: randomBytes(300_000).toString('base64') };

    // Act
    const answer = compressedAnswer(noise, 'gzip');

    // Assess
    expect(answer).toEqual({ ...noise, headers: { ...noise.headers, vary: 'accept-encoding' } });
  });

  it('never takes more of the answer than the body it replaces, and always decodes to it (any text)', () => {
    // noise, and text that repeats itself: both ways out are taken
    const noise = fc.string({ unit: 'binary', minLength: MIN_COMPRESSED_BODY_BYTES, maxLength: 4_000 });
    const repetitive = fc.tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 100 }), fc.integer({ min: 12, max: 400 })).map(([part, times]) => part.repeat(times));
    fc.assert(
      fc.property(fc.oneof(noise, repetitive), (text) => {
        const result = { statusCode: 200, headers: { 'content-type': 'text/csv' }, body: text };
        const answer = compressedAnswer(result, 'gzip');
        if (answer.isBase64Encoded) {
          expect(answer.body!.length + 64).toBeLessThan(answerBytesOf(text));
          expect(decoded(answer)).toBe(text);
        } else expect(answer.body).toBe(text);
      }),
      { numRuns: 100 },
    );
  });

  it('adds accept-encoding to the Vary the answer already has, once', () => {
    // Prepare
    const page = responsesPage(5_000);

    // Act
    const fromOrigin = compressedAnswer({ ...page, headers: { ...page.headers, Vary: 'origin' } }, 'gzip');
    const already = compressedAnswer({ ...page, headers: { ...page.headers, vary: 'Origin, Accept-Encoding' } }, undefined);

    // Assess
    expect(fromOrigin.headers).toMatchObject({ Vary: 'origin, accept-encoding' });
    expect(fromOrigin.headers).not.toHaveProperty('vary');
    expect(already.headers).toMatchObject({ vary: 'Origin, Accept-Encoding' });
  });
});

describe('Middleware: compressAnswers', () => {
  const CONSOLE = 'https://console.example.com';
  /** a handler composed as the admin API is: logging aside, compression first, then CORS and the error mapping */
  function adminLike(answer: () => Promise<HttpResult>) {
    const cors = makeConsoleCors([CONSOLE]);
    const handler = middy(answer).use(compressAnswers()).use(cors.middleware).use(httpErrors(cors.headersFor));
    return (event: HttpEvent) => handler(event, {} as Context) as Promise<HttpResult>;
  }

  it('compresses the answer as it goes out, with the CORS headers added after the handler', async () => {
    // Prepare
    const page = responsesPage(50_000);
    const handler = adminLike(async () => page);

    // Act
    const answer = await handler(getEvent({ origin: CONSOLE, 'accept-encoding': 'gzip, deflate' }));
    const plain = await handler(getEvent({ origin: CONSOLE }));

    // Assess
    expect(answer.headers).toMatchObject({ 'content-encoding': 'gzip', 'access-control-allow-origin': CONSOLE, vary: 'origin, accept-encoding' });
    expect(decoded(answer)).toBe(page.body);
    expect(plain).toMatchObject({ body: page.body, headers: { 'access-control-allow-origin': CONSOLE, vary: 'origin, accept-encoding' } });
    expect(plain.headers).not.toHaveProperty('content-encoding');
  });

  it("compresses a large error's answer that httpErrors made", async () => {
    // Prepare
    const details = Array.from({ length: 80 }, (_, i) => ({ path: `answers.q${i}`, reason: 'not a question of this survey' }));
    const handler = adminLike(async () => {
      throw new ApiError(400, 'invalid request', details);
    });

    // Act
    const answer = await handler(getEvent({ 'accept-encoding': 'gzip' }));

    // Assess
    expect(answer).toMatchObject({ statusCode: 400, isBase64Encoded: true, headers: { 'content-encoding': 'gzip' } });
    expect(JSON.parse(decoded(answer))).toEqual({ error: 'invalid request', details });
  });
});
