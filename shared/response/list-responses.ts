// use case: read stored responses back, newest first, a page at a time (admin).
//   1. check the query parameters (400 naming the parameter)
//   2. the survey must exist (404)
//   3. read one page from the store; expired responses are left out
import * as z from 'zod';
import type { Clock } from '../clock.js';
import { detailsFromZod, invalidRequest, notFound } from '../errors.js';
import type { SurveyStore } from '../survey/survey-store.js';
import type { ResponsePage, ResponseStore } from './stored-response.js';

export const responseListQuerySchema = z
  .strictObject({
    from: z.iso.datetime({ offset: true, message: 'an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z' }).optional(),
    to: z.iso.datetime({ offset: true, message: 'an ISO 8601 date-time, e.g. 2026-11-30T23:59:59Z' }).optional(),
    limit: z.coerce.number().int('an integer').min(1, 'at least 1').max(200, 'at most 200').default(50),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { message: 'must not be after "to"', path: ['from'] });

/** ISO times compare as strings only in one form: UTC with milliseconds, as responses are stamped */
const normaliseTime = (value: string | undefined) => (value ? new Date(value).toISOString() : undefined);

export function makeListResponses({ surveys, responses, clock }: { surveys: SurveyStore; responses: ResponseStore; clock: Clock }) {
  return async function listResponses(surveyId: string, rawQuery: Record<string, string | undefined>): Promise<ResponsePage> {
    const query = responseListQuerySchema.safeParse(rawQuery);
    if (!query.success) throw invalidRequest(detailsFromZod(query.error));
    if (!(await surveys.get(surveyId))) throw notFound('survey');
    const { from, to, limit, cursor } = query.data;
    return responses.listBySurvey({ surveyId, from: normaliseTime(from), to: normaliseTime(to), limit, cursor, now: clock.now() });
  };
}
