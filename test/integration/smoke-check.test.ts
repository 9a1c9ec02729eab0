// integration: the post-deploy smoke check (`npm run smoke`, cli/smoke-check.ts) against a running local runtime whose
// schedules run every 300 ms instead of every minute: every step passes on a healthy runtime; a wrong token, a route
// that fails, a response that never arrives and a survey id that belongs to a user each stop the run at the step they
// break, by name, with exit code 1 from the CLI. The same `runSmoke` takes any endpoint (a deployed stack's too).
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSmoke, SMOKE_SURVEY_TITLE, STEP_NAMES } from '../../cli/smoke-check.js';
import { ADMIN_TOKEN, request, startTestRuntime } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  env = await startTestRuntime({ scheduleEveryMs: 300 });
});
afterAll(async () => {
  await env?.close();
});

/** short waits: the schedules run every 300 ms here; generous enough for a loaded machine */
const quick = { pollEveryMs: 100, responseTimeoutMs: 30_000, rollupTimeoutMs: 30_000 };

const smokeCli = (args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'cli/smoke.ts', ...args], { env: { ...process.env, FEEDBACK_ADMIN_TOKEN: '' } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

/** a proxy in front of the runtime that answers `override`'s reply for the requests it picks, and forwards the rest */
async function proxyWith(override: (method: string, path: string) => { status: number; body: unknown } | undefined): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const replaced = override(req.method ?? 'GET', req.url ?? '/');
    if (replaced) {
      res.writeHead(replaced.status, { 'content-type': 'application/json' }).end(JSON.stringify(replaced.body));
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name === 'authorization' || name === 'content-type')) as Record<string, string>;
    const upstream = await fetch(`${env.runtime.url}${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/plain' }).end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the smoke check', () => {
  it('passes every step against a healthy runtime, and a second run reuses its own survey and invitation', async () => {
    // Act
    const first = await runSmoke({ endpoint: env.runtime.url, adminToken: ADMIN_TOKEN, ...quick });
    const second = await runSmoke({ endpoint: `${env.runtime.url}/`, adminToken: ADMIN_TOKEN, ...quick });
    const responses = await request(env.runtime, 'GET', '/v1/surveys/smoke/responses', { admin: true });
    const tasks = await request(env.runtime, 'GET', '/v1/followups?surveyId=smoke', { admin: true });
    const campaign = await request(env.runtime, 'GET', '/v1/surveys/smoke/campaigns/smoke', { admin: true });

    // Assess
    expect(first.steps.filter((s) => !s.ok), JSON.stringify(first.steps)).toEqual([]);
    expect(first.ok).toBe(true);
    expect(first.failed).toBeUndefined();
    expect(first.steps.map((s) => s.name)).toEqual([...STEP_NAMES]);
    const detail = Object.fromEntries(first.steps.map((s) => [s.name, s.detail]));
    expect(detail.survey).toBe('created survey smoke');
    expect(detail.response).toBe('stored with sentiment POSITIVE');
    expect(detail.metrics).toMatch(/^1 response counted in the hour from .*, NPS 100$/);
    expect(detail['invitation-page']).toBe('the survey form (HTML)');
    expect(second.ok, JSON.stringify(second.steps)).toBe(true);
    expect(second.steps[0]!.detail).toBe('replaced survey smoke');
    expect(second.steps.find((s) => s.name === 'metrics')!.detail).toMatch(/^2 responses counted in the hour/);
    expect(second.steps.find((s) => s.name === 'invitation')!.detail).toMatch(/^the same invitation as before/);
    // its footprint: two responses of its own survey, one invitation opened twice, and no follow-up task
    expect(responses.body.items).toHaveLength(2);
    expect(tasks.body.items).toEqual([]);
    expect(campaign.body).toMatchObject({ invitations: 1, opened: 1, opens: 2 });
  });

  it('exits 1 naming the survey step when the admin token is wrong, printing no token', async () => {
    // Act
    const run = await smokeCli(['--endpoint', env.runtime.url, '--admin-token', 'wrong-token-0123456789']);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL +survey +GET \/v1\/surveys\/smoke: answered 401/m);
    expect(run.stderr).toContain('smoke check failed at step "survey": GET /v1/surveys/smoke: answered 401');
    expect(run.stderr).toContain('is the admin token right?');
    expect(`${run.stdout}${run.stderr}`).not.toContain('wrong-token-0123456789');
  });

  it('names the tokens step when that route answers 500, after every step before it passed', async () => {
    // Prepare
    const proxy = await proxyWith((method, path) => (method === 'GET' && path.startsWith('/v1/tokens') ? { status: 500, body: { error: 'internal error' } } : undefined));

    // Act
    const result = await runSmoke({ endpoint: proxy.url, adminToken: ADMIN_TOKEN, ...quick }).finally(() => proxy.close());

    // Assess
    expect(result.ok).toBe(false);
    expect(result.failed).toBe('tokens');
    expect(result.steps.slice(0, -1).every((s) => s.ok)).toBe(true);
    expect(result.steps.at(-1)!.detail).toBe('GET /v1/tokens: answered 500 internal error');
  });

  it('names the response step when the response is never listed within its wait, saying it was not stored', async () => {
    // Prepare: the responses list answers as if nothing were stored
    const proxy = await proxyWith((method, path) => (method === 'GET' && /^\/v1\/surveys\/smoke\/responses\?/.test(path) ? { status: 200, body: { items: [], cursor: null } } : undefined));

    // Act
    const result = await runSmoke({ endpoint: proxy.url, adminToken: ADMIN_TOKEN, ...quick, responseTimeoutMs: 1_000 }).finally(() => proxy.close());

    // Assess
    expect(result).toMatchObject({ ok: false, failed: 'response' });
    expect(result.steps.map((s) => s.name)).toEqual(['survey', 'public-survey', 'submit', 'response']);
    expect(result.steps.at(-1)!.detail).toMatch(/^response \S+ not stored within 1 s/);
  });

  it('refuses a survey id that a user owns, and leaves that survey as it was', async () => {
    // Prepare
    const before = await request(env.runtime, 'GET', '/v1/surveys/demo', { admin: true });

    // Act
    const run = await smokeCli(['--endpoint', env.runtime.url, '--admin-token', ADMIN_TOKEN, '--survey', 'demo']);
    const after = await request(env.runtime, 'GET', '/v1/surveys/demo', { admin: true });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`smoke check failed at step "survey": survey "demo" exists and is not the smoke check's own (its title is not "${SMOKE_SURVEY_TITLE}")`);
    expect(after.body).toEqual(before.body);
  });
});
