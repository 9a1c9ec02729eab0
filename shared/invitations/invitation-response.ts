// domain: the queued response an invitation's answer becomes, the same for a submitted answer and a provisional one
// finalised by time, and the survey's rules it must meet first. Channel `email`, the invitation's campaign,
// touchpoint, journey stage, locale, customerRef and custom fields; the response id derived from the invitation;
// receivedAt fixed at the invitation's first answer, so every revision lands in the same hour bucket. Pure.
import { detailsFromZod, type ErrorDetail } from '../errors.js';
import { expiresAtFor } from '../privacy/retention.js';
import { commentText } from '../submission/comment-text.js';
import { submissionSchemaFor, type QueuedResponse } from '../submission/schema.js';
import type { Survey } from '../survey/schema.js';
import { responseIdOfInvitation, type Invitation } from './invitation.js';

/**
 * Why an invitation's answer does not meet its survey's rules, the same ones POST /v1/responses applies: each answer
 * on its question's scale, the required questions answered, at least one answer or a comment, the comment's length.
 * Not the survey's channels: a link already sent stays good after an admin removes `email`. None when it meets them. A provisional answer (scores only) is checked when it is
 * recorded and again when it is finalised, against the survey as it is then.
 */
export function answerRefusals(survey: Survey, answer: { answers: Record<string, number>; comment?: string }): ErrorDetail[] {
  // not the survey's channels: minting checked `email`, and a link already sent stays good until it expires, though an
  // admin removed `email` since (a customer could not fix that)
  const checked = submissionSchemaFor(survey, ['email']).safeParse({ surveyId: survey.id, channel: 'email', answers: answer.answers, ...(answer.comment ? { comment: answer.comment } : {}) });
  return checked.success ? [] : detailsFromZod(checked.error);
}

export function queuedResponseOfInvitation(
  invitation: Invitation & { answeredAt: string },
  survey: Survey,
  answer: { answers: Record<string, number>; comment?: string; revision: number },
): QueuedResponse {
  const receivedAt = new Date(invitation.answeredAt);
  return {
    id: responseIdOfInvitation(invitation),
    surveyId: invitation.surveyId,
    receivedAt: receivedAt.toISOString(),
    expiresAt: expiresAtFor(receivedAt, survey.retentionDays),
    channel: 'email',
    touchpoint: invitation.touchpoint ?? survey.defaultTouchpoint,
    journeyStage: (invitation.journeyStage ?? survey.defaultJourneyStage) as QueuedResponse['journeyStage'],
    locale: invitation.locale,
    customerRef: invitation.customerRef,
    answers: answer.answers,
    comment: commentText(answer.comment),
    metadata: invitation.fields,
    campaign: invitation.campaign,
    invitationId: invitation.invitationId,
    revision: answer.revision,
  };
}
