// domain: the follow-up queue as a query: which tasks a GET /v1/followups asks for (status, assignee, priority, SLA
// state, touchpoint, text), in which order, and a page of them with an opaque cursor. Pure. How a query is read
// (queuePlanOf), since closed tasks pile up without end while the tasks being worked are the work at hand:
//   active  only open, claimed or contacted tasks: the store reads them whole (an index of a survey's tasks by status),
//           these functions filter, sort and page them in memory
//   opened  a list that holds closed tasks, newest or oldest first: read in the order tasks were opened, each page at
//           most a bounded number of tasks, filtered as they come (a page may end short, with a cursor to go on from)
//   sorted  a list that holds closed tasks, by due time or priority: read whole and sorted in memory as `active`, up to
//           a bound; past it, a 400 naming `sort` says how to ask instead
//   cursor: base64url of { f: the query's fingerprint, k: the last item's sort key, or for `opened` its opening key };
//   the next page starts after that key, so a task added or closed meanwhile neither repeats nor skips another; a
//   cursor of another query is a 400
import { createHash } from 'node:crypto';
import * as z from '../validation.js';
import { encodeCursor, notACursor, positionOf } from '../page-cursor.js';
import { queryInteger } from '../query-values.js';
import type { PriorityLevel } from './detractor.js';
import { defaultSort, listedStatuses, onlyActive, PRIORITY_LEVELS, QUEUE_SORTS, SLA_STATES, slaStateOf, type QueueSort, type SlaFilter } from './queue-terms.js';
import { openingKeyOf, TASK_STATUSES, type FollowUpTask, type TaskStatus } from './task.js';

/** "a,b" → ["a", "b"] when every entry is one of `values` (duplicates dropped); the message names the unknown ones */
function commaList<T extends string>(values: readonly T[], what: string) {
  return z.pipe(
    z.string().check(
      z.maxLength(200),
      z.refine((raw) => splitList(raw).length > 0, `at least one ${what}`),
      z.refine((raw) => splitList(raw).every((v) => values.includes(v as T)), `each ${what} is one of ${values.join(', ')}`),
    ),
    z.transform((raw: string) => [...new Set(splitList(raw))] as T[]),
  );
}
const splitList = (raw: string) => raw.split(',').map((v) => v.trim()).filter(Boolean);

export const queueQuerySchema = z.strictObject({
  status: z.optional(commaList(TASK_STATUSES, 'status')),
  surveyId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  overdue: z.optional(z.enum(['true', 'false'])),
  /** "me", "none", "all" (anyone's: the same as leaving it out), or an actor id ("cx:<token id>", "admin"); a bare
   * token id is read as "cx:<id>". Anything else is refused: a typo would otherwise list nothing, and look like an empty queue */
  assignee: z.optional(z.string().check(z.regex(/^(me|none|all|admin|((admin|cx):)?[0-9a-f]{16})$/, 'me, none, all, or an actor id (admin, cx:<token id>)'))),
  priority: z.optional(commaList(PRIORITY_LEVELS, 'priority')),
  sla: z.optional(z.enum(SLA_STATES)),
  touchpoint: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  q: z.optional(z.string().check(z.trim(), z.minLength(1, 'search text cannot be blank'), z.maxLength(200))),
  sort: z.optional(z.enum(QUEUE_SORTS)),
  limit: z._default(queryInteger({ min: 1, max: 200 }), 50),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});
export type QueueQueryInput = z.output<typeof queueQuerySchema>;

/** what selects a task, with "me" resolved to the caller and the overdue alias folded into sla */
export interface QueueFilter {
  statuses?: readonly TaskStatus[];
  surveyId?: string;
  /** an actor id, or null: unassigned */
  assignee?: string | null;
  priorities?: readonly PriorityLevel[];
  sla?: SlaFilter;
  touchpoint?: string;
  /** lower-cased */
  text?: string;
}

export interface QueueQuery {
  filter: QueueFilter;
  sort: QueueSort;
  limit: number;
  cursor?: string;
}

/** an actor id as tasks store it: a bare token id is a CX lead's */
const actorIdOf = (assignee: string) => (/^[0-9a-f]{16}$/.test(assignee) ? `cx:${assignee}` : assignee);

/** the query a parsed request names, for the caller `actorId` */
export function queueQueryOf(input: QueueQueryInput, actorId: string): QueueQuery {
  const filter: QueueFilter = {};
  if (input.status) filter.statuses = input.status;
  if (input.surveyId) filter.surveyId = input.surveyId;
  if (input.assignee && input.assignee !== 'all') filter.assignee = input.assignee === 'me' ? actorId : input.assignee === 'none' ? null : actorIdOf(input.assignee);
  if (input.priority) filter.priorities = input.priority;
  const sla = input.sla ?? (input.overdue === 'true' ? 'breached' : undefined);
  if (sla) filter.sla = sla;
  if (input.touchpoint) filter.touchpoint = input.touchpoint;
  if (input.q) filter.text = input.q.toLocaleLowerCase();
  return { filter, sort: input.sort ?? defaultSort(listedStatuses(filter.statuses, filter.sla)), limit: input.limit, ...(input.cursor ? { cursor: input.cursor } : {}) };
}

/** how a query's tasks are read (the header); `active` names the statuses to read, each one still being worked */
export type QueuePlan = { kind: 'active'; statuses: readonly TaskStatus[] } | { kind: 'opened'; newestFirst: boolean } | { kind: 'sorted' };

export function queuePlanOf(query: Pick<QueueQuery, 'filter' | 'sort'>): QueuePlan {
  const statuses = listedStatuses(query.filter.statuses, query.filter.sla) as readonly TaskStatus[] | undefined;
  if (onlyActive(statuses)) return { kind: 'active', statuses: statuses! };
  if (query.sort === 'newest' || query.sort === 'oldest') return { kind: 'opened', newestFirst: query.sort === 'newest' };
  return { kind: 'sorted' };
}

const textOf = (task: FollowUpTask) =>
  [task.response.customerRef, task.response.comment, ...task.notes.map((n) => n.text), ...task.reasons.map((r) => Object.values(r).join(' '))]
    .filter(Boolean)
    .join('\n')
    .toLocaleLowerCase();

/** whether `task` is one `filter` selects at `now` */
export function matchesQueue(task: FollowUpTask, filter: QueueFilter, now: Date): boolean {
  if (filter.surveyId && task.surveyId !== filter.surveyId) return false;
  if (filter.statuses && !filter.statuses.includes(task.status)) return false;
  if (filter.assignee === null && task.assignee) return false;
  if (filter.assignee && task.assignee?.id !== filter.assignee) return false;
  if (filter.priorities && !filter.priorities.includes(task.priority.level)) return false;
  if (filter.sla && slaStateOf(task, now) !== filter.sla) return false;
  if (filter.touchpoint && task.response.touchpoint !== filter.touchpoint) return false;
  if (filter.text && !textOf(task).includes(filter.text)) return false;
  return true;
}

/** not yet contacted, not past due, and due within DUE_SOON_MS */
export const isDueSoon = (task: FollowUpTask, now: Date) => slaStateOf(task, now) === 'due-soon';

const LEVEL_RANK: Record<PriorityLevel, number> = { urgent: 0, high: 1, normal: 2 };
type SortKey = (string | number)[];

/** a key that orders ascending as `sort` asks, ending with the id so that no two tasks tie */
export function sortKeyOf(task: Pick<FollowUpTask, 'id' | 'dueAt' | 'createdAt' | 'priority'>, sort: QueueSort): SortKey {
  const due = Date.parse(task.dueAt);
  const created = Date.parse(task.createdAt);
  switch (sort) {
    case 'due':
      return [due, task.id];
    case 'priority':
      return [LEVEL_RANK[task.priority.level] ?? 9, -task.priority.score, due, task.id];
    case 'newest':
      return [-created, task.id];
    case 'oldest':
      return [created, task.id];
  }
}

export function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i], b[i]];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** the query's identity for its cursor: filters and sort (not the page size, which may change between pages) */
export function fingerprintOf(query: Pick<QueueQuery, 'filter' | 'sort'>): string {
  const f = query.filter;
  const canonical = JSON.stringify([f.statuses ? [...f.statuses].sort() : null, f.surveyId ?? null, f.assignee ?? '*', f.priorities ? [...f.priorities].sort() : null, f.sla ?? null, f.touchpoint ?? null, f.text ?? null, query.sort]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 12);
}

function decodeCursor(cursor: string, fingerprint: string): SortKey {
  const { f, k } = (positionOf(cursor) ?? {}) as { f?: unknown; k?: unknown };
  if (f !== fingerprint || !Array.isArray(k) || !k.every((v) => typeof v === 'string' || typeof v === 'number')) throw notACursor('not a cursor returned by this endpoint for this query');
  return k as SortKey;
}

/** the cursor of a page that ends at `task` (one shortened to fit an answer: work-tasks.ts) */
export const queueCursorAfter = (task: FollowUpTask, query: QueueQuery) =>
  queuePlanOf(query).kind === 'opened' ? openedCursorAt(openingKeyOf(task), query) : encodeCursor({ f: fingerprintOf(query), k: sortKeyOf(task, query.sort) });

/** the cursor of an `opened` page that stopped after the task at `openingKey` (read, whether or not it matched) */
export const openedCursorAt = (openingKey: string, query: QueueQuery) => encodeCursor({ f: fingerprintOf(query), k: [openingKey] });

/** where an `opened` page starts: after its cursor's opening key, or (no cursor) at the first task */
export function openedStartOf(query: QueueQuery): string | undefined {
  if (!query.cursor) return undefined;
  const [key, ...rest] = decodeCursor(query.cursor, fingerprintOf(query));
  if (typeof key !== 'string' || rest.length > 0) throw notACursor('not a cursor returned by this endpoint for this query');
  return key;
}

/** the page `query` asks for among `tasks` (any order): matching, sorted, after the cursor, and the next cursor */
export function queuePage(tasks: readonly FollowUpTask[], query: QueueQuery, now: Date): { items: FollowUpTask[]; cursor: string | null } {
  const fingerprint = fingerprintOf(query);
  const after = query.cursor ? decodeCursor(query.cursor, fingerprint) : undefined;
  const keyed = tasks
    .filter((task) => matchesQueue(task, query.filter, now))
    .map((task) => ({ task, key: sortKeyOf(task, query.sort) }))
    .filter(({ key }) => !after || compareKeys(key, after) > 0)
    .sort((a, b) => compareKeys(a.key, b.key));
  const page = keyed.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page.map(({ task }) => task), cursor: keyed.length > query.limit && last ? encodeCursor({ f: fingerprint, k: last.key }) : null };
}
