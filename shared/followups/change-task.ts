// use-case helpers: reading a task for a principal, and one change to it, safe against concurrent changes. Shared by
// work-tasks.ts and assign-tasks.ts.
//   1. read the task (readGrantedTask: 404 / 403)
//   2. compute the next task (the change throws to refuse: nextOrConflict's 409 for a refused transition)
//   3. replace it conditional on the version read; if someone changed it meanwhile, go back to 1
import { requireSurvey, type Principal } from '../access/principal.js';
import { ApiError } from '../errors.js';
import { isTaskId, type FollowUpTask, type TransitionResult } from './task.js';
import { TASK_CHANGING_TOO_OFTEN, TASK_NOT_FOUND } from './task-refusals.js';
import type { TaskStore } from './task-store.js';

const MAX_ATTEMPTS = 5;

export async function changeTask(
  tasks: Pick<TaskStore, 'replace'>,
  read: () => Promise<FollowUpTask>,
  change: (task: FollowUpTask) => FollowUpTask | Promise<FollowUpTask>,
): Promise<FollowUpTask> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const next = await change(await read());
    if (await tasks.replace(next)) return next;
  }
  throw new ApiError(409, TASK_CHANGING_TOO_OFTEN);
}

/**
 * the task, if the principal may see its survey: 404 when there is none (or it expired), 403 when not granted. An id
 * no task has is not read: DynamoDB refuses a key over 2,048 bytes (a 500)
 */
export async function readGrantedTask(tasks: Pick<TaskStore, 'get'>, principal: Principal, taskId: string): Promise<FollowUpTask> {
  const task = isTaskId(taskId) ? await tasks.get(taskId) : undefined;
  if (!task) throw new ApiError(404, TASK_NOT_FOUND);
  requireSurvey(principal, task.surveyId);
  return task;
}

/** a transition's next task, or 409 with `task` as it now is, shown as the API shows tasks (`view`) */
export async function nextOrConflict(task: FollowUpTask, result: TransitionResult, view: (task: FollowUpTask) => Promise<unknown>): Promise<FollowUpTask> {
  if (!result.ok) throw new ApiError(409, 'invalid transition', [{ path: result.path ?? 'status', reason: result.reason }], { current: await view(task) });
  return result.task;
}
