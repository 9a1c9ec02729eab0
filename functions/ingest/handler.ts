// handler: POST /v1/responses (and its CORS preflight) → submitResponse → 202 { id };
// GET /v1/surveys/{id}/public → getPublicSurvey → 200 (or 304) with what the widget renders. Routes: routes.ts.
import middy from '@middy/core';
import * as z from '../../shared/validation.js';
import { queueEnvName, tableEnvName } from '../../infra/topology.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import type { QueuedResponse } from '../../shared/submission/schema.js';
import { makeSubmitResponse } from '../../shared/submission/submit-response.js';
import { cachedSurveyStore, createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { makeGetPublicSurvey } from '../../shared/survey/public-survey.js';
import { readEnv } from '../commons/env.js';
import { httpErrors } from '../commons/http.js';
import { originVerify } from '../commons/origin-verify.js';
import { logContext } from '../commons/powertools.js';
import { rateLimit } from '../commons/rate-limit.js';
import { sqsWorkQueue } from '../commons/work-queue.js';
import { corsHeaders, makeIngestRoutes, surveyOfRequest } from './routes.js';

const env = readEnv({
  [tableEnvName('surveys')]: z.string().check(z.minLength(1)),
  [queueEnvName('responses')]: z.url(),
  SURVEY_CACHE_SECONDS: z._default(z.coerce.number().check(z.gte(0)), 10),
});

const surveys = cachedSurveyStore(createDynamoSurveyStore(createDocumentClient(), env[tableEnvName('surveys')]), env.SURVEY_CACHE_SECONDS * 1000);
const ingest = makeIngestRoutes({
  submitResponse: makeSubmitResponse({ surveys, queue: sqsWorkQueue<QueuedResponse>(env[queueEnvName('responses')]), clock: systemClock }),
  getPublicSurvey: makeGetPublicSurvey({ surveys }),
});

export const handler = middy(ingest).use(logContext()).use(originVerify()).use(httpErrors(corsHeaders)).use(rateLimit({ surveyOf: surveyOfRequest }));
