// domain: the queued response an invitation's answer becomes, the same for a submitted answer and a provisional one
// finalised by time. Channel `email`, the invitation's campaign, touchpoint, journey stage, locale, customerRef and
// custom fields; the response id derived from the invitation; receivedAt fixed at the invitation's first answer, so
// every revision lands in the same hour bucket. Pure.
import { expiresAtFor } from '../privacy/retention.js';
import type { QueuedResponse } from '../submission/schema.js';
import type { Survey } from '../survey/schema.js';
import { responseIdOfInvitation, type Invitation } from './invitation.js';

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
    comment: answer.comment?.trim() || undefined,
    metadata: invitation.fields,
    campaign: invitation.campaign,
    invitationId: invitation.invitationId,
    revision: answer.revision,
  };
}
