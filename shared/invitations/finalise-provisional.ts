// use case: provisional email answers become final responses once they have stood long enough with no submit (every
// minute, scheduled). For each provisional answer older than the delay (a sparse index holds only those):
//   1. drop it (counted, not final) if the invitation no longer takes answers (answersCloseAt: it would be stored and
//      never counted, or stored already expired), or if it no longer meets the survey's rules (answerRefusals: the
//      survey changed since it was recorded, e.g. a question became required); it was never acknowledged as final
//   2. enqueue its response, revision = the instant it was given (a later submit, newer, always wins in the store)
//   3. mark the invitation final with the answer's scores (shown when the link is opened again), only if its
//      provisional answer is still the one read
// A crash between 2 and 3 re-enqueues the same revision next run: the store's revision check makes it a no-op.
import type { Clock } from '../clock.js';
import type { WorkQueue } from '../queue/work-queue.js';
import type { QueuedResponse } from '../submission/schema.js';
import type { SurveyStore } from '../survey/survey-store.js';
import { answersClosed } from './invitation.js';
import { answerRefusals, queuedResponseOfInvitation } from './invitation-response.js';
import type { InvitationStore } from './invitation-store.js';

export interface FinaliseResult {
  finalised: number;
  /** changed or submitted meanwhile: left to what happened instead */
  skipped: number;
  /** dropped: the invitation no longer takes answers (step 1) */
  late: number;
  /** dropped: the answer no longer meets the survey's rules (step 1) */
  invalid: number;
}

export function makeFinaliseProvisional({
  invitations,
  surveys,
  queue,
  clock,
  delayMinutes,
  batchSize = 200,
}: {
  invitations: InvitationStore;
  surveys: SurveyStore;
  queue: WorkQueue<QueuedResponse>;
  clock: Clock;
  delayMinutes: number;
  batchSize?: number;
}) {
  return async function finaliseProvisional(): Promise<FinaliseResult> {
    const now = clock.now();
    const before = new Date(now.getTime() - delayMinutes * 60_000).toISOString();
    const due = await invitations.listDueProvisional(before, batchSize);
    const result: FinaliseResult = { finalised: 0, skipped: 0, late: 0, invalid: 0 };
    for (const invitation of due) {
      const provisional = invitation.provisional;
      const survey = await surveys.get(invitation.surveyId);
      if (!provisional || !survey) {
        result.skipped += 1;
        continue;
      }
      const answeredAt = invitation.answeredAt ?? provisional.at;
      // 1.
      const late = answersClosed({ answeredAt, answeredRetentionDays: invitation.answeredRetentionDays }, survey.retentionDays, now);
      if (late || answerRefusals(survey, { answers: provisional.answers }).length > 0) {
        if (!(await invitations.dropProvisional(invitation.invitationId, provisional.at))) result.skipped += 1;
        else if (late) result.late += 1;
        else result.invalid += 1;
        continue;
      }
      const revision = Date.parse(provisional.at);
      // 2.
      await queue.send(queuedResponseOfInvitation({ ...invitation, answeredAt }, survey, { answers: provisional.answers, revision }));
      // 3.
      if (await invitations.markFinal(invitation.invitationId, { at: now.toISOString(), via: 'timeout', revision, answers: provisional.answers }, provisional.at)) result.finalised += 1;
      else result.skipped += 1;
    }
    return result;
  };
}
