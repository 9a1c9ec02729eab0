// test support: a local runtime on a free port with its own data folder, and small HTTP helpers against it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const LINK_KEYS = [{ kid: 'test-1', secret: 'test-link-signing-secret-0123456789abcdef' }];

/** rate limits are off unless a test opts in with `rateLimitPerMinute` (tests send bursts from one IP) */
export async function startTestRuntime(
  options: { scheduleEveryMs?: number; rateLimitPerMinute?: number; rateLimitSurveyPerMinute?: number; queueTransport?: 'in-process' | 'sdk'; intakeFirst?: boolean } = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'feedback-test-'));
  const runtime = await startLocalRuntime({ dataDir, adminToken: ADMIN_TOKEN, linkKeys: JSON.stringify(LINK_KEYS), port: 0, surveyCacheSeconds: 0, logLevel: 'SILENT', rateLimitPerMinute: 0, ...options });
  return {
    runtime,
    dataDir,
    async close() {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * a test runtime for email survey links: provisional answers final as soon as the finaliser runs, a dwell of 1 s, and
 * the schedules run only when a test triggers them; `close` puts the two variables back
 */
export async function startEmailSurveyTestRuntime() {
  const saved = { EMAIL_SURVEY_FINALISE_MINUTES: process.env.EMAIL_SURVEY_FINALISE_MINUTES, EMAIL_SURVEY_DWELL_SECONDS: process.env.EMAIL_SURVEY_DWELL_SECONDS };
  Object.assign(process.env, { EMAIL_SURVEY_FINALISE_MINUTES: '0', EMAIL_SURVEY_DWELL_SECONDS: '1' });
  const env = await startTestRuntime({ scheduleEveryMs: 3_600_000 });
  return {
    ...env,
    async close() {
      await env.close();
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
}

export interface JsonReply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function request<T = any>(runtime: Pick<LocalRuntime, 'url'>, method: string, path: string, init: { body?: unknown; raw?: string; headers?: Record<string, string>; admin?: boolean; token?: string } = {}): Promise<JsonReply<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
  if (init.admin) headers.authorization = `Bearer ${ADMIN_TOKEN}`;
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(`${runtime.url}${path}`, {
    method,
    headers,
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/**
 * polls until `check` returns a value other than undefined, or fails after `timeoutMs`: a hang guard, so make it
 * generous (it returns as soon as the condition holds, and a loaded machine can take many times the usual wait)
 */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function listAll(runtime: Pick<LocalRuntime, 'url'>, surveyId: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: JsonReply = await request(runtime, 'GET', `/v1/surveys/${surveyId}/responses?${query}`, { admin: true });
    if (page.status !== 200) throw new Error(`list failed: ${page.status}`);
    items.push(...page.body.items);
    cursor = page.body.cursor;
  } while (cursor);
  return items;
}
