// unit: the follow-up queue as a query: parsing (comma lists, "me"/"none", the overdue alias, 400s naming the field),
// each filter, each sort, and paging with a cursor that is bound to its query and stable when tasks come and go.
import { describe, expect, it } from 'vitest';
import { isDueSoon, matchesQueue, queuePage, queuePlanOf, queueQueryOf, queueQuerySchema, type QueueQuery } from '../../shared/followups/queue-query.js';
import { openTask, type FollowUpTask } from '../../shared/followups/task.js';
import { detailsFromZod } from '../../shared/errors.js';

const now = new Date('2026-11-23T12:00:00.000Z');
const HOUR = 3_600_000;

let n = 0;
function task(patch: Partial<FollowUpTask> & { touchpoint?: string; customerRef?: string; comment?: string; dueInHours?: number; ageHours?: number } = {}): FollowUpTask {
  n += 1;
  const { touchpoint, customerRef, comment, dueInHours = 24, ageHours = 1, ...rest } = patch;
  const opened = new Date(now.getTime() - ageHours * HOUR);
  const base = openTask({
    response: { responseId: `r${n}`, surveyId: 'delivery', receivedAt: opened.toISOString(), answers: { nps: 2 }, sentiment: null, channel: 'web', ...(touchpoint ? { touchpoint } : {}), ...(customerRef ? { customerRef } : {}), ...(comment ? { comment } : {}) },
    reasons: [{ rule: 'nps', question: 'nps', score: 2, atMost: 6 }],
    priority: { level: 'high', score: 40 },
    firstContactHours: 24,
    now: opened,
  });
  return { ...base, dueAt: new Date(now.getTime() + dueInHours * HOUR).toISOString(), ...rest };
}

const parse = (raw: Record<string, string>) => {
  const parsed = queueQuerySchema.safeParse(raw);
  if (!parsed.success) return { details: detailsFromZod(parsed.error) };
  return { query: queueQueryOf(parsed.data, 'cx:00000000000000a1') };
};

describe('queue query: parsing', () => {
  it('reads comma lists, resolves "me" and "none", and folds overdue=true into sla=breached', () => {
    // Act / Assess
    expect(parse({ status: 'open, claimed,open', priority: 'urgent,high', assignee: 'me', overdue: 'true' }).query).toMatchObject({
      filter: { statuses: ['open', 'claimed'], priorities: ['urgent', 'high'], assignee: 'cx:00000000000000a1', sla: 'breached' },
      sort: 'due',
      limit: 50,
    });
    expect(parse({ assignee: 'none' }).query?.filter.assignee).toBeNull();
    // "all" is anyone's, as if left out (the console's "everyone")
    expect(parse({ assignee: 'all' }).query?.filter).not.toHaveProperty('assignee');
    expect(parse({ q: '  Late Parcel ' }).query?.filter.text).toBe('late parcel');
  });

  it('sorts a queue of work to do by due time, and a list holding closed tasks newest first, unless a sort is named', () => {
    expect(parse({ status: 'open,claimed,contacted' }).query?.sort).toBe('due');
    // an SLA state belongs to open and claimed tasks only: work to do
    expect(parse({ sla: 'breached' }).query?.sort).toBe('due');
    expect(parse({}).query?.sort).toBe('newest');
    expect(parse({ status: 'open,resolved' }).query?.sort).toBe('newest');
    expect(parse({ status: 'resolved,no_action' }).query?.sort).toBe('newest');
    expect(parse({ status: 'resolved', sort: 'oldest' }).query?.sort).toBe('oldest');
  });

  it.each([
    [{ status: 'open,lost' }, 'status'],
    [{ status: ',' }, 'status'],
    [{ priority: 'low' }, 'priority'],
    [{ sla: 'late' }, 'sla'],
    [{ sort: 'random' }, 'sort'],
    [{ limit: '201' }, 'limit'],
    [{ limit: '0' }, 'limit'],
    [{ q: '   ' }, 'q'],
    [{ assignee: 'everyone' }, 'assignee'],
    [{ assignee: 'cx:ana' }, 'assignee'],
    [{ colour: 'red' }, 'colour'],
  ])('refuses %o naming %s', (raw, path) => {
    expect(parse(raw as Record<string, string>).details).toEqual([expect.objectContaining({ path })]);
  });
});

describe('queue query: how it is read', () => {
  const plan = (raw: Record<string, string>) => queuePlanOf(parse(raw).query!);

  it('reads only the tasks being worked when every status listed is one, the SLA filters included', () => {
    expect(plan({ status: 'open,claimed,contacted', sort: 'newest' })).toEqual({ kind: 'active', statuses: ['open', 'claimed', 'contacted'] });
    expect(plan({ sla: 'due-soon' })).toEqual({ kind: 'active', statuses: ['open', 'claimed'] });
    expect(plan({ overdue: 'true', status: 'claimed,contacted' })).toEqual({ kind: 'active', statuses: ['claimed'] });
    // an SLA state no listed status can have: nothing to read
    expect(plan({ sla: 'breached', status: 'resolved' })).toEqual({ kind: 'active', statuses: [] });
  });

  it('reads a list holding closed tasks in the order tasks were opened, or whole to sort it by due time or priority', () => {
    expect(plan({})).toEqual({ kind: 'opened', newestFirst: true });
    expect(plan({ status: 'resolved', sort: 'oldest' })).toEqual({ kind: 'opened', newestFirst: false });
    expect(plan({ status: 'open,no_action', sort: 'due' })).toEqual({ kind: 'sorted' });
    expect(plan({ sort: 'priority' })).toEqual({ kind: 'sorted' });
  });
});

describe('queue query: filters', () => {
  const filterOf = (raw: Record<string, string>) => parse(raw).query!.filter;

  it('selects by status, assignee, priority and touchpoint', () => {
    // Prepare
    const mine = task({ status: 'claimed', assignee: { id: 'cx:00000000000000a1', name: 'Ana' }, touchpoint: 'checkout' });
    const theirs = task({ status: 'claimed', assignee: { id: 'cx:00000000000000b0', name: 'Bo' }, priority: { level: 'urgent', score: 80 } });
    const free = task();

    // Act / Assess
    const pick = (raw: Record<string, string>) => [mine, theirs, free].filter((t) => matchesQueue(t, filterOf(raw), now));
    expect(pick({ status: 'open' })).toEqual([free]);
    expect(pick({ assignee: 'me' })).toEqual([mine]);
    expect(pick({ assignee: 'none' })).toEqual([free]);
    expect(pick({ assignee: 'cx:00000000000000b0' })).toEqual([theirs]);
    expect(pick({ assignee: '00000000000000b0' })).toEqual([theirs]);
    expect(pick({ priority: 'urgent' })).toEqual([theirs]);
    expect(pick({ priority: 'high,normal' })).toEqual([mine, free]);
    expect(pick({ touchpoint: 'checkout' })).toEqual([mine]);
  });

  it('SLA: breached is open or claimed past due; due soon is open or claimed, due within 4 h and not yet past', () => {
    // Prepare
    const past = task({ dueInHours: -1 });
    const soon = task({ dueInHours: 3.5, status: 'claimed' });
    const edge = task({ dueInHours: 4 });
    const later = task({ dueInHours: 5 });
    const contactedLate = task({ dueInHours: -2, status: 'contacted' });
    const contactedSoon = task({ dueInHours: 1, status: 'contacted' });

    // Act / Assess
    const all = [past, soon, edge, later, contactedLate, contactedSoon];
    expect(all.filter((t) => matchesQueue(t, filterOf({ sla: 'breached' }), now))).toEqual([past]);
    expect(all.filter((t) => matchesQueue(t, filterOf({ sla: 'due-soon' }), now))).toEqual([soon, edge]);
    expect(isDueSoon(later, now)).toBe(false);
  });

  it('text: case-insensitive in the customer reference, the comment, the notes and the reasons', () => {
    // Prepare
    const byRef = task({ customerRef: 'CUST-42' });
    const byComment = task({ comment: 'The parcel was LATE' });
    const byNote = task({ notes: [{ author: { id: 'cx:00000000000000a1', name: 'Ana' }, at: now.toISOString(), text: 'Promised a Refund' }] });
    const byReason = task({ reasons: [{ rule: 'keyword', keyword: 'cancel' }] });
    const all = [byRef, byComment, byNote, byReason];

    // Act / Assess
    const search = (q: string) => all.filter((t) => matchesQueue(t, filterOf({ q }), now));
    expect(search('cust-42')).toEqual([byRef]);
    expect(search('parcel was late')).toEqual([byComment]);
    expect(search('refund')).toEqual([byNote]);
    expect(search('CANCEL')).toEqual([byReason]);
    expect(search('nothing like it')).toEqual([]);
  });
});

describe('queue query: sort and paging', () => {
  const query = (patch: Partial<QueueQuery> = {}): QueueQuery => ({ filter: {}, sort: 'due', limit: 2, ...patch });

  it('orders by due time, by priority (level, score, then due), newest and oldest', () => {
    // Prepare
    const a = task({ dueInHours: 5, ageHours: 3, priority: { level: 'normal', score: 10 } });
    const b = task({ dueInHours: 1, ageHours: 1, priority: { level: 'high', score: 40 } });
    const c = task({ dueInHours: 3, ageHours: 2, priority: { level: 'high', score: 50 } });
    const d = task({ dueInHours: 2, ageHours: 4, priority: { level: 'urgent', score: 70 } });
    const ids = (sort: QueueQuery['sort']) => queuePage([a, b, c, d], query({ sort, limit: 10 }), now).items.map((t) => t.id);

    // Act / Assess
    expect(ids('due')).toEqual([b, d, c, a].map((t) => t.id));
    expect(ids('priority')).toEqual([d, c, b, a].map((t) => t.id));
    expect(ids('newest')).toEqual([b, c, a, d].map((t) => t.id));
    expect(ids('oldest')).toEqual([d, a, c, b].map((t) => t.id));
  });

  it('pages with a cursor: every task once, none missing, even when one is added before the cursor meanwhile', () => {
    // Prepare
    const tasks = Array.from({ length: 5 }, (_, i) => task({ dueInHours: i + 1 }));

    // Act
    const first = queuePage(tasks, query(), now);
    const earlier = task({ dueInHours: 0.5 });
    const second = queuePage([...tasks, earlier], query({ cursor: first.cursor! }), now);
    const third = queuePage(tasks, query({ cursor: second.cursor! }), now);

    // Assess
    expect(first.items.map((t) => t.id)).toEqual([tasks[0]!.id, tasks[1]!.id]);
    expect(second.items.map((t) => t.id)).toEqual([tasks[2]!.id, tasks[3]!.id]);
    expect(third).toEqual({ items: [tasks[4]], cursor: null });
  });

  it('refuses a cursor of another query, or none at all, as a 400 naming the cursor', () => {
    // Prepare
    const tasks = Array.from({ length: 3 }, () => task());
    const { cursor } = queuePage(tasks, query(), now);

    // Act / Assess
    expect(() => queuePage(tasks, query({ sort: 'newest', cursor: cursor! }), now)).toThrow(expect.objectContaining({ status: 400, details: [expect.objectContaining({ path: 'cursor' })] }));
    expect(() => queuePage(tasks, query({ filter: { statuses: ['open'] }, cursor: cursor! }), now)).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => queuePage(tasks, query({ cursor: 'not-a-cursor' }), now)).toThrow(expect.objectContaining({ status: 400 }));
    // the page size may change between pages
    expect(queuePage(tasks, query({ limit: 5, cursor: cursor! }), now).items).toHaveLength(1);
  });
});
