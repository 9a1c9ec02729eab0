// use case: a survey's alerts, newest first (admin: GET /v1/surveys/{id}/alerts).
//   1. check the query parameters (400 naming the parameter)
//   2. the survey must exist (404)
//   3. read up to `limit` alerts, newest first, with their delivery state
import * as z from '../validation.js';
import { detailsFromZod, invalidRequest, notFound } from '../errors.js';
import { queryInteger } from '../query-values.js';
import type { SurveyStore } from '../survey/survey-store.js';
import type { Alert } from './alert.js';
import type { AlertStore } from './alert-store.js';

export const alertListQuerySchema = z.strictObject({
  limit: z._default(queryInteger({ min: 1, max: 200 }), 50),
});

export function makeListAlerts({ surveys, alerts }: { surveys: SurveyStore; alerts: AlertStore }) {
  return async function listAlerts(surveyId: string, rawQuery: Record<string, string | undefined>): Promise<{ items: Alert[] }> {
    const query = alertListQuerySchema.safeParse(rawQuery);
    if (!query.success) throw invalidRequest(detailsFromZod(query.error));
    if (!(await surveys.get(surveyId))) throw notFound('survey');
    return { items: await alerts.listBySurvey(surveyId, query.data.limit) };
  };
}
