// unit: a task's customer history as `followups history` prints it: the NPS trend, the counts, each other response by
// its labels with its comment and its task's outcome, the tasks, and a note when entries are left out.
import { describe, expect, it } from 'vitest';
import { historyText } from '../../cli/history-text.js';
import type { CustomerHistory } from '../../shared/followups/customer-history.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { surveySchema } from '../../shared/survey/schema.js';

const demo = surveySchema.parse(demoSurvey([]));
/** as GET /v1/followups/{id} returns it */
const history: CustomerHistory = {
  customerRef: 'crm-4711',
  responses: [
    { responseId: 'r2', surveyId: 'other', receivedAt: '2026-11-15T09:00:00.000Z', answers: { recommend: 9 }, channel: 'web', touchpoint: 'courier' },
    { responseId: 'r1', surveyId: 'demo', receivedAt: '2026-10-01T09:00:00.000Z', answers: { nps: 4 }, commentExcerpt: 'late\u001b[31m', sentiment: 'NEGATIVE', channel: 'email', taskId: 't_1' },
  ],
  tasks: [
    {
      id: 't_1',
      surveyId: 'demo',
      responseId: 'r1',
      createdAt: '2026-10-01T09:01:00.000Z',
      status: 'resolved',
      priority: 'high',
      resolution: { reason: 'refunded', rootCause: 'delivery' },
      closedAt: '2026-10-02T09:00:00.000Z',
      resurveyAnswer: 4,
    },
  ],
  npsTrend: [
    { at: '2026-10-01T09:00:00.000Z', nps: 4, surveyId: 'demo' },
    { at: '2026-11-15T09:00:00.000Z', nps: 9, surveyId: 'other' },
    { at: '2026-12-01T09:00:00.000Z', nps: 2, surveyId: 'demo', current: true },
  ],
  summary: { responses: 2, tasks: 1, firstNps: 4, latestNps: 2 },
  truncated: true,
};

describe('a customer history in the CLI', () => {
  it('prints the trend, the counts, each response by its labels with its task\'s outcome, and the tasks', () => {
    // Act
    const text = historyText(structuredClone(history), new Map([['demo', demo]]), 'en');

    // Assess: a survey whose words are unknown shows question ids; control characters are escaped
    expect(text.split('\n')).toEqual([
      'customer crm-4711 · NPS 4 → 9 → 2 (this task)',
      '2 other responses, 1 other task',
      '  responses',
      '    2026-11-15 09:00  other  recommend 9  touchpoint courier',
      '    2026-10-01 09:00  demo  How likely are you to recommend us to a friend? 4/10  "late\\u001b[31m"  resolved: refunded (root cause delivery) · re-survey 4/5',
      '  tasks',
      '    t_1  2026-10-01 09:01  demo  high  resolved: refunded (root cause delivery) · re-survey 4/5',
      '  (only the latest are shown)',
    ]);
  });

  it('says when the response is anonymous', () => {
    expect(historyText(null, new Map(), 'en')).toBe('no customer history (the response is anonymous)');
  });
});
