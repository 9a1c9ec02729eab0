// deploy-faithful: the platform's flows through what `cdk deploy` would ship. The stack is synthesized, and each
// function runs its own bundle in its own sandbox with only its template environment; routes, queue consumers and
// schedules come from the template, and every AWS call is checked against the function's role. A binding, grant,
// route or bundle that the cloud would lack fails here.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSmoke } from '../../cli/smoke-check.js';
import { VIEWER_ADDRESS_HEADER } from '../../infra/cdk/viewer-address.js';
import { topology } from '../../infra/topology.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { startTestDeployedRunner } from '../support/deployed-runner.js';
import { launchChromium, newContext, putSurvey, startSite } from '../browser/harness.js';
import { ADMIN_TOKEN, eventually, listAll, request } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startTestDeployedRunner>>;
const ORIGIN = 'https://shop.example';
/** failed authentications a client may make a minute: deployed as `-c rateLimitAuthFailuresPerMinute=3` (default 10) */
const AUTH_FAILURES_PER_MINUTE = 3;

beforeAll(async () => {
  // with a budget and tags too, as a production deployment may have: a resource the runner has nothing to run for,
  // and a property it has no use for, neither of which may stop it
  env = await startTestDeployedRunner({
    context: { rateLimitAuthFailuresPerMinute: String(AUTH_FAILURES_PER_MINUTE), monthlyBudgetUsd: '25', resourceTags: JSON.stringify({ CostCenter: 'cx' }) },
  });
  const put = await request(env.runner, 'PUT', '/v1/surveys/demo', { admin: true, body: demoSurvey([ORIGIN]) });
  if (put.status !== 200) throw new Error(`PUT /v1/surveys/demo: ${put.status} ${JSON.stringify(put.body)}; functions that did not start: ${JSON.stringify(env.runner.initFailures)}`);
  // synthesis bundles every function: minutes on two busy cores
}, 600_000);
afterAll(async () => {
  await env?.close();
});

const html = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${env.runner.url}${path}`, { redirect: 'manual', ...init });
  return { status: response.status, headers: response.headers, text: await response.text() };
};
const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const stored = (id: string) => eventually(async () => (await listAll(env.runner, 'demo')).find((r) => r.id === id), 30_000, `response ${id} stored`);

// each flow waits up to 30 s for the queue consumers and schedules: twice that, so a wait's own message is the one seen
describe('the deployed shape', { timeout: 90_000 }, () => {
  it('wires every route, event source and schedule the template declares, with the permissions AWS checks', () => {
    // Assess: API Gateway may invoke each route's function, each event source's role may read its queue, each
    // schedule's role may invoke its target
    expect(env.runner.problems).toEqual([]);
    expect(env.runner.shape.routes.length).toBeGreaterThan(30);
    expect(env.runner.shape.eventSourceMappings).toHaveLength(2);
    expect(env.runner.shape.schedules).toHaveLength(6);
  });

  it('ships bundles that load none of Node\'s web streams at init, as infra/bundling.ts asks esbuild through the CDK', () => {
    // Assess: the assets `cdk synth` built (NodejsFunction passes the alias as an esbuild argument); the runner's
    // tests of every flow then run these very bundles
    // the topology's functions (the template also holds aws-cdk-lib's own, e.g. the provider that empties a bucket)
    const ours = new Set(Object.keys(topology.functions).map((name) => name.toLowerCase()));
    const bundles = env.runner.shape.functions.filter((fn) => ours.has(fn.displayName.toLowerCase()) && existsSync(join(fn.assetDir, 'index.js')));
    expect(bundles).toHaveLength(ours.size);
    for (const fn of bundles) {
      const code = readFileSync(join(fn.assetDir, 'index.js'), 'utf8');
      expect(code.includes('node:stream/web'), fn.displayName).toBe(false);
      expect(readFileSync(join(fn.assetDir, 'index.js.map'), 'utf8'), fn.displayName).toContain('web-streams-on-demand.ts');
    }
  });

  it('stores and scores a widget submission, rolls it up and reports it in the metrics', async () => {
    // Act
    const submitted = await request(env.runner, 'POST', '/v1/responses', {
      headers: { origin: ORIGIN },
      body: { surveyId: 'demo', channel: 'web', answers: { nps: 10, csat: 5 }, comment: 'Great service, fast delivery!', touchpoint: 'checkout' },
    });
    const response = await eventually(async () => {
      const found = (await listAll(env.runner, 'demo')).find((r) => r.id === submitted.body?.id);
      return found?.sentiment?.status === 'scored' ? found : undefined;
    }, 30_000, 'the scored response');
    // the deployed rollup leaves a minute alone until its index has settled (ROLLUP_SETTLE_SECONDS, 10 s by default)
    const metrics = await eventually(async () => {
      await env.runner.triggerSchedule('Rollup');
      const reply = await request(env.runner, 'GET', '/v1/surveys/demo/metrics?interval=day', { admin: true });
      return reply.body?.totals?.metrics?.responses >= 1 ? reply : undefined;
    }, 60_000, 'the rolled-up response');

    // Assess: scored by the Comprehend adapter (the bundles hold no local scorer) through the local endpoint
    expect(submitted.status).toBe(202);
    expect(response).toMatchObject({ channel: 'web', touchpoint: 'checkout', answers: { nps: 10, csat: 5 }, sentiment: { status: 'scored', label: 'POSITIVE', language: 'en' } });
    expect(metrics.status).toBe(200);
    expect(metrics.body.totals.metrics.responses).toBeGreaterThanOrEqual(1);
    expect(metrics.body.totals.metrics.nps.answers).toBeGreaterThanOrEqual(1);
  });

  it('reads a comment in the language Comprehend detects when it is written in another script than its locale\'s', async () => {
    // Act: answers in Chinese and in Russian to a survey shown in English
    const comments = ['送货太慢了，客服也不回复我的邮件。', 'Доставка была очень медленной, никто не ответил.'];
    const submitted = await Promise.all(
      comments.map((comment) => request(env.runner, 'POST', '/v1/responses', { headers: { origin: ORIGIN }, body: { surveyId: 'demo', channel: 'web', answers: { nps: 6 }, locale: 'en-GB', comment } })),
    );
    const stored = await eventually(async () => {
      const all = await listAll(env.runner, 'demo');
      const found = submitted.map((reply) => all.find((r) => r.id === reply.body?.id));
      return found.every((r) => r && r.sentiment?.status !== 'pending') ? found : undefined;
    }, 30_000, 'both responses settled');

    // Assess: the Comprehend adapters asked for the language (BatchDetectDominantLanguage) rather than taking en from
    // the locale; Chinese is scored as Chinese, Russian is a language Comprehend does not score
    expect(submitted.map((reply) => reply.status)).toEqual([202, 202]);
    expect(stored[0]).toMatchObject({ locale: 'en-GB', sentiment: { status: 'scored', language: 'zh' } });
    expect(stored[1]).toMatchObject({ locale: 'en-GB', sentiment: { status: 'unscored', language: 'ru', reason: 'unsupported-language' } });
  });

  it('detects the language of a comment whose locale names no language (und), then redacts, scores and follows it up', async () => {
    // Act: a promoter's score with a rude comment, from a page whose lang attribute is "und"
    const submitted = await request(env.runner, 'POST', '/v1/responses', {
      headers: { origin: ORIGIN },
      body: { surveyId: 'demo', channel: 'web', answers: { nps: 9 }, locale: 'und', comment: 'Terrible service, awful and rude staff. Mail me: ana.lopez@example.com' },
    });
    const response = await eventually(async () => {
      const found = (await listAll(env.runner, 'demo')).find((r) => r.id === submitted.body?.id);
      return found && found.sentiment?.status !== 'pending' ? found : undefined;
    }, 30_000, 'the settled response');

    // Assess: the Comprehend adapters detected English (the redactor's detection, reused by the scoring) instead of
    // taking "und" as the language, which Comprehend scores and redacts in no model
    expect(submitted.status).toBe(202);
    expect(response).toMatchObject({ locale: 'und', comment: 'Terrible service, awful and rude staff. Mail me: [EMAIL]', redaction: { status: 'redacted' }, sentiment: { status: 'scored', label: 'NEGATIVE', language: 'en' } });
    expect(response.followUp?.reasons).toContainEqual(expect.objectContaining({ rule: 'negative-comment' }));
  });

  it('turns a detractor into a task auto-assigned to a CX lead, who reads the customer\'s history, claims, notes and resolves it with a root cause, then takes the re-survey answer', async () => {
    // Prepare: round-robin auto-assignment, so the task consumer reads the survey's leads (its cxLeads grant)
    const lead = await request(env.runner, 'POST', '/v1/cx-leads', { admin: true, body: { name: 'Ana', surveys: ['demo'] } });
    const survey = demoSurvey([ORIGIN]);
    const assigning = await request(env.runner, 'PUT', '/v1/surveys/demo', { admin: true, body: { ...survey, followUp: { ...survey.followUp, assignment: { mode: 'round-robin' } } } });
    expect(assigning.status).toBe(200);
    const submitted = await request(env.runner, 'POST', '/v1/responses', {
      headers: { origin: ORIGIN },
      body: { surveyId: 'demo', channel: 'web', answers: { nps: 2 }, comment: 'Never arrived', customerRef: 'cust-7' },
    });
    expect(lead.status).toBe(201);
    await stored(submitted.body.id);

    // Act: the router's schedule → the follow-up queue → the task consumer; then the lead works the task
    const task = await eventually(async () => {
      await env.runner.triggerSchedule('FollowupRouter');
      const page = await request(env.runner, 'GET', '/v1/followups?surveyId=demo', { token: lead.body.token });
      return page.body.items?.find((t: { response: { responseId: string } }) => t.response.responseId === submitted.body.id);
    }, 30_000, 'the open task');
    // the queue of tasks being worked (the bySurveyStatus index) holds it while it is open
    const working = await request(env.runner, 'GET', '/v1/followups?surveyId=demo&status=open,claimed,contacted', { token: lead.body.token });
    const steps = [];
    for (const [action, body] of [['claim'], ['notes', { text: 'Called: parcel lost' }], ['contacted'], ['resolve', { rootCause: 'delivery', action: 'Resent with express delivery' }]] as const) {
      steps.push(await request(env.runner, 'POST', `/v1/followups/${task.id}/${action}`, { token: lead.body.token, ...(body ? { body } : {}) }));
    }
    const detail = await request(env.runner, 'GET', `/v1/followups/${task.id}`, { token: lead.body.token });
    const resolved = await request(env.runner, 'GET', `/v1/followups/${task.id}`, { admin: true });
    const link = new URL(resolved.body.resurveyLink, env.runner.url).pathname;
    const page = await html(link);
    const answered = await html(link, form({ answer: '5' }));
    await env.runner.triggerSchedule('FollowupSla');
    // the queue read the other ways (queue-query.ts): once resolved, not among the tasks being worked; every survey's
    // resolved tasks in opening order (the admin's: the surveys table's catalog); every task sorted by priority
    const workingAfter = await request(env.runner, 'GET', '/v1/followups?surveyId=demo&status=open,claimed,contacted', { token: lead.body.token });
    const closed = await request(env.runner, 'GET', '/v1/followups?status=resolved', { admin: true });
    const byPriority = await request(env.runner, 'GET', '/v1/followups?sort=priority', { admin: true });

    // Assess
    const idsOf = (reply: { body: { items?: { id: string }[] } }) => (reply.body.items ?? []).map((t) => t.id);
    expect([working.status, workingAfter.status, closed.status, byPriority.status]).toEqual([200, 200, 200, 200]);
    expect(idsOf(working)).toContain(task.id);
    expect(idsOf(workingAfter)).not.toContain(task.id);
    expect(idsOf(closed)).toContain(task.id);
    expect(idsOf(byPriority)).toContain(task.id);
    expect(lead.status).toBe(201);
    expect(task).toMatchObject({ status: 'open', reasons: [{ rule: 'nps', score: 2 }], response: { customerRef: 'cust-7' }, assignee: { id: lead.body.id, name: 'Ana' } });
    expect(task.history[0]).toMatchObject({ action: 'assign', by: { id: 'system' } });
    // the customer's history is read from the responses' and tasks' byCustomer indexes (the followups function's grants)
    expect(detail.body.customerHistory).toMatchObject({ customerRef: 'cust-7', npsTrend: [{ nps: 2, current: true }], summary: { responses: 0, tasks: 0 } });
    expect(resolved.body.resolution).toEqual({ rootCause: 'delivery', action: 'Resent with express delivery', reason: 'Resent with express delivery' });
    expect(steps.map((s) => s.status)).toEqual([200, 200, 200, 200]);
    expect(resolved.body).toMatchObject({ status: 'resolved', assignee: { name: 'Ana' }, notes: [{ text: 'Called: parcel lost' }] });
    expect(page.status).toBe(200);
    expect(page.text.match(/type="radio" name="answer"/g)).toHaveLength(5);
    expect(answered.status).toBe(200);
    const after = await request(env.runner, 'GET', `/v1/followups/${task.id}`, { admin: true });
    expect(after.body.resurvey).toMatchObject({ answer: 5 });
  });

  it('mints an invitation whose page is opened and answered, and reports the campaign', async () => {
    // Act
    const minted = await request(env.runner, 'POST', '/v1/surveys/demo/invitations', { admin: true, body: { campaign: 'deployed', recipients: [{ customerRef: 'cust-9' }] } });
    const link = new URL(minted.body.invitations[0].link);
    const path = link.pathname;
    const opened = await html(`${path}?score=9`);
    const stamp = /name="v" value="([^"]+)"/.exec(opened.text)?.[1] ?? '';
    const answered = await html(path, form({ v: stamp, 'a.nps': '9', comment: 'Quick and friendly', website: '' }));
    const response = await eventually(async () => (await listAll(env.runner, 'demo')).find((r) => r.campaign === 'deployed'), 30_000, 'the email answer');
    // opened again: the page reads the stored response (its comment), as the function's role allows
    const reopened = await html(path);
    await env.runner.triggerSchedule('Rollup');
    const report = await request(env.runner, 'GET', '/v1/surveys/demo/campaigns/deployed', { admin: true });

    // Assess
    expect(minted.status).toBe(201);
    // the template's edge URL in the link stands for the runner, which serves what the edge would: a link its user can open
    expect(link.origin).toBe(env.runner.url);
    expect(opened.status).toBe(200);
    expect(answered.status).toBe(200);
    expect(response).toMatchObject({ channel: 'email', customerRef: 'cust-9', answers: { nps: 9 } });
    expect(reopened.status).toBe(200);
    expect(reopened.text).toContain('<input type="radio" name="a.nps" value="9" checked required>');
    expect(reopened.text).toContain('>Quick and friendly</textarea>');
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ invitations: 1, opened: 1, final: 1 });
  });

  it('creates a token that works until it is revoked', async () => {
    // Act
    const created = await request(env.runner, 'POST', '/v1/tokens', { admin: true, body: { name: 'Ops tool', role: 'admin' } });
    const listed = await request(env.runner, 'GET', '/v1/tokens', { token: created.body.token });
    const revoked = await request(env.runner, 'DELETE', `/v1/tokens/${created.body.id}`, { admin: true });
    const after = await request(env.runner, 'GET', '/v1/tokens', { token: created.body.token });

    // Assess
    expect(created.status).toBe(201);
    expect(listed.status).toBe(200);
    expect(revoked.status).toBe(200);
    expect(after.status).toBe(401);
  });

  it('exports everything held about a customer, then erases it', async () => {
    // Prepare
    const submitted = await request(env.runner, 'POST', '/v1/responses', {
      headers: { origin: ORIGIN },
      body: { surveyId: 'demo', channel: 'web', answers: { nps: 8 }, comment: 'Fine overall', customerRef: 'cust-erase' },
    });
    await stored(submitted.body.id);

    // Act
    const exported = await request(env.runner, 'GET', '/v1/customers/cust-erase/export', { admin: true });
    const erased = await request(env.runner, 'DELETE', '/v1/customers/cust-erase', { admin: true });
    const after = await request(env.runner, 'GET', '/v1/customers/cust-erase/export', { admin: true });

    // Assess
    expect(exported.status).toBe(200);
    expect(exported.body.responses).toEqual([expect.objectContaining({ id: submitted.body.id, customerRef: 'cust-erase' })]);
    expect(erased.status).toBe(200);
    expect(after.body.responses).toEqual([]);
    expect((await listAll(env.runner, 'demo')).some((r) => r.id === submitted.body.id)).toBe(false);
  });

  it('moves a message that never processes to the dead-letter queue after its queue redrive policy’s receives', async () => {
    // Act: a message no submission could produce, straight onto the responses queue
    await env.runner.sendToQueue('ResponsesQueue', '{"not":"a queued response"}');
    const dead = await eventually(async () => ((await env.runner.queueDepth('ResponsesDeadLetterQueue')) > 0 ? true : undefined), 60_000, 'the message in the DLQ');

    // Assess
    expect(dead).toBe(true);
    expect(await env.runner.queueDepth('ResponsesQueue')).toBe(0);
  }, 90_000);

  it('passes the post-deploy smoke check (npm run smoke) in every step', { timeout: 240_000 }, async () => {
    // Prepare: the rollup's schedule, every 2 s instead of every minute
    let rolling = true;
    const rollups = (async () => {
      while (rolling) {
        await env.runner.triggerSchedule('Rollup').catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    })();

    // Act
    const result = await runSmoke({ endpoint: env.runner.url, adminToken: ADMIN_TOKEN, pollEveryMs: 500, rollupTimeoutMs: 120_000 }).finally(() => {
      rolling = false;
    });
    await rollups;

    // Assess
    expect(result.failed, JSON.stringify(result.steps)).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.steps.map((step) => step.name)).toEqual(['survey', 'public-survey', 'submit', 'response', 'metrics', 'followups', 'invitation', 'invitation-page', 'tokens']);
  });

  it('serves the widget\'s files from the API\'s own URL, as the edge distribution serves them from the console\'s bucket', async () => {
    // Act
    const loader = await html('/widget.js');
    const full = await html('/widget-full.js');

    // Assess: the files the template's deployment puts in the bucket, with its Cache-Control
    expect([loader.status, full.status]).toEqual([200, 200]);
    expect(loader.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(loader.headers.get('cache-control')).toMatch(/max-age=300/);
    expect(loader.text).toContain('widget-full.js');
    expect(env.runner.shape.edgeFiles.map((file) => file.path).sort()).toEqual(['/widget-full.js', '/widget.js']);
  });

  it('serves the CX console on an origin of its own, as its distribution does, told to call the runner\'s API, which answers that origin\'s CORS', async () => {
    // Prepare: the origin the runner gives the console distribution (its https URL in CONSOLE_ORIGINS stands for it)
    const consoleUrl = env.runner.consoleUrl ?? 'http://127.0.0.1:1/';
    const consoleOrigin = new URL(consoleUrl).origin;

    // Act
    const index = await fetch(consoleUrl);
    const config = await fetch(new URL('config.json', consoleUrl));
    const preflight = await fetch(`${env.runner.url}/v1/surveys/demo/metrics`, {
      method: 'OPTIONS',
      headers: { origin: consoleOrigin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    const survey = await request(env.runner, 'GET', '/v1/surveys/demo', { admin: true, headers: { origin: consoleOrigin } });

    // Assess: the page with the distribution's headers policy, config.json and the CSP naming the runner's API URL,
    // and the admin function's own CORS allowing the console's origin
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toMatch(/^<!doctype html>/i);
    expect(index.headers.get('content-security-policy')).toContain(`connect-src 'self' ${env.runner.url};`);
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    expect(await config.json()).toEqual({ apiUrl: env.runner.url });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(consoleOrigin);
    expect(survey.status).toBe(200);
    expect(survey.headers.get('access-control-allow-origin')).toBe(consoleOrigin);
  });

  it('takes a response from a page that loads the widget from the API\'s URL with no data-endpoint, as a site embeds it from the edge', { timeout: 240_000 }, async () => {
    // Prepare: a shop on its own origin, the tag as the WidgetUrl output gives it
    const browser = await launchChromium();
    const site = await startSite({
      '/shop': `<!doctype html><html lang="en"><head><title>Shop</title></head><body><p>Order confirmed</p><script src="${env.runner.url}/widget.js" data-survey="edge-widget" data-trigger="manual" async></script></body></html>`,
    });
    try {
      await putSurvey(env.runner, 'edge-widget', site.origin, ['nps', 'comment']);
      const page = await (await newContext(browser, { locale: 'en-GB' })).newPage();

      // Act: the visitor answers and sends
      await page.goto(`${site.origin}/shop`);
      await page.waitForFunction(() => 'FeedbackWidget' in window);
      await page.evaluate(() => (window as unknown as { FeedbackWidget: { show(): void } }).FeedbackWidget.show());
      await page.locator('feedback-widget [role=dialog]').waitFor();
      await page.locator('feedback-widget .s label', { hasText: /^9$/ }).click();
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('textbox').fill('Loaded from the edge.');
      await page.getByRole('button', { name: 'Send' }).click();

      // Assess: the widget read the survey from and sent the response to the host it was loaded from
      const stored = await eventually(async () => (await listAll(env.runner, 'edge-widget'))[0], 30_000, 'the widget\'s response');
      expect(stored).toMatchObject({ surveyId: 'edge-widget', answers: { nps: 9 } });
    } finally {
      await browser.close();
      await site.close();
    }
  });

  it('keeps answering while the origin verify secret is changed: the old value until the edge is deployed again, then the new one', async () => {
    // Prepare: a container that read the secret before the change
    const publicSurvey = () => request(env.runner, 'GET', '/v1/surveys/demo/public', { headers: { origin: ORIGIN } });
    expect((await publicSurvey()).status).toBe(200);

    // Act: the operator puts a new value (docs/security-and-privacy.md); CloudFront still sends the old one
    env.runner.putSecretValue('OriginVerifySecret', 'RotatedOriginVerifyValue0123456789abcdefghijklmn');
    env.runner.recycle('Ingest');
    const beforeRedeploy = await publicSurvey();
    env.runner.redeployEdge();
    const afterRedeploy = await publicSurvey();

    // Assess: a container started after the change takes the value it replaced, and the new one once the edge sends it
    expect([beforeRedeploy.status, afterRedeploy.status]).toEqual([200, 200]);
  });

  it('runs every schedule that must not overlap itself under its run lease, with no concurrency reserved', async () => {
    // Prepare: the scheduled functions that hold a run lease, one after the other, twice: each run must find the
    // lease given back by the run before (a lease left held would skip the second round)
    const single = ['Rollup', 'FollowupRouter', 'FollowupSla', 'EmailSurveyFinalise', 'SweepExpired'];
    const skipped = { skipped: 'previous run still in progress' };

    // Act
    const results: unknown[] = [];
    for (let round = 0; round < 2; round += 1) {
      for (const name of single) results.push(await env.runner.triggerSchedule(name));
    }

    // Assess: each ran (a denied lease call would throw, and is in the final check's denials), and reserved nothing
    expect(results).toHaveLength(10);
    for (const result of results) expect(result).not.toEqual(skipped);
    expect(env.runner.shape.functions.filter((fn) => fn.reservedConcurrency !== undefined)).toEqual([]);
    for (const name of single) expect(env.runner.logsOf(name).filter((line) => line.includes('run skipped')), name).toEqual([]);
  });

  it('keys the per-client limits on the address the edge\'s viewer-request function writes, which a viewer cannot forge, at the limit the deployment sets', async () => {
    // Act: the invitation API's throttle on failed authentications (3 a minute per client, as this deployment's context
    // sets it), 3 wrong tokens each under another forged address, then the good token under yet another (this
    // function's throttle stays tripped for a minute: the last flow to call it)
    const path = '/v1/surveys/demo/campaigns/none';
    // a container started now (the flow before changed the origin verify value, which a container that read it
    // seconds before the change takes up only 30 s later, as in AWS after the minutes a redeploy of the edge takes)
    env.runner.recycle('Invitations');
    const failures = [];
    for (let i = 0; i < AUTH_FAILURES_PER_MINUTE; i += 1) failures.push(await request(env.runner, 'GET', path, { token: `adm_guess-${i}`, headers: { [VIEWER_ADDRESS_HEADER]: `198.51.100.${i}` } }));
    const next = await request(env.runner, 'GET', path, { admin: true, headers: { [VIEWER_ADDRESS_HEADER]: '198.51.100.99' } });

    // Assess: the template's function replaced every forged address with the viewer's, so all 4 counted as one client,
    // and the function took its limit from the template (at the default 10 the fourth would pass) (every request here
    // comes from 127.0.0.1, so this shows the header cannot be forged, not that it carries the viewer rather than an
    // edge server: the stack test runs the function on a viewer's address for that)
    expect(failures.map((reply) => reply.status)).toEqual(Array.from({ length: AUTH_FAILURES_PER_MINUTE }, () => 401));
    expect(next.status).toBe(429);
    expect(next.body.details).toEqual([expect.objectContaining({ path: 'authorization' })]);
  });

  it('made no AWS call that a function’s role does not allow, and every function started', () => {
    // Assess: after every flow above, IAM refused nothing, and no bundle failed to load or refused its configuration
    expect(env.runner.denials).toEqual([]);
    expect(env.runner.initFailures).toEqual([]);
  });

  it('logged none of the comments, addresses, customer refs or tokens the flows above sent, whatever failed', () => {
    // Prepare: every line every function logged, its failed invocations' errors (with their own properties) included
    const logged = env.runner.shape.functions.flatMap((fn) => env.runner.logsOf(fn.displayName)).join('\n');
    const sent = ['Terrible service', 'ana.lopez@example.com', 'Never arrived', 'Quick and friendly', 'Fine overall', 'Called: parcel lost', 'cust-7', 'cust-9', 'cust-erase', ADMIN_TOKEN];

    // Assess: the functions logged (a REPORT line per invocation at least), and none of it
    expect(logged).toContain('REPORT RequestId');
    for (const value of sent) expect(logged.includes(value), value.slice(0, 12)).toBe(false);
  });
});
