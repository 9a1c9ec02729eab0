// integration: assigning follow-up tasks through the CX API's routes against real dynalite: who may assign, what an
// assignee must be, reassigning and claiming in the history and the audit log, bulk assign / no-action with per-task
// results, GET /v1/cx-leads, and auto-assignment on opening (round-robin in turn, by touchpoint with its fallbacks).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoCxLeadStore } from '../../shared/access/dynamo-cx-lead-store.js';
import { adminPrincipal, makeCreateCxLead, principalOfToken, tokenHashOf, type Principal } from '../../shared/access/principal.js';
import { makeCreateToken, makeListTokens, makeRevokeToken } from '../../shared/access/tokens.js';
import { createDynamoAuditLog } from '../../shared/audit/dynamo-audit-log.js';
import type { Clock } from '../../shared/clock.js';
import { makeAssignTasks } from '../../shared/followups/assign-tasks.js';
import { createDynamoAssignmentTurns } from '../../shared/followups/dynamo-assignment-turns.js';
import { createDynamoNotificationStore } from '../../shared/followups/dynamo-notification-store.js';
import { createDynamoTaskStore } from '../../shared/followups/dynamo-task-store.js';
import { makeOpenTask } from '../../shared/followups/open-tasks.js';
import { taskIdOf } from '../../shared/followups/task.js';
import { makeWorkTasks } from '../../shared/followups/work-tasks.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { surveySchema, type SurveyInput } from '../../shared/survey/schema.js';
import { makeAuditRecorder } from '../../functions/commons/audit.js';
import type { HttpEvent } from '../../functions/commons/http.js';
import { makeFollowUpsRoutes } from '../../functions/followups/routes.js';
import { startTestDynamo } from '../support/dynamo.js';
import { createDynamoSurveyCatalog } from '../../shared/survey/dynamo-survey-catalog.js';
import { surveyIdsOf } from '../../shared/survey/survey-catalog.js';

const LINK_KEYS = [{ kid: 't1', secret: 'integration-link-secret-0123456789abcdef' }];
const now = new Date('2026-11-23T10:00:00.000Z');
const clock: Clock = { now: () => now };

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let stores: ReturnType<typeof storesOf>;
/** `base64`: the body as API Gateway hands over one sent without a text Content-Type (curl -d's form type, or none) */
let call: (principal: Principal, routeKey: string, options?: { id?: string; body?: unknown; query?: Record<string, string>; base64?: boolean }) => Promise<{ status: number; body: any }>;

const storesOf = (db: Awaited<ReturnType<typeof startTestDynamo>>['db']) => ({
  tasks: createDynamoTaskStore(db, 'followups', clock),
  notifications: createDynamoNotificationStore(db, 'notifications'),
  surveys: createDynamoSurveyStore(db, 'surveys'),
  leads: createDynamoCxLeadStore(db, 'cxLeads'),
  audit: createDynamoAuditLog(db, 'audit'),
  turns: createDynamoAssignmentTurns(db, 'notifications'),
});

const survey = (id: string, followUp: SurveyInput['followUp'] = {}) =>
  surveySchema.parse({ id, title: id, channels: ['web'], questions: [{ id: 'nps', type: 'nps' }], texts: { en: { title: id, questions: {} } }, followUp });

beforeAll(async () => {
  dynamo = await startTestDynamo('assignment');
  stores = storesOf(dynamo.db);
  await stores.surveys.put(survey('delivery'));
  await stores.surveys.put(survey('checkout'));
  const work = makeWorkTasks({ tasks: stores.tasks, notifications: stores.notifications, surveys: stores.surveys, surveyIds: surveyIdsOf(createDynamoSurveyCatalog(dynamo.db, 'surveys')), linkKeys: async () => LINK_KEYS, clock });
  const routes = makeFollowUpsRoutes({
    work,
    createCxLead: makeCreateCxLead({ leads: stores.leads, clock }),
    audited: makeAuditRecorder({ log: stores.audit, clock }),
    assign: makeAssignTasks({ tasks: stores.tasks, tokens: stores.leads, view: work.view, clock }),
  });
  call = async (principal, routeKey, { id, body, query, base64 = false } = {}) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const event = { routeKey, pathParameters: id ? { id } : undefined, body: base64 && text !== undefined ? Buffer.from(text).toString('base64') : text, isBase64Encoded: base64 && text !== undefined, queryStringParameters: query, headers: {} } as unknown as HttpEvent;
    try {
      const result = await routes(event, principal);
      return { status: result.statusCode ?? 200, body: JSON.parse(result.body ?? 'null') };
    } catch (error) {
      const e = error as { status?: number; message: string; details?: unknown };
      if (!e.status) throw error;
      return { status: e.status, body: { error: e.message, details: e.details } };
    }
  };
});
afterAll(async () => {
  await dynamo?.close();
});

/** a cx token (through POST /v1/cx-leads, as an admin does it) and its principal */
async function lead(name: string, surveys: string[], canAssign?: boolean): Promise<{ principal: Principal; id: string }> {
  const created = await call(adminPrincipal, 'POST /v1/cx-leads', { body: { name, surveys, ...(canAssign !== undefined ? { canAssign } : {}) } });
  expect(created.status).toBe(201);
  const token = await stores.leads.getByTokenHash(tokenHashOf(created.body.token));
  return { principal: principalOfToken(token!), id: created.body.id };
}

let responses = 0;
/** a routed detractor message, opened as a task by the task-opening use case with auto-assignment wired */
async function opened(surveyId: string, touchpoint?: string) {
  responses += 1;
  const response = {
    responseId: `assign-resp-${responses}`,
    surveyId,
    receivedAt: now.toISOString(),
    answers: { nps: 2 },
    sentiment: null,
    channel: 'web',
    ...(touchpoint ? { touchpoint } : {}),
  };
  const open = makeOpenTask({ ...stores, clock, autoAssign: { leads: stores.leads, turns: stores.turns } });
  const { task } = await open(JSON.stringify({ response, reasons: [{ rule: 'nps', question: 'nps', score: 2, atMost: 6 }] }));
  expect(task.id).toBe(taskIdOf(response.responseId));
  return task;
}

const auditOf = async (taskId: string) =>
  (await stores.audit.list({ from: new Date(now.getTime() - 1000), to: new Date(now.getTime() + 1000), limit: 200 })).items.filter((e) => e.targets.taskId === taskId);

describe('assigning one task', () => {
  it('an admin assigns and reassigns; the history and the audit log keep each hand-over, and the assignee claims it', async () => {
    // Prepare
    const ana = await lead('Ana', ['delivery']);
    const ben = await lead('Ben', ['delivery']);
    const task = await opened('delivery');

    // Act
    const first = await call(adminPrincipal, 'POST /v1/followups/{id}/assign', { id: task.id, body: { assignee: ana.id } });
    const second = await call(adminPrincipal, 'POST /v1/followups/{id}/assign', { id: task.id, body: { assignee: ben.id.replace('cx:', '') } });
    const claimed = await call(ana.principal, 'POST /v1/followups/{id}/claim', { id: task.id });

    // Assess
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'open', assignee: { id: ana.id, name: 'Ana' }, version: 2 });
    expect(second.body.assignee).toEqual({ id: ben.id, name: 'Ben' });
    expect(claimed.body).toMatchObject({ status: 'claimed', assignee: { id: ana.id, name: 'Ana' } });
    const stored = await stores.tasks.get(task.id);
    expect(stored!.history.map((e) => [e.action, e.by.id, e.assignee?.name, e.from, e.to])).toEqual([
      ['assign', 'admin', 'Ana', 'open', 'open'],
      ['assign', 'admin', 'Ben', 'open', 'open'],
      ['claim', ana.id, 'Ana', 'open', 'claimed'],
    ]);
    expect((await auditOf(task.id)).map((e) => [e.action, e.actorId, e.status, e.targets.surveyId]).sort()).toEqual(
      [
        ['followup.assign', 'admin', 200, 'delivery'],
        ['followup.assign', 'admin', 200, 'delivery'],
        ['followup.claim', ana.id, 200, 'delivery'],
      ].sort(),
    );
  });

  it('a lead whose token has canAssign may assign; one without it gets 403 and nothing changes', async () => {
    // Prepare
    const manager = await lead('Mia', ['delivery'], true);
    const plain = await lead('Pat', ['delivery']);
    const task = await opened('delivery');

    // Act
    const refused = await call(plain.principal, 'POST /v1/followups/{id}/assign', { id: task.id, body: { assignee: manager.id } });
    const done = await call(manager.principal, 'POST /v1/followups/{id}/assign', { id: task.id, body: { assignee: plain.id } });

    // Assess
    expect(manager.principal.canAssign).toBe(true);
    expect(plain.principal.canAssign).toBe(false);
    expect(refused.status).toBe(403);
    expect(done.status).toBe(200);
    expect(done.body.assignee).toEqual({ id: plain.id, name: 'Pat' });
    expect((await stores.tasks.get(task.id))!.history).toHaveLength(1);
    expect((await auditOf(task.id)).map((e) => e.status).sort()).toEqual([200, 403]);
  });

  it('refuses an unknown, revoked or ungranted assignee with 400 on `assignee`, a closed task with 409, and another survey’s task with 403', async () => {
    // Prepare
    const revoked = await lead('Rex', ['delivery']);
    await makeRevokeToken({ tokens: stores.leads, clock })(revoked.id, adminPrincipal);
    const elsewhere = await lead('Eli', ['checkout'], true);
    const ana = await lead('Ana2', ['delivery']);
    const task = await opened('delivery');

    // Act
    const answers = {
      unknown: await call(adminPrincipal, 'POST /v1/followups/{id}/assign', { id: task.id, body: { assignee: 'cx:0123456789abcdef' } }),
      revoked: await call(adminPrincipal, 'POST /v1/followups/{id}/assign', { id: task.id, body: { assignee: revoked.id } }),
      ungranted: await call(adminPrincipal, 'POST /v1/followups/{id}/assign', { id: task.id, body: { assignee: elsewhere.id } }),
      missing: await call(adminPrincipal, 'POST /v1/followups/{id}/assign', { id: task.id, body: {} }),
      extra: await call(adminPrincipal, 'POST /v1/followups/{id}/assign', { id: task.id, body: { assignee: ana.id, note: 'x' } }),
      notTheirs: await call(elsewhere.principal, 'POST /v1/followups/{id}/assign', { id: task.id, body: { assignee: elsewhere.id } }),
      noTask: await call(adminPrincipal, 'POST /v1/followups/{id}/assign', { id: 't_nope', body: { assignee: ana.id } }),
    };
    await call(ana.principal, 'POST /v1/followups/{id}/claim', { id: task.id });
    await call(ana.principal, 'POST /v1/followups/{id}/resolve', { id: task.id, body: { outcome: 'no_action', reason: 'duplicate' } });
    const closed = await call(adminPrincipal, 'POST /v1/followups/{id}/assign', { id: task.id, body: { assignee: ana.id } });

    // Assess
    expect(answers.unknown).toMatchObject({ status: 400, body: { details: [{ path: 'assignee', reason: expect.stringContaining('no CX lead') }] } });
    expect(answers.revoked).toMatchObject({ status: 400, body: { details: [{ path: 'assignee', reason: expect.stringContaining('revoked') }] } });
    expect(answers.ungranted).toMatchObject({ status: 400, body: { details: [{ path: 'assignee', reason: expect.stringContaining('not granted survey "delivery"') }] } });
    expect(answers.missing).toMatchObject({ status: 400, body: { details: [{ path: 'assignee' }] } });
    expect(answers.extra).toMatchObject({ status: 400, body: { details: [{ path: 'note', reason: 'unknown field' }] } });
    expect(answers.notTheirs.status).toBe(403);
    expect(answers.noTask.status).toBe(404);
    expect(closed).toMatchObject({ status: 409, body: { details: [{ path: 'status', reason: expect.stringContaining('is no_action') }] } });
    const stored = await stores.tasks.get(task.id);
    expect(stored!.history.map((e) => e.action)).toEqual(['claim', 'resolve']);
    expect(stored!.assignee?.id).toBe(ana.id);
  });
});

describe('bulk actions', () => {
  it('bulk assign changes the tasks it may and reports the others (403, 404, 400) untouched', async () => {
    // Prepare
    const ana = await lead('Bulk Ana', ['delivery']);
    const mine = [await opened('delivery'), await opened('delivery')];
    const other = await opened('checkout');
    const manager = await lead('Bulk Mia', ['delivery'], true);

    // Act: the manager is not granted checkout (403); an admin assigning Ana a checkout task (400: Ana is not granted it)
    const byManager = await call(manager.principal, 'POST /v1/followups/bulk', { body: { action: 'assign', assignee: ana.id, taskIds: [mine[0]!.id, other.id, 't_unknown', mine[1]!.id, mine[0]!.id] } });
    const byAdmin = await call(adminPrincipal, 'POST /v1/followups/bulk', { body: { action: 'assign', assignee: ana.id, taskIds: [other.id] } });

    // Assess
    expect(byManager.status).toBe(200);
    expect(byManager.body.results.map((r: any) => [r.id, r.ok, r.status ?? r.task.assignee.name])).toEqual([
      [mine[0]!.id, true, 'Bulk Ana'],
      [other.id, false, 403],
      ['t_unknown', false, 404],
      [mine[1]!.id, true, 'Bulk Ana'],
    ]);
    expect(byAdmin.body.results).toEqual([{ id: other.id, ok: false, status: 400, error: expect.stringContaining('not granted survey "checkout"') }]);
    // each changed task without its notes and history (100 tasks of those could outgrow a Lambda answer)
    expect(byManager.body.results[0].task).toMatchObject({ id: mine[0]!.id, status: 'open', version: 2 });
    expect(Object.keys(byManager.body.results[0].task)).not.toContain('notes');
    expect(Object.keys(byManager.body.results[0].task)).not.toContain('history');
    expect((await stores.tasks.get(other.id))!.version).toBe(1);
    expect((await auditOf(mine[1]!.id)).map((e) => [e.action, e.actorId, e.status])).toEqual([['followup.assign', manager.id, 200]]);
    expect((await auditOf(other.id)).map((e) => e.status).sort()).toEqual([400, 403]);
  });

  it('bulk no-action closes open and claimed tasks with the reason, and leaves a closed one as it was (409)', async () => {
    // Prepare
    const ana = await lead('Closer', ['delivery']);
    const open = await opened('delivery');
    const claimed = await opened('delivery');
    await call(ana.principal, 'POST /v1/followups/{id}/claim', { id: claimed.id });
    const closed = await opened('delivery');
    await call(ana.principal, 'POST /v1/followups/{id}/claim', { id: closed.id });
    await call(ana.principal, 'POST /v1/followups/{id}/resolve', { id: closed.id, body: { rootCause: 'delivery', action: 'refunded' } });
    const before = await stores.tasks.get(closed.id);

    // Act: a lead without canAssign may still close its own survey's tasks in bulk
    const answer = await call(ana.principal, 'POST /v1/followups/bulk', { body: { action: 'no_action', reason: 'test orders from staff', taskIds: [open.id, claimed.id, closed.id] } });

    // Assess
    expect(answer.body.results.map((r: any) => [r.ok, r.ok ? r.task.status : r.status])).toEqual([
      [true, 'no_action'],
      [true, 'no_action'],
      [false, 409],
    ]);
    const wasOpen = await stores.tasks.get(open.id);
    expect(wasOpen).toMatchObject({ status: 'no_action', resolution: { reason: 'test orders from staff' }, version: 2, assignee: { id: ana.id } });
    expect(wasOpen!.history.map((e) => e.action)).toEqual(['claim', 'resolve']);
    expect(await stores.tasks.get(closed.id)).toEqual(before);
    expect((await auditOf(open.id)).map((e) => [e.action, e.status])).toEqual([['followup.resolve', 200]]);
  });

  it('refuses a malformed bulk request as a whole with 400 naming the field, changing nothing', async () => {
    // Prepare
    const task = await opened('delivery');
    const plain = await lead('Plain', ['delivery']);

    // Act
    const noReason = await call(adminPrincipal, 'POST /v1/followups/bulk', { body: { action: 'no_action', taskIds: [task.id] } });
    const noAssignee = await call(adminPrincipal, 'POST /v1/followups/bulk', { body: { action: 'assign', taskIds: [task.id] } });
    const tooMany = await call(adminPrincipal, 'POST /v1/followups/bulk', { body: { action: 'no_action', reason: 'x', taskIds: Array.from({ length: 101 }, (_, i) => `t_${i}`) } });
    const none = await call(adminPrincipal, 'POST /v1/followups/bulk', { body: { action: 'no_action', reason: 'x', taskIds: [] } });
    const badAction = await call(adminPrincipal, 'POST /v1/followups/bulk', { body: { action: 'delete', taskIds: [task.id] } });
    const notAllowed = await call(plain.principal, 'POST /v1/followups/bulk', { body: { action: 'assign', assignee: plain.id, taskIds: [task.id] } });

    // Assess
    expect(noReason).toMatchObject({ status: 400, body: { details: [{ path: 'reason', reason: 'bulk no_action needs a reason' }] } });
    expect(noAssignee).toMatchObject({ status: 400, body: { details: [{ path: 'assignee', reason: 'bulk assign needs an assignee' }] } });
    expect(tooMany).toMatchObject({ status: 400, body: { details: [{ path: 'taskIds', reason: 'at most 100 task ids' }] } });
    expect(none).toMatchObject({ status: 400, body: { details: [{ path: 'taskIds', reason: 'at least one task id' }] } });
    expect(badAction).toMatchObject({ status: 400, body: { details: [{ path: 'action' }] } });
    expect(notAllowed.status).toBe(403);
    expect((await stores.tasks.get(task.id))!.version).toBe(1);
    // a refusal as a whole is one audit entry, naming no task
    const refusals = (await stores.audit.list({ from: new Date(now.getTime() - 1000), to: new Date(now.getTime() + 1000), limit: 500 })).items.filter((e) => e.actorId === plain.principal.actor.id);
    expect(refusals.map((e) => [e.action, e.status, e.targets.taskId])).toEqual([['followup.assign', 403, undefined]]);
  });

  it('audits a refused bulk assign as an assign when its body came base64-encoded, as API Gateway hands a form-typed one', async () => {
    // Prepare: JSON sent as `curl -d` sends it (Content-Type application/x-www-form-urlencoded), which API Gateway
    // hands over base64-encoded (infra/local/gateway.ts)
    const task = await opened('delivery');
    const plain = await lead('Curl', ['delivery']);

    // Act
    const notAllowed = await call(plain.principal, 'POST /v1/followups/bulk', { body: { action: 'assign', assignee: plain.id, taskIds: [task.id] }, base64: true });

    // Assess: refused, and audited as the assign it was, not as a resolve
    expect(notAllowed.status).toBe(403);
    const refusals = (await stores.audit.list({ from: new Date(now.getTime() - 1000), to: new Date(now.getTime() + 1000), limit: 500 })).items.filter((e) => e.actorId === plain.principal.actor.id);
    expect(refusals.map((e) => [e.action, e.status])).toEqual([['followup.assign', 403]]);
  });
});

describe('the leads a task may go to', () => {
  it('GET /v1/cx-leads lists the live leads granted a survey, for admins and leads who may assign only', async () => {
    // Prepare
    const manager = await lead('Lister', ['checkout'], true);
    const plain = await lead('Reader', ['checkout']);
    const gone = await lead('Gone', ['checkout']);
    await makeRevokeToken({ tokens: stores.leads, clock })(gone.id, adminPrincipal);

    // Act
    const byManager = await call(manager.principal, 'GET /v1/cx-leads', { query: { surveyId: 'checkout' } });
    const byPlain = await call(plain.principal, 'GET /v1/cx-leads', { query: { surveyId: 'checkout' } });
    const notGranted = await call(manager.principal, 'GET /v1/cx-leads', { query: { surveyId: 'delivery' } });
    const noSurvey = await call(adminPrincipal, 'GET /v1/cx-leads', {});

    // Assess
    const names = byManager.body.items.map((l: { name: string }) => l.name);
    expect(names).toEqual(expect.arrayContaining(['Lister', 'Reader']));
    expect(names).not.toContain('Gone');
    expect(byManager.body.items.find((l: { name: string }) => l.name === 'Reader')).toEqual({ id: plain.id.slice(3), actorId: plain.id, name: 'Reader' });
    expect(byPlain.status).toBe(403);
    expect(notGranted.status).toBe(403);
    expect(noSurvey).toMatchObject({ status: 400, body: { details: [{ path: 'surveyId' }] } });
  });

  it('tokens carry canAssign: POST /v1/tokens takes it for cx tokens, GET /v1/tokens lists it, old tokens read false', async () => {
    // Act
    const created = await makeCreateToken({ tokens: stores.leads, clock })({ name: 'Team lead', role: 'cx', surveys: ['delivery'], canAssign: true }, adminPrincipal);
    const listed = (await makeListTokens({ tokens: stores.leads })(adminPrincipal)).items;

    // Assess
    expect(created.canAssign).toBe(true);
    expect(listed.find((t) => t.id === created.id)?.canAssign).toBe(true);
    expect(listed.filter((t) => t.role === 'cx' && t.name === 'Reader').map((t) => t.canAssign)).toEqual([false]);
    expect(principalOfToken({ id: '0123456789abcdef', name: 'old', role: 'cx', surveys: ['delivery'], createdAt: now.toISOString(), createdBy: 'admin' }).canAssign).toBe(false);
  });
});

describe('auto-assignment when a task opens', () => {
  it('round-robin hands a survey’s new tasks to its live leads in turn, by token id, and records it as the system', async () => {
    // Prepare: a survey of its own, three leads granted it, one of them revoked
    await stores.surveys.put(survey('rr', { assignment: { mode: 'round-robin' } }));
    const leads = [await lead('R1', ['rr']), await lead('R2', ['rr']), await lead('R3', ['rr'])];
    await makeRevokeToken({ tokens: stores.leads, clock })(leads[2]!.id, adminPrincipal);
    const live = leads.slice(0, 2).map((l) => l.id).sort();

    // Act
    const tasks = [];
    for (let i = 0; i < 5; i++) tasks.push(await opened('rr'));

    // Assess
    expect(tasks.map((t) => t.assignee?.id)).toEqual([live[0], live[1], live[0], live[1], live[0]]);
    expect(tasks[0]!.history).toEqual([{ at: now.toISOString(), by: { id: 'system', name: 'auto-assignment' }, action: 'assign', from: 'open', to: 'open', assignee: tasks[0]!.assignee }]);
    expect((await stores.tasks.get(tasks[0]!.id))).toMatchObject({ version: 1, status: 'open', assignee: tasks[0]!.assignee });
  });

  it('round-robin with concurrent openings still spreads the tasks evenly (the turn counter is atomic)', async () => {
    // Prepare
    await stores.surveys.put(survey('rr2', { assignment: { mode: 'round-robin' } }));
    await lead('S1', ['rr2']);
    await lead('S2', ['rr2']);

    // Act
    const tasks = await Promise.all(Array.from({ length: 6 }, () => opened('rr2')));

    // Assess
    const counts = new Map<string, number>();
    for (const t of tasks) counts.set(t.assignee!.id, (counts.get(t.assignee!.id) ?? 0) + 1);
    expect([...counts.values()]).toEqual([3, 3]);
  });

  it('by touchpoint: the mapped lead, else unassigned (no rule, revoked, not granted); manual leaves tasks unassigned', async () => {
    // Prepare
    const web = await lead('Web lead', ['tp']);
    const app = await lead('App lead', ['tp']);
    const stranger = await lead('Stranger', ['delivery']);
    await stores.surveys.put(survey('tp', { assignment: { mode: 'touchpoint', touchpoints: { web: web.id, app: app.id.slice(3), kiosk: stranger.id } } }));
    await makeRevokeToken({ tokens: stores.leads, clock })(app.id, adminPrincipal);

    // Act
    const onWeb = await opened('tp', 'web');
    const onApp = await opened('tp', 'app');
    const onKiosk = await opened('tp', 'kiosk');
    const onShop = await opened('tp', 'shop');
    const none = await opened('tp');
    const manual = await opened('delivery', 'web');

    // Assess
    expect(onWeb.assignee).toEqual({ id: web.id, name: 'Web lead' });
    expect(onWeb.history.map((e) => e.by.id)).toEqual(['system']);
    for (const task of [onApp, onKiosk, onShop, none, manual]) {
      expect(task.assignee).toBeUndefined();
      expect(task.history).toEqual([]);
    }
  });
});
