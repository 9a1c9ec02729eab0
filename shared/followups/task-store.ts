// port: where follow-up tasks live. Adapter: dynamo-task-store.
import type { FollowUpTask, TaskStatus } from './task.js';

/** a survey's tasks in one of these statuses, each one still being worked (queue-query.ts, the `active` plan) */
export interface StatusQuery {
  surveys: readonly string[];
  statuses: readonly TaskStatus[];
}

/** tasks in the order they were opened (queue-query.ts, the `opened` and `sorted` plans) */
export interface OpenedQuery {
  surveys: readonly string[];
  newestFirst: boolean;
  /** start after this opening key (queue-query.ts, openingKeyOf); none: at the first task */
  after?: string;
  /** stop once this many tasks are read, or a little past (reads are whole queries) */
  maxRead: number;
  /**
   * about how many tasks the caller means to take (a page and one more; the budget, to read everything): each survey's
   * read is sized to its share of it, so a page over many surveys does not spend the budget on the first reads
   */
  readAhead: number;
}

/** tasks as read: each with its opening key, and without the task if it is past its retention (not yet deleted) */
export interface OpenedTasks {
  /** the next task read; undefined at the end, or once `maxRead` is spent */
  next(): Promise<{ openingKey: string; task?: FollowUpTask } | undefined>;
  /** every task was read */
  readonly ended: boolean;
}

export interface TaskStore {
  /** stores the task unless one with its id exists: routing a response twice opens one task */
  putIfAbsent(task: FollowUpTask): Promise<'created' | 'exists'>;
  get(taskId: string): Promise<FollowUpTask | undefined>;
  /** replaces the task only if its stored version is still `task.version - 1`; false when someone changed it first */
  replace(task: FollowUpTask): Promise<boolean>;
  /** every live task of these surveys in these statuses, in no particular order (the queue sorts and pages them) */
  listInStatuses(query: StatusQuery): Promise<FollowUpTask[]>;
  /** the surveys' tasks in the order they were opened, from `after`, reading about `maxRead` at most */
  readOpened(query: OpenedQuery): OpenedTasks;
  /** tasks already opened for this customer (any survey): the history priority looks at */
  countByCustomer(customerRef: string): Promise<number>;
  /** a customer's tasks (any survey), newest first, at most `limit` */
  listByCustomer(customerRef: string, limit: number): Promise<FollowUpTask[]>;
  /** open or claimed tasks past their due time whose breach is not yet handled, most overdue first */
  listBreached(now: Date, limit: number): Promise<FollowUpTask[]>;
  /** a survey's tasks opened in [from, to) */
  listOpenedBetween(surveyId: string, from: string, to: string): Promise<FollowUpTask[]>;
}
