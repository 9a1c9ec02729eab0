// handler: GET /r/{token} → the re-survey form of a resolved follow-up task; POST /r/{token} (form or JSON
// `answer` 1–5) → stores the answer on the task, once. Public: the signed token is the credential. Answers are HTML
// pages (400 tampered, 404 unknown, 409 answered, 410 expired). Routes: routes.ts; pages: views.ts and page.ts.
import middy from '@middy/core';
import * as z from '../../shared/validation.js';
import { tableEnvName } from '../../infra/topology.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { createDynamoTaskStore } from '../../shared/followups/dynamo-task-store.js';
import { makeResurvey } from '../../shared/followups/resurvey.js';
import { readEnv } from '../commons/env.js';
import { httpErrors } from '../commons/http.js';
import { linkKeysFromEnvironment } from '../commons/link-keys.js';
import { originVerify } from '../commons/origin-verify.js';
import { logContext } from '../commons/powertools.js';
import { rateLimit } from '../commons/rate-limit.js';
import { makeResurveyRoutes } from './routes.js';

const env = readEnv({ [tableEnvName('followups')]: z.string().check(z.minLength(1)) });
const resurvey = makeResurvey({
  tasks: createDynamoTaskStore(createDocumentClient(), env[tableEnvName('followups')]),
  linkKeys: linkKeysFromEnvironment(),
  clock: systemClock,
});

const resurveyPage = makeResurveyRoutes(resurvey);

export const handler = middy(resurveyPage).use(logContext()).use(originVerify()).use(httpErrors()).use(rateLimit());
