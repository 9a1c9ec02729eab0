// use cases: the CX API over follow-up tasks. Every call names its principal (admin or CX lead, see
// shared/access/principal.ts): a task of a survey the principal is not granted is 403, an unknown one 404.
//   list: filter by status, survey, assignee, priority, SLA state, touchpoint, text; sorted; a page at a time, each
//     read as its plan says (queue-query.ts): the tasks being worked whole, a list holding closed tasks in the order
//     tasks were opened a bounded slice a page, or (by due time or priority) whole up to MAX_SORTED_TASKS
//   get: the task, whether it is overdue, its notification deliveries and (resolved, unanswered) its re-survey link
//     and, given a history reader, the customer's history as the principal may see it (customer-history.ts)
//   act (claim, note, contacted, resolve):
//     1. read the task (404 / 403)
//     1b. resolving with a root cause: it must be on the task's survey's list (root-causes.ts), else 400
//     2. apply the action (task.ts); a refused transition is 409 with the task's current state
//     3. replace it conditional on the version read; if someone changed it meanwhile, go back to 1: of two
//        concurrent claims exactly one wins and the other gets the 409
//     4. resolving (outcome "resolved") issues the one-question re-survey, valid 14 days, and returns its link
import * as z from '../validation.js';
import { requireSurvey, type Principal } from '../access/principal.js';
import type { Clock } from '../clock.js';
import { leadingWithin, MAX_ANSWER_BODY_BYTES } from '../answer-size.js';
import { displayNote } from '../display-text.js';
import { invalidRequest, parsedOr400 } from '../errors.js';
import { signLinkToken, type LinkKey, type LinkKeys } from '../links/signed-token.js';
import type { CustomerHistory, CustomerHistoryReader } from './customer-history.js';
import type { SurveyStore } from '../survey/survey-store.js';
import { changeTask, nextOrConflict, readGrantedTask } from './change-task.js';
import type { FollowUpNotification, NotificationStore } from './notification.js';
import { closingOf, DEFAULT_ROOT_CAUSES, matchRootCause, resolveBodySchema } from './root-causes.js';
import { applyAction, isOverdue, type FollowUpTask, type TaskAction } from './task.js';
import { NOTE_NEEDS_TEXT } from './task-refusals.js';
import { matchesQueue, openedCursorAt, openedStartOf, queueCursorAfter, queuePage, queuePlanOf, queueQueryOf, queueQuerySchema, type QueueQuery } from './queue-query.js';
import type { TaskStore } from './task-store.js';

export const RESURVEY_VALID_DAYS = 14;
const DAY_MS = 86_400_000;
/**
 * tasks read for one page of a list in the order tasks were opened: with a rare filter (a text, a status few tasks
 * have) the page ends short, with a cursor, rather than read every task of a survey within one request
 */
export const MAX_READ_PER_PAGE = 1000;
/** a list holding closed tasks is sorted by due time or priority in memory: at most this many tasks of its surveys */
export const MAX_SORTED_TASKS = 5000;

/** GET /v1/followups: the queue's filters, sort and paging (queue-query.ts) */
export const taskListQuerySchema = queueQuerySchema;

export const noteSchema = z.strictObject({ text: displayNote(2000, NOTE_NEEDS_TEXT) });
/** claim and contacted take no field: a body, if any, is `{}` (a field sent would otherwise be silently ignored) */
const noFieldsSchema = z.strictObject({});

export type TaskActionName = 'claim' | 'notes' | 'contacted' | 'resolve';

/** the task as the API shows it */
export interface TaskView extends Omit<FollowUpTask, 'version'> {
  version: number;
  overdue: boolean;
  /** path of the re-survey page (`/r/<token>`) while it can still be answered */
  resurveyLink?: string;
}

function actionOf(name: TaskActionName, body: unknown): TaskAction {
  switch (name) {
    case 'claim':
      parsedOr400(noFieldsSchema, body ?? {});
      return { type: 'claim' };
    case 'contacted':
      parsedOr400(noFieldsSchema, body ?? {});
      return { type: 'contacted' };
    case 'notes':
      return { type: 'note', text: parsedOr400(noteSchema, body ?? {}).text };
    case 'resolve':
      return { type: 'resolve', ...closingOf(parsedOr400(resolveBodySchema, body ?? {})) };
  }
}

export function resurveyTokenOf(keys: readonly LinkKey[], task: FollowUpTask): string | undefined {
  if (!task.resurvey) return undefined;
  return signLinkToken(keys, { purpose: 'resurvey', taskId: task.id, surveyId: task.surveyId, exp: Math.floor(Date.parse(task.resurvey.expiresAt) / 1000) });
}

interface WorkTasksDeps {
  tasks: TaskStore;
  notifications: NotificationStore;
  /** their root-cause lists, which a resolve is checked against */
  surveys: Pick<SurveyStore, 'get'>;
  /** every survey's id: the admin's queue over all surveys */
  surveyIds: () => Promise<string[]>;
  linkKeys: LinkKeys;
  clock: Clock;
  /** the customer's history on `get` */
  history?: CustomerHistoryReader;
  /** the bounds above (tests lower them) */
  maxReadPerPage?: number;
  maxSortedTasks?: number;
}

export function makeWorkTasks({ tasks, notifications, surveys, surveyIds, linkKeys, clock, history, maxReadPerPage = MAX_READ_PER_PAGE, maxSortedTasks = MAX_SORTED_TASKS }: WorkTasksDeps) {
  async function view(task: FollowUpTask): Promise<TaskView> {
    const now = clock.now();
    const open = task.resurvey && task.resurvey.answer === undefined && Date.parse(task.resurvey.expiresAt) > now.getTime();
    const token = open ? resurveyTokenOf(await linkKeys(), task) : undefined;
    return { ...task, overdue: isOverdue(task, now), ...(token ? { resurveyLink: `/r/${token}` } : {}) };
  }

  const readTask = (principal: Principal, taskId: string) => readGrantedTask(tasks, principal, taskId);

  /** the task's survey's root cause `value` names, as the survey spells it; 400 on rootCause when it names none */
  async function listedRootCause(task: FollowUpTask, value: string): Promise<string> {
    const rootCauses = (await surveys.get(task.surveyId))?.followUp.rootCauses ?? DEFAULT_ROOT_CAUSES;
    const match = matchRootCause(rootCauses, value);
    if (!match.ok) throw invalidRequest([{ path: 'rootCause', reason: match.reason }]);
    return match.rootCause;
  }

  /** an `opened` page: tasks in opening order from the cursor on, filtered as they come, until a page and one more */
  async function openedPage(surveyIdsRead: readonly string[], query: QueueQuery, newestFirst: boolean) {
    const read = tasks.readOpened({ surveys: surveyIdsRead, newestFirst, after: openedStartOf(query), maxRead: maxReadPerPage, readAhead: query.limit + 1 });
    const now = clock.now();
    const items: FollowUpTask[] = [];
    let lastRead: string | undefined;
    for (let next = await read.next(); next; next = await read.next()) {
      lastRead = next.openingKey;
      if (next.task && matchesQueue(next.task, query.filter, now)) items.push(next.task);
      if (items.length > query.limit) break;
    }
    // a full page with one more: go on after its last task; the budget spent: after the last task read; else the end
    if (items.length > query.limit) return { items: items.slice(0, query.limit), cursor: queueCursorAfter(items[query.limit - 1]!, query) };
    return { items, cursor: !read.ended && lastRead !== undefined ? openedCursorAt(lastRead, query) : null };
  }

  /** a `sorted` list's tasks: every task of the surveys, or a 400 when they are more than can be sorted in one request */
  async function everyTask(surveyIdsRead: readonly string[]): Promise<FollowUpTask[]> {
    const read = tasks.readOpened({ surveys: surveyIdsRead, newestFirst: true, maxRead: maxSortedTasks + 1, readAhead: maxSortedTasks + 1 });
    const all: FollowUpTask[] = [];
    let count = 0;
    for (let next = await read.next(); next; next = await read.next()) {
      count += 1;
      if (next.task) all.push(next.task);
    }
    if (!read.ended || count > maxSortedTasks) {
      throw invalidRequest([
        {
          path: 'sort',
          reason: `sorting by due time or priority takes at most ${maxSortedTasks} tasks when closed ones are listed too; list open, claimed or contacted tasks (status), or sort by newest or oldest`,
        },
      ]);
    }
    return all;
  }

  return {
    async list(principal: Principal, rawQuery: Record<string, string | undefined>): Promise<{ items: TaskView[]; cursor: string | null }> {
      const query = parsedOr400(taskListQuerySchema, rawQuery);
      const { surveyId } = query;
      if (surveyId) requireSurvey(principal, surveyId);
      const queue = queueQueryOf(query, principal.actor.id);
      const read = surveyId ? [surveyId] : principal.surveys === 'all' ? await surveyIds() : principal.surveys;
      const plan = queuePlanOf(queue);
      const page =
        plan.kind === 'opened'
          ? await openedPage(read, queue, plan.newestFirst)
          : queuePage(plan.kind === 'active' ? await tasks.listInStatuses({ surveys: read, statuses: plan.statuses }) : await everyTask(read), queue, clock.now());
      const items = await Promise.all(page.items.map(view));
      // a page of tasks with long notes can outgrow a Lambda answer: it ends at the last task that fits
      const fitting = leadingWithin(items, MAX_ANSWER_BODY_BYTES - 1024);
      if (fitting < items.length) return { items: items.slice(0, fitting), cursor: queueCursorAfter(page.items[fitting - 1]!, queue) };
      return { items, cursor: page.cursor };
    },

    async get(principal: Principal, taskId: string): Promise<TaskView & { notifications: Omit<FollowUpNotification, 'body'>[]; customerHistory?: CustomerHistory | null }> {
      const task = await readTask(principal, taskId);
      const sent = await notifications.listByTask(task.id);
      const customerHistory = history ? { customerHistory: await history(principal, task) } : {};
      return { ...(await view(task)), notifications: sent.map(({ body: _body, ...rest }) => rest), ...customerHistory };
    },

    async act(principal: Principal, taskId: string, name: TaskActionName, body: unknown): Promise<TaskView> {
      const requested = actionOf(name, body);
      // 1. and 3. (changeTask)
      const changed = await changeTask(tasks, () => readTask(principal, taskId), async (task) => {
        // 1b.
        const action = requested.type === 'resolve' && requested.rootCause !== undefined ? { ...requested, rootCause: await listedRootCause(task, requested.rootCause) } : requested;
        // 2.
        const now = clock.now();
        const next = await nextOrConflict(task, applyAction(task, action, principal.actor, now), view);
        // 4.
        if (action.type === 'resolve' && action.outcome === 'resolved') {
          next.resurvey = { issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + RESURVEY_VALID_DAYS * DAY_MS).toISOString() };
        }
        return next;
      });
      return view(changed);
    },

    /** the task as the API shows it (assign-tasks.ts answers with it too) */
    view,
  };
}
