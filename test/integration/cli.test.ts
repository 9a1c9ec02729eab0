// integration: `npm run cli` against a running local runtime, over HTTP as a user would run it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, runCli } from '../support/cli.js';
import { eventually, request, startTestRuntime } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  env = await startTestRuntime();
});
afterAll(async () => {
  await env?.close();
});

const cli = (args: string[], token?: string) => runCli(env.runtime.url, args, token);

describe('the CLI', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
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

  it('refuses an unknown option, a missing value or a stray argument with exit code 2 and the usage, sending nothing', async () => {
    // Prepare: a valid survey that a mistyped command must not put
    const file = join(env.dataDir, 'never-put.json');
    writeFileSync(file, JSON.stringify({ id: 'never-put', title: 'x', channels: ['web'], questions: [{ id: 'nps', type: 'nps', required: true }], texts: { en: { title: 'x', questions: { nps: { label: 'x' } } } } }));

    // Act
    const unknown = await cli(['surveys', 'put', file, '--force']);
    const mistyped = await cli(['report', 'demo', '--intervl', 'day']);
    const noValue = await cli(['responses', 'demo', '--limit']);
    const stray = await cli(['tokens', 'list', 'extra']);
    const stored = await request(env.runtime, 'GET', '/v1/surveys/never-put', { admin: true });

    // Assess
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toMatch(/^surveys put: Unknown option '--force'\nusage:/);
    expect(mistyped).toMatchObject({ code: 2, stderr: expect.stringContaining("report: Unknown option '--intervl'") });
    expect(noValue).toMatchObject({ code: 2, stderr: expect.stringContaining("responses: Option '--limit <value>' argument missing") });
    expect(stray).toMatchObject({ code: 2, stderr: expect.stringContaining('tokens list: unexpected argument extra') });
    expect(stored.status).toBe(404);
  });

  it('prints the usage for help, with one line per command and no stray code', async () => {
    const result = await cli(['help']);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('usage:\n')).toBe(true);
    expect(result.stdout).not.toMatch(/return;|^\s*}\s*$/m);
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

  it('creates a CX lead, whose token lists (who and why), claims, notes and resolves follow-up tasks; a refused move shows the 409', async () => {
    // Prepare: a follow-up task, opened through the pipeline
    const submitted = await request(env.runtime, 'POST', '/v1/responses', {
      body: { surveyId: 'demo', channel: 'web', touchpoint: 'delivery', customerRef: 'crm-77', answers: { nps: 1, csat: 2 }, comment: '送货太慢了' },
    });
    const created = await cli(['cx-leads', 'create', 'Ana', 'demo']);
    const token = /token \(shown once\): (\S+)/.exec(created.stdout)?.[1] ?? '';
    const taskId = await eventually(
      async () => {
        await env.runtime.triggerSchedule('route-detractors');
        return (await request(env.runtime, 'GET', '/v1/followups?surveyId=demo', { admin: true })).body.items?.[0]?.id as string | undefined;
      },
      120_000,
      'a task',
    );

    // Act
    const listed = await cli(['followups', 'list', '--status', 'open'], token);
    const inChinese = await cli(['followups', 'list', '--status', 'open', '--lang', 'zh-CN'], token);
    const found = await cli(['followups', 'list', '--q', 'CRM-77', '--status', 'open,claimed', '--priority', 'urgent,high,normal', '--sort', 'newest'], token);
    const notFound = await cli(['followups', 'list', '--q', 'nobody-like-this'], token);
    const badSla = await cli(['followups', 'list', '--sla', 'late'], token);
    const early = await cli(['followups', 'resolve', taskId, '--root-cause', 'delivery', '--action', 'too soon'], token);
    const claimed = await cli(['followups', 'claim', taskId], token);
    const mine = await cli(['followups', 'list', '--assignee', 'me'], token);
    const noted = await cli(['followups', 'note', taskId, 'left', 'a', 'voicemail'], token);
    const resolved = await cli(['followups', 'resolve', taskId, '--root-cause', 'Delivery', '--action', 'refunded'], token);
    const history = await cli(['followups', 'history', taskId], token);

    // Assess
    expect(submitted.status).toBe(202);
    expect(created.code).toBe(0);
    expect(listed).toMatchObject({ code: 0, stdout: expect.stringContaining(taskId) });
    // who and why, as the console's card says it: customer, reasons in words, scores by label, comment, where
    const facts = listed.stdout.split('\n').slice(1, 6);
    expect(facts).toEqual([
      '    customer crm-77',
      '    why      NPS 1 (≤ 6), CSAT 2 (≤ 2)',
      '    scores   How likely are you to recommend us to a friend? 1/10 · How satisfied are you with your purchase? 2/5',
      '    comment  "送货太慢了" · not scored (zh)',
      '    where    web · touchpoint delivery · stage purchase',
    ]);
    expect(found.stdout).toContain(taskId);
    expect(notFound.stdout).toContain('no tasks');
    expect(badSla).toMatchObject({ code: 1, stderr: expect.stringContaining('sla') });
    expect(mine.stdout).toContain(taskId);
    expect(inChinese.stdout).toContain('    scores   您向朋友推荐我们的可能性有多大？ 1/10 · 您对这次购买满意吗？ 2/5');
    expect(early).toMatchObject({ code: 1, stderr: expect.stringContaining('409 invalid transition') });
    expect(claimed.stdout).toMatch(/claimed .*Ana/);
    expect(noted.code).toBe(0);
    expect(resolved.stdout).toMatch(/re-survey link for the customer: http:\/\/127\.0\.0\.1:\d+\/r\//);
    // the customer's first answer: a trend of one point, nothing else yet
    expect(history).toMatchObject({ code: 0, stdout: 'customer crm-77 · NPS 1 (this task)\n0 other responses, 0 other tasks\n' });
    expect((await request(env.runtime, 'GET', `/v1/followups/${taskId}`, { admin: true })).body).toMatchObject({
      status: 'resolved',
      resolution: { rootCause: 'delivery', action: 'refunded', reason: 'refunded' },
      notes: [{ author: { name: 'Ana' }, text: 'left a voicemail' }],
    });
  });

  it('refuses a wrong token with the API\'s 401', async () => {
    const result = await cli(['surveys', 'get', 'demo'], 'wrong-token-0000000000');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('401 invalid token');
  });
});

describe('the CLI for access tokens, the audit log and customers', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('exports and erases a customer whose ref holds "/", "?" and "#", which a path cannot carry percent-encoded', async () => {
    // Prepare
    const ref = 'ACME/0042?q=1#x';
    const submitted = await request(env.runtime, 'POST', '/v1/responses', { body: { surveyId: 'demo', channel: 'web', answers: { nps: 8 }, customerRef: ref } });
    await eventually(async () => ((await request(env.runtime, 'GET', `/v1/surveys/demo/responses?limit=50`, { admin: true })).body.items as { id: string }[]).find((r) => r.id === submitted.body.id), 10_000, 'the stored response');

    // Act
    const encoded = await request(env.runtime, 'GET', `/v1/customers/${encodeURIComponent(ref)}/export`, { admin: true });
    const exported = await cli(['customers', 'export', ` ${ref} `]);
    const erased = await cli(['customers', 'erase', ref]);
    const after = await cli(['customers', 'export', ref]);
    const refused = await cli(['customers', 'erase', 'cust\u0001']);

    // Assess: as API Gateway routes the decoded path, the percent-encoded ref finds no route; the CLI's form does
    expect(encoded.status).toBe(404);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ customerRef: ref, responses: [expect.objectContaining({ id: submitted.body.id, customerRef: ref })] });
    expect(erased.stdout).toBe('erased: 1 responses, 0 tasks, 0 notifications, 0 invitations\n');
    expect(JSON.parse(after.stdout)).toMatchObject({ customerRef: ref, responses: [] });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--as-stored');
  });

  it('creates, lists and revokes tokens, prints the audit log, and exports and erases a customer', async () => {
    // Act
    const created = await cli(['tokens', 'create', '--role', 'cx', '--name', 'Dora', '--surveys', 'demo']);
    const secret = /shown once\): (\S+)/.exec(created.stdout)?.[1] ?? '';
    const id = /token cx:([0-9a-f]{16}) created/.exec(created.stdout)?.[1] ?? '';
    const listed = await cli(['tokens', 'list']);
    const revoked = await cli(['tokens', 'revoke', id]);
    const refused = await cli(['followups', 'list'], secret);
    const log = await cli(['audit', '--limit', '10']);
    const exported = await cli(['customers', 'export', 'cust-cli']);
    const erased = await cli(['customers', 'erase', 'cust-cli']);
    const missing = await cli(['tokens', 'create', '--name', 'NoRole']);

    // Assess
    expect(created.code).toBe(0);
    expect(secret).toMatch(/^cx_/);
    expect(listed.stdout).toContain(`cx:${id}`);
    expect(listed.stdout).not.toContain(secret);
    expect(revoked.stdout).toContain('REVOKED');
    expect(refused).toMatchObject({ code: 1 });
    expect(refused.stderr).toContain('401');
    expect(log.stdout).toMatch(/token\.revoke\s+200\s+tokenId=/);
    expect(JSON.parse(exported.stdout)).toMatchObject({ customerRef: 'cust-cli', responses: [], tasks: [], notifications: [], invitations: [] });
    expect(erased.stdout).toBe('erased: 0 responses, 0 tasks, 0 notifications, 0 invitations\n');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--role');
  });
});
