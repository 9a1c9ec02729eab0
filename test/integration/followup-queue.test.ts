// integration: the follow-up queue's list (GET /v1/followups) against real dynalite: each filter, each sort, paging
// beyond 200 with no task twice and none missing, bad input as 400s naming the field, a lead who never sees another
// survey's tasks whatever the filter, and reads bounded however many closed tasks a survey has piled up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerBytesOf, MAX_ANSWER_BODY_BYTES } from '../../shared/answer-size.js';
import { createDynamoCxLeadStore } from '../../shared/access/dynamo-cx-lead-store.js';
import { adminPrincipal, makeCreateCxLead, principalOfToken, tokenHashOf, type Principal } from '../../shared/access/principal.js';
import type { Clock } from '../../shared/clock.js';
import { createDynamoNotificationStore } from '../../shared/followups/dynamo-notification-store.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { AwsServiceError } from '../../shared/aws/json-protocol.js';
import type { DynamoDBDocumentClient, QueryCommand } from '../../shared/aws/dynamodb.js';
import { createDynamoTaskStore } from '../../shared/followups/dynamo-task-store.js';
import { openTask, type FollowUpTask } from '../../shared/followups/task.js';
import { makeWorkTasks } from '../../shared/followups/work-tasks.js';
import { startTestDynamo } from '../support/dynamo.js';

const HOUR = 3_600_000;
const now = new Date('2026-11-23T12:00:00.000Z');
const clock: Clock = { now: () => now };
const LINK_KEYS = [{ kid: 't1', secret: 'integration-link-secret-0123456789abcdef' }];

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let tasks: ReturnType<typeof createDynamoTaskStore>;
let work: ReturnType<typeof makeWorkTasks>;
let ana: Principal;
let bo: Principal;

let n = 0;
/** a task of `surveyId` opened `ageHours` ago, first contact due in `dueInHours` */
async function stored(surveyId: string, patch: Partial<FollowUpTask> & { touchpoint?: string; customerRef?: string; comment?: string; dueInHours?: number; ageHours?: number } = {}): Promise<FollowUpTask> {
  n += 1;
  const { touchpoint, customerRef, comment, dueInHours = 24, ageHours = 1, ...rest } = patch;
  const opened = new Date(now.getTime() - ageHours * HOUR);
  const task: FollowUpTask = {
    ...openTask({
      response: { responseId: `q-${n}`, surveyId, receivedAt: opened.toISOString(), answers: { nps: 3 }, sentiment: null, channel: 'web', ...(touchpoint ? { touchpoint } : {}), ...(customerRef ? { customerRef } : {}), ...(comment ? { comment } : {}) },
      reasons: [{ rule: 'nps', question: 'nps', score: 3, atMost: 6 }],
      priority: { level: 'normal', score: 20 },
      firstContactHours: 24,
      now: opened,
    }),
    dueAt: new Date(now.getTime() + dueInHours * HOUR).toISOString(),
    ...rest,
  };
  await tasks.putIfAbsent(task);
  return task;
}

async function leadFor(name: string, surveys: string[]): Promise<Principal> {
  const leads = createDynamoCxLeadStore(dynamo.db, 'cxLeads');
  const { token } = await makeCreateCxLead({ leads, clock })({ name, surveys }, adminPrincipal);
  return principalOfToken((await leads.getByTokenHash(tokenHashOf(token)))!);
}

const ids = (page: { items: { id: string }[] }) => page.items.map((t) => t.id);
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

/** the surveys the admin's queue covers (the catalog's, in the function) */
const SURVEYS = ['store', 'other', 'big', 'notes', 'archive'];
const workOn = (store: ReturnType<typeof createDynamoTaskStore>, bounds: { maxReadPerPage?: number; maxSortedTasks?: number } = {}) =>
  makeWorkTasks({ tasks: store, notifications: createDynamoNotificationStore(dynamo.db, 'notifications'), surveys: createDynamoSurveyStore(dynamo.db, 'surveys'), surveyIds: async () => SURVEYS, linkKeys: async () => LINK_KEYS, clock, ...bounds });

/** a task store whose reads of the followups table are counted (items DynamoDB read, before any filter) */
function countedStore() {
  const counted = { items: 0 };
  const db = {
    send: async (command: QueryCommand) => {
      const output = (await dynamo.db.send(command)) as { ScannedCount?: number };
      counted.items += output.ScannedCount ?? 0;
      return output;
    },
  } as unknown as DynamoDBDocumentClient;
  return { store: createDynamoTaskStore(db, 'followups', clock), counted };
}

// one survey per scenario, so each reads only its own tasks
let fixture: Record<string, FollowUpTask>;

beforeAll(async () => {
  dynamo = await startTestDynamo('followup-queue');
  tasks = createDynamoTaskStore(dynamo.db, 'followups', clock);
  work = workOn(tasks);
  ana = await leadFor('Ana', ['store', 'big', 'archive']);
  bo = await leadFor('Bo', ['other']);
  fixture = {
    breached: await stored('store', { dueInHours: -2, ageHours: 30, priority: { level: 'urgent', score: 80 }, touchpoint: 'checkout', comment: 'The parcel was LATE' }),
    soon: await stored('store', { dueInHours: 3, ageHours: 21, status: 'claimed', assignee: ana.actor, customerRef: 'CUST-42' }),
    later: await stored('store', { dueInHours: 20, ageHours: 4, priority: { level: 'high', score: 45 }, touchpoint: 'delivery' }),
    bos: await stored('store', { dueInHours: 10, ageHours: 14, status: 'contacted', assignee: { id: 'cx:00000000000000b0', name: 'Bo' }, notes: [{ author: { id: 'cx:00000000000000b0', name: 'Bo' }, at: now.toISOString(), text: 'Promised a refund' }] }),
    resolved: await stored('store', { dueInHours: -20, ageHours: 44, status: 'resolved', assignee: ana.actor, closedAt: now.toISOString() }),
    dropped: await stored('store', { dueInHours: -10, ageHours: 34, status: 'no_action', closedAt: now.toISOString() }),
    // another survey's tasks, which match every filter above
    other: await stored('other', { dueInHours: -2, priority: { level: 'urgent', score: 80 }, touchpoint: 'checkout', comment: 'The parcel was LATE', customerRef: 'CUST-42' }),
    otherMine: await stored('other', { dueInHours: 3, status: 'claimed', assignee: ana.actor, touchpoint: 'checkout' }),
  };
});
afterAll(async () => {
  await dynamo?.close();
});

describe('follow-up queue: filters', () => {
  const list = (query: Record<string, string>) => work.list(ana, { surveyId: 'store', limit: '200', ...query });
  const expectIds = async (query: Record<string, string>, names: string[]) => expect(new Set(ids(await list(query)))).toEqual(new Set(names.map((name) => fixture[name]!.id)));

  it('by status, one or a comma list, resolved and no action included', async () => {
    await expectIds({ status: 'open' }, ['breached', 'later']);
    await expectIds({ status: 'claimed,contacted' }, ['soon', 'bos']);
    await expectIds({ status: 'resolved' }, ['resolved']);
    await expectIds({ status: 'no_action' }, ['dropped']);
    await expectIds({}, ['breached', 'soon', 'later', 'bos', 'resolved', 'dropped']);
  });

  it('by assignee: mine, unassigned, or an actor id', async () => {
    await expectIds({ assignee: 'me' }, ['soon', 'resolved']);
    await expectIds({ assignee: 'none' }, ['breached', 'later', 'dropped']);
    await expectIds({ assignee: 'cx:00000000000000b0' }, ['bos']);
    await expectIds({ assignee: '00000000000000b0' }, ['bos']);
    await expectIds({ assignee: 'me', status: 'open,claimed,contacted' }, ['soon']);
  });

  it('by priority, SLA state, touchpoint and text', async () => {
    await expectIds({ priority: 'urgent,high' }, ['breached', 'later']);
    await expectIds({ sla: 'breached' }, ['breached']);
    await expectIds({ overdue: 'true' }, ['breached']);
    await expectIds({ sla: 'due-soon' }, ['soon']);
    await expectIds({ touchpoint: 'checkout' }, ['breached']);
    await expectIds({ q: 'late' }, ['breached']);
    await expectIds({ q: 'cust-42' }, ['soon']);
    await expectIds({ q: 'REFUND' }, ['bos']);
  });

  it('sorts by due time (the default), priority, newest and oldest', async () => {
    const active = { status: 'open,claimed,contacted' };
    const order = async (query: Record<string, string>) => ids(await list({ ...active, ...query }));
    const of = (...names: string[]) => names.map((name) => fixture[name]!.id);

    expect(await order({})).toEqual(of('breached', 'soon', 'bos', 'later'));
    expect(await order({ sort: 'priority' })).toEqual(of('breached', 'later', 'soon', 'bos'));
    expect(await order({ sort: 'newest' })).toEqual(of('later', 'bos', 'soon', 'breached'));
    expect(await order({ sort: 'oldest' })).toEqual(of('breached', 'soon', 'bos', 'later'));
  });

  it('refuses bad values with a 400 naming the field, and a cursor of another query', async () => {
    for (const [query, path] of [
      [{ status: 'open,lost' }, 'status'],
      [{ priority: 'low' }, 'priority'],
      [{ sla: 'late' }, 'sla'],
      [{ sort: 'random' }, 'sort'],
      [{ limit: '500' }, 'limit'],
      [{ q: ' ' }, 'q'],
      [{ assignee: 'everyone' }, 'assignee'],
    ] as const) {
      expect(await failure(list(query))).toMatchObject({ status: 400, details: [{ path }] });
    }
    const first = await work.list(ana, { surveyId: 'store', limit: '1' });
    expect(await failure(work.list(ana, { surveyId: 'store', limit: '1', sort: 'oldest', cursor: first.cursor! }))).toMatchObject({ status: 400, details: [{ path: 'cursor' }] });
  });
});

describe('follow-up queue: access', () => {
  it('a lead never sees another survey\u2019s tasks, whatever the filter', async () => {
    // Prepare: filters every one of which the other survey's tasks match
    const queries: Record<string, string>[] = [{}, { q: 'late' }, { q: 'cust-42' }, { touchpoint: 'checkout' }, { sla: 'breached' }, { sla: 'due-soon' }, { priority: 'urgent' }, { assignee: 'me' }, { sort: 'priority' }];

    // Act
    const seenByAna = await Promise.all(queries.map((query) => work.list(ana, { limit: '200', ...query })));
    const seenByBo = await Promise.all(queries.map((query) => work.list(bo, { limit: '200', ...query })));

    // Assess
    for (const page of seenByAna) expect(page.items.every((task) => task.surveyId !== 'other')).toBe(true);
    expect(ids(seenByAna[1]!)).toEqual([fixture.breached!.id]);
    for (const page of seenByBo) expect(page.items.every((task) => task.surveyId === 'other')).toBe(true);
    expect(ids(seenByBo[7]!)).toEqual([]);
    expect(await failure(work.list(bo, { surveyId: 'store', q: 'late' }))).toMatchObject({ status: 403 });
  });
});

describe('follow-up queue: paging', () => {
  it('pages beyond 200: 230 tasks in two pages, none twice, none missing', async () => {
    // Prepare
    const opened: string[] = [];
    for (let i = 0; i < 230; i++) opened.push((await stored('big', { dueInHours: 1 + (i % 50), ageHours: i % 7 })).id);

    // Act
    const first = await work.list(ana, { surveyId: 'big', limit: '200', sort: 'due' });
    const second = await work.list(ana, { surveyId: 'big', limit: '200', sort: 'due', cursor: first.cursor! });
    const everyone = await work.list(adminPrincipal, { limit: '200', status: 'open', sort: 'newest' });

    // Assess
    expect(first.items).toHaveLength(200);
    expect(second.items).toHaveLength(30);
    expect(second.cursor).toBeNull();
    const seen = [...ids(first), ...ids(second)];
    expect(new Set(seen).size).toBe(230);
    expect([...seen].sort()).toEqual([...opened].sort());
    const dues = [...first.items, ...second.items].map((t) => t.dueAt);
    expect(dues).toEqual([...dues].sort());
    expect(everyone.cursor).not.toBeNull();
  });

  it("ends a page at the last task that fits in a Lambda answer, with a cursor that goes on from there", async () => {
    // Prepare: 30 tasks of 25 notes of 2,000 quotes each: 200 KB a task in the answer (a `"` takes 4 bytes there)
    const note = { author: { id: 'admin', name: 'Admin' }, at: now.toISOString(), text: '"'.repeat(2000) };
    const opened: string[] = [];
    for (let i = 0; i < 30; i++) opened.push((await stored('notes', { notes: Array.from({ length: 25 }, () => note), dueInHours: 1 + i })).id);

    // Act
    const first = await work.list(adminPrincipal, { surveyId: 'notes', limit: '200', sort: 'due' });
    const second = await work.list(adminPrincipal, { surveyId: 'notes', limit: '200', sort: 'due', cursor: first.cursor! });

    // Assess: within the answer, short of the limit, and the next page carries on with no gap and no repeat
    expect(answerBytesOf(JSON.stringify(first))).toBeLessThanOrEqual(MAX_ANSWER_BODY_BYTES);
    expect(first.items.length).toBeGreaterThan(10);
    expect(first.items.length).toBeLessThan(30);
    expect([...ids(first), ...ids(second)]).toEqual(opened);
    expect(second.cursor).toBeNull();
  });
});

describe('follow-up queue: reads bounded by the work, not by the closed tasks piled up', () => {
  // Prepare: a survey with 400 closed tasks, 7 of them mentioning a refund, and 3 tasks being worked
  let active: string[];
  let refunds: string[];
  let closed: string[];
  beforeAll(async () => {
    closed = [];
    refunds = [];
    for (let i = 0; i < 400; i++) {
      const refund = i % 60 === 7;
      const task = await stored('archive', { status: i % 5 === 0 ? 'no_action' : 'resolved', closedAt: now.toISOString(), ageHours: 50 + i, ...(refund ? { comment: 'Where is my refund?' } : {}) });
      closed.push(task.id);
      if (refund) refunds.push(task.id);
    }
    active = [
      (await stored('archive', { dueInHours: 5, ageHours: 2 })).id,
      (await stored('archive', { dueInHours: 1, ageHours: 3, status: 'claimed', assignee: ana.actor })).id,
      (await stored('archive', { dueInHours: 9, ageHours: 4, status: 'contacted', assignee: ana.actor })).id,
    ];
  });

  it('lists the tasks being worked by reading only them', async () => {
    // Act
    const { store, counted } = countedStore();
    const page = await workOn(store).list(ana, { surveyId: 'archive', status: 'open,claimed,contacted' });
    const overdueOrSoon = await workOn(store).list(adminPrincipal, { surveyId: 'archive', sla: 'due-soon' });

    // Assess: sorted by due time, and 3 + 2 items read, not 400 more
    expect(ids(page)).toEqual([active[1], active[0], active[2]]);
    expect(ids(overdueOrSoon)).toEqual([active[1]]);
    expect(counted.items).toBe(5);
  });

  it('pages a list of closed tasks in the order they were opened, a bounded read a page, none twice, none missing', async () => {
    // Act: every page of the resolved tasks, newest first, 50 a page
    const { store, counted } = countedStore();
    const bounded = workOn(store, { maxReadPerPage: 120 });
    const seen: string[] = [];
    const reads: number[] = [];
    let cursor: string | null | undefined;
    do {
      const before = counted.items;
      const page = await bounded.list(adminPrincipal, { surveyId: 'archive', status: 'resolved', limit: '50', ...(cursor ? { cursor } : {}) });
      reads.push(counted.items - before);
      seen.push(...ids(page));
      cursor = page.cursor;
    } while (cursor && reads.length < 50);

    // Assess: the default order of a closed list (newest first), each page a bounded read
    const resolved = closed.filter((_, i) => i % 5 !== 0);
    expect(seen).toEqual(resolved);
    // a page's reads are sized to it (50 and one more), and never pass the bound
    expect(Math.max(...reads)).toBeLessThanOrEqual(120);
  });

  it('a rare filter over closed tasks ends pages short, with a cursor, and following it finds every match once', async () => {
    // Act
    const { store, counted } = countedStore();
    const bounded = workOn(store, { maxReadPerPage: 120 });
    const seen: string[] = [];
    let pages = 0;
    let cursor: string | null | undefined;
    let most = 0;
    do {
      const before = counted.items;
      const page = await bounded.list(adminPrincipal, { surveyId: 'archive', q: 'refund', sort: 'oldest', limit: '200', ...(cursor ? { cursor } : {}) });
      most = Math.max(most, counted.items - before);
      seen.push(...ids(page));
      cursor = page.cursor;
      pages += 1;
    } while (cursor && pages < 50);

    // Assess: oldest first, every match once, and no request read the whole survey
    expect(seen).toEqual([...refunds].reverse());
    expect(pages).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(120);
  });

  it('merges many surveys in opening order and still fills a page, none twice, none missing', async () => {
    // Prepare: 12 surveys granted to one lead, the first busy (150 resolved tasks), the others 3 each, all interleaved
    const surveys = Array.from({ length: 12 }, (_, i) => `merge-${i}`);
    const lead = await leadFor('Cy', surveys);
    const opened: FollowUpTask[] = [];
    for (let i = 0; i < 150; i++) opened.push(await stored('merge-0', { status: 'resolved', closedAt: now.toISOString(), ageHours: 10 + i }));
    for (let s = 1; s < 12; s++) for (let k = 0; k < 3; k++) opened.push(await stored(`merge-${s}`, { status: 'resolved', closedAt: now.toISOString(), ageHours: 10 + s + 50 * k }));
    const newestFirst = [...opened].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1)).map((t) => t.id);

    // Act: every page, 50 a page, with the read bound lowered to 120
    const { store, counted } = countedStore();
    const bounded = workOn(store, { maxReadPerPage: 120 });
    const pages: string[][] = [];
    const reads: number[] = [];
    let cursor: string | null | undefined;
    do {
      const before = counted.items;
      const page = await bounded.list(lead, { status: 'resolved', limit: '50', ...(cursor ? { cursor } : {}) });
      reads.push(counted.items - before);
      pages.push(ids(page));
      cursor = page.cursor;
    } while (cursor && pages.length < 50);

    // Assess: the first pages full, the order over all surveys kept, each read within its bound (one item a survey over)
    expect(pages[0]).toHaveLength(50);
    expect(pages[1]).toHaveLength(50);
    expect(pages.flat()).toEqual(newestFirst);
    expect(Math.max(...reads)).toBeLessThanOrEqual(120 + surveys.length);
  });

  it('sorts a list holding closed tasks by due time up to a bound, and past it says how to ask instead', async () => {
    // Act
    const small = workOn(tasks, { maxSortedTasks: 100 });
    const large = workOn(tasks, { maxSortedTasks: 1000 });

    // Assess: 403 tasks are past 100 (a 400 naming sort, which changes nothing), within 1,000
    expect(await failure(small.list(ana, { surveyId: 'archive', sort: 'due' }))).toMatchObject({ status: 400, details: [{ path: 'sort', reason: expect.stringContaining('sort by newest or oldest') }] });
    const page = await large.list(ana, { surveyId: 'archive', sort: 'due', limit: '5' });
    expect(page.items.map((t) => t.dueAt)).toEqual([...page.items.map((t) => t.dueAt)].sort());
    expect(page.items).toHaveLength(5);
    // the tasks being worked are never more than the bound asks
    expect(ids(await small.list(ana, { surveyId: 'archive', status: 'open,claimed,contacted', sort: 'priority' }))).toHaveLength(3);
  });

  it("refuses an opened list's cursor given to another query, or one not given at all", async () => {
    const first = await work.list(ana, { surveyId: 'archive', status: 'resolved', limit: '2' });
    expect(first.cursor).not.toBeNull();
    expect(await failure(work.list(ana, { surveyId: 'archive', status: 'no_action', limit: '2', cursor: first.cursor! }))).toMatchObject({ status: 400, details: [{ path: 'cursor' }] });
    const forged = Buffer.from(JSON.stringify({ f: 'x', k: [1, 2] })).toString('base64url');
    expect(await failure(work.list(ana, { surveyId: 'archive', status: 'resolved', cursor: forged }))).toMatchObject({ status: 400, details: [{ path: 'cursor' }] });
  });

  it('while DynamoDB still builds the status index after an upgrade, reads the survey whole instead', async () => {
    // Prepare: the refusal AWS answers for an index still backfilling (dynalite has no such state)
    const db = {
      send: (command: QueryCommand) =>
        command.input.IndexName === 'bySurveyStatus'
          ? Promise.reject(new AwsServiceError('ValidationException', { message: 'Cannot read from backfilling global secondary index: bySurveyStatus', $metadata: { httpStatusCode: 400 } }))
          : dynamo.db.send(command),
    } as unknown as DynamoDBDocumentClient;

    // Act
    const page = await workOn(createDynamoTaskStore(db, 'followups', clock)).list(ana, { surveyId: 'archive', status: 'open,claimed,contacted' });

    // Assess
    expect(ids(page)).toEqual([active[1], active[0], active[2]]);
  });
});
