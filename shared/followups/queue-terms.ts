// domain: the follow-up queue's terms (priorities, SLA states, sorts) and how a task's SLA state is read, shared by the
// API's queue (queue-query.ts) and the console (web-console/src/state.ts), so both select a task alike. Pure and free
// of zod and node modules, so the console bundles it.
import type { PriorityLevel } from './detractor.js';

export const PRIORITY_LEVELS = ['urgent', 'high', 'normal'] as const satisfies readonly PriorityLevel[];
export const SLA_STATES = ['breached', 'due-soon'] as const;
export type SlaFilter = (typeof SLA_STATES)[number];
export const QUEUE_SORTS = ['due', 'priority', 'newest', 'oldest'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
/** "due soon": first contact due within this, and not yet past due */
export const DUE_SOON_MS = 4 * 3_600_000;
export const ACTIVE_STATUSES: readonly string[] = ['open', 'claimed', 'contacted'];

/** the statuses an SLA state can belong to (slaStateOf): a filter by SLA state lists only these */
export const SLA_STATUSES: readonly string[] = ['open', 'claimed'];

/** the statuses a queue can list: those asked for (every status: undefined), narrowed by an SLA filter to SLA_STATUSES */
export function listedStatuses(statuses: readonly string[] | undefined, sla: string | undefined): readonly string[] | undefined {
  if (!sla) return statuses;
  return (statuses ?? SLA_STATUSES).filter((s) => SLA_STATUSES.includes(s));
}

/** whether every status of a list is one still being worked: a queue of work to do, not (partly) an archive */
export const onlyActive = (statuses: readonly string[] | undefined): boolean => statuses !== undefined && statuses.every((s) => ACTIVE_STATUSES.includes(s));

/**
 * the most urgent first in a queue of work to do; a list that holds closed tasks (or every task), the latest first:
 * closed tasks pile up without end, so such a list is read in the order tasks were opened (queue-query.ts)
 */
export const defaultSort = (statuses: readonly string[] | undefined): QueueSort => (onlyActive(statuses) ? 'due' : 'newest');

/** a task waiting for its first contact: breached once past due, due soon within DUE_SOON_MS of it; else none */
export function slaStateOf(task: { status: string; dueAt: string }, now: Date): SlaFilter | undefined {
  if (task.status !== 'open' && task.status !== 'claimed') return undefined;
  const left = Date.parse(task.dueAt) - now.getTime();
  if (left < 0) return 'breached';
  return left <= DUE_SOON_MS ? 'due-soon' : undefined;
}
