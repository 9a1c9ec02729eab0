// port: where follow-up tasks live. Adapter: dynamo-task-store.
import type { FollowUpTask, TaskStatus } from './task.js';

/** the tasks a queue query filters in memory (shared/followups/queue-query.ts) */
export interface CandidateQuery {
  /** only these surveys (a lead's grant, or the one asked for); undefined: every survey (admin) */
  surveys?: readonly string[];
  /** only these statuses; undefined: all */
  statuses?: readonly TaskStatus[];
}

export interface TaskStore {
  /** stores the task unless one with its id exists: routing a response twice opens one task */
  putIfAbsent(task: FollowUpTask): Promise<'created' | 'exists'>;
  get(taskId: string): Promise<FollowUpTask | undefined>;
  /** replaces the task only if its stored version is still `task.version - 1`; false when someone changed it first */
  replace(task: FollowUpTask): Promise<boolean>;
  /** every live task `query` names, in no particular order (the queue sorts and pages them) */
  listCandidates(query: CandidateQuery): Promise<FollowUpTask[]>;
  /** tasks already opened for this customer (any survey): the history priority looks at */
  countByCustomer(customerRef: string): Promise<number>;
  /** a customer's tasks (any survey), newest first, at most `limit` */
  listByCustomer(customerRef: string, limit: number): Promise<FollowUpTask[]>;
  /** open or claimed tasks past their due time whose breach is not yet handled, most overdue first */
  listBreached(now: Date, limit: number): Promise<FollowUpTask[]>;
  /** a survey's tasks opened in [from, to) */
  listOpenedBetween(surveyId: string, from: string, to: string): Promise<FollowUpTask[]>;
}
