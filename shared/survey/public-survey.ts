// domain: the part of a survey a respondent's browser may see, served by GET /v1/surveys/{id}/public (ingest) and
// rendered by the web widget. Built by picking fields (an allowlist), never by omitting them, so a field added to
// the survey later stays private until someone decides otherwise: no origins, detractor rules, weights, retention,
// channels or internal title.
//   1. find the survey (404 if none, or if the id cannot name one)
//   2. pick what the widget renders: locale texts and each question's id, type, required flag and scale
//   3. fingerprint it (ETag), so a browser or CDN revalidates for the price of a 304
import { createHash } from 'node:crypto';
import { notFound } from '../errors.js';
import { surveyIdSchema, type Survey } from './schema.js';
import type { SurveyStore } from './survey-store.js';

export type PublicQuestion =
  | { id: string; type: 'nps' | 'csat' | 'ces'; required: boolean }
  | { id: string; type: 'rating'; required: boolean; dimension: string; max: 5 | 10 }
  | { id: string; type: 'text'; shown: boolean };

export interface PublicQuestionTexts {
  label: string;
  placeholder?: string;
  minLabel?: string;
  maxLabel?: string;
}

export interface PublicLocaleTexts {
  title: string;
  thankYou?: string;
  questions: Record<string, PublicQuestionTexts>;
}

export interface PublicSurvey {
  id: string;
  defaultLocale: string;
  questions: PublicQuestion[];
  texts: Record<string, PublicLocaleTexts>;
}

function publicQuestionOf(question: Survey['questions'][number]): PublicQuestion {
  switch (question.type) {
    case 'text':
      return { id: question.id, type: 'text', shown: question.shown };
    case 'rating':
      return { id: question.id, type: 'rating', required: question.required, dimension: question.dimension, max: question.max };
    default:
      return { id: question.id, type: question.type, required: question.required };
  }
}

const pickDefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/** the respondent's view of a survey */
export function publicSurveyOf(survey: Survey): PublicSurvey {
  const texts: Record<string, PublicLocaleTexts> = {};
  for (const [locale, localeTexts] of Object.entries(survey.texts)) {
    const questions: Record<string, PublicQuestionTexts> = {};
    for (const [id, q] of Object.entries(localeTexts.questions)) {
      questions[id] = pickDefined({ label: q.label, placeholder: q.placeholder, minLabel: q.minLabel, maxLabel: q.maxLabel });
    }
    texts[locale] = pickDefined({ title: localeTexts.title, thankYou: localeTexts.thankYou, questions });
  }
  return { id: survey.id, defaultLocale: survey.defaultLocale, questions: survey.questions.map(publicQuestionOf), texts };
}

/** a strong ETag of the serialised body */
export const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;

export function makeGetPublicSurvey({ surveys }: { surveys: SurveyStore }) {
  return async function getPublicSurvey(surveyId: string): Promise<{ body: string; etag: string }> {
    // an id the schema refuses cannot name a survey: answer as for any unknown one, without a read
    const survey = surveyIdSchema.safeParse(surveyId).success ? await surveys.get(surveyId) : undefined;
    if (!survey) throw notFound('survey');
    const body = JSON.stringify(publicSurveyOf(survey));
    return { body, etag: etagOf(body) };
  };
}
