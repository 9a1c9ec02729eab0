// unit: follow-up metrics: time to first contact, SLA compliance, closure and recovery rates.
import { describe, expect, it } from 'vitest';
import { followUpMetrics } from '../../shared/followups/followup-metrics.js';
import { openTask, type FollowUpTask } from '../../shared/followups/task.js';

const opened = new Date('2026-11-01T00:00:00.000Z');
const at = (hours: number) => new Date(opened.getTime() + hours * 3_600_000).toISOString();

function task(id: string, changes: Partial<FollowUpTask> = {}, customerRef?: string): FollowUpTask {
  const base = openTask({
    response: { responseId: id, surveyId: 's', receivedAt: at(0), answers: { nps: 3 }, sentiment: null, channel: 'web', ...(customerRef ? { customerRef } : {}) },
    reasons: [],
    priority: { level: 'normal', score: 10 },
    firstContactHours: 24,
    now: opened,
  });
  return { ...base, ...changes };
}

describe('follow-up metrics', () => {
  it('measures first contact (median, p90), SLA compliance over decided tasks, closure and recovery', () => {
    // Prepare: contacted after 1, 2, 30 h; one open and overdue; one open and not yet due (opened later)
    const tasks = [
      task('a', { status: 'resolved', contactedAt: at(1), closedAt: at(2), resurvey: { issuedAt: at(2), expiresAt: at(400), answer: 5 } }, 'c1'),
      task('b', { status: 'resolved', contactedAt: at(2), closedAt: at(3), resurvey: { issuedAt: at(3), expiresAt: at(400), answer: 2 } }),
      task('c', { status: 'no_action', contactedAt: at(30), closedAt: at(31) }),
      task('d'),
      task('e', { createdAt: at(40), dueAt: at(64) }),
    ];

    // Act
    const metrics = followUpMetrics(tasks, new Date(at(48)), [
      { customerRef: 'c1', receivedAt: at(1), nps: 2 },
      { customerRef: 'c1', receivedAt: at(10), nps: 8 },
    ]);

    // Assess
    expect(metrics).toEqual({
      opened: 5,
      contacted: 3,
      closed: 3,
      timeToFirstContactHours: { median: 2, p90: 30 },
      slaCompliancePct: 50,
      closureRatePct: 60,
      recovery: { resolved: 2, answered: 2, recovered: 1, ratePct: 50, returned: { answered: 1, recovered: 1, ratePct: 100 } },
    });
  });

  it('reports nothing it cannot divide by', () => {
    expect(followUpMetrics([], opened)).toMatchObject({ opened: 0, timeToFirstContactHours: null, slaCompliancePct: null, closureRatePct: null, recovery: { ratePct: null } });
  });
});
