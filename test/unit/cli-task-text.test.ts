// unit: a follow-up task as the CLI prints it: its line, then who (customer), why (reasons in words), the scores by
// their labels in the lead's language, the comment with its sentiment, and where (channel, touchpoint, stage, campaign).
import { describe, expect, it } from 'vitest';
import { taskText, type TaskForText } from '../../cli/task-text.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { surveySchema } from '../../shared/survey/schema.js';

const demo = surveySchema.parse(demoSurvey([]));
/** a task as GET /v1/followups lists it, from an email-link response */
const fromEmailLink: TaskForText = {
  id: 't_0a1b2c',
  status: 'open',
  surveyId: 'demo',
  priority: { level: 'urgent' },
  dueAt: '2026-11-24T10:00:00.000Z',
  overdue: false,
  reasons: [
    { rule: 'nps', question: 'nps', score: 2, atMost: 6 },
    { rule: 'keyword', keyword: 'refund' },
  ],
  response: {
    answers: { csat: 1, nps: 2 },
    comment: 'I want a refund',
    sentiment: { status: 'unscored', language: 'zh', reason: 'unsupported-language' } as { status: string },
    channel: 'email',
    touchpoint: 'delivery',
    journeyStage: 'after-sale',
    campaign: 'spring-2026',
    customerRef: 'crm-4711',
  },
};

describe('a follow-up task in the CLI', () => {
  it('prints its line, then the customer, the reasons in words, labelled scores, the comment and where it came from', () => {
    // Act
    const text = taskText(structuredClone(fromEmailLink), demo, 'en');

    // Assess
    expect(text.split('\n')).toEqual([
      't_0a1b2c  open       urgent  demo  due 2026-11-24T10:00:00.000Z  -',
      '    customer crm-4711',
      '    why      NPS 2 (≤ 6), keyword “refund”',
      '    scores   How likely are you to recommend us to a friend? 2/10 · How satisfied are you with your purchase? 1/5',
      '    comment  "I want a refund" · not scored (zh)',
      '    where    email · touchpoint delivery · stage after-sale · campaign spring-2026',
    ]);
  });

  it('labels scores in the lead\'s language, and shows ids when the survey could not be read', () => {
    expect(taskText(structuredClone(fromEmailLink), demo, 'zh-CN')).toContain('    scores   您向朋友推荐我们的可能性有多大？ 2/10 · 您对这次购买满意吗？ 1/5');
    expect(taskText(structuredClone(fromEmailLink), undefined, 'en')).toContain('    scores   csat 1 · nps 2');
  });

  it('reads a task opened before campaigns were kept, an anonymous one with no comment, and escapes control characters', () => {
    // Prepare
    const { campaign: _campaign, customerRef: _ref, comment: _comment, sentiment: _sentiment, ...response } = fromEmailLink.response;
    const older: TaskForText = { ...structuredClone(fromEmailLink), response: { ...response, touchpoint: 'deliv\u001b[2Jery' } };
    const scored: TaskForText = { ...structuredClone(fromEmailLink), response: { ...fromEmailLink.response, comment: 'late\nagain\u009b', sentiment: { status: 'scored', label: 'NEGATIVE', language: 'en', scores: { positive: 0, negative: 0.91, neutral: 0.09, mixed: 0 } } as { status: string } } };

    // Act
    const lines = taskText(older, demo, 'en').split('\n');

    // Assess
    expect(lines[1]).toBe('    customer anonymous (no customerRef)');
    expect(lines[4]).toBe('    comment  (no comment)');
    expect(lines[5]).toBe('    where    email · touchpoint deliv\\u001b[2Jery · stage after-sale');
    expect(taskText(scored, demo, 'en')).toContain('    comment  "late\\nagain\\u009b" · negative (0.91)');
  });

  it('says how a closed task was closed: root cause, the action taken, and a reason that says more', () => {
    // Prepare
    const resolved: TaskForText = { ...structuredClone(fromEmailLink), status: 'resolved', resolution: { reason: 'Refunded the fee', rootCause: 'billing', action: 'Refunded the fee' } };
    const declined: TaskForText = { ...structuredClone(fromEmailLink), status: 'no_action', resolution: { reason: 'customer declined a call' } };

    // Act
    const [resolvedLast, declinedLast] = [taskText(resolved, demo, 'en').split('\n').at(-1), taskText(declined, demo, 'en').split('\n').at(-1)];

    // Assess
    expect(resolvedLast).toBe('    closed   root cause billing · action "Refunded the fee"');
    expect(declinedLast).toBe('    closed   reason "customer declined a call"');
    expect(taskText(fromEmailLink, demo, 'en')).not.toContain('closed');
  });
});
