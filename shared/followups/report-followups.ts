// use case: the follow-up block of a survey's metrics report (admin: GET /v1/surveys/{id}/metrics).
//   1. the survey's tasks opened in the report's range (GSI bySurvey)
//   2. if any was resolved for a known customer: the survey's responses since the earliest such resolution, for the
//      customers' later NPS answers (at most MAX_LATER_RESPONSES read; the rest is left out of `returned`)
//   3. the metrics (pure: followup-metrics.ts), and their breakdown by root cause, by assignee and, over the report's
//      periods, the root causes (pure: followup-breakdown.ts)
import type { Clock } from '../clock.js';
import type { ResponseStore } from '../response/stored-response.js';
import { npsQuestionId } from '../survey/schema.js';
import type { SurveyStore } from '../survey/survey-store.js';
import { followUpBreakdown, type FollowUpBreakdown, type Period } from './followup-breakdown.js';
import { followUpMetrics, type FollowUpMetrics, type LaterAnswer } from './followup-metrics.js';
import type { TaskStore } from './task-store.js';

export const MAX_LATER_RESPONSES = 5_000;

export function makeReportFollowUps({ tasks, responses, surveys, clock }: { tasks: TaskStore; responses: ResponseStore; surveys: SurveyStore; clock: Clock }) {
  return async function reportFollowUps(surveyId: string, from: string, to: string, periods: readonly Period[] = []): Promise<FollowUpMetrics & FollowUpBreakdown> {
    // 1.
    const opened = await tasks.listOpenedBetween(surveyId, from, to);
    // 2.
    const resolvedAt = opened.filter((t) => t.status === 'resolved' && t.closedAt && t.response.customerRef).map((t) => t.closedAt!);
    const later: LaterAnswer[] = [];
    const npsQuestion = resolvedAt.length ? await surveys.get(surveyId).then((survey) => survey && npsQuestionId(survey)) : undefined;
    if (npsQuestion) {
      const customers = new Set(opened.map((t) => t.response.customerRef));
      let cursor: string | undefined;
      let read = 0;
      do {
        const page = await responses.listBySurvey({ surveyId, from: resolvedAt.sort()[0], limit: 200, cursor, now: clock.now() });
        read += page.items.length;
        for (const r of page.items) {
          const nps = r.answers[npsQuestion];
          if (r.customerRef && customers.has(r.customerRef) && nps !== undefined) later.push({ customerRef: r.customerRef, receivedAt: r.receivedAt, nps });
        }
        cursor = page.cursor ?? undefined;
      } while (cursor && read < MAX_LATER_RESPONSES);
    }
    // 3.
    const now = clock.now();
    return { ...followUpMetrics(opened, now, later), ...followUpBreakdown(opened, now, later, periods) };
  };
}
