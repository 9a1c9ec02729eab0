// test support: the smallest valid survey with the given questions, and a stored response with defaults.
import type { StoredResponse } from '../../shared/response/stored-response.js';
import { surveySchema, type Survey, type SurveyInput } from '../../shared/survey/schema.js';

export function surveyWith(questions: SurveyInput['questions'], overrides: Partial<SurveyInput> = {}): Survey {
  const id = overrides.id ?? 'shop';
  return surveySchema.parse({ id, title: id, channels: ['web', 'email', 'api'], questions, texts: { en: { title: id, questions: {} } }, ...overrides });
}

export function storedResponse(fields: Partial<StoredResponse> & Pick<StoredResponse, 'id'>): StoredResponse {
  return {
    surveyId: 'shop',
    receivedAt: '2025-03-01T10:00:00.000Z',
    expiresAt: 1_900_000_000,
    storedAt: '2025-03-01T10:00:01.000Z',
    channel: 'web',
    answers: {},
    sentiment: null,
    ...fields,
  };
}
