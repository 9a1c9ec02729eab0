// unit: the customer's history a task shows (customerHistoryOf): the other responses and tasks newest first, the task's
// own left out, only the surveys the caller may see, capped with `truncated`, and the NPS trend oldest → newest.
import { describe, expect, it } from 'vitest';
import { customerHistoryOf, excerptOf, type HistoryInput } from '../../shared/followups/customer-history.js';
import { openTask, type FollowUpTask } from '../../shared/followups/task.js';
import type { StoredResponse } from '../../shared/response/stored-response.js';
import { storedResponse } from '../support/fixtures.js';

const CUSTOMER = 'crm-77';
const NPS_QUESTIONS: Record<string, string> = { shop: 'nps', delivery: 'recommend' };

function response(id: string, surveyId: string, receivedAt: string, answers: Record<string, number>, extra: Partial<StoredResponse> = {}): StoredResponse {
  return storedResponse({ id, surveyId, receivedAt, answers, customerRef: CUSTOMER, ...extra });
}

function taskOf(r: StoredResponse, changes: Partial<FollowUpTask> = {}): FollowUpTask {
  const task = openTask({
    response: { responseId: r.id, surveyId: r.surveyId, receivedAt: r.receivedAt, answers: r.answers, sentiment: r.sentiment, channel: r.channel, customerRef: r.customerRef },
    reasons: [],
    priority: { level: 'normal', score: 1 },
    firstContactHours: 24,
    now: new Date(r.receivedAt),
  });
  return { ...task, ...changes };
}

// the customer's file: two surveys, the task's own response the newest
const first = response('r1', 'shop', '2026-10-01T09:00:00.000Z', { nps: 6 }, { comment: 'slow', sentiment: { status: 'scored', label: 'NEGATIVE', language: 'en', scores: { positive: 0, negative: 0.9, neutral: 0.1, mixed: 0 } } });
const second = response('r2', 'delivery', '2026-11-01T09:00:00.000Z', { recommend: 3, csat: 2 }, { touchpoint: 'courier' });
const third = response('r3', 'shop', '2026-11-20T09:00:00.000Z', { nps: 9 });
const own = response('r4', 'shop', '2026-12-01T09:00:00.000Z', { nps: 2 });
const earlierTask = taskOf(first, { status: 'resolved', closedAt: '2026-10-02T09:00:00.000Z', resolution: { reason: 'refunded the shipping' }, resurvey: { issuedAt: '2026-10-02T09:00:00.000Z', expiresAt: '2026-10-16T09:00:00.000Z', answer: 4 } });
const deliveryTask = taskOf(second);
const ownTask = taskOf(own);

const input = (changes: Partial<HistoryInput> = {}): HistoryInput => ({
  task: ownTask,
  responses: [third, own, first, second],
  tasks: [ownTask, earlierTask, deliveryTask],
  canSee: () => true,
  npsQuestionOf: (surveyId) => NPS_QUESTIONS[surveyId],
  ...changes,
});

describe('a customer history', () => {
  it('lists the other responses and tasks newest first, without the task\'s own', () => {
    // Act
    const history = customerHistoryOf(input())!;

    // Assess
    expect(history.responses.map((r) => r.responseId)).toEqual(['r3', 'r2', 'r1']);
    expect(history.tasks.map((t) => t.id)).toEqual([deliveryTask.id, earlierTask.id]);
    expect(history.summary).toMatchObject({ responses: 3, tasks: 2 });
    expect(history.truncated).toBe(false);
  });

  it('says what each earlier response and task was: excerpt, sentiment label, touchpoint, outcome and re-survey answer', () => {
    // Act
    const history = customerHistoryOf(input())!;

    // Assess
    expect(history.responses.find((r) => r.responseId === 'r1')).toEqual({
      responseId: 'r1',
      surveyId: 'shop',
      receivedAt: first.receivedAt,
      answers: { nps: 6 },
      commentExcerpt: 'slow',
      sentiment: 'NEGATIVE',
      channel: 'web',
      taskId: earlierTask.id,
    });
    expect(history.responses.find((r) => r.responseId === 'r2')).toMatchObject({ touchpoint: 'courier', taskId: deliveryTask.id });
    expect(history.tasks.find((t) => t.id === earlierTask.id)).toEqual({
      id: earlierTask.id,
      surveyId: 'shop',
      responseId: 'r1',
      createdAt: first.receivedAt,
      status: 'resolved',
      priority: 'normal',
      resolution: { reason: 'refunded the shipping' },
      closedAt: '2026-10-02T09:00:00.000Z',
      resurveyAnswer: 4,
    });
  });

  it('draws the NPS trend oldest to newest from each survey\'s NPS question, the task\'s own answer last', () => {
    // Act
    const history = customerHistoryOf(input())!;

    // Assess
    expect(history.npsTrend).toEqual([
      { at: first.receivedAt, nps: 6, surveyId: 'shop' },
      { at: second.receivedAt, nps: 3, surveyId: 'delivery' },
      { at: third.receivedAt, nps: 9, surveyId: 'shop' },
      { at: own.receivedAt, nps: 2, surveyId: 'shop', current: true },
    ]);
    expect(history.summary).toMatchObject({ firstNps: 6, latestNps: 2 });
  });

  it('shows a lead granted one survey nothing of another survey', () => {
    // Act
    const history = customerHistoryOf(input({ canSee: (surveyId) => surveyId === 'shop' }))!;

    // Assess
    expect(history.responses.map((r) => r.responseId)).toEqual(['r3', 'r1']);
    expect(history.tasks.map((t) => t.id)).toEqual([earlierTask.id]);
    expect(history.npsTrend.map((p) => p.surveyId)).toEqual(['shop', 'shop', 'shop']);
    expect(JSON.stringify(history)).not.toContain('delivery');
  });

  it('caps each list and says so', () => {
    // Prepare: 25 earlier answers
    const many = Array.from({ length: 25 }, (_, i) => response(`m${String(i).padStart(2, '0')}`, 'shop', `2026-09-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`, { nps: i % 11 }));

    // Act
    const history = customerHistoryOf(input({ responses: [...many, own], limit: 20 }))!;

    // Assess
    expect(history.responses).toHaveLength(20);
    expect(history.responses[0]!.responseId).toBe('m24');
    expect(history.summary.responses).toBe(25);
    expect(history.truncated).toBe(true);
    expect(history.npsTrend).toHaveLength(26);
  });

  it('is marked truncated when the stores stopped reading at their bound', () => {
    expect(customerHistoryOf(input({ readCapped: true }))!.truncated).toBe(true);
  });

  it('is null for an anonymous response', () => {
    // Prepare
    const anonymous = { ...ownTask, response: { ...ownTask.response, customerRef: undefined } };

    // Act + Assess
    expect(customerHistoryOf(input({ task: anonymous }))).toBeNull();
  });

  it('has an empty trend when no survey has an NPS question', () => {
    const history = customerHistoryOf(input({ npsQuestionOf: () => undefined }))!;
    expect(history.npsTrend).toEqual([]);
    expect(history.summary).toMatchObject({ firstNps: null, latestNps: null });
  });
});

describe('a comment excerpt', () => {
  it('keeps a short comment and cuts a long one to 140 characters without splitting a character', () => {
    expect(excerptOf('  fine  ')).toBe('fine');
    const cut = excerptOf('😀'.repeat(200));
    expect(Array.from(cut)).toHaveLength(140);
    expect(cut.endsWith('…')).toBe(true);
  });
});
