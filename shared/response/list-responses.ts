// use case: read stored responses back, newest first, a page at a time (admin, or a CX lead granted the survey),
// optionally filtered (the CX console's Responses view and its CSV export).
//   1. check the query parameters (400 naming every bad parameter, including those that depend on the survey)
//   2. the survey must exist (404)
//   3. read one page from the store over the bySurvey index; expired responses are left out; with filters, each item
//      read is matched here (responseMatches) and a page reads at most `maxScannedPerPage` items, so a rare match
//      costs several short pages rather than one unbounded read: a page may then hold fewer than `limit` items (even
//      none) with a cursor to go on from
//
// Filters (all optional, combined with AND):
//   question + min/max  the answer to that scored question is within [min, max] (e.g. question=nps&min=0&max=6);
//                       a response that skipped the question does not match
//   sentiment           POSITIVE | NEGATIVE | NEUTRAL | MIXED: the comment's scored label
//   channel, touchpoint exact values
//   q                   case-insensitive text in the comment
import * as z from '../validation.js';
import type { Clock } from '../clock.js';
import { MAX_ANSWER_BODY_BYTES } from '../answer-size.js';
import { detailsFromZod, invalidRequest, notFound, type ErrorDetail } from '../errors.js';
import { queryDateTime, queryInteger } from '../query-values.js';
import { answerRange, CHANNELS, scoredQuestions, type Survey } from '../survey/schema.js';
import type { SurveyStore } from '../survey/survey-store.js';
import type { ResponsePage, ResponseStore, StoredResponse } from './stored-response.js';

/** with filters, the items a page reads at most (the store's Query calls stop there and hand back a cursor) */
export const MAX_SCANNED_PER_PAGE = 1000;

export const SENTIMENT_FILTERS = ['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED'] as const;

const score = queryInteger({ min: 0, max: 10 });

export const responseFilterSchema = z.strictObject({
  question: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  min: z.optional(score),
  max: z.optional(score),
  sentiment: z.optional(z.enum(SENTIMENT_FILTERS, `one of ${SENTIMENT_FILTERS.join(', ')}`)),
  channel: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  touchpoint: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  q: z.optional(z.string().check(z.trim(), z.minLength(1, 'at least 1 character'), z.maxLength(200, 'at most 200 characters'))),
});

const pagingShape = {
  from: z.optional(queryDateTime('2026-11-01T00:00:00Z')),
  to: z.optional(queryDateTime('2026-11-30T23:59:59Z')),
  limit: z._default(queryInteger({ min: 1, max: 200 }), 50),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
};

const fromNotAfterTo = z.refine<{ from?: string | undefined; to?: string | undefined }>((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
  message: 'must not be after "to"',
  path: ['from'],
});

export const responseListQuerySchema = z.strictObject({ ...pagingShape, ...responseFilterSchema.shape }).check(fromNotAfterTo);

/** the CSV export: the same parameters, with up to MAX_EXPORT_ROWS rows (the default) */
export const MAX_EXPORT_ROWS = 5000;
export const responseExportQuerySchema = z
  .strictObject({
    ...pagingShape,
    limit: z._default(queryInteger({ min: 1, max: MAX_EXPORT_ROWS }), MAX_EXPORT_ROWS),
    ...responseFilterSchema.shape,
  })
  .check(fromNotAfterTo);

export type ResponseFilter = z.infer<typeof responseFilterSchema>;
export type ResponseListQuery = z.infer<typeof responseListQuerySchema>;

/** the filter's checks that need the survey (a scored question of it, a range within its scale), and a known channel */
export function filterProblems(filter: ResponseFilter, survey: Survey): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const hasRange = filter.min !== undefined || filter.max !== undefined;
  if (hasRange && !filter.question) problems.push({ path: 'question', reason: 'required with min or max (e.g. question=nps&min=0&max=6)' });
  if (filter.question) {
    const question = scoredQuestions(survey).find((q) => q.id === filter.question);
    if (!question) {
      const ids = scoredQuestions(survey).map((q) => q.id);
      problems.push({ path: 'question', reason: `not a scored question of this survey (one of ${ids.join(', ')})` });
    } else {
      const range = answerRange(question);
      if (filter.min !== undefined && (filter.min < range.min || filter.min > range.max)) problems.push({ path: 'min', reason: `within ${range.min}–${range.max} for "${question.id}"` });
      if (filter.max !== undefined && (filter.max < range.min || filter.max > range.max)) problems.push({ path: 'max', reason: `within ${range.min}–${range.max} for "${question.id}"` });
    }
  }
  if (filter.min !== undefined && filter.max !== undefined && filter.min > filter.max) problems.push({ path: 'min', reason: 'must not be above "max"' });
  // any channel, not only the survey's own: a channel dropped from the survey still has the responses it took
  if (filter.channel && !(CHANNELS as readonly string[]).includes(filter.channel)) problems.push({ path: 'channel', reason: `one of ${CHANNELS.join(', ')}` });
  return problems;
}

export const hasFilter = (filter: ResponseFilter) => Object.values(filter).some((value) => value !== undefined);

/** whether a stored response passes every filter given (pure) */
export function responseMatches(response: StoredResponse, filter: ResponseFilter): boolean {
  if (filter.question) {
    // own answers only: a question id such as `constructor` is not Object.prototype's function
    const answer = Object.hasOwn(response.answers, filter.question) ? response.answers[filter.question] : undefined;
    if (answer === undefined) return false;
    if (filter.min !== undefined && answer < filter.min) return false;
    if (filter.max !== undefined && answer > filter.max) return false;
  }
  if (filter.sentiment && !(response.sentiment?.status === 'scored' && response.sentiment.label === filter.sentiment)) return false;
  if (filter.channel && response.channel !== filter.channel) return false;
  if (filter.touchpoint && response.touchpoint !== filter.touchpoint) return false;
  if (filter.q && !(response.comment ?? '').toLowerCase().includes(filter.q.toLowerCase())) return false;
  return true;
}

/** ISO times compare as strings only in one form: UTC with milliseconds, as responses are stamped */
const normaliseTime = (value: string | undefined) => (value ? new Date(value).toISOString() : undefined);

const pick = (query: ResponseListQuery): ResponseFilter => {
  const { question, min, max, sentiment, channel, touchpoint, q } = query;
  return Object.fromEntries(Object.entries({ question, min, max, sentiment, channel, touchpoint, q }).filter(([, v]) => v !== undefined));
};

export interface ListResponsesDeps {
  surveys: SurveyStore;
  responses: ResponseStore;
  clock: Clock;
  /** with filters, the items one page reads at most (tests lower it) */
  maxScannedPerPage?: number;
}

/** the filter parameters that are valid on their own, each parsed alone (so survey checks run beside other errors) */
function validFilterParts(rawQuery: Record<string, string | undefined>): ResponseFilter {
  const parts: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(responseFilterSchema.shape)) {
    const parsed = schema.safeParse(rawQuery[key]);
    if (parsed.success && parsed.data !== undefined) parts[key] = parsed.data;
  }
  return parts as ResponseFilter;
}

/** steps 1 and 2: the checked query and its survey; a 400 names every bad parameter at once */
export async function checkedResponseQuery(surveys: SurveyStore, surveyId: string, rawQuery: Record<string, string | undefined>, schema: z.ZodMiniType<ResponseListQuery> = responseListQuerySchema) {
  const query = schema.safeParse(rawQuery);
  const survey = await surveys.get(surveyId);
  const problems = query.success ? [] : detailsFromZod(query.error);
  if (survey) {
    const reported = new Set(problems.map((p) => p.path));
    problems.push(...filterProblems(query.success ? pick(query.data) : validFilterParts(rawQuery), survey).filter((p) => !reported.has(p.path)));
  }
  if (problems.length || !query.success) throw invalidRequest(problems);
  if (!survey) throw notFound('survey');
  return { query: query.data, filter: pick(query.data), survey };
}

export function makeListResponses({ surveys, responses, clock, maxScannedPerPage = MAX_SCANNED_PER_PAGE }: ListResponsesDeps) {
  async function readPage(surveyId: string, query: ResponseListQuery, filter: ResponseFilter, limit: number, maxAnswerBytes?: number): Promise<ResponsePage> {
    const { from, to, cursor } = query;
    const filtered = hasFilter(filter);
    return responses.listBySurvey({
      surveyId,
      from: normaliseTime(from),
      to: normaliseTime(to),
      limit,
      cursor,
      now: clock.now(),
      maxAnswerBytes,
      ...(filtered ? { where: (response: StoredResponse) => responseMatches(response, filter), maxScanned: maxScannedPerPage } : {}),
    });
  }

  async function listResponses(surveyId: string, rawQuery: Record<string, string | undefined>): Promise<ResponsePage> {
    const { query, filter } = await checkedResponseQuery(surveys, surveyId, rawQuery);
    // the page's items within a Lambda answer, with room left for its cursor and envelope (the CSV export sizes its own)
    return readPage(surveyId, query, filter, query.limit, MAX_ANSWER_BODY_BYTES - 1024);
  }

  return Object.assign(listResponses, {
    /** the checked query, survey and filter, then pages of it from `cursor` on (the CSV export) */
    checked: (surveyId: string, rawQuery: Record<string, string | undefined>) => checkedResponseQuery(surveys, surveyId, rawQuery, responseExportQuerySchema),
    page: (surveyId: string, query: ResponseListQuery, filter: ResponseFilter, limit: number, cursor: string | undefined) => readPage(surveyId, { ...query, cursor }, filter, limit),
  });
}
