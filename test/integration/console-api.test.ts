// integration, on the local runtime: what the CX console relies on. A CX lead's token reads the surveys it is granted
// (and only those) through the admin routes, lists them with GET /v1/surveys, cannot change a survey; the console's
// origin gets CORS (preflight and answers, errors included) when CONSOLE_ORIGINS names it; /console/ is served with
// its security headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSurvey } from '../browser/harness.js';
import { request, startTestRuntime } from '../support/local-runtime.js';

const CONSOLE_ORIGIN = 'https://console.example.com';
let env: Awaited<ReturnType<typeof startTestRuntime>>;
let lead: string;
const saved = process.env.CONSOLE_ORIGINS;

beforeAll(async () => {
  // the handlers read it at their first import, as a cold start does
  process.env.CONSOLE_ORIGINS = `${CONSOLE_ORIGIN},https://other.example.com`;
  env = await startTestRuntime();
  await putSurvey(env.runtime, 'private', 'https://shop.example.com');
  lead = (await request(env.runtime, 'POST', '/v1/cx-leads', { admin: true, body: { name: 'Ana', surveys: ['demo', 'gone'] } })).body.token;
});
afterAll(async () => {
  await env?.close();
  if (saved === undefined) delete process.env.CONSOLE_ORIGINS;
  else process.env.CONSOLE_ORIGINS = saved;
});

describe('a CX lead token on the admin routes', () => {
  it('lists and reads the granted surveys only, and cannot change one', async () => {
    // Act
    const { runtime } = env;
    const listed = await request(runtime, 'GET', '/v1/surveys', { token: lead });
    const asAdmin = await request(runtime, 'GET', '/v1/surveys', { admin: true });
    const reads = await Promise.all(
      ['', '/responses', '/responses.csv', '/metrics', '/metrics.csv', '/alerts'].map(async (suffix) => [
        (await fetch(`${runtime.url}/v1/surveys/demo${suffix}`, { headers: { authorization: `Bearer ${lead}` } })).status,
        (await fetch(`${runtime.url}/v1/surveys/private${suffix}`, { headers: { authorization: `Bearer ${lead}` } })).status,
      ]),
    );
    const demo = await request(runtime, 'GET', '/v1/surveys/demo', { token: lead });
    const write = await request(runtime, 'PUT', '/v1/surveys/demo', { token: lead, body: demo.body });
    const noToken = await request(runtime, 'GET', '/v1/surveys');
    const badToken = await request(runtime, 'GET', '/v1/surveys/demo/metrics', { token: 'cx_not-a-token' });

    // Assess: granted "gone" does not exist, so it is not listed
    expect(listed).toMatchObject({ status: 200, body: { items: [{ id: 'demo', title: 'Demo shop: how did we do?', channels: ['web', 'email', 'api'] }] } });
    expect(asAdmin.body.items.map((s: { id: string }) => s.id)).toEqual(['demo', 'private']);
    expect(reads).toEqual(Array.from({ length: 6 }, () => [200, 403]));
    expect(write.status).toBe(403);
    expect(write.body.error).toBe('admin only');
    expect(noToken.status).toBe(401);
    expect(badToken.status).toBe(401);
  });
});

describe('CORS for the console origin', () => {
  it('answers preflights and responses for the console origin only, errors included', async () => {
    const { runtime } = env;
    const preflight = (origin: string, path: string) =>
      fetch(`${runtime.url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });

    // Act
    const allowed = await preflight(CONSOLE_ORIGIN, '/v1/followups/t_x/claim');
    const metricsPreflight = await preflight(CONSOLE_ORIGIN, '/v1/surveys/demo/metrics');
    const stranger = await preflight('https://evil.example.com', '/v1/surveys/demo/metrics');
    const answer = await fetch(`${runtime.url}/v1/surveys/demo/responses.csv`, { headers: { origin: CONSOLE_ORIGIN, authorization: `Bearer ${lead}` } });
    const refused = await fetch(`${runtime.url}/v1/surveys/private`, { headers: { origin: CONSOLE_ORIGIN, authorization: `Bearer ${lead}` } });
    const strangerAnswer = await fetch(`${runtime.url}/v1/surveys`, { headers: { origin: 'https://evil.example.com', authorization: `Bearer ${lead}` } });

    // Assess
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    expect(metricsPreflight.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    expect(answer.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
    expect(answer.headers.get('access-control-expose-headers')).toContain('x-next-cursor');
    expect(answer.headers.get('x-rows')).toBe('0');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
    expect(strangerAnswer.status).toBe(200);
    expect(strangerAnswer.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the console page', () => {
  it('is served under /console/ with a CSP that allows only its own files, and /console redirects there', async () => {
    const page = await fetch(`${env.runtime.url}/console/`);
    const script = await fetch(`${env.runtime.url}/console/console.js`);
    const config = await fetch(`${env.runtime.url}/console/config.json`);
    const bare = await fetch(`${env.runtime.url}/console`, { redirect: 'manual' });

    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';.*frame-ancestors 'none'/);
    expect(await page.text()).toMatch(/<script type="module" src="console\.js"><\/script>/);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    // each chunk the shell imports (statically, or when a view is first shown) is served beside it
    const chunks = [...new Set((await script.text()).match(/\.\/chunk-[\w-]+\.js/g) ?? [])];
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    for (const chunk of chunks) {
      const served = await fetch(`${env.runtime.url}/console/${chunk.slice(2)}`);
      expect([chunk, served.status, served.headers.get('content-type')]).toEqual([chunk, 200, 'text/javascript; charset=utf-8']);
    }
    expect(await config.json()).toEqual({ apiUrl: '' });
    expect([bare.status, bare.headers.get('location')]).toEqual([308, '/console/']);
  });
});
