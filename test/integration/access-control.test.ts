// integration, on the local runtime: one principal resolver and one admin check behind every bearer-token route.
// Admin-role tokens mint invitations (audited) like the bootstrap token; cx tokens are refused (403); revoked and
// unknown tokens are told apart; a client that keeps sending bad tokens is throttled (429 + Retry-After) while other
// clients are not. Each client speaks through a trusted client-IP header, as the edge's x-feedback-viewer-address in the cloud.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestRuntime } from '../support/local-runtime.js';

const IP_HEADER = 'x-test-client-ip';
const FAILURES_PER_MINUTE = 3;
const SAVED = ['RATE_LIMIT_CLIENT_IP_HEADER', 'RATE_LIMIT_AUTH_FAILURES_PER_MINUTE', 'RATE_LIMIT_PER_MINUTE'].map((name) => [name, process.env[name]] as const);
let env: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  process.env.RATE_LIMIT_CLIENT_IP_HEADER = IP_HEADER;
  process.env.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE = String(FAILURES_PER_MINUTE);
  // the public per-client limit only has to be on (0 turns every limit off), not in the way
  env = await startTestRuntime({ rateLimitPerMinute: 10_000 });
});
afterAll(async () => {
  await env?.close();
  for (const [name, value] of SAVED) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** every request of a test as one client; `token` undefined: the bootstrap admin token */
const as = (ip: string) => (method: string, path: string, init: { token?: string; body?: unknown } = {}) =>
  request(env.runtime, method, path, { headers: { [IP_HEADER]: ip }, body: init.body, ...(init.token ? { token: init.token } : { admin: true }) });

const mintBody = (campaign: string) => ({ campaign, recipients: [{ customerRef: `cust-${campaign}` }] });

describe('an admin-role token', () => {
  it('mints invitations and reads the campaign, and the mint is in the audit log under its own actor', async () => {
    // Prepare
    const root = as('198.51.100.10');
    const created = await root('POST', '/v1/tokens', { body: { name: 'Campaign tool', role: 'admin' } });
    const tool = as('198.51.100.11');

    // Act
    const minted = await tool('POST', '/v1/surveys/demo/invitations', { token: created.body.token, body: mintBody('admin-role') });
    const report = await tool('GET', '/v1/surveys/demo/campaigns/admin-role', { token: created.body.token });
    const log = await root('GET', '/v1/audit?limit=200');

    // Assess
    expect(created.status).toBe(201);
    expect(minted.status).toBe(201);
    expect(minted.body).toMatchObject({ minted: 1 });
    expect(report.status).toBe(200);
    expect(log.body.items).toContainEqual(expect.objectContaining({ action: 'invitations.mint', actorId: `admin:${created.body.id}`, role: 'admin', status: 201, targets: { surveyId: 'demo' } }));
  });
});

describe('a cx token', () => {
  it('is refused 403 on every admin route, and a refused mint is audited with nothing minted', async () => {
    // Prepare
    const root = as('198.51.100.20');
    const cx = await root('POST', '/v1/tokens', { body: { name: 'Ana', role: 'cx', surveys: ['demo'] } });
    const ana = as('198.51.100.21');

    // Act
    const replies = [
      await ana('POST', '/v1/surveys/demo/invitations', { token: cx.body.token, body: mintBody('cx-try') }),
      await ana('GET', '/v1/surveys/demo/campaigns/cx-try', { token: cx.body.token }),
      await ana('POST', '/v1/tokens', { token: cx.body.token, body: { name: 'Sneaky', role: 'admin' } }),
      await ana('GET', '/v1/tokens', { token: cx.body.token }),
      await ana('GET', '/v1/audit', { token: cx.body.token }),
      await ana('POST', '/v1/cx-leads', { token: cx.body.token, body: { name: 'Ben', surveys: ['demo'] } }),
      await ana('GET', '/v1/customers/someone/export', { token: cx.body.token }),
    ];
    const campaign = await root('GET', '/v1/surveys/demo/campaigns/cx-try');
    const log = await root('GET', '/v1/audit?limit=200');

    // Assess: one check, one answer
    expect(replies.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403, 403]);
    for (const reply of replies) expect(reply.body).toEqual({ error: 'admin only', details: [{ path: 'authorization', reason: 'this needs an admin token' }] });
    expect(campaign.status).toBe(404);
    expect(log.body.items).toContainEqual(expect.objectContaining({ action: 'invitations.mint', actorId: `cx:${cx.body.id}`, status: 403 }));
  });
});

describe('a token that is not valid', () => {
  it('is answered "token revoked" once revoked and "invalid token" when unknown, with nothing else about it', async () => {
    // Prepare
    const root = as('198.51.100.30');
    const created = await root('POST', '/v1/tokens', { body: { name: 'Old tool', role: 'admin' } });
    await root('DELETE', `/v1/tokens/${created.body.id}`);
    const client = as('198.51.100.31');

    // Act
    const revoked = await client('POST', '/v1/surveys/demo/invitations', { token: created.body.token, body: mintBody('revoked') });
    const unknown = await client('POST', '/v1/surveys/demo/invitations', { token: 'adm_not-a-token-anyone-made', body: mintBody('unknown') });

    // Assess
    expect(revoked.status).toBe(401);
    expect(revoked.body).toEqual({ error: 'token revoked', details: [{ path: 'authorization', reason: 'token revoked' }] });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ error: 'invalid token', details: [{ path: 'authorization', reason: 'token not recognised' }] });
  });
});

describe('a client that keeps sending bad tokens', () => {
  it('is answered 429 with Retry-After, even with a good token, while other clients are unaffected', async () => {
    // Prepare
    const guesser = as('203.0.113.50');
    const neighbour = as('203.0.113.51');
    const path = '/v1/surveys/demo/campaigns/none';

    // Act: RATE_LIMIT_AUTH_FAILURES_PER_MINUTE=3, so one more attempt every 20 s
    const guesses = [];
    for (let i = 0; i < FAILURES_PER_MINUTE + 1; i++) guesses.push(await guesser('GET', path, { token: `adm_guess-${i}` }));
    const goodTokenAfter = await guesser('GET', path);
    const neighbourGood = await neighbour('GET', path);
    const neighbourBad = await neighbour('GET', path, { token: 'adm_typo' });

    // Assess
    expect(guesses.map((r) => r.status)).toEqual([401, 401, 401, 429]);
    const throttled = guesses[FAILURES_PER_MINUTE]!;
    expect(throttled.headers.get('retry-after')).toBe('20');
    expect(throttled.body).toMatchObject({ error: 'too many requests', retryAfterSeconds: 20, details: [{ path: 'authorization', reason: expect.stringContaining('failed authentications') }] });
    expect(goodTokenAfter.status).toBe(429);
    expect(neighbourGood.status).toBe(404);
    expect(neighbourBad.status).toBe(401);
  });

  it('is not throttled for requests that authenticate, however many', async () => {
    const busy = as('203.0.113.60');
    const statuses = [];
    for (let i = 0; i < FAILURES_PER_MINUTE * 3; i++) statuses.push((await busy('GET', '/v1/surveys/demo')).status);
    const firstBad = await busy('GET', '/v1/surveys/demo', { token: 'adm_typo' });

    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(firstBad.status).toBe(401);
  });

  it('is throttled on the admin API as well, a missing token counting as a failure', async () => {
    const anonymous = as('203.0.113.70');
    const statuses = [];
    for (let i = 0; i < FAILURES_PER_MINUTE + 1; i++) statuses.push((await request(env.runtime, 'GET', '/v1/tokens', { headers: { [IP_HEADER]: '203.0.113.70' } })).status);
    const withRootToken = await anonymous('GET', '/v1/tokens');

    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(withRootToken.status).toBe(429);
  });
});

describe('the bootstrap token', () => {
  it('still mints invitations', async () => {
    const minted = await as('198.51.100.40')('POST', '/v1/surveys/demo/invitations', { body: mintBody('bootstrap') });
    expect(minted.status).toBe(201);
  });
});

describe('the re-survey page', () => {
  it('carries the same security headers as the email survey page, CSP and nosniff included', async () => {
    // Act
    const resurvey = await fetch(`${env.runtime.url}/r/not-a-token`, { headers: { [IP_HEADER]: '192.0.2.80' } });
    const survey = await fetch(`${env.runtime.url}/s/not-a-token`, { headers: { [IP_HEADER]: '192.0.2.81' } });
    const securityHeaders = (reply: Response) =>
      Object.fromEntries(['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'x-robots-tag', 'cache-control'].map((name) => [name, reply.headers.get(name)]));

    // Assess
    expect(resurvey.headers.get('content-type')).toMatch(/^text\/html/);
    expect(securityHeaders(resurvey)).toEqual(securityHeaders(survey));
    expect(resurvey.headers.get('x-content-type-options')).toBe('nosniff');
    expect(resurvey.headers.get('content-security-policy')).toContain("script-src 'none'");
    expect(resurvey.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
