// integration: GET /v1/surveys/{id}/public through the local gateway and the ingest function, against dynalite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestRuntime } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  env = await startTestRuntime();
});
afterAll(async () => {
  await env?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${env.runtime.url}${path}`, { headers });

describe('GET /v1/surveys/{id}/public', () => {
  it('answers what the widget renders, cacheable by anyone, readable from any origin', async () => {
    // Act
    const reply = await get('/v1/surveys/demo/public', { origin: 'https://any-shop.example' });
    const body = await reply.json();

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(reply.headers.get('cache-control')).toBe('public, max-age=60');
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    expect(reply.headers.get('vary')).toBeNull();
    expect(reply.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(Object.keys(body).sort()).toEqual(['defaultLocale', 'id', 'questions', 'texts']);
    expect(body.questions.map((q: { id: string }) => q.id)).toEqual(['nps', 'csat', 'ces', 'product', 'service', 'price', 'comment']);
    expect(body.texts['zh-CN'].title).toBe('我们做得怎么样？');
    expect(JSON.stringify(body)).not.toMatch(/allowedOrigins|127\.0\.0\.1|detractorRules|retentionDays|weight/);
  });

  it('answers the same survey whatever query a page adds (a cache-buster, a tracking tag): it takes no parameter a typo could change', async () => {
    const plain = await (await get('/v1/surveys/demo/public')).text();
    const busted = await get('/v1/surveys/demo/public?_=1767225600000&utm_source=mail');

    expect(busted.status).toBe(200);
    expect(await busted.text()).toBe(plain);
  });

  it('answers 304 with no body to a request that already holds the current ETag', async () => {
    // Prepare
    const etag = (await get('/v1/surveys/demo/public')).headers.get('etag') ?? '';

    // Act
    const reply = await get('/v1/surveys/demo/public', { 'if-none-match': `W/${etag}` });

    // Assess
    expect(reply.status).toBe(304);
    expect(reply.headers.get('etag')).toBe(etag);
    expect(reply.headers.get('cache-control')).toBe('public, max-age=60');
    expect(await reply.text()).toBe('');
  });

  it('shows an edited survey under a new ETag', async () => {
    // Prepare
    const first = await get('/v1/surveys/demo/public');
    const survey = (await request(env.runtime, 'GET', '/v1/surveys/demo', { admin: true })).body;
    const put = await request(env.runtime, 'PUT', '/v1/surveys/demo', { admin: true, body: { ...survey, texts: { ...survey.texts, en: { ...survey.texts.en, title: 'How was your order?' } } } });

    // Act
    const second = await get('/v1/surveys/demo/public', { 'if-none-match': first.headers.get('etag') ?? '' });

    // Assess
    expect(put.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).not.toBe(first.headers.get('etag'));
    expect((await second.json()).texts.en.title).toBe('How was your order?');
  });

  it('answers 404 as JSON for an unknown survey and for an id no survey can have', async () => {
    // Act
    const unknown = await get('/v1/surveys/no-such-survey/public');
    const malformed = await get('/v1/surveys/NOT%20AN%20ID/public');

    // Assess
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'survey not found', details: [] });
    expect(unknown.headers.get('access-control-allow-origin')).toBe('*');
    expect(unknown.headers.get('cache-control')).toBe('no-store');
    expect(malformed.status).toBe(404);
  });

  it('does not answer other methods on the public path', async () => {
    const reply = await fetch(`${env.runtime.url}/v1/surveys/demo/public`, { method: 'POST', body: '{}' });
    expect(reply.status).toBe(405);
  });
});
