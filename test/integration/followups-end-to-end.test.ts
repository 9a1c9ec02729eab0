// integration, end to end on the local runtime: a detractor submitted over HTTP becomes an open follow-up task (route
// schedule → follow-up queue → consumer), its "task opened" webhook reaches a local receiver signed, a CX lead works
// it through the CX API, and the re-survey answer given on the public page shows up as the recovery rate.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../shared/alerts/webhook.js';
import { eventually, listAll, request, startTestRuntime } from '../support/local-runtime.js';

const SECRET = 'end-to-end-followup-secret-0123456789';
const received: { body: string; headers: IncomingHttpHeaders }[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
    res.writeHead(204).end();
  });
});

let env: Awaited<ReturnType<typeof startTestRuntime>>;
const saved = { url: process.env.FOLLOWUP_WEBHOOK_URL, secret: process.env.FOLLOWUP_WEBHOOK_SECRET };

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  // the local runtime passes the shell's webhook settings through to the functions
  process.env.FOLLOWUP_WEBHOOK_URL = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/followups`;
  process.env.FOLLOWUP_WEBHOOK_SECRET = SECRET;
  env = await startTestRuntime();
});
afterAll(async () => {
  await env?.close();
  receiver.close();
  for (const [name, value] of [['FOLLOWUP_WEBHOOK_URL', saved.url], ['FOLLOWUP_WEBHOOK_SECRET', saved.secret]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const html = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${env.runtime.url}${path}`, init);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
};

describe('closing the loop', () => {
  it('turns a detractor into a task, notifies, lets a lead work it, and counts the re-survey as recovery', async () => {
    // Prepare: a lead for the demo survey, another for a survey they alone may see
    const { runtime } = env;
    const lead = await request(runtime, 'POST', '/v1/cx-leads', { admin: true, body: { name: 'Ana', surveys: ['demo'] } });
    const stranger = await request(runtime, 'POST', '/v1/cx-leads', { admin: true, body: { name: 'Ben', surveys: ['elsewhere'] } });
    const notAdmin = await request(runtime, 'POST', '/v1/cx-leads', { token: lead.body.token, body: { name: 'Eve', surveys: ['demo'] } });
    const submitted = await request(runtime, 'POST', '/v1/responses', {
      body: { surveyId: 'demo', channel: 'web', answers: { nps: 2 }, comment: 'Never arrived', customerRef: 'cust-7' },
    });
    const happy = await request(runtime, 'POST', '/v1/responses', { body: { surveyId: 'demo', channel: 'web', answers: { nps: 10 } } });

    // Act: the schedules run (every minute in earnest; triggered here)
    const task = await eventually(
      async () => {
        await runtime.triggerSchedule('route-detractors');
        const page = await request(runtime, 'GET', '/v1/followups?surveyId=demo', { token: lead.body.token });
        return page.body.items?.[0];
      },
      15_000,
      'an open task',
    );
    const opened = await eventually(
      async () => {
        await runtime.triggerSchedule('follow-up-sla');
        return received.find((r) => r.body.includes('followup.task-opened'));
      },
      10_000,
      'the task-opened webhook',
    );

    // Assess: one open task for the detractor only, announced by a signed webhook
    expect(lead.status).toBe(201);
    expect(lead.body.token).toMatch(/^cx_/);
    expect(notAdmin.status).toBe(403);
    expect([submitted.status, happy.status]).toEqual([202, 202]);
    expect(task).toMatchObject({
      status: 'open',
      surveyId: 'demo',
      response: { responseId: submitted.body.id, answers: { nps: 2 }, comment: 'Never arrived', channel: 'web', customerRef: 'cust-7' },
      reasons: [{ rule: 'nps', score: 2 }],
      overdue: false,
    });
    expect(Date.parse(task.dueAt) - Date.parse(task.createdAt)).toBe(24 * 3_600_000);
    expect(verifyWebhookSignature(opened.body, opened.headers, SECRET)).toBe(true);
    expect(JSON.parse(opened.body)).toMatchObject({ type: 'followup.task-opened', text: expect.stringContaining('survey demo'), task: { id: task.id } });

    // Act / Assess: the CX API refuses what it should
    expect((await request(runtime, 'GET', `/v1/followups/${task.id}`, { token: 'cx_wrong' })).status).toBe(401);
    expect((await request(runtime, 'GET', `/v1/followups/${task.id}`, { token: stranger.body.token })).status).toBe(403);
    expect((await request(runtime, 'GET', '/v1/followups/t_missing', { token: lead.body.token })).status).toBe(404);
    const early = await request(runtime, 'POST', `/v1/followups/${task.id}/resolve`, { token: lead.body.token, body: { rootCause: 'delivery', action: 'done' } });
    expect(early).toMatchObject({ status: 409, body: { error: 'invalid transition', current: { status: 'open' } } });

    // Act: work it to resolution
    for (const [action, body] of [['claim'], ['notes', { text: 'Called: parcel lost' }], ['contacted'], ['resolve', { rootCause: 'delivery', action: 'Resent with express delivery' }]] as const) {
      const reply = await request(runtime, 'POST', `/v1/followups/${task.id}/${action}`, { token: lead.body.token, ...(body ? { body } : {}) });
      expect(reply.status, `${action}: ${JSON.stringify(reply.body)}`).toBe(200);
    }
    const resolved = await request(runtime, 'GET', `/v1/followups/${task.id}`, { admin: true });
    const link: string = resolved.body.resurveyLink;
    const form = await html(link);
    const tampered = await html(`${link.slice(0, -3)}AAA`);
    const answered = await html(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'answer=5' });
    const twice = await html(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'answer=1' });
    const returned = await request(runtime, 'POST', '/v1/responses', { body: { surveyId: 'demo', channel: 'web', answers: { nps: 9 }, customerRef: 'cust-7' } });
    await eventually(async () => ((await listAll(runtime, 'demo')).some((r) => r.id === returned.body.id) ? true : undefined), 10_000, 'the later answer');
    const metrics = await request(runtime, 'GET', '/v1/surveys/demo/metrics?interval=day', { admin: true });

    // Assess
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      assignee: { name: 'Ana' },
      resolution: { reason: 'Resent with express delivery', rootCause: 'delivery', action: 'Resent with express delivery' },
      notes: [{ author: { name: 'Ana' }, text: 'Called: parcel lost' }],
      notifications: [{ kind: 'task-opened', delivery: { status: 'delivered' } }],
    });
    expect(resolved.body.history.map((e: any) => e.to)).toEqual(['claimed', 'contacted', 'resolved']);
    expect(form.status).toBe(200);
    expect(form.type).toMatch(/^text\/html/);
    expect(form.text.match(/type="radio" name="answer"/g)).toHaveLength(5);
    expect(form.text).toContain('How satisfied are you with how we handled your feedback?');
    // the link's signed token never leaves in a Referer, even from a saved copy of the page (the header does it live)
    expect(form.text).toContain('<meta name="referrer" content="no-referrer">');
    expect(tampered.status).toBe(400);
    expect(answered.status).toBe(200);
    expect(twice.status).toBe(409);
    expect(metrics.body.followups).toMatchObject({
      opened: 1,
      contacted: 1,
      closed: 1,
      slaCompliancePct: 100,
      closureRatePct: 100,
      recovery: { resolved: 1, answered: 1, recovered: 1, ratePct: 100, returned: { answered: 1, recovered: 1, ratePct: 100 } },
    });
  });
});
