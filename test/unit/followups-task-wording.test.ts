// unit: how a follow-up task reads to a person in the console and the CLI: its reasons in words, each score by its
// question's label in the reader's language (falling back to the survey's default language, then to the question id),
// and what became of its comment's sentiment.
import { describe, expect, it } from 'vitest';
import type { DetractorReason } from '../../shared/followups/detractor.js';
import { fillWords, labelledScores, questionLabel, reasonWording, sentimentWording, TASK_WORDS_EN, type SurveyWords } from '../../shared/followups/task-wording.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { surveySchema } from '../../shared/survey/schema.js';

const demo: SurveyWords = surveySchema.parse(demoSurvey([]));
const english = ({ key, vars }: { key: keyof typeof TASK_WORDS_EN; vars: Record<string, string | number> }) => fillWords(TASK_WORDS_EN[key], vars);

describe('the reasons a task was opened', () => {
  it('read as the rule, the value and its threshold', () => {
    // Prepare: one reason of each rule, as detractorReasons gives them
    const reasons: DetractorReason[] = [
      { rule: 'nps', question: 'nps', score: 2, atMost: 6 },
      { rule: 'csat', question: 'csat', score: 1, atMost: 2 },
      { rule: 'ces', question: 'ces', score: 3, atMost: 3 },
      { rule: 'negative-comment', confidence: 0.95, atLeast: 0.8 },
      { rule: 'keyword', keyword: 'refund' },
    ];

    // Act
    const words = reasons.map((r) => english(reasonWording(r)));

    // Assess
    expect(words).toEqual(['NPS 2 (≤ 6)', 'CSAT 1 (≤ 2)', 'CES 3 (≤ 3)', 'negative comment (0.95 ≥ 0.80)', 'keyword “refund”']);
  });

  it('name a rule this version does not know, rather than nothing', () => {
    expect(english(reasonWording({ rule: 'churn-risk' }))).toBe('churn-risk');
  });
});

describe('a task\'s scores', () => {
  it('are labelled in the lead\'s language, in the survey\'s question order, with the top of each scale', () => {
    // Act
    const zh = labelledScores({ product: 1, nps: 0, csat: 1 }, demo, 'zh-CN');
    const en = labelledScores({ nps: 0 }, demo, 'en');

    // Assess
    expect(zh).toEqual([
      { question: 'nps', label: '您向朋友推荐我们的可能性有多大？', score: 0, max: 10 },
      { question: 'csat', label: '您对这次购买满意吗？', score: 1, max: 5 },
      { question: 'product', label: '产品质量', score: 1, max: 5 },
    ]);
    expect(en).toEqual([{ question: 'nps', label: 'How likely are you to recommend us to a friend?', score: 0, max: 10 }]);
  });

  it('match a language to a locale with the same language, fall back to the survey\'s default language, then to the question id', () => {
    // Prepare: texts in "zh" (no region) and English by default; one question with no label in Chinese
    const survey: SurveyWords = {
      defaultLocale: 'en-GB',
      questions: [{ id: 'nps', type: 'nps' }, { id: 'speed', type: 'rating', max: 10 }, { id: 'constructor', type: 'csat' }],
      texts: {
        'en-GB': { questions: { nps: { label: 'Would you recommend us?' }, speed: { label: 'Delivery speed' } } },
        zh: { questions: { nps: { label: '您会推荐我们吗？' } } },
      },
    };

    // Act + Assess
    expect(questionLabel(survey, 'nps', 'zh-CN')).toBe('您会推荐我们吗？');
    expect(questionLabel(survey, 'speed', 'zh-CN')).toBe('Delivery speed');
    expect(questionLabel(survey, 'nps', 'en')).toBe('Would you recommend us?');
    expect(questionLabel(survey, 'nps', 'fr')).toBe('Would you recommend us?');
    expect(questionLabel(survey, 'constructor', 'en')).toBe('constructor');
    expect(questionLabel(undefined, 'nps', 'en')).toBe('nps');
    expect(labelledScores({ gone: 2, speed: 7 }, survey, 'en')).toEqual([
      { question: 'speed', label: 'Delivery speed', score: 7, max: 10 },
      { question: 'gone', label: 'gone', score: 2 },
    ]);
  });
});

describe('the sentiment of a task\'s comment', () => {
  it('says "not scored (zh)" for a language the scorer does not cover, and when the language was not recognised', () => {
    expect(english(sentimentWording({ status: 'unscored', language: 'zh', reason: 'unsupported-language' })!)).toBe('not scored (zh)');
    expect(english(sentimentWording({ status: 'unscored', language: 'und', reason: 'undetermined-language' })!)).toBe('not scored (language not recognised)');
  });

  it('gives a scored comment\'s label with its confidence, a pending one as waiting, and nothing without a comment', () => {
    const scored = sentimentWording({ status: 'scored', label: 'NEGATIVE', language: 'en', scores: { positive: 0.01, negative: 0.953, neutral: 0.037, mixed: 0 } });
    expect(scored).toEqual({ key: 'sentimentScored', vars: { label: 'NEGATIVE', confidence: '0.95' } });
    expect(english(sentimentWording({ status: 'pending' })!)).toBe('waiting to be scored');
    expect(sentimentWording(null)).toBeNull();
  });
});
