// use cases: the CX API over follow-up tasks. Every call names its principal (admin or CX lead, see
// shared/access/principal.ts): a task of a survey the principal is not granted is 403, an unknown one 404.
//   list: filter by status, survey, assignee, priority, SLA state, touchpoint, text; sorted; a page at a time
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
import { invalidRequest, parsedOr400 } from '../errors.js';
import { signLinkToken, type LinkKey } from '../links/signed-token.js';
import type { CustomerHistory, CustomerHistoryReader } from './customer-history.js';
import type { SurveyStore } from '../survey/survey-store.js';
import { changeTask, nextOrConflict, readGrantedTask } from './change-task.js';
import type { FollowUpNotification, NotificationStore } from './notification.js';
import { closingOf, DEFAULT_ROOT_CAUSES, matchRootCause, resolveBodySchema } from './root-causes.js';
import { applyAction, isOverdue, type FollowUpTask, type TaskAction } from './task.js';
import { queueCursorAfter, queuePage, queueQueryOf, queueQuerySchema } from './queue-query.js';
import type { TaskStore } from './task-store.js';

export const RESURVEY_VALID_DAYS = 14;
const DAY_MS = 86_400_000;

/** GET /v1/followups: the queue's filters, sort and paging (queue-query.ts) */
export const taskListQuerySchema = queueQuerySchema;

const noteSchema = z.strictObject({ text: z.string().check(z.trim(), z.minLength(1, 'a note needs text'), z.maxLength(2000)) });

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
      return { type: 'claim' };
    case 'contacted':
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

// surveys: their root-cause lists, which a resolve is checked against; history: the customer's history on `get`
export function makeWorkTasks({ tasks, notifications, surveys, linkKeys, clock, history }: { tasks: TaskStore; notifications: NotificationStore; surveys: Pick<SurveyStore, 'get'>; linkKeys: () => Promise<LinkKey[]>; clock: Clock; history?: CustomerHistoryReader }) {
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

  return {
    async list(principal: Principal, rawQuery: Record<string, string | undefined>): Promise<{ items: TaskView[]; cursor: string | null }> {
      const query = parsedOr400(taskListQuerySchema, rawQuery);
      const { surveyId } = query;
      if (surveyId) requireSurvey(principal, surveyId);
      // the principal's surveys (or the one asked for) are read whole, then filtered, sorted and paged in memory
      const queue = queueQueryOf(query, principal.actor.id);
      const candidates = await tasks.listCandidates({
        surveys: surveyId ? [surveyId] : principal.surveys === 'all' ? undefined : principal.surveys,
        statuses: queue.filter.statuses,
      });
      const page = queuePage(candidates, queue, clock.now());
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
