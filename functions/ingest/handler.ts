// handler: POST /v1/responses (and its CORS preflight) → submitResponse → 202 { id };
// GET /v1/surveys/{id}/public → getPublicSurvey → 200 (or 304) with what the widget renders.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { queueEnvName, tableEnvName } from '../../infra/topology.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { MAX_BODY_BYTES, type QueuedResponse } from '../../shared/submission/schema.js';
import { makeSubmitResponse } from '../../shared/submission/submit-response.js';
import { cachedSurveyStore, createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { makeGetPublicSurvey } from '../../shared/survey/public-survey.js';
import { readEnv } from '../commons/env.js';
import { header, httpErrors, json, readJsonBody, type HttpEvent, type HttpResult } from '../commons/http.js';
import { originVerify } from '../commons/origin-verify.js';
import { logger } from '../commons/powertools.js';
import { rateLimit } from '../commons/rate-limit.js';
import { sqsWorkQueue } from '../commons/work-queue.js';

const env = readEnv({
  [tableEnvName('surveys')]: z.string().min(1),
  [queueEnvName('responses')]: z.url(),
  SURVEY_CACHE_SECONDS: z.coerce.number().min(0).default(10),
});

const surveys = cachedSurveyStore(createDynamoSurveyStore(createDocumentClient(), env[tableEnvName('surveys')]), env.SURVEY_CACHE_SECONDS * 1000);
const submitResponse = makeSubmitResponse({
  surveys,
  queue: sqsWorkQueue<QueuedResponse>(env[queueEnvName('responses')]),
  clock: systemClock,
});
const getPublicSurvey = makeGetPublicSurvey({ surveys });

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
function corsHeaders(event: HttpEvent, _status: number): Record<string, string> {
  if (event.routeKey === PUBLIC_SURVEY_ROUTE) return { 'access-control-allow-origin': '*' };
  const origin = header(event, 'origin');
  if (!origin) return { vary: 'Origin' };
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}

/** the survey a request is about: the path's for the public survey, the body's for a submission (a cheap look only) */
function surveyOfRequest(event: HttpEvent): string | undefined {
  if (event.routeKey === PUBLIC_SURVEY_ROUTE) return event.pathParameters?.id;
  const raw = event.body;
  if (!raw || raw.length > MAX_BODY_BYTES * 2) return undefined;
  try {
    const body: unknown = JSON.parse(event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw);
    const surveyId = (body as { surveyId?: unknown } | null)?.surveyId;
    return typeof surveyId === 'string' && surveyId.length <= 64 ? surveyId : undefined;
  } catch {
    return undefined;
  }
}

async function publicSurvey(event: HttpEvent): Promise<HttpResult> {
  const { body, etag } = await getPublicSurvey(event.pathParameters?.id ?? '');
  const headers = { ...PUBLIC_HEADERS, etag };
  const known = header(event, 'if-none-match')?.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (known?.includes(etag) || known?.includes('*')) return { statusCode: 304, headers };
  return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body };
}

async function ingest(event: HttpEvent): Promise<HttpResult> {
  if (event.routeKey === PUBLIC_SURVEY_ROUTE) return publicSurvey(event);
  if (event.requestContext.http.method === 'OPTIONS') {
    return {
      statusCode: 204,
      headers: {
        ...corsHeaders(event, 204),
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '86400',
      },
    };
  }
  const { id } = await submitResponse({ body: readJsonBody(event, MAX_BODY_BYTES), origin: header(event, 'origin') });
  return json(202, { id }, corsHeaders(event, 202));
}

export const handler = middy(ingest).use(injectLambdaContext(logger)).use(originVerify()).use(httpErrors(corsHeaders)).use(rateLimit({ surveyOf: surveyOfRequest }));
