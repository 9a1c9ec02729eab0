// handler: the hosted email survey page (public: the signed token is the credential). GET /s/{token}[?score=N] → the
// form, holding the answer already given (the invitation's, the stored response's comment); POST /s/{token} (form) →
// the answer, enqueued as a response; POST /s/{token}/signal (the page script's human signal) → a provisional answer;
// GET /s/{token}/h (honeypot link) → marks the invitation scanned. Answers are HTML pages, localised (400 tampered or
// out of range, 404 unknown, 409 no longer taking answers, 410 expired, 413 too long); nothing is recorded on a refusal.
// The routes are in routes.ts, the pages in views.ts and page.ts.
import middy from '@middy/core';
import * as z from '../../shared/validation.js';
import { queueEnvName, tableEnvName } from '../../infra/topology.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { createDynamoInvitationStore } from '../../shared/invitations/dynamo-invitation-store.js';
import { createDynamoResponsesById } from '../../shared/invitations/dynamo-responses-by-id.js';
import { makeEmailSurvey } from '../../shared/invitations/email-survey.js';
import type { QueuedResponse } from '../../shared/submission/schema.js';
import { cachedSurveyStore, createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { emailSurveySettings } from '../commons/email-survey-settings.js';
import { readEnv } from '../commons/env.js';
import { httpErrors } from '../commons/http.js';
import { linkKeysFromEnvironment } from '../commons/link-keys.js';
import { originVerify } from '../commons/origin-verify.js';
import { logContext } from '../commons/powertools.js';
import { rateLimit } from '../commons/rate-limit.js';
import { sqsWorkQueue } from '../commons/work-queue.js';
import { makeEmailSurveyRoutes } from './routes.js';

const env = readEnv({
  [tableEnvName('surveys')]: z.string().check(z.minLength(1)),
  [tableEnvName('invitations')]: z.string().check(z.minLength(1)),
  [tableEnvName('responses')]: z.string().check(z.minLength(1)),
  [queueEnvName('responses')]: z.url(),
  SURVEY_CACHE_SECONDS: z._default(z.coerce.number().check(z.gte(0)), 10),
  EMAIL_SURVEY_DWELL_SECONDS: emailSurveySettings.EMAIL_SURVEY_DWELL_SECONDS,
});
const db = createDocumentClient();
const linkKeys = linkKeysFromEnvironment();
const emailSurvey = makeEmailSurvey({
  invitations: createDynamoInvitationStore(db, env[tableEnvName('invitations')]),
  surveys: cachedSurveyStore(createDynamoSurveyStore(db, env[tableEnvName('surveys')]), env.SURVEY_CACHE_SECONDS * 1000),
  responses: createDynamoResponsesById(db, env[tableEnvName('responses')]),
  queue: sqsWorkQueue<QueuedResponse>(env[queueEnvName('responses')]),
  linkKeys,
  clock: systemClock,
  dwellSeconds: env.EMAIL_SURVEY_DWELL_SECONDS,
});
const emailSurveyPage = makeEmailSurveyRoutes({ emailSurvey, linkKeys, clock: systemClock, dwellSeconds: env.EMAIL_SURVEY_DWELL_SECONDS });

export const handler = middy(emailSurveyPage).use(logContext()).use(originVerify()).use(httpErrors()).use(rateLimit());
