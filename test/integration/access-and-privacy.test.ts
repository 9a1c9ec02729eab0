// integration, on the local runtime: access tokens (create, list without secrets, revoke → 401 everywhere, roles), the
// audit log of every write (with no personal data in it), and a customer's export and erasure (responses, tasks,
// notifications gone; metrics recomputed without them after the next rollup).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerRefHashOf } from '../../shared/audit/audit-entry.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { eventually, listAll, request, startTestRuntime } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  env = await startTestRuntime();
});
afterAll(async () => {
  await env?.close();
});

const COMMENT = 'COMMENT-Parcel never arrived, call me on 555 0100';
const NOTE = 'NOTE-Spoke to Jane, she wants a refund';
const REASON = 'REASON-Refund sent to jane@example.com';
const CUSTOMER = 'jane@example.com';

const createToken = (body: unknown, token?: string) => request(env.runtime, 'POST', '/v1/tokens', token ? { token, body } : { admin: true, body });
const audit = async () => (await request(env.runtime, 'GET', '/v1/audit?limit=200', { admin: true })).body.items as { action: string; status: number; actorId: string; targets: Record<string, string> }[];

describe('access tokens', () => {
  it('are listed a page at a time, newest first, each once, and a bad limit or cursor is a 400 naming it', async () => {
    // Prepare: five more tokens
    for (const name of ['Page 1', 'Page 2', 'Page 3', 'Page 4', 'Page 5']) expect((await createToken({ name, role: 'cx', surveys: ['demo'] })).status).toBe(201);
    const whole = await request(env.runtime, 'GET', '/v1/tokens', { admin: true });

    // Act: pages of two
    const pages: { items: { id: string }[]; cursor: string | null }[] = [];
    do {
      const cursor = pages.at(-1)?.cursor;
      pages.push((await request(env.runtime, 'GET', `/v1/tokens?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { admin: true })).body);
    } while (pages.at(-1)!.cursor && pages.length < 50);
    const badLimit = await request(env.runtime, 'GET', '/v1/tokens?limit=201', { admin: true });
    const badCursor = await request(env.runtime, 'GET', '/v1/tokens?cursor=bm9wZQ', { admin: true });

    // Assess
    expect(whole.body.cursor).toBeNull();
    expect(whole.body.items.length).toBeGreaterThanOrEqual(5);
    expect(pages.slice(0, -1).every((page) => page.items.length === 2)).toBe(true);
    expect(pages.flatMap((page) => page.items.map((t) => t.id))).toEqual(whole.body.items.map((t: { id: string }) => t.id));
    expect(badLimit).toMatchObject({ status: 400, body: { details: [{ path: 'limit', reason: 'at most 200' }] } });
    expect(badCursor).toMatchObject({ status: 400, body: { details: [{ path: 'cursor', reason: 'not a cursor returned by this endpoint' }] } });
  });

  it('are created with a role, listed without their secret or its hash, and refused everywhere once revoked', async () => {
    // Prepare
    const admin = await createToken({ name: 'Ops tool', role: 'admin' });
    const cx = await createToken({ name: 'Ana', role: 'cx', surveys: ['demo', 'demo'] });

    // Act
    const listed = await request(env.runtime, 'GET', '/v1/tokens', { token: admin.body.token });
    const beforeRevoke = await request(env.runtime, 'GET', '/v1/followups', { token: cx.body.token });
    const revoked = await request(env.runtime, 'DELETE', `/v1/tokens/${cx.body.id}`, { token: admin.body.token });
    const again = await request(env.runtime, 'DELETE', `/v1/tokens/${cx.body.actorId}`, { admin: true });
    const afterRevoke = await request(env.runtime, 'GET', '/v1/followups', { token: cx.body.token });
    const revokeAdmin = await request(env.runtime, 'DELETE', `/v1/tokens/${admin.body.id}`, { admin: true });
    const adminAfter = await request(env.runtime, 'GET', '/v1/surveys/demo', { token: admin.body.token });

    // Assess
    expect(admin.status).toBe(201);
    expect(admin.body).toMatchObject({ role: 'admin', surveys: 'all', name: 'Ops tool', actorId: `admin:${admin.body.id}`, revoked: false });
    expect(admin.body.token).toMatch(/^adm_/);
    expect(cx.body).toMatchObject({ role: 'cx', surveys: ['demo'], createdBy: 'admin' });
    expect(cx.body.token).toMatch(/^cx_/);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining([admin.body.id, cx.body.id]));
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain(admin.body.token);
    expect(text).not.toContain(cx.body.token);
    expect(text).not.toContain('tokenHash');
    expect(listed.body.items.every((t: object) => !('token' in t))).toBe(true);
    expect(beforeRevoke.status).toBe(200);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: cx.body.id, revoked: true, revokedBy: `admin:${admin.body.id}` });
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.body.details).toEqual([{ path: 'authorization', reason: 'token revoked' }]);
    expect(revokeAdmin.status).toBe(200);
    expect(adminAfter.status).toBe(401);
  });

  it('refuse bad input with 400 naming the field, and an unknown id with 404', async () => {
    const noSurveys = await createToken({ name: 'Ben', role: 'cx' });
    const badRole = await createToken({ name: 'Ben', role: 'owner' });
    const unknown = await request(env.runtime, 'DELETE', '/v1/tokens/0123456789abcdef', { admin: true });
    const malformed = await request(env.runtime, 'DELETE', '/v1/tokens/not-an-id', { admin: true });

    expect(noSurveys.status).toBe(400);
    expect(noSurveys.body.details).toEqual([{ path: 'surveys', reason: 'a cx token needs at least one survey' }]);
    expect(badRole.status).toBe(400);
    expect(badRole.body.details[0].path).toBe('role');
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(400);
  });

  it('and CX leads named with a control character or a bidi control are refused with 400 naming `name`, and none is made', async () => {
    // Prepare: an override that shows "Ann" followed by "admin" reversed, an isolate, a NUL, a line break, a C1 control
    const names = ['Ann\u202enimda', 'Bo\u2067b', 'Cy\u0000', 'Di\nAdmin', 'Ed\u0085'];
    const before = (await request(env.runtime, 'GET', '/v1/tokens', { admin: true })).body.items.length;

    // Act
    const tokens = await Promise.all(names.map((name) => createToken({ name, role: 'cx', surveys: ['demo'] })));
    const leads = await Promise.all(names.map((name) => request(env.runtime, 'POST', '/v1/cx-leads', { admin: true, body: { name, surveys: ['demo'] } })));
    const rightToLeft = await createToken({ name: '\u05d3\u05e0\u05d4 \u200f(CX)', role: 'cx', surveys: ['demo'] });
    const after = (await request(env.runtime, 'GET', '/v1/tokens', { admin: true })).body.items.length;

    // Assess
    for (const refused of [...tokens, ...leads]) {
      expect(refused.status).toBe(400);
      expect(refused.body.details).toEqual([{ path: 'name', reason: expect.stringContaining('no control characters') }]);
    }
    expect(rightToLeft.status).toBe(201);
    expect(after).toBe(before + 1);
  });

  it('list surveys and say who the caller is only on a request without query parameters: any is a 400 naming it', async () => {
    const surveys = await request(env.runtime, 'GET', '/v1/surveys?limit=5', { admin: true });
    const me = await request(env.runtime, 'GET', '/v1/me?as=cx:0123456789abcdef', { admin: true });

    expect(surveys).toMatchObject({ status: 400, body: { details: [{ path: 'limit', reason: 'unknown field' }] } });
    expect(me).toMatchObject({ status: 400, body: { details: [{ path: 'as', reason: 'unknown field' }] } });
    expect((await request(env.runtime, 'GET', '/v1/surveys', { admin: true })).status).toBe(200);
  });

  it('of role cx cannot use admin writes or the admin-only APIs (403), while the legacy cx-leads route still makes one', async () => {
    // Prepare
    const lead = await request(env.runtime, 'POST', '/v1/cx-leads', { admin: true, body: { name: 'Cleo', surveys: ['demo'] } });

    // Act
    const putSurvey = await request(env.runtime, 'PUT', '/v1/surveys/demo', { token: lead.body.token, body: demoSurvey(['https://shop.example']) });
    const mint = await createToken({ name: 'Sneaky', role: 'admin' }, lead.body.token);
    const list = await request(env.runtime, 'GET', '/v1/tokens', { token: lead.body.token });
    const log = await request(env.runtime, 'GET', '/v1/audit', { token: lead.body.token });
    const erase = await request(env.runtime, 'DELETE', `/v1/customers/${encodeURIComponent(CUSTOMER)}`, { token: lead.body.token });
    const exported = await request(env.runtime, 'GET', `/v1/customers/${encodeURIComponent(CUSTOMER)}/export`, { token: lead.body.token });
    const own = await request(env.runtime, 'GET', '/v1/followups', { token: lead.body.token });

    // Assess
    expect(lead.status).toBe(201);
    expect(lead.body.id).toMatch(/^cx:[0-9a-f]{16}$/);
    expect([putSurvey.status, mint.status, list.status, log.status, erase.status, exported.status]).toEqual([403, 403, 403, 403, 403, 403]);
    expect(own.status).toBe(200);
    const entries = await audit();
    expect(entries.find((e) => e.action === 'survey.put' && e.actorId === lead.body.id)).toMatchObject({ status: 403, role: 'cx', targets: { surveyId: 'demo' } });
    expect(entries.find((e) => e.action === 'customer.erase' && e.actorId === lead.body.id)).toMatchObject({ status: 403 });
  });
});

describe('a customer', () => {
  it('is exported with everything held, then erased: responses, tasks, notifications, invitations gone and no longer counted', async () => {
    // Prepare: a detractor with a customerRef (task, notes, notification) and a promoter without one
    const { runtime } = env;
    const submitted = await request(runtime, 'POST', '/v1/responses', { body: { surveyId: 'demo', channel: 'web', answers: { nps: 1 }, comment: COMMENT, customerRef: CUSTOMER } });
    const other = await request(runtime, 'POST', '/v1/responses', { body: { surveyId: 'demo', channel: 'web', answers: { nps: 10 } } });
    await eventually(async () => ((await listAll(runtime, 'demo')).length === 2 ? true : undefined), 10_000, 'two stored responses');
    const task = await eventually(
      async () => {
        await runtime.triggerSchedule('route-detractors');
        return (await request(runtime, 'GET', '/v1/followups?surveyId=demo', { admin: true })).body.items?.[0];
      },
      15_000,
      'an open task',
    );
    const taskPath = `/v1/followups/${task.id}`;
    const worked = [
      await request(runtime, 'POST', `${taskPath}/claim`, { admin: true }),
      await request(runtime, 'POST', `${taskPath}/notes`, { admin: true, body: { text: NOTE } }),
      await request(runtime, 'POST', `${taskPath}/contacted`, { admin: true }),
      await request(runtime, 'POST', `${taskPath}/resolve`, { admin: true, body: { reason: REASON, outcome: 'resolved', rootCause: 'billing', action: REASON } }),
    ];
    await runtime.triggerSchedule('roll-up-metrics');
    const metricsBefore = await request(runtime, 'GET', '/v1/surveys/demo/metrics?interval=day', { admin: true });
    const invited = await request(runtime, 'POST', '/v1/surveys/demo/invitations', { admin: true, body: { campaign: 'erasure', recipients: [{ customerRef: CUSTOMER, email: CUSTOMER, fields: { plan: 'gold' } }] } });
    const ref = encodeURIComponent(CUSTOMER);

    // Act
    const exported = await request(runtime, 'GET', `/v1/customers/${ref}/export`, { admin: true });
    const erased = await request(runtime, 'DELETE', `/v1/customers/${ref}`, { admin: true });
    const erasedAgain = await request(runtime, 'DELETE', `/v1/customers/${ref}`, { admin: true });
    const exportedAfter = await request(runtime, 'GET', `/v1/customers/${ref}/export`, { admin: true });
    await runtime.triggerSchedule('roll-up-metrics');
    const metricsAfter = await request(runtime, 'GET', '/v1/surveys/demo/metrics?interval=day', { admin: true });

    // Assess: the export held it all
    expect(worked.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(invited.status).toBe(201);
    expect(exported.body.invitations).toEqual([expect.objectContaining({ invitationId: invited.body.invitations[0].invitationId, customerRef: CUSTOMER, campaign: 'erasure' })]);
    // the e-mail address itself is held only as a keyed hash
    expect(exported.body.invitations[0]).not.toHaveProperty('email');
    expect(exported.body.invitations[0].emailHash).toMatch(/^[\w-]+:[0-9a-f]{64}$/);
    expect(exported.status).toBe(200);
    expect(exported.body.customerRef).toBe(CUSTOMER);
    expect(exported.body.responses).toEqual([expect.objectContaining({ id: submitted.body.id, comment: COMMENT, customerRef: CUSTOMER, answers: { nps: 1 } })]);
    expect(exported.body.tasks).toEqual([expect.objectContaining({ id: task.id, status: 'resolved' })]);
    expect(JSON.stringify(exported.body.tasks)).toContain(NOTE);
    expect(exported.body.notifications.length).toBeGreaterThanOrEqual(1);
    expect(exported.body.notifications.every((n: { taskId: string }) => n.taskId === task.id)).toBe(true);
    // what the customer is given is their data, not the tables' index keys (each section's items carry some)
    for (const section of ['responses', 'tasks', 'notifications', 'invitations']) {
      for (const item of exported.body[section] as Record<string, unknown>[]) {
        for (const internal of ['expiryShard', 'expiryKey', 'receivedKey', 'surveyShard', 'createdKey', 'slaPending', 'deliveryPending']) expect(item, `${section}.${internal}`).not.toHaveProperty(internal);
      }
    }
    // erased, once: the second erasure finds nothing
    expect(erased.status).toBe(200);
    expect(erased.body.erased).toEqual({ responses: 1, tasks: 1, notifications: exported.body.notifications.length, invitations: 1 });
    expect(erasedAgain.body.erased).toEqual({ responses: 0, tasks: 0, notifications: 0, invitations: 0 });
    expect(exportedAfter.body).toMatchObject({ responses: [], tasks: [], notifications: [], invitations: [] });
    expect((await listAll(runtime, 'demo')).map((r) => r.id)).toEqual([other.body.id]);
    expect((await request(runtime, 'GET', taskPath, { admin: true })).status).toBe(404);
    // the aggregates no longer count the erased response
    expect(metricsBefore.body.totals.metrics).toMatchObject({ responses: 2, nps: { detractors: 1, promoters: 1 } });
    expect(metricsAfter.body.totals.metrics).toMatchObject({ responses: 1, nps: { detractors: 0, promoters: 1 } });

    // and the audit log recorded every write, with ids only
    const entries = await audit();
    const actions = entries.map((e) => e.action);
    for (const action of ['followup.claim', 'followup.notes', 'followup.contacted', 'followup.resolve', 'customer.export', 'customer.erase']) expect(actions).toContain(action);
    expect(entries.find((e) => e.action === 'followup.notes')).toMatchObject({ actorId: 'admin', role: 'admin', status: 200, targets: { taskId: task.id, surveyId: 'demo' } });
    expect(entries.find((e) => e.action === 'customer.erase')).toMatchObject({ status: 200, targets: { customerRefHash: customerRefHashOf(CUSTOMER) } });
    const log = JSON.stringify(entries);
    for (const personal of ['COMMENT-', 'NOTE-', 'REASON-', 'jane', '555 0100']) expect(log).not.toContain(personal);
  });

  it('is neither erased nor exported on a request with a query parameter the route does not take: 400 naming it', async () => {
    // Prepare
    expect((await request(env.runtime, 'POST', '/v1/responses', { body: { surveyId: 'demo', channel: 'api', customerRef: 'kept-ref', answers: { nps: 7 } } })).status).toBe(202);
    await eventually(async () => ((await listAll(env.runtime, 'demo')).some((r) => r.customerRef === 'kept-ref') ? true : undefined), 10_000, 'the response');

    // Act
    const erase = await request(env.runtime, 'DELETE', '/v1/customers/kept-ref?dryRun=true', { admin: true });
    const exported = await request(env.runtime, 'GET', '/v1/customers/kept-ref/export?limit=10', { admin: true });
    const asStored = await request(env.runtime, 'GET', `/v1/customers/${Buffer.from('kept-ref').toString('base64url')}/export?encoding=base64url`, { admin: true });

    // Assess
    expect(erase).toMatchObject({ status: 400, body: { details: [{ path: 'dryRun', reason: 'unknown field' }] } });
    expect(exported).toMatchObject({ status: 400, body: { details: [{ path: 'limit', reason: 'unknown field' }] } });
    expect(asStored.status).toBe(200);
    expect(asStored.body.responses.map((r: { customerRef: string }) => r.customerRef)).toEqual(['kept-ref']);
  });

  it('with a malformed customerRef is refused with 400 naming it', async () => {
    const tooLong = await request(env.runtime, 'DELETE', `/v1/customers/${'x'.repeat(129)}`, { admin: true });
    const control = await request(env.runtime, 'GET', '/v1/customers/a%01b/export', { admin: true });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.details).toEqual([{ path: 'customerRef', reason: 'at most 128 characters' }]);
    expect(control.status).toBe(400);
  });
});

describe('the audit log', () => {
  it('records token and survey writes newest first, pages with a cursor, and never holds a secret', async () => {
    // Prepare
    const created = await createToken({ name: 'Audited', role: 'cx', surveys: ['demo'] });
    await request(env.runtime, 'DELETE', `/v1/tokens/${created.body.id}`, { admin: true });
    await request(env.runtime, 'PUT', '/v1/surveys/audited', { admin: true, body: { ...demoSurvey([]), id: 'audited' } });

    // Act
    const first = await request(env.runtime, 'GET', '/v1/audit?limit=2', { admin: true });
    const second = await request(env.runtime, 'GET', `/v1/audit?limit=2&cursor=${encodeURIComponent(first.body.cursor)}`, { admin: true });
    const all = await audit();
    const badRange = await request(env.runtime, 'GET', '/v1/audit?from=2026-12-01T00:00:00Z&to=2026-01-01T00:00:00Z', { admin: true });

    // Assess
    expect(first.body.items.map((e: { action: string }) => e.action)).toEqual(['survey.put', 'token.revoke']);
    expect(second.body.items[0]).toMatchObject({ action: 'token.create', targets: { tokenId: created.body.id }, status: 201 });
    const times = all.map((e) => (e as unknown as { at: string }).at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(JSON.stringify(all)).not.toContain(created.body.token);
    expect(badRange.status).toBe(400);
  });
});
