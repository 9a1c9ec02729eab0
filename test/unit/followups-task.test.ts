// unit: the follow-up task state machine: every action from every status, allowed or refused.
import { describe, expect, it } from 'vitest';
import { MAX_ITEM_BYTES, itemBytesOf } from '../../shared/dynamo-item-size.js';
import { applyAction, isOverdue, MAX_ASSIGNMENTS_IN_HISTORY, MAX_NOTES_PER_TASK, openTask, TASK_STATUSES, taskIdOf, type Actor, type FollowUpTask, type TaskAction, type TaskStatus } from '../../shared/followups/task.js';

const lead: Actor = { id: 'cx:ana', name: 'Ana' };
const opened = new Date('2026-11-23T10:00:00.000Z');
const later = new Date('2026-11-23T11:00:00.000Z');

const fixture = (): FollowUpTask =>
  openTask({
    response: { responseId: 'r1', surveyId: 'delivery', receivedAt: opened.toISOString(), answers: { nps: 2 }, sentiment: null, channel: 'web' },
    reasons: [{ rule: 'nps', question: 'nps', score: 2, atMost: 6 }],
    priority: { level: 'high', score: 40 },
    firstContactHours: 24,
    now: opened,
  });
const inStatus = (status: TaskStatus): FollowUpTask => ({ ...structuredClone(fixture()), status });

const ACTIONS: Record<string, TaskAction> = {
  claim: { type: 'claim' },
  note: { type: 'note', text: 'called, no answer' },
  contacted: { type: 'contacted' },
  resolve: { type: 'resolve', outcome: 'resolved', reason: 'refunded' },
  'resolve (no action)': { type: 'resolve', outcome: 'no_action', reason: 'customer declined' },
};

/** [action, from] → the status it leads to, or undefined when refused */
const EXPECTED: Record<string, Partial<Record<TaskStatus, TaskStatus>>> = {
  claim: { open: 'claimed' },
  note: { open: 'open', claimed: 'claimed', contacted: 'contacted', resolved: 'resolved', no_action: 'no_action' },
  contacted: { claimed: 'contacted' },
  resolve: { claimed: 'resolved', contacted: 'resolved' },
  'resolve (no action)': { claimed: 'no_action', contacted: 'no_action' },
};

describe('task state machine', () => {
  const cases = Object.keys(ACTIONS).flatMap((action) => TASK_STATUSES.map((from) => [action, from] as const));

  it.each(cases)('%s from %s: allowed exactly where the machine says', (action, from) => {
    // Prepare
    const task = inStatus(from);

    // Act
    const result = applyAction(task, ACTIONS[action]!, lead, later);

    // Assess
    const to = EXPECTED[action]![from];
    if (to === undefined) {
      expect(result).toEqual({ ok: false, reason: expect.stringContaining(`is ${from}`) });
    } else {
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.task.status).toBe(to);
      expect(result.task.version).toBe(task.version + 1);
    }
  });

  it('records who did what and when: assignee, transition timestamps, history and append-only notes', () => {
    // Act
    let task = fixture();
    for (const action of [ACTIONS.claim!, ACTIONS.note!, ACTIONS.contacted!, ACTIONS.resolve!]) {
      const result = applyAction(task, action, lead, later);
      if (!result.ok) throw new Error(result.reason);
      task = result.task;
    }

    // Assess
    expect(task).toMatchObject({
      status: 'resolved',
      assignee: lead,
      claimedAt: later.toISOString(),
      contactedAt: later.toISOString(),
      closedAt: later.toISOString(),
      resolution: { reason: 'refunded' },
      notes: [{ author: lead, at: later.toISOString(), text: 'called, no answer' }],
      version: 5,
    });
    expect(task.history.map((e) => `${e.from}→${e.to} by ${e.by.id}`)).toEqual(['open→claimed by cx:ana', 'claimed→contacted by cx:ana', 'contacted→resolved by cx:ana']);
  });

  it("takes notes up to MAX_NOTES_PER_TASK, then refuses the next one naming notes (a task is one item of at most 400 KB)", () => {
    // Prepare: a task one note short of full, and one that is full
    const longest = { type: 'note', text: '€'.repeat(2000) } as const;
    let task = fixture();
    for (let i = 1; i < MAX_NOTES_PER_TASK; i++) task = (applyAction(task, longest, lead, later) as { ok: true; task: FollowUpTask }).task;

    // Act
    const last = applyAction(task, longest, lead, later);
    const refused = last.ok ? applyAction(last.task, ACTIONS.note!, lead, later) : last;

    // Assess: the full task at its largest (3-byte characters) is still far from DynamoDB's 400 KB
    expect(last.ok).toBe(true);
    expect(refused).toEqual({ ok: false, path: 'notes', reason: `a task holds at most ${MAX_NOTES_PER_TASK} notes; this one is full` });
    expect(Buffer.byteLength(JSON.stringify(last.ok && last.task))).toBeLessThan(300_000);
  });

  it('is due 24 h after opening, overdue only while not contacted, and its id comes from the response id', () => {
    const task = fixture();
    expect(task.dueAt).toBe('2026-11-24T10:00:00.000Z');
    expect(task.id).toBe(taskIdOf('r1'));
    const afterDue = new Date('2026-11-24T10:00:01.000Z');
    expect(isOverdue(task, afterDue)).toBe(true);
    expect(isOverdue({ ...task, status: 'contacted' }, afterDue)).toBe(false);
  });

  it('keeps the last 50 reassignments in the history and counts the rest, so a task handed on without end stays one storable item', () => {
    // Prepare: a claimed, contacted task full of the longest notes (3 bytes a character), then handed on 1,000 times between leads with the
    // longest names
    const longLead = (n: number): Actor => ({ id: `cx:${String(n).padStart(16, '0')}`, name: `${'N'.repeat(96)}${String(n).padStart(4, '0')}` });
    let task = applyAction(fixture(), { type: 'claim' }, lead, later);
    if (!task.ok) throw new Error(task.reason);
    let current = task.task;
    for (const step of [{ type: 'contacted' } as const, ...Array.from({ length: MAX_NOTES_PER_TASK }, () => ({ type: 'note', text: '€'.repeat(2_000) }) as const)]) {
      task = applyAction(current, step, lead, later);
      if (!task.ok) throw new Error(task.reason);
      current = task.task;
    }

    // Act
    for (let n = 0; n < 1_000; n += 1) {
      const next = applyAction(current, { type: 'assign', assignee: longLead(n) }, longLead(n + 1), later);
      if (!next.ok) throw new Error(next.reason);
      current = next.task;
    }

    // Assess: the status changes all kept, the last 50 assignments in order, the 950 before them counted
    expect(current.history.filter((event) => event.action !== 'assign').map((event) => event.action)).toEqual(['claim', 'contacted']);
    const assignments = current.history.filter((event) => event.action === 'assign');
    expect(assignments).toHaveLength(MAX_ASSIGNMENTS_IN_HISTORY);
    expect(assignments.at(-1)!.assignee).toEqual(longLead(999));
    expect(assignments[0]!.assignee).toEqual(longLead(1_000 - MAX_ASSIGNMENTS_IN_HISTORY));
    expect(current.earlierAssignments).toBe(1_000 - MAX_ASSIGNMENTS_IN_HISTORY);
    expect(current.assignee).toEqual(longLead(999));
    expect(itemBytesOf(current as unknown as Record<string, unknown>)).toBeLessThan(MAX_ITEM_BYTES);
  });
});
