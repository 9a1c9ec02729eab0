// use-case helper: one change to a task, safe against concurrent changes. Shared by work-tasks.ts and assign-tasks.ts.
//   1. read the task (the reader throws 404 / 403)
//   2. compute the next task (the change throws to refuse, e.g. 409 for a refused transition)
//   3. replace it conditional on the version read; if someone changed it meanwhile, go back to 1
import { ApiError } from '../errors.js';
import type { FollowUpTask } from './task.js';
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
  throw new ApiError(409, 'the task is changing too often; try again');
}
