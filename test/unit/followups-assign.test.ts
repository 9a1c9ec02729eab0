// unit: assigning a task (the state machine's assign action) and choosing who a new task goes to (auto-assign.ts).
import { describe, expect, it } from 'vitest';
import type { AccessToken } from '../../shared/access/tokens.js';
import { AUTO_ASSIGNMENT_ACTOR, chooseAssignee, leadsOfSurvey, needsTurn } from '../../shared/followups/auto-assign.js';
import { applyAction, openTask, TASK_STATUSES, type Actor, type FollowUpTask, type TaskStatus } from '../../shared/followups/task.js';
import { assignmentSchema } from '../../shared/survey/schema.js';

const manager: Actor = { id: 'admin', name: 'admin' };
const ana: Actor = { id: 'cx:00000000000000aa', name: 'Ana' };
const ben: Actor = { id: 'cx:00000000000000bb', name: 'Ben' };
const opened = new Date('2026-11-23T10:00:00.000Z');
const later = new Date('2026-11-23T11:00:00.000Z');

const fixture = (touchpoint?: string): FollowUpTask =>
  openTask({
    response: { responseId: 'r1', surveyId: 'delivery', receivedAt: opened.toISOString(), answers: { nps: 2 }, sentiment: null, channel: 'web', ...(touchpoint ? { touchpoint } : {}) },
    reasons: [{ rule: 'nps', question: 'nps', score: 2, atMost: 6 }],
    priority: { level: 'high', score: 40 },
    firstContactHours: 24,
    now: opened,
  });

const token = (id: string, name: string, surveys: string[] | 'all', extra: Partial<AccessToken> = {}): AccessToken => ({
  id,
  name,
  role: 'cx',
  surveys,
  createdAt: opened.toISOString(),
  createdBy: 'admin',
  ...extra,
});

describe('assign action', () => {
  const allowed: TaskStatus[] = ['open', 'claimed', 'contacted'];

  it.each(TASK_STATUSES.map((s) => [s]))('from %s: allowed only while the task is being worked, status unchanged', (from) => {
    // Prepare
    const task = { ...fixture(), status: from };

    // Act
    const result = applyAction(task, { type: 'assign', assignee: ana }, manager, later);

    // Assess
    if (!allowed.includes(from)) {
      expect(result).toEqual({ ok: false, reason: expect.stringContaining(`is ${from}`) });
      return;
    }
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.task.status).toBe(from);
    expect(result.task.assignee).toEqual(ana);
    expect(result.task.version).toBe(task.version + 1);
    expect(result.task.history).toEqual([{ at: later.toISOString(), by: manager, action: 'assign', from, to: from, assignee: ana }]);
  });

  it('reassigning, then claiming by someone else, keeps every hand-over in the history', () => {
    // Act
    const first = applyAction(fixture(), { type: 'assign', assignee: ana }, manager, later);
    if (!first.ok) throw new Error(first.reason);
    const second = applyAction(first.task, { type: 'assign', assignee: ben }, manager, later);
    if (!second.ok) throw new Error(second.reason);
    const claimed = applyAction(second.task, { type: 'claim' }, ana, later);

    // Assess
    expect(claimed.ok).toBe(true);
    if (!claimed.ok) return;
    expect(claimed.task.assignee).toEqual(ana);
    expect(claimed.task.history.map((e) => [e.action, e.by.id, e.assignee?.id])).toEqual([
      ['assign', 'admin', ana.id],
      ['assign', 'admin', ben.id],
      ['claim', ana.id, ana.id],
    ]);
  });
});

describe('auto-assignment chooser', () => {
  const tokens = [
    token('00000000000000cc', 'Cleo', ['delivery']),
    token('00000000000000aa', 'Ana', ['delivery', 'checkout']),
    token('00000000000000dd', 'Dan', ['delivery'], { revokedAt: opened.toISOString() }),
    token('00000000000000ee', 'Eve', ['checkout']),
    { ...token('00000000000000ff', 'Ops', 'all'), role: 'admin' as const },
    token('00000000000000bb', 'Ben', ['delivery']),
  ];
  const leads = leadsOfSurvey(tokens, 'delivery');
  const roundRobin = assignmentSchema.parse({ mode: 'round-robin' });
  const byTouchpoint = assignmentSchema.parse({ mode: 'touchpoint', touchpoints: { checkout: 'cx:00000000000000bb', returns: '00000000000000dd', app: '00000000000000ee' } });

  it('a survey’s leads are its live cx tokens, ordered by token id', () => {
    expect(leads.map((l) => l.name)).toEqual(['Ana', 'Ben', 'Cleo']);
  });

  it('round-robin takes the leads in turn and wraps around', () => {
    // Act
    const chosen = [0, 1, 2, 3, 4].map((turn) => chooseAssignee({ assignment: roundRobin, leads, turn })?.name);

    // Assess
    expect(chosen).toEqual(['Ana', 'Ben', 'Cleo', 'Ana', 'Ben']);
    expect(needsTurn(roundRobin, leads)).toBe(true);
    expect(needsTurn(roundRobin, [])).toBe(false);
    expect(chooseAssignee({ assignment: roundRobin, leads: [], turn: 3 })).toBeUndefined();
  });

  it('touchpoint maps to its lead, and falls back to unassigned for no rule, a revoked or an ungranted lead', () => {
    expect(chooseAssignee({ assignment: byTouchpoint, leads, touchpoint: 'checkout' })).toEqual({ id: 'cx:00000000000000bb', name: 'Ben' });
    expect(chooseAssignee({ assignment: byTouchpoint, leads, touchpoint: 'store' })).toBeUndefined();
    expect(chooseAssignee({ assignment: byTouchpoint, leads })).toBeUndefined();
    expect(chooseAssignee({ assignment: byTouchpoint, leads, touchpoint: 'returns' })).toBeUndefined();
    expect(chooseAssignee({ assignment: byTouchpoint, leads, touchpoint: 'app' })).toBeUndefined();
    expect(needsTurn(byTouchpoint, leads)).toBe(false);
  });

  it('manual leaves every task unassigned; the system actor is named for the history', () => {
    expect(chooseAssignee({ assignment: assignmentSchema.parse({}), leads, turn: 1 })).toBeUndefined();
    expect(AUTO_ASSIGNMENT_ACTOR).toEqual({ id: 'system', name: 'auto-assignment' });
  });

  it('the schema refuses an unknown mode, touchpoint mode without rules, a bad touchpoint and a bad lead id', () => {
    const issues = (input: unknown) => assignmentSchema.safeParse(input).error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues({ mode: 'random' })).toEqual([['mode', 'one of manual, round-robin, touchpoint']]);
    expect(issues({ mode: 'touchpoint' })).toEqual([['touchpoints', expect.stringContaining('mode touchpoint needs touchpoints')]]);
    expect(issues({ mode: 'touchpoint', touchpoints: { 'Bad Key': '00000000000000aa' } })?.[0]?.[0]).toBe('touchpoints.Bad Key');
    expect(issues({ mode: 'touchpoint', touchpoints: { web: 'ana' } })).toEqual([['touchpoints.web', 'a cx token id as listed by GET /v1/tokens']]);
    expect(issues({ mode: 'manual', extra: 1 })?.[0]?.[1]).toMatch(/unrecognized|Unrecognized/);
  });
});
