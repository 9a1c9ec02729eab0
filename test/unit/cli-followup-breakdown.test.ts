// unit: the CLI's follow-up breakdown under `metrics`: a table by root cause and one by assignee, aligned.
import { describe, expect, it } from 'vitest';
import { breakdownLines } from '../../cli/followup-breakdown-text.js';

const figures = { contacted: 2, resolved: 2, closureRatePct: 100, recoveryRatePct: 50, timeToFirstContactHours: { median: 2.5, p90: 4 } };

describe('the CLI follow-up breakdown', () => {
  it('prints closed, resolved, recovery and first contact per root cause, and per assignee with the unassigned named', () => {
    // Act
    const lines = breakdownLines({
      byRootCause: [
        { rootCause: 'product defect', opened: 3, closed: 3, ...figures },
        { rootCause: 'price', opened: 1, closed: 1, ...figures, resolved: 0, recoveryRatePct: null, timeToFirstContactHours: null },
      ],
      byAssignee: [
        { assignee: { id: 'cx:a', name: 'Ana' }, opened: 4, closed: 4, ...figures },
        { assignee: null, opened: 2, closed: 0, ...figures, closureRatePct: 0, recoveryRatePct: null, timeToFirstContactHours: null },
      ],
      rootCausesOverTime: [],
    });

    // Assess
    expect(lines).toEqual([
      '  by root cause   closed  resolved  recovered  first contact',
      '  product defect       3         2      50.0%          2.5 h',
      '  price                1         0          –              –',
      '  by assignee   opened  contacted  closed  recovered  first contact',
      '  Ana                4          2  100.0%      50.0%          2.5 h',
      '  (unassigned)       2          2    0.0%          –              –',
    ]);
  });

  it('prints nothing for a report without the breakdown (an API before it) or without tasks', () => {
    expect(breakdownLines({})).toEqual([]);
    expect(breakdownLines({ byRootCause: [], byAssignee: [] })).toEqual([]);
  });
});
