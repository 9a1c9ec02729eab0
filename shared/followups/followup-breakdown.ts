// domain: the follow-up metrics broken down, for learning why detractors leave and who recovers them (the metrics
// report's `followups` block, beside the whole block's figures). Pure. Each group's figures are followUpMetrics of the
// group's tasks, so a group counts exactly as the whole block does.
//   byRootCause          the tasks opened in the range and closed with a root cause, by root cause (most closed first)
//   byAssignee           the tasks opened in the range, by their assignee (most opened first; unassigned, null, last)
//   rootCausesOverTime   per interval of the report: how many of the tasks opened in it were closed with each root
//                        cause. Counted by when the task was opened, not closed, so a period's bar is "why the
//                        detractors of that period left" and does not move when an old task is closed late.
import { followUpMetrics, type FollowUpMetrics, type LaterAnswer } from './followup-metrics.js';
import type { Actor, FollowUpTask } from './task.js';

/** one group's figures, as the whole block reports them */
export interface GroupFigures {
  opened: number;
  contacted: number;
  closed: number;
  resolved: number;
  closureRatePct: number | null;
  /** of the group's resolved tasks whose re-survey was answered, the share answering 4–5 */
  recoveryRatePct: number | null;
  timeToFirstContactHours: FollowUpMetrics['timeToFirstContactHours'];
}

export interface RootCauseFigures extends GroupFigures {
  rootCause: string;
}

export interface AssigneeFigures extends GroupFigures {
  assignee: Actor | null;
}

export interface RootCausePeriod {
  /** the period's start (inclusive), as the report's series says it */
  period: string;
  counts: Record<string, number>;
}

export interface FollowUpBreakdown {
  byRootCause: RootCauseFigures[];
  byAssignee: AssigneeFigures[];
  rootCausesOverTime: RootCausePeriod[];
}

/** a report period: [start, end) as ISO instants */
export interface Period {
  start: string;
  end: string;
}

function figuresOf(tasks: readonly FollowUpTask[], now: Date, later: readonly LaterAnswer[]): GroupFigures {
  const m = followUpMetrics(tasks, now, later);
  return {
    opened: m.opened,
    contacted: m.contacted,
    closed: m.closed,
    resolved: m.recovery.resolved,
    closureRatePct: m.closureRatePct,
    recoveryRatePct: m.recovery.ratePct,
    timeToFirstContactHours: m.timeToFirstContactHours,
  };
}

/** the tasks by a key, in first-seen order */
function groupBy<K>(tasks: readonly FollowUpTask[], keyOf: (task: FollowUpTask) => K | undefined): Map<K, FollowUpTask[]> {
  const groups = new Map<K, FollowUpTask[]>();
  for (const task of tasks) {
    const key = keyOf(task);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(task);
    else groups.set(key, [task]);
  }
  return groups;
}

const rootCauseOf = (task: FollowUpTask) => task.resolution?.rootCause;

export function followUpBreakdown(tasks: readonly FollowUpTask[], now: Date, later: readonly LaterAnswer[] = [], periods: readonly Period[] = []): FollowUpBreakdown {
  const byRootCause = [...groupBy(tasks, rootCauseOf)]
    .map(([rootCause, group]) => ({ rootCause, ...figuresOf(group, now, later) }))
    .sort((a, b) => b.closed - a.closed || a.rootCause.localeCompare(b.rootCause));

  const UNASSIGNED = '';
  const byAssignee = [...groupBy(tasks, (task) => task.assignee?.id ?? UNASSIGNED)]
    .map(([id, group]) => {
      // the name as the latest task shows it (a lead renamed keeps their id)
      const named = group.filter((task) => task.assignee).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1)?.assignee;
      return { assignee: id === UNASSIGNED || !named ? null : { id, name: named.name }, ...figuresOf(group, now, later) };
    })
    .sort((a, b) => Number(a.assignee === null) - Number(b.assignee === null) || b.opened - a.opened || (a.assignee?.name ?? '').localeCompare(b.assignee?.name ?? ''));

  // instants compared as numbers: the report writes whole seconds, tasks milliseconds
  const rootCausesOverTime = periods.map(({ start, end }) => {
    const [from, to] = [Date.parse(start), Date.parse(end)];
    const counts: Record<string, number> = {};
    for (const task of tasks) {
      const rootCause = rootCauseOf(task);
      const opened = Date.parse(task.createdAt);
      if (rootCause === undefined || opened < from || opened >= to) continue;
      counts[rootCause] = (counts[rootCause] ?? 0) + 1;
    }
    return { period: start, counts };
  });

  return { byRootCause, byAssignee, rootCausesOverTime };
}
