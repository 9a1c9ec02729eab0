// test support: the smallest valid survey with the given questions, a stored response with defaults, and an answered
// email invitation of survey `mail`.
import type { Invitation } from '../../shared/invitations/invitation.js';
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

/** an invitation of survey `mail`, campaign `nov`, first answered 2026-11-02 09:59:59 */
export const answeredInvitation = (id: string): Invitation & { answeredAt: string } => ({
  invitationId: id,
  surveyId: 'mail',
  campaign: 'nov',
  customerRef: `c-${id}`,
  createdAt: '2026-11-02T08:00:00.000Z',
  expiresAt: 1_900_000_000,
  retainUntil: 1_930_000_000,
  answeredAt: '2026-11-02T09:59:59.000Z',
});
