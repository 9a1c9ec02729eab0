// integration: logs never contain comment text, e-mails or tokens. `npm start` runs with its functions logging at
// DEBUG and Powertools' event logging asked for (POWERTOOLS_LOGGER_LOG_EVENT, which an operator may set on a function
// while debugging: the handlers must not follow it, an event holds the request's body and bearer token), its output
// captured; the pipeline runs end to end (detractor routing, a follow-up webhook that fails then works, a CX lead, bad
// requests, a poison message, wrong tokens, an e-mail survey link minted, opened and answered, a task's notes, a
// customer's export and erasure), then the output is scanned for every secret sent.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAULTS_ADMIN_TOKEN, queueUrlOf, sqsCall, startChildRuntime, stopChild } from '../faults/support/child-runtime.js';

const dataDir = mkdtempSync(join(tmpdir(), 'feedback-logscan-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the log output of the running platform', () => {
  it('never contains a comment, an e-mail address or a token, through successes and errors alike', async () => {
    // Prepare: a webhook receiver that fails its first calls, then accepts
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(body);
        res.writeHead(received.length <= 2 ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const runtime = await startChildRuntime(dataDir, { LOG_LEVEL: 'DEBUG', POWERTOOLS_LOGGER_LOG_EVENT: 'true', FOLLOWUP_WEBHOOK_URL: hook, FOLLOWUP_WEBHOOK_SECRET: 'log-scan-signing-secret-0123' });
    const marker = `MARKER${randomBytes(6).toString('hex')}`;
    const email = `${marker.toLowerCase()}@example.com`;
    const tokenLike = `tok_${randomBytes(16).toString('hex')}`;
    const secrets = [marker, email, tokenLike, FAULTS_ADMIN_TOKEN];
    const admin = { authorization: `Bearer ${FAULTS_ADMIN_TOKEN}` };
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${runtime.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

    try {
      // Act: detractors and promoters whose comments, customer refs and metadata carry the secrets
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        const response = await post('/v1/responses', JSON.stringify({
          surveyId: 'demo',
          idempotencyKey: `logscan-${marker}-${i}`,
          channel: 'web',
          locale: 'en',
          customerRef: `${marker}-customer`,
          answers: { nps: i % 2 ? 10 : 1 },
          comment: `${marker} terrible, write to ${email}, my code is ${tokenLike}`,
          metadata: { note: `${marker} ${email}` },
        }));
        statuses.push(response.status);
      }
      // a CX lead (its token is answered once, never logged)
      const lead = (await (await post('/v1/cx-leads', JSON.stringify({ name: `${marker} Lead`, surveys: ['demo'] }), admin)).json()) as { token: string };
      secrets.push(lead.token);
      // errors: invalid bodies, malformed JSON, wrong tokens, unknown ids, a poison message on the queue
      await post('/v1/responses', JSON.stringify({ surveyId: 'demo', channel: 'fax', answers: { nps: 42 }, comment: `${marker} ${email}` }));
      await post('/v1/responses', `{"surveyId":"demo","comment":"${marker} ${email}"`);
      await post('/v1/responses', JSON.stringify({ surveyId: `${marker}`, channel: 'web', answers: {} }));
      await fetch(`${runtime.url}/v1/surveys/demo/responses`, { headers: { authorization: `Bearer ${tokenLike}` } });
      await fetch(`${runtime.url}/v1/followups?surveyId=${marker}`, { headers: { authorization: `Bearer ${lead.token}x` } });
      await fetch(`${runtime.url}/r/${tokenLike}`);
      await post(`/r/${tokenLike}`, `answer=${marker}`, { 'content-type': 'application/x-www-form-urlencoded' });
      await sqsCall(runtime, 'SendMessage', { QueueUrl: queueUrlOf(runtime, 'responses'), MessageBody: `{"id":"poison","comment":"${marker} ${email} ${tokenLike}"}` });
      // an e-mail survey link minted for a marked customer and address, opened, then answered with a marked comment
      const form = (fields: Record<string, string>) => ({ 'content-type': 'application/x-www-form-urlencoded', body: new URLSearchParams(fields).toString() });
      const minted = (await (await post('/v1/surveys/demo/invitations', JSON.stringify({ campaign: 'logscan', recipients: [{ customerRef: `${marker}-invited`, email }] }), admin)).json()) as { invitations: { link: string }[] };
      const linkPath = new URL(minted.invitations[0]!.link).pathname;
      secrets.push(linkPath.slice('/s/'.length));
      const page = await (await fetch(`${runtime.url}${linkPath}?score=2`)).text();
      const stamp = /name="v" value="([^"]+)"/.exec(page)?.[1] ?? '';
      const { body: answer, ...answerHeaders } = form({ v: stamp, 'a.nps': '2', comment: `${marker} invited, reach me at ${email}`, website: '' });
      const answered = await post(linkPath, answer, answerHeaders);
      const { body: refused } = form({ v: stamp, 'a.nps': '42', comment: `${marker} ${email}` });
      await post(linkPath, refused, answerHeaders);

      // the schedules (every 500 ms here) route the detractors, open their tasks and deliver the webhooks (retrying)
      for (let waited = 0; waited < 30_000 && received.length < 4; waited += 250) await sleep(250);
      const stored = (await (await fetch(`${runtime.url}/v1/surveys/demo/responses?limit=50`, { headers: admin })).json()) as { items: { comment?: string }[] };
      // a note on a task, with an address in it, and one too long to take
      const tasks = (await (await fetch(`${runtime.url}/v1/followups?surveyId=demo&status=open`, { headers: admin })).json()) as { items: { id: string }[] };
      const noted = tasks.items[0] ? await post(`/v1/followups/${tasks.items[0].id}/notes`, JSON.stringify({ text: `${marker} called, wrote to ${email}` }), admin) : undefined;
      await post(`/v1/followups/${tasks.items[0]?.id ?? 'none'}/notes`, JSON.stringify({ text: `${marker} ${email} `.repeat(200) }), admin);
      // the customer's data exported, then erased
      const customer = encodeURIComponent(`${marker}-customer`);
      const exported = await fetch(`${runtime.url}/v1/customers/${customer}/export`, { headers: admin });
      const erased = await fetch(`${runtime.url}/v1/customers/${customer}`, { method: 'DELETE', headers: admin });

      // Assess
      expect(statuses).toEqual([202, 202, 202, 202, 202, 202]);
      expect([answered.status, noted?.status, exported.status, erased.status]).toEqual([200, 200, 200, 200]);
      expect(received.length).toBeGreaterThanOrEqual(4);
      // what the webhooks and the console see is redacted
      expect(received.join('\n')).not.toContain(email);
      expect(received.join('\n')).toContain('[EMAIL]');
      expect(stored.items.some((item) => item.comment?.includes('[EMAIL]'))).toBe(true);
    } finally {
      await stopChild(runtime);
      receiver.close();
    }
    // the whole output, the start banner included: it shows the admin token masked
    const logs = runtime.output();
    if (process.env.LOG_SCAN_DEBUG) console.log(logs);
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(logs, `the logs contain ${secret.slice(0, 8)}…`).not.toContain(secret);
    expect(logs).not.toMatch(/[\w.+-]+@example\.com/);
  }, 120_000);
});
