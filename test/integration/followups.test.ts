// integration: follow-up tasks against real dynalite: routing opens one task per detractor even across a crash
// between send and mark, concurrent claims have exactly one winner, access is by survey grant, and a webhook that is
// down is retried and recorded as failed without ever blocking task creation.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoCxLeadStore } from '../../shared/access/dynamo-cx-lead-store.js';
import { adminPrincipal, makeCreateCxLead, principalOfToken, tokenHashOf, type Principal } from '../../shared/access/principal.js';
import { makeDeliverPending } from '../../shared/alerts/deliver-pending-alerts.js';
import type { Clock } from '../../shared/clock.js';
import { ApiError } from '../../shared/errors.js';
import { createDynamoNotificationStore } from '../../shared/followups/dynamo-notification-store.js';
import { createDynamoTaskStore } from '../../shared/followups/dynamo-task-store.js';
import type { FollowUpNotification } from '../../shared/followups/notification.js';
import { makeOpenTask } from '../../shared/followups/open-tasks.js';
import { makeRouteDetractors, type RoutedDetractor } from '../../shared/followups/route-detractors.js';
import { taskIdOf } from '../../shared/followups/task.js';
import { makeWatchSla } from '../../shared/followups/watch-sla.js';
import { makeWorkTasks } from '../../shared/followups/work-tasks.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import type { StoredResponse } from '../../shared/response/stored-response.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { surveySchema } from '../../shared/survey/schema.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { makeRescorePending } from '../../shared/sentiment/rescore-pending.js';
import { startTestDynamo } from '../support/dynamo.js';
import { createDynamoSurveyCatalog } from '../../shared/survey/dynamo-survey-catalog.js';
import { surveyIdsOf } from '../../shared/survey/survey-catalog.js';

const LINK_KEYS = [{ kid: 't1', secret: 'integration-link-secret-0123456789abcdef' }];
let now = new Date('2026-11-23T10:00:00.000Z');
const clock: Clock = { now: () => now };

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let deps: ReturnType<typeof storesOf>;

const storesOf = (db: Awaited<ReturnType<typeof startTestDynamo>>['db']) => ({
  responses: createDynamoResponseStore(db, 'responses'),
  tasks: createDynamoTaskStore(db, 'followups'),
  notifications: createDynamoNotificationStore(db, 'notifications'),
  surveys: createDynamoSurveyStore(db, 'surveys'),
  leads: createDynamoCxLeadStore(db, 'cxLeads'),
});

beforeAll(async () => {
  dynamo = await startTestDynamo('followups');
  deps = storesOf(dynamo.db);
  for (const id of ['delivery', 'checkout']) {
    await deps.surveys.put(surveySchema.parse({ id, title: id, channels: ['web'], questions: [{ id: 'nps', type: 'nps' }], texts: { en: { title: id, questions: {} } } }));
  }
});
afterAll(async () => {
  await dynamo?.close();
});

let responses = 0;
function detractor(surveyId: string, customerRef?: string): StoredResponse {
  responses += 1;
  return {
    id: `resp-${responses}`,
    surveyId,
    receivedAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + 365 * 86_400, // outlives the SLA checks below (expired tasks are never read)
    channel: 'web',
    answers: { nps: 2 },
    comment: 'late again',
    sentiment: null,
    storedAt: now.toISOString(),
    ...(customerRef ? { customerRef } : {}),
    followUp: { reasons: [{ rule: 'nps', question: 'nps', score: 2, atMost: 6 }] },
  };
}

/** the queue as a list; `deliver` hands its messages to the consumer */
function memoryQueue() {
  const sent: string[] = [];
  return { queue: { send: async (message: RoutedDetractor) => void sent.push(JSON.stringify(message)) }, sent };
}

const openTaskFor = () => makeOpenTask({ tasks: deps.tasks, notifications: deps.notifications, surveys: deps.surveys, clock });
const work = () => makeWorkTasks({ tasks: deps.tasks, notifications: deps.notifications, surveys: deps.surveys, surveyIds: surveyIdsOf(createDynamoSurveyCatalog(dynamo.db, 'surveys')), linkKeys: async () => LINK_KEYS, clock });

async function leadFor(name: string, surveys: string[]): Promise<Principal> {
  const { token } = await makeCreateCxLead({ leads: deps.leads, clock })({ name, surveys }, adminPrincipal);
  const lead = await deps.leads.getByTokenHash(tokenHashOf(token));
  return principalOfToken(lead!);
}

async function openedTask(surveyId = 'delivery', customerRef?: string) {
  const response = detractor(surveyId, customerRef);
  const { sent, queue } = memoryQueue();
  await deps.responses.putIfAbsent(response);
  await makeRouteDetractors({ responses: deps.responses, queue, clock })();
  for (const body of sent) await openTaskFor()(body);
  return taskIdOf(response.id);
}

describe('routing detractors to tasks', () => {
  it('a crash between send and mark sends again, and the conditional put still opens one task', async () => {
    // Prepare
    const response = detractor('delivery');
    await deps.responses.putIfAbsent(response);
    const { queue, sent } = memoryQueue();
    let crashes = 1;
    const crashing = { ...deps.responses, markRouted: async (id: string, at: Date) => (crashes-- > 0 ? Promise.reject(new Error('crash')) : deps.responses.markRouted(id, at)) };
    const route = makeRouteDetractors({ responses: crashing, queue, clock });

    // Act
    await expect(route()).rejects.toThrow('crash');
    await route();
    await route();
    const outcomes = await Promise.all(sent.map((body) => openTaskFor()(body)));

    // Assess
    expect(sent.filter((body) => body.includes(response.id))).toHaveLength(2);
    expect(outcomes.filter((o) => o.task.response.responseId === response.id).map((o) => o.created).sort()).toEqual([false, true]);
    expect(await deps.responses.listUnrouted(100)).toEqual([]);
    const notifications = await deps.notifications.listByTask(taskIdOf(response.id));
    expect(notifications.map((n) => n.kind)).toEqual(['task-opened']);
  });

  it('marks a response a detractor when its comment, stored while sentiment was down, is scored NEGATIVE later', async () => {
    // Prepare: no low score, a comment whose sentiment is still pending
    const { followUp: _none, ...response } = { ...detractor('delivery'), answers: { nps: 9 }, sentiment: { status: 'pending' as const } };
    await deps.responses.putIfAbsent(response);
    const negative = { status: 'scored', label: 'NEGATIVE', language: 'en', scores: { positive: 0, negative: 0.95, neutral: 0.05, mixed: 0 } } as const;
    const rescore = makeRescorePending({
      store: deps.responses,
      sentiment: { analyze: async (requests) => requests.map(({ id }) => ({ id, ...negative })) },
      dirty: createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets'),
      clock,
      surveys: deps.surveys,
    });

    // Act
    await rescore();

    // Assess
    const unrouted = await deps.responses.listUnrouted(100);
    expect(unrouted.find((r) => r.id === response.id)?.followUp).toEqual({ reasons: [{ rule: 'negative-comment', confidence: 0.95, atLeast: 0.8 }] });
  });

  it('carries who and where of an email-link response to its task, which the CX API returns with its campaign', async () => {
    // Prepare: a detractor that answered a campaign's personal link, and a message routed before tasks kept campaigns
    const response: StoredResponse = {
      ...detractor('delivery', 'cust-mail-1'),
      channel: 'email',
      touchpoint: 'delivery',
      journeyStage: 'after-sale',
      locale: 'zh-CN',
      campaign: 'spring-2026',
      invitationId: 'i_spring',
      revision: 1,
      metadata: { plan: 'pro' },
    };
    await deps.responses.putIfAbsent(response);
    const { queue, sent } = memoryQueue();
    const before = { response: { responseId: 'resp-before-campaigns', surveyId: 'delivery', receivedAt: now.toISOString(), answers: { nps: 3 }, sentiment: null, channel: 'web' }, reasons: [] };
    const ana = await leadFor('Ana', ['delivery']);

    // Act
    await makeRouteDetractors({ responses: deps.responses, queue, clock })();
    for (const body of [...sent, JSON.stringify(before)]) await openTaskFor()(body);
    const shown = await work().get(ana, taskIdOf(response.id));
    const listed = await work().list(ana, { surveyId: 'delivery', limit: '200' });
    const older = await work().get(ana, taskIdOf('resp-before-campaigns'));

    // Assess: the task says who (customerRef), why (reasons) and where (channel, touchpoint, stage, campaign); free-form
    // metadata may hold personal data and stays with the response
    expect(shown).toMatchObject({
      reasons: [{ rule: 'nps', question: 'nps', score: 2, atMost: 6 }],
      response: { customerRef: 'cust-mail-1', channel: 'email', touchpoint: 'delivery', journeyStage: 'after-sale', locale: 'zh-CN', campaign: 'spring-2026', answers: { nps: 2 } },
    });
    expect(shown.response).not.toHaveProperty('metadata');
    expect(listed.items.find((t) => t.id === shown.id)?.response.campaign).toBe('spring-2026');
    expect(older.response.campaign).toBeUndefined();
  });

  it('ranks a repeat detractor higher than their first task', async () => {
    const first = await deps.tasks.get(await openedTask('delivery', 'cust-42'));
    const second = await deps.tasks.get(await openedTask('delivery', 'cust-42'));
    expect(second!.priority.score).toBeGreaterThan(first!.priority.score);
  });
});

describe('working tasks', () => {
  it('of two simultaneous claims exactly one wins; the other gets 409 with the current state', async () => {
    // Prepare
    const taskId = await openedTask();
    const [ana, ben] = await Promise.all([leadFor('Ana', ['delivery']), leadFor('Ben', ['delivery'])]);

    // Act
    const outcomes = await Promise.allSettled([work().act(ana, taskId, 'claim', undefined), work().act(ben, taskId, 'claim', undefined)]);

    // Assess
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(ApiError);
    expect(lost[0]!.reason).toMatchObject({ status: 409, extra: { current: { status: 'claimed' } } });
    const stored = await deps.tasks.get(taskId);
    expect(stored).toMatchObject({ status: 'claimed', version: 2 });
  });

  it('404 for an unknown task, 403 for a task of a survey the lead is not granted, and lists only granted surveys', async () => {
    // Prepare
    const other = await openedTask('checkout');
    const ana = await leadFor('Ana', ['delivery']);

    // Act / Assess
    await expect(work().get(ana, 't_unknown')).rejects.toMatchObject({ status: 404 });
    await expect(work().get(ana, other)).rejects.toMatchObject({ status: 403 });
    await expect(work().act(ana, other, 'claim', undefined)).rejects.toMatchObject({ status: 403 });
    await expect(work().list(ana, { surveyId: 'checkout' })).rejects.toMatchObject({ status: 403 });
    const listed = await work().list(ana, { limit: '200' });
    expect(listed.items.length).toBeGreaterThan(0);
    expect(listed.items.every((task) => task.surveyId === 'delivery')).toBe(true);
    expect((await work().get(adminPrincipal, other)).surveyId).toBe('checkout');
  });

  it('404 for a task id too long to be a key, without reading it, on every route that reads a task', async () => {
    // Prepare: 3,000 characters, past DynamoDB's 2,048-byte key (the read used to fail: a 500)
    const long = 'x'.repeat(3000);

    // Act / Assess
    await expect(work().get(adminPrincipal, long)).rejects.toMatchObject({ status: 404, message: 'task not found' });
    await expect(work().act(adminPrincipal, long, 'claim', undefined)).rejects.toMatchObject({ status: 404, message: 'task not found' });
    await expect(work().act(adminPrincipal, long, 'notes', { text: 'called back' })).rejects.toMatchObject({ status: 404, message: 'task not found' });
  });

  it('refuses a claim or a contacted mark whose body carries fields, naming each, and leaves the task as it was', async () => {
    // Prepare
    const taskId = await openedTask('delivery');
    const before = await deps.tasks.get(taskId);

    // Act: neither action takes a field; they used to be ignored (and the action taken)
    const claim = await work().act(adminPrincipal, taskId, 'claim', { assignee: 'cx:0123456789abcdef' }).catch((error: unknown) => error);
    const contacted = await work().act(adminPrincipal, taskId, 'contacted', { channel: 'phone' }).catch((error: unknown) => error);

    // Assess
    expect(claim).toMatchObject({ status: 400, details: [{ path: 'assignee', reason: 'unknown field' }] });
    expect(contacted).toMatchObject({ status: 400, details: [{ path: 'channel', reason: 'unknown field' }] });
    expect(await deps.tasks.get(taskId)).toEqual(before);
    // an empty object is no field at all
    expect(await work().act(adminPrincipal, taskId, 'claim', {})).toMatchObject({ status: 'claimed' });
  });

  it('refuses a note, an action or a reason holding a bidi control or a control character other than a line break, naming it, and leaves the task as it was', async () => {
    // Prepare
    const taskId = await openedTask('delivery');
    const before = await deps.tasks.get(taskId);

    // Act
    const note = await work().act(adminPrincipal, taskId, 'notes', { text: 'Called, \u202edednufer' }).catch((error: unknown) => error);
    const action = await work().act(adminPrincipal, taskId, 'resolve', { rootCause: 'delivery', action: 'refunded\u0000' }).catch((error: unknown) => error);
    const reason = await work().act(adminPrincipal, taskId, 'resolve', { outcome: 'no_action', reason: 'dup\u2066licate' }).catch((error: unknown) => error);

    // Assess
    expect(note).toMatchObject({ status: 400, details: [{ path: 'text', reason: expect.stringContaining('bidi controls') }] });
    expect(action).toMatchObject({ status: 400, details: [{ path: 'action', reason: expect.stringContaining('bidi controls') }] });
    expect(reason).toMatchObject({ status: 400, details: [{ path: 'reason', reason: expect.stringContaining('bidi controls') }] });
    expect(await deps.tasks.get(taskId)).toEqual(before);
    // a note's line breaks are kept
    expect((await work().act(adminPrincipal, taskId, 'notes', { text: 'Called.\nNo answer.' })).notes.at(-1)?.text).toBe('Called.\nNo answer.');
  });

  it('lists a page at a time, filtered by status and assignee, with a cursor to the next page', async () => {
    // Prepare: three tasks of their own survey, one claimed by Ana
    await deps.surveys.put(surveySchema.parse({ id: 'paging', title: 'p', channels: ['web'], questions: [{ id: 'nps', type: 'nps' }], texts: { en: { title: 'p', questions: {} } } }));
    const ids = [await openedTask('paging'), await openedTask('paging'), await openedTask('paging')];
    const ana = await leadFor('Ana', ['paging']);
    await work().act(ana, ids[1]!, 'claim', undefined);

    // Act
    const first = await work().list(ana, { surveyId: 'paging', limit: '2' });
    const second = await work().list(ana, { surveyId: 'paging', limit: '2', cursor: first.cursor! });
    const open = await work().list(ana, { surveyId: 'paging', status: 'open' });
    const mine = await work().list(adminPrincipal, { assignee: ana.actor.id });
    const bad = await work()
      .list(ana, { surveyId: 'paging', status: 'lost' })
      .catch((error: unknown) => error);

    // Assess
    expect(first.items).toHaveLength(2);
    expect(second).toMatchObject({ items: [expect.anything()], cursor: null });
    expect([...first.items, ...second.items].map((t) => t.id).sort()).toEqual([...ids].sort());
    expect(open.items.map((t) => t.id).sort()).toEqual([ids[0], ids[2]].sort());
    expect(mine.items.map((t) => t.id)).toEqual([ids[1]]);
    expect(bad).toMatchObject({ status: 400, details: [{ path: 'status' }] });
  });

  it('resolving needs a root cause and the action taken, records them, and issues a re-survey link valid 14 days', async () => {
    // Prepare
    const taskId = await openedTask();
    const ana = await leadFor('Ana', ['delivery']);
    await work().act(ana, taskId, 'claim', undefined);

    // Act
    const noReason = await work()
      .act(ana, taskId, 'resolve', {})
      .catch((error: unknown) => error);
    await work().act(ana, taskId, 'notes', { text: 'refund issued' });
    const resolved = await work().act(ana, taskId, 'resolve', { rootCause: 'delivery', action: 'refunded' });

    // Assess
    expect(noReason).toMatchObject({ status: 400, details: [{ path: 'rootCause' }, { path: 'action' }] });
    expect(resolved).toMatchObject({ status: 'resolved', resolution: { reason: 'refunded', rootCause: 'delivery', action: 'refunded' }, notes: [{ author: ana.actor, text: 'refund issued' }] });
    expect(resolved.resurveyLink).toMatch(/^\/r\/[\w-]+\.[\w-]+$/);
    expect(Date.parse(resolved.resurvey!.expiresAt) - now.getTime()).toBe(14 * 86_400_000);
    await expect(work().act(ana, taskId, 'claim', undefined)).rejects.toMatchObject({ status: 409 });
  });
});

describe('notifications', () => {
  it('a webhook that is down is retried, then recorded as failed; overdue tasks notify and escalate once', async () => {
    // Prepare: a separate store, so only this test's notifications are due
    const own = await startTestDynamo('followups-webhook');
    const stores = storesOf(own.db);
    let hits = 0;
    const server = createServer((req, res) => {
      hits += 1;
      req.resume();
      res.writeHead(503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const response = detractor('delivery');
    await stores.responses.putIfAbsent(response);
    const { queue, sent } = memoryQueue();
    await makeRouteDetractors({ responses: stores.responses, queue, clock })();
    const { task } = await makeOpenTask({ tasks: stores.tasks, notifications: stores.notifications, surveys: stores.surveys, clock })(sent[0]!);
    const deliver = makeDeliverPending<FollowUpNotification>({
      store: stores.notifications,
      bodyOf: (n) => n.body,
      webhookFor: (n) => (n.target === 'followup' ? { url, secret: 'integration-signing-secret-0123' } : undefined),
      recordUnconfigured: true,
      clock,
      sleep: async () => undefined,
      maxAttempts: 3,
    });
    const watch = makeWatchSla({ tasks: stores.tasks, notifications: stores.notifications, clock });

    try {
      // Act
      const first = await deliver();
      now = new Date(Date.parse(task.dueAt) + 60_000);
      const breaches = [await watch(), await watch()];
      const second = await deliver();

      // Assess
      expect(task.status).toBe('open');
      expect(first).toEqual({ delivered: 0, retrying: 0, failed: 1 });
      expect(breaches.map((b) => b.breached)).toEqual([1, 0]);
      expect(second).toEqual({ delivered: 0, retrying: 0, failed: 1 });
      expect(hits).toBe(6);
      const record = await stores.notifications.listByTask(task.id);
      expect(Object.fromEntries(record.map((n) => [n.kind, n.delivery.status]))).toEqual({
        'task-opened': 'failed',
        'sla-breached': 'failed',
        escalated: 'not-configured',
      });
      expect((await stores.tasks.get(task.id))!.breachedAt).toBe(now.toISOString());
    } finally {
      now = new Date('2026-11-23T10:00:00.000Z');
      server.close();
      await own.close();
    }
  });
});
