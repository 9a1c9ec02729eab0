// unit: the follow-up metrics by root cause, by assignee and the root causes over the report's periods: each group
// counted as the whole block counts (followUpMetrics).
import { describe, expect, it } from 'vitest';
import { followUpBreakdown } from '../../shared/followups/followup-breakdown.js';
import { followUpMetrics } from '../../shared/followups/followup-metrics.js';
import { openTask, type FollowUpTask } from '../../shared/followups/task.js';

const opened = new Date('2026-11-01T00:00:00.000Z');
const at = (hours: number) => new Date(opened.getTime() + hours * 3_600_000).toISOString();
const ana = { id: 'cx:ana', name: 'Ana' };
const ben = { id: 'cx:ben', name: 'Ben' };

function task(id: string, changes: Partial<FollowUpTask> = {}): FollowUpTask {
  const base = openTask({
    response: { responseId: id, surveyId: 's', receivedAt: at(0), answers: { nps: 3 }, sentiment: null, channel: 'web' },
    reasons: [],
    priority: { level: 'normal', score: 10 },
    firstContactHours: 24,
    now: opened,
  });
  return { ...base, ...changes };
}

const closed = (rootCause: string, contactedAfter: number, answer?: number, status: 'resolved' | 'no_action' = 'resolved'): Partial<FollowUpTask> => ({
  status,
  contactedAt: at(contactedAfter),
  closedAt: at(contactedAfter + 1),
  resolution: { reason: 'done', rootCause, action: 'done' },
  ...(answer !== undefined ? { resurvey: { issuedAt: at(contactedAfter + 1), expiresAt: at(400), answer } } : {}),
});

describe('follow-up breakdown', () => {
  it('by root cause: closed, resolved, recovery and time to first contact per cause, most closed first', () => {
    // Prepare: delivery closed 3 times (2 resolved, re-surveys 5 and 2; 1 no action), billing once; one open task
    const tasks = [
      task('a', { assignee: ana, ...closed('delivery', 1, 5) }),
      task('b', { assignee: ana, ...closed('delivery', 3, 2) }),
      task('c', { assignee: ben, ...closed('delivery', 5, undefined, 'no_action') }),
      task('d', { assignee: ben, ...closed('billing', 10, 4) }),
      task('e'),
    ];

    // Act
    const { byRootCause } = followUpBreakdown(tasks, new Date(at(48)));

    // Assess
    expect(byRootCause).toEqual([
      { rootCause: 'delivery', opened: 3, contacted: 3, closed: 3, resolved: 2, closureRatePct: 100, recoveryRatePct: 50, timeToFirstContactHours: { median: 3, p90: 5 } },
      { rootCause: 'billing', opened: 1, contacted: 1, closed: 1, resolved: 1, closureRatePct: 100, recoveryRatePct: 100, timeToFirstContactHours: { median: 10, p90: 10 } },
    ]);
  });

  it('by assignee: each lead\'s figures as followUpMetrics counts them, the unassigned last', () => {
    // Prepare
    const anas = [task('a', { assignee: ana, ...closed('delivery', 1, 5) }), task('b', { assignee: ana, status: 'claimed' }), task('c', { assignee: ana, status: 'contacted', contactedAt: at(30) })];
    const bens = [task('d', { assignee: ben, ...closed('billing', 2, 1) })];
    const nobody = [task('e'), task('f')];

    // Act
    const { byAssignee } = followUpBreakdown([...nobody, ...bens, ...anas], new Date(at(48)));

    // Assess
    const whole = followUpMetrics(anas, new Date(at(48)));
    expect(byAssignee.map((row) => row.assignee)).toEqual([ana, ben, null]);
    expect(byAssignee[0]).toEqual({
      assignee: ana,
      opened: 3,
      contacted: 2,
      closed: 1,
      resolved: 1,
      closureRatePct: whole.closureRatePct,
      recoveryRatePct: 100,
      timeToFirstContactHours: whole.timeToFirstContactHours,
    });
    expect(byAssignee[1]).toMatchObject({ opened: 1, closed: 1, closureRatePct: 100, recoveryRatePct: 0 });
    expect(byAssignee[2]).toMatchObject({ opened: 2, contacted: 0, closed: 0, closureRatePct: 0, recoveryRatePct: null, timeToFirstContactHours: null });
  });

  it('counts the root causes in the period each task was opened, including one opened on the boundary', () => {
    // Prepare: two days; a task opened at exactly the second day's start; one closed without a root cause
    const tasks = [
      task('a', closed('delivery', 1)),
      task('b', closed('price', 2)),
      task('c', { ...closed('delivery', 30), createdAt: at(24) }),
      task('d', { status: 'resolved', closedAt: at(3), resolution: { reason: 'legacy' } }),
      task('e', { ...closed('billing', 80), createdAt: at(72) }),
    ];
    const periods = [
      { start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' },
      { start: '2026-11-02T00:00:00Z', end: '2026-11-03T00:00:00Z' },
    ];

    // Act
    const { rootCausesOverTime } = followUpBreakdown(tasks, new Date(at(100)), [], periods);

    // Assess
    expect(rootCausesOverTime).toEqual([
      { period: '2026-11-01T00:00:00Z', counts: { delivery: 1, price: 1 } },
      { period: '2026-11-02T00:00:00Z', counts: { delivery: 1 } },
    ]);
  });

  it('is empty without tasks, and has no periods unless given', () => {
    expect(followUpBreakdown([], opened)).toEqual({ byRootCause: [], byAssignee: [], rootCausesOverTime: [] });
  });
});
