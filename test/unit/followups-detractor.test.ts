// unit: which responses are detractors (defaults and per-survey rules) and how their follow-up is prioritised.
import { describe, expect, it } from 'vitest';
import { detractorReasons, priorityOf } from '../../shared/followups/detractor.js';
import { surveySchema, type SurveyInput } from '../../shared/survey/schema.js';

const surveyInput: SurveyInput = {
  id: 'delivery',
  title: 'Delivery',
  texts: { en: { title: 'How did we do?', questions: {} } },
  questions: [
    { id: 'nps', type: 'nps' },
    { id: 'csat', type: 'csat' },
    { id: 'ces', type: 'ces' },
    { id: 'comment', type: 'text' },
  ],
  channels: ['web'],
};
const survey = (overrides: Partial<SurveyInput> = {}) => surveySchema.parse({ ...surveyInput, ...overrides });
const negative = (confidence: number) =>
  ({ status: 'scored', label: 'NEGATIVE', language: 'en', scores: { negative: confidence, positive: 0, neutral: 1 - confidence, mixed: 0 } }) as const;

describe('detractor rules', () => {
  it('by default flags NPS ≤ 6, CSAT ≤ 2 and CES ≤ 3, each with its reason', () => {
    // Act
    const reasons = detractorReasons(survey(), { answers: { nps: 6, csat: 2, ces: 3 }, sentiment: null });

    // Assess
    expect(reasons.map((r) => r.rule)).toEqual(['nps', 'csat', 'ces']);
    expect(detractorReasons(survey(), { answers: { nps: 7, csat: 3, ces: 4 }, sentiment: null })).toEqual([]);
  });

  it('flags a NEGATIVE comment from confidence 0.8, not below, and never a skipped question', () => {
    expect(detractorReasons(survey(), { answers: {}, comment: 'awful', sentiment: negative(0.8) })).toEqual([
      { rule: 'negative-comment', confidence: 0.8, atLeast: 0.8 },
    ]);
    expect(detractorReasons(survey(), { answers: {}, comment: 'meh', sentiment: negative(0.79) })).toEqual([]);
  });

  it('takes per-survey thresholds, switches rules off with null, and routes on keywords in any script and case', () => {
    // Prepare
    const custom = survey({ detractorRules: { npsAtMost: 4, csatAtMost: null, keywords: ['refund', '退款'] } });

    // Act / Assess
    expect(detractorReasons(custom, { answers: { nps: 5, csat: 1 }, sentiment: null })).toEqual([]);
    expect(detractorReasons(custom, { answers: { nps: 4 }, sentiment: null })).toEqual([{ rule: 'nps', question: 'nps', score: 4, atMost: 4 }]);
    expect(detractorReasons(custom, { answers: { nps: 10 }, comment: 'I want a REFUND now', sentiment: null })).toEqual([{ rule: 'keyword', keyword: 'refund' }]);
    expect(detractorReasons(custom, { answers: {}, comment: '我要退款', sentiment: null })).toEqual([{ rule: 'keyword', keyword: '退款' }]);
  });
});

describe('priority', () => {
  it('ranks a lower score, a negative comment and a repeat detractor higher', () => {
    // Prepare
    const nps = (score: number) => ({ rule: 'nps' as const, question: 'nps', score, atMost: 6 });

    // Act
    const mild = priorityOf([nps(6)], 0);
    const severe = priorityOf([nps(0)], 0);
    const repeat = priorityOf([nps(6)], 2);
    const angry = priorityOf([nps(0), { rule: 'negative-comment', confidence: 0.95, atLeast: 0.8 }], 1);

    // Assess
    expect(mild).toEqual({ level: 'normal', score: 6 });
    expect(severe.score).toBeGreaterThan(mild.score);
    expect(repeat.score).toBeGreaterThan(mild.score);
    expect(angry).toEqual({ level: 'urgent', score: 85 });
  });
});
