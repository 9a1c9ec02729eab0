// integration: the scripted follow-up day (test/bench/followup-day.ts) on real dynalite: 100 tasks opened by the
// task-opening use case and split by round-robin 34/33/33, and the metrics block's breakdowns add up to the whole.
import { describe, expect, it } from 'vitest';
import { dayReport, runFollowUpDay } from '../bench/followup-day.js';

describe('the scripted follow-up day', () => {
  it('opens 100 tasks split 34/33/33, and its metrics by root cause and by assignee add up to the whole block', async () => {
    // Act
    const day = await runFollowUpDay();
    const { report, split, tasks } = day;

    // Assess: every detractor became one task, auto-assigned in turn
    expect(tasks).toHaveLength(100);
    expect(report.opened).toBe(100);
    expect(split.map((s) => s.tasks)).toEqual([34, 33, 33]);
    expect(tasks.every((task) => task.assignee !== undefined)).toBe(true);
    // by root cause: the tasks closed with a root cause, each counted once
    const withRootCause = tasks.filter((task) => (task.status === 'resolved' || task.status === 'no_action') && task.resolution?.rootCause);
    expect(report.byRootCause.reduce((sum, g) => sum + g.opened, 0)).toBe(withRootCause.length);
    expect(report.byRootCause.every((g) => g.closed === g.opened)).toBe(true);
    // by assignee: the whole block, split
    const sum = (key: 'opened' | 'contacted' | 'closed' | 'resolved') => report.byAssignee.reduce((total, g) => total + g[key], 0);
    expect([sum('opened'), sum('contacted'), sum('closed'), sum('resolved')]).toEqual([report.opened, report.contacted, report.closed, report.recovery.resolved]);
    // the leads worked differently: some tasks are left, some closed with no action, some re-surveys answered
    expect(report.closed).toBeLessThan(100);
    expect(tasks.some((task) => task.status === 'no_action')).toBe(true);
    expect(report.recovery.answered).toBeGreaterThan(0);
    // deterministic: the printed tables name each lead with their share
    expect(dayReport(day)).toMatch(/round-robin split\s+tasks\n-+\s+-+\nAna\s+34\nBo\s+33\nCy\s+33$/);
  }, 30_000);
});
