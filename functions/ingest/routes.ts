// routes: the ingest function's routes as a route table: POST /v1/responses → submitResponse → 202 { id }; its CORS
// preflight; GET /v1/surveys/{id}/public → getPublicSurvey → 200 (or 304). Also the CORS headers of every answer and
// the survey a request is about, which the handler's middlewares (errors, rate limit) use.
import type { makeSubmitResponse } from '../../shared/submission/submit-response.js';
import { MAX_BODY_BYTES } from '../../shared/submission/schema.js';
import type { makeGetPublicSurvey } from '../../shared/survey/public-survey.js';
import { bodyTextOf, header, json, readJsonBody, type HttpEvent, type HttpResult } from '../commons/http.js';
import { routeTable } from '../commons/routes.js';

/**
 * Unlike the other routes, the public survey answers whatever query a request carries: it takes no parameter, so none
 * can be misspelt into a different answer, and a page or a library may add a cache-buster (`?_=…`) or a tracking tag.
 */
const PUBLIC_SURVEY_ROUTE = 'GET /v1/surveys/{id}/public';
/**
 * The public survey is readable from any origin (`*`): it holds nothing private, carries no credentials, and one
 * answer for every origin lets browsers and a CDN share a cached copy (no `Vary: Origin`). Which sites may *submit*
 * stays enforced where it matters, on POST /v1/responses.
 */
const PUBLIC_HEADERS = { 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=60' };

/**
 * The preflight may answer any origin: it carries no survey id, and the POST itself checks the origin against
 * the survey's allowlist server-side (403, nothing enqueued), whatever CORS lets the browser read. The 403 carries
 * Access-Control-Allow-Origin too: the refusal has already happened, and a widget that can read it drops the
 * response instead of retrying it for 24 h.
 */
export function corsHeaders(event: HttpEvent, _status: number): Record<string, string> {
  if (event.routeKey === PUBLIC_SURVEY_ROUTE) return { 'access-control-allow-origin': '*' };
  const origin = header(event, 'origin');
  if (!origin) return { vary: 'Origin' };
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}

/** the survey a request is about: the path's for the public survey, the body's for a submission (a cheap look only) */
export function surveyOfRequest(event: HttpEvent): string | undefined {
  if (event.routeKey === PUBLIC_SURVEY_ROUTE) return event.pathParameters?.id;
  if (!event.body || event.body.length > MAX_BODY_BYTES * 2) return undefined;
  try {
    const body: unknown = JSON.parse(bodyTextOf(event));
    const surveyId = (body as { surveyId?: unknown } | null)?.surveyId;
    return typeof surveyId === 'string' && surveyId.length <= 64 ? surveyId : undefined;
  } catch {
    return undefined;
  }
}

export interface IngestUseCases {
  submitResponse: ReturnType<typeof makeSubmitResponse>;
  getPublicSurvey: ReturnType<typeof makeGetPublicSurvey>;
}

export function makeIngestRoutes({ submitResponse, getPublicSurvey }: IngestUseCases) {
  const dispatch = routeTable({
    'POST /v1/responses': async (event) => {
      const { id } = await submitResponse({ body: readJsonBody(event, MAX_BODY_BYTES), origin: header(event, 'origin') });
      return json(202, { id }, corsHeaders(event, 202));
    },
    'OPTIONS /v1/responses': async (event) => ({
      statusCode: 204,
      headers: {
        ...corsHeaders(event, 204),
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '86400',
      },
    }),
    [PUBLIC_SURVEY_ROUTE]: async (event) => {
      const { body, etag } = await getPublicSurvey(event.pathParameters?.id ?? '');
      const headers = { ...PUBLIC_HEADERS, etag };
      const known = header(event, 'if-none-match')?.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
      if (known?.includes(etag) || known?.includes('*')) return { statusCode: 304, headers };
      return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body };
    },
  });
  return (event: HttpEvent): Promise<HttpResult> => dispatch(event, undefined);
}
