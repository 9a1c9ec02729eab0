// integration: `npm run cli` against a running local runtime, over HTTP as a user would run it.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, request, startTestRuntime } from '../support/local-runtime.js';

const run = promisify(execFile);
let env: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  env = await startTestRuntime();
});
afterAll(async () => {
  await env?.close();
});

const cli = (args: string[], token = ADMIN_TOKEN) =>
  run(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    env: { ...process.env, FEEDBACK_ENDPOINT: env.runtime.url, FEEDBACK_ADMIN_TOKEN: token },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

describe('the CLI', () => {
  it('puts a survey from a file, which the admin API then serves', async () => {
    // Prepare
    const file = join(env.dataDir, 'kiosk.json');
    const survey = {
      id: 'kiosk',
      title: 'In-store kiosk',
      channels: ['kiosk'],
      questions: [{ id: 'csat', type: 'csat', required: true }],
      texts: { en: { title: 'How was your visit?', questions: { csat: { label: 'How satisfied are you?' } } } },
    };
    writeFileSync(file, JSON.stringify(survey));

    // Act
    const result = await cli(['surveys', 'put', file]);
    const stored = await request(env.runtime, 'GET', '/v1/surveys/kiosk', { admin: true });

    // Assess
    expect(result).toMatchObject({ code: 0, stdout: 'survey kiosk saved\n' });
    expect(stored.body).toMatchObject({ id: 'kiosk', channels: ['kiosk'] });
  });

  it('reports an invalid survey with each offending path and exits non-zero', async () => {
    const file = join(env.dataDir, 'broken.json');
    writeFileSync(file, JSON.stringify({ id: 'broken', title: '', channels: [], questions: [], texts: {} }));
    const result = await cli(['surveys', 'put', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('400 invalid request');
    expect(result.stderr).toContain('channels:');
    expect((await request(env.runtime, 'GET', '/v1/surveys/broken', { admin: true })).status).toBe(404);
  });

  it('refuses a wrong token with the API\'s 401', async () => {
    const result = await cli(['surveys', 'get', 'demo'], 'wrong-token-0000000000');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('401 invalid admin token');
  });
});
