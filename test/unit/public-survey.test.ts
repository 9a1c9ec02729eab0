// unit: the respondent's view of a survey (GET /v1/surveys/{id}/public): an allowlist of fields, fingerprinted.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/errors.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { etagOf, makeGetPublicSurvey, publicSurveyOf } from '../../shared/survey/public-survey.js';
import { surveySchema, type Survey } from '../../shared/survey/schema.js';
import type { SurveyStore } from '../../shared/survey/survey-store.js';

const survey = (): Survey =>
  surveySchema.parse({
    ...demoSurvey(['https://shop.example.com']),
    detractorRules: { npsAtMost: 5, keywords: ['refund'] },
    retentionDays: 90,
  });

const storeOf = (...surveys: Survey[]): SurveyStore & { reads: string[] } => {
  const reads: string[] = [];
  return {
    reads,
    get: async (id) => {
      reads.push(id);
      return surveys.find((s) => s.id === id);
    },
    put: async () => undefined,
  };
};

describe('the public view of a survey', () => {
  it('holds the id, default locale, questions with their scales, and every locale\'s texts', () => {
    // Act
    const view = publicSurveyOf(survey());

    // Assess
    expect(Object.keys(view).sort()).toEqual(['defaultLocale', 'id', 'questions', 'texts']);
    expect(view.id).toBe('demo');
    expect(view.defaultLocale).toBe('en');
    expect(view.questions).toEqual([
      { id: 'nps', type: 'nps', required: true },
      { id: 'csat', type: 'csat', required: false },
      { id: 'ces', type: 'ces', required: false },
      { id: 'product', type: 'rating', required: false, dimension: 'product-quality', max: 5 },
      { id: 'service', type: 'rating', required: false, dimension: 'service-quality', max: 5 },
      { id: 'price', type: 'rating', required: false, dimension: 'price', max: 5 },
      { id: 'comment', type: 'text', shown: true },
    ]);
    expect(Object.keys(view.texts)).toEqual(['en', 'zh-CN']);
    expect(view.texts.en?.questions.nps).toEqual({ label: 'How likely are you to recommend us to a friend?', minLabel: 'Not likely', maxLabel: 'Very likely' });
  });

  it('leaves out origins, detractor rules, weights, retention, channels and the internal title', () => {
    // Act
    const serialised = JSON.stringify(publicSurveyOf(survey()));

    // Assess
    for (const secret of ['allowedOrigins', 'shop.example.com', 'detractorRules', 'refund', 'weight', 'retentionDays', 'channels', 'Demo shop: how did we do?', 'defaultTouchpoint']) {
      expect(serialised).not.toContain(secret);
    }
  });

  it('keeps out a field the stored definition carries but the view does not name', () => {
    // Prepare: a definition from a later version with a new private field on a question and on the texts
    const future = survey() as Survey & { internalNotes: string };
    future.internalNotes = 'vip list';
    (future.questions[0] as Record<string, unknown>).routing = 'team-a';
    (future.texts.en as Record<string, unknown>).reviewer = 'alice';

    // Act
    const serialised = JSON.stringify(publicSurveyOf(future));

    // Assess
    expect(serialised).not.toMatch(/vip list|team-a|alice/);
  });
});

describe('getPublicSurvey', () => {
  it('answers the view with a strong ETag that changes when the survey does', async () => {
    // Prepare
    const original = survey();
    const edited = { ...original, texts: { ...original.texts, en: { ...original.texts.en!, title: 'How was it?' } } };

    // Act
    const first = await makeGetPublicSurvey({ surveys: storeOf(original) })('demo');
    const again = await makeGetPublicSurvey({ surveys: storeOf(original) })('demo');
    const changed = await makeGetPublicSurvey({ surveys: storeOf(edited) })('demo');

    // Assess
    expect(JSON.parse(first.body)).toEqual(publicSurveyOf(original));
    expect(first.etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(first.etag).toBe(etagOf(first.body));
    expect(again.etag).toBe(first.etag);
    expect(changed.etag).not.toBe(first.etag);
  });

  it('is 404 for an unknown survey, and for an id no survey can have without reading the store', async () => {
    // Prepare
    const store = storeOf(survey());
    const get = makeGetPublicSurvey({ surveys: store });

    // Act
    const unknown = await get('nope').catch((error: unknown) => error);
    const malformed = await get('../../etc/passwd').catch((error: unknown) => error);

    // Assess
    expect(unknown).toBeInstanceOf(ApiError);
    expect(unknown).toMatchObject({ status: 404, message: 'survey not found' });
    expect(malformed).toMatchObject({ status: 404, message: 'survey not found' });
    expect(store.reads).toEqual(['nope']);
  });
});
