// use cases: assigning follow-up tasks, one or in bulk, and the leads a task may go to. Who may assign: an admin, or
// a cx token created with canAssign (Principal.canAssign); others get 403. The assignee must be a non-revoked cx
// token granted the task's survey, else 400 on `assignee`. Claiming (work-tasks.ts) assigns to oneself.
//   assign:
//     1. may the principal assign (403); is the body valid, does the assignee exist and is it live (400)
//     2. read the task (404 / 403) and check the assignee is granted its survey (400)
//     3. apply `assign` (task.ts; a closed task is 409) and replace it conditionally (change-task.ts)
//   bulk (assign | no_action, 1..100 task ids):
//     1. the body as a whole (400: nothing changes); bulk assign checks the principal and the assignee as above
//     2. each task on its own, as assign above or as no_action below; a task that fails (403, 404, 400, 409) is
//        reported in its result and left unchanged, the others go ahead
//     no_action closes a task with the reason given; an open task is claimed by the principal on the way, in the
//     same write, so its history says who closed it
//   leads (GET /v1/cx-leads?surveyId=): id and name of the leads granted a survey, for those who may assign
import * as z from '../validation.js';
import { requireSurvey, type Principal } from '../access/principal.js';
import { tokenIdOf, type AccessToken, type TokenStore } from '../access/tokens.js';
import type { Clock } from '../clock.js';
import { displayNote } from '../display-text.js';
import { ApiError, invalidRequest, parsedOr400 } from '../errors.js';
import { surveyIdSchema } from '../survey/schema.js';
import { actorOfLead, leadsOfSurvey } from './auto-assign.js';
import { changeTask, nextOrConflict, readGrantedTask } from './change-task.js';
import { applyAction, type Actor, type FollowUpTask } from './task.js';
import { BULK_REASON_REQUIRED, leadNotGranted, REASON_REQUIRED } from './task-refusals.js';
import type { TaskStore } from './task-store.js';
import type { TaskView } from './work-tasks.js';

export const MAX_BULK_TASKS = 100;

const assigneeSchema = z.string().check(z.trim(), z.minLength(1, 'an assignee is required'), z.maxLength(100));
const reasonSchema = displayNote(500, REASON_REQUIRED);

export const assignBodySchema = z.strictObject({ assignee: assigneeSchema });

export const bulkBodySchema = z
  .strictObject({
    action: z.enum(['assign', 'no_action'], 'one of assign, no_action'),
    taskIds: z
      .array(z.string().check(z.minLength(1), z.maxLength(100)))
      .check(z.minLength(1, 'at least one task id'), z.maxLength(MAX_BULK_TASKS, `at most ${MAX_BULK_TASKS} task ids`)),
    assignee: z.optional(assigneeSchema),
    reason: z.optional(reasonSchema),
  })
  .check(
    z.refine((body) => body.action !== 'assign' || body.assignee !== undefined, { path: ['assignee'], message: 'bulk assign needs an assignee' }),
    z.refine((body) => body.action !== 'no_action' || body.reason !== undefined, { path: ['reason'], message: BULK_REASON_REQUIRED }),
  );
export type BulkBody = z.infer<typeof bulkBodySchema>;

/**
 * a changed task as a bulk answer reports it: without its notes and history, which can make one task hundreds of KB
 * (100 of them would outgrow a Lambda answer); GET /v1/followups/{id} answers the whole task
 */
export type BulkTaskSummary = Omit<TaskView, 'notes' | 'history'>;
export type BulkResult = { id: string; ok: true; task: BulkTaskSummary } | { id: string; ok: false; status: number; error: string };

const summaryOf = ({ notes: _notes, history: _history, ...summary }: TaskView): BulkTaskSummary => summary;

/** 403 unless the principal may assign */
export function requireCanAssign(principal: Principal): void {
  if (!principal.canAssign) {
    throw new ApiError(403, 'not allowed to assign', [{ path: 'authorization', reason: 'assigning needs an admin token or a cx token created with canAssign' }]);
  }
}

const assigneeError = (reason: string) => invalidRequest([{ path: 'assignee', reason }]);

/** the live cx token an assignee id names ("cx:<id>" or "<id>"), or 400 on `assignee` */
export function leadNamed(tokens: readonly AccessToken[], assignee: string): AccessToken {
  const lead = tokens.find((t) => t.id === tokenIdOf(assignee));
  if (!lead || lead.role !== 'cx') throw assigneeError(`no CX lead with id "${assignee}" (see GET /v1/cx-leads)`);
  if (lead.revokedAt !== undefined) throw assigneeError(`the CX lead "${lead.name}" has a revoked token`);
  return lead;
}

function requireGranted(lead: AccessToken, surveyId: string): void {
  if (!Array.isArray(lead.surveys) || !lead.surveys.includes(surveyId)) throw assigneeError(leadNotGranted(lead.name, surveyId));
}

/** a refusal as one bulk result: the ApiError's first detail says most */
function failed(id: string, error: unknown): BulkResult {
  if (!(error instanceof ApiError)) throw error;
  return { id, ok: false, status: error.status, error: error.details[0]?.reason ?? error.message };
}

export function makeAssignTasks({
  tasks,
  tokens,
  view,
  clock,
}: {
  tasks: TaskStore;
  tokens: Pick<TokenStore, 'list'>;
  /** the task as the API shows it (work-tasks.ts) */
  view: (task: FollowUpTask) => Promise<TaskView>;
  clock: Clock;
}) {
  const readTask = (principal: Principal, taskId: string) => readGrantedTask(tasks, principal, taskId);

  async function assignTo(principal: Principal, taskId: string, lead: AccessToken): Promise<FollowUpTask> {
    const assignee: Actor = actorOfLead(lead);
    return changeTask(
      tasks,
      () => readTask(principal, taskId),
      async (task) => {
        requireGranted(lead, task.surveyId);
        return nextOrConflict(task, applyAction(task, { type: 'assign', assignee }, principal.actor, clock.now()), view);
      },
    );
  }

  async function closeWithoutAction(principal: Principal, taskId: string, reason: string): Promise<FollowUpTask> {
    return changeTask(
      tasks,
      () => readTask(principal, taskId),
      async (task) => {
        const now = clock.now();
        const claimed = task.status === 'open' ? await nextOrConflict(task, applyAction(task, { type: 'claim' }, principal.actor, now), view) : task;
        const closed = await nextOrConflict(task, applyAction(claimed, { type: 'resolve', outcome: 'no_action', reason }, principal.actor, now), view);
        // one write: the version read + 1, however many steps the history gained
        return { ...closed, version: task.version + 1 };
      },
    );
  }

  return {
    async assign(principal: Principal, taskId: string, body: unknown): Promise<TaskView> {
      // 1.
      requireCanAssign(principal);
      const { assignee } = parsedOr400(assignBodySchema, body ?? {});
      const lead = leadNamed(await tokens.list(), assignee);
      // 2. and 3.
      return view(await assignTo(principal, taskId, lead));
    },

    async bulk(principal: Principal, body: unknown): Promise<{ action: BulkBody['action']; results: BulkResult[] }> {
      // 1.
      const input = parsedOr400(bulkBodySchema, body ?? {});
      let lead: AccessToken | undefined;
      if (input.action === 'assign') {
        requireCanAssign(principal);
        lead = leadNamed(await tokens.list(), input.assignee!);
      }
      // 2. one at a time: at most 100 small writes, and a task listed twice is changed once
      const results: BulkResult[] = [];
      for (const id of [...new Set(input.taskIds)]) {
        try {
          const task = lead ? await assignTo(principal, id, lead) : await closeWithoutAction(principal, id, input.reason!);
          results.push({ id, ok: true, task: summaryOf(await view(task)) });
        } catch (error) {
          results.push(failed(id, error));
        }
      }
      return { action: input.action, results };
    },

    async leads(principal: Principal, rawQuery: Record<string, string | undefined>): Promise<{ items: { id: string; actorId: string; name: string }[] }> {
      requireCanAssign(principal);
      const surveyId = surveyIdSchema.safeParse(rawQuery.surveyId);
      if (!surveyId.success) throw invalidRequest([{ path: 'surveyId', reason: rawQuery.surveyId ? 'not a survey id' : 'a surveyId is required' }]);
      requireSurvey(principal, surveyId.data);
      const leads = leadsOfSurvey(await tokens.list(), surveyId.data);
      return { items: leads.map((lead) => ({ id: lead.id, actorId: `cx:${lead.id}`, name: lead.name })) };
    },
  };
}
