// handler: every minute (EventBridge Scheduler), one run at a time → provisional email answers that have stood the delay with no submit
// are enqueued as final responses.
import middy from '@middy/core';
import * as z from '../../shared/validation.js';
import { queueEnvName, tableEnvName } from '../../infra/topology.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { createDynamoInvitationStore } from '../../shared/invitations/dynamo-invitation-store.js';
import { makeFinaliseProvisional } from '../../shared/invitations/finalise-provisional.js';
import type { QueuedResponse } from '../../shared/submission/schema.js';
import { cachedSurveyStore, createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { emailSurveySettings } from '../commons/email-survey-settings.js';
import { readEnv } from '../commons/env.js';
import { oneRunAtATime } from '../commons/one-run-at-a-time.js';
import { logContext, logger } from '../commons/powertools.js';
import { sqsWorkQueue } from '../commons/work-queue.js';

const env = readEnv({
  [tableEnvName('surveys')]: z.string().check(z.minLength(1)),
  [tableEnvName('invitations')]: z.string().check(z.minLength(1)),
  [queueEnvName('responses')]: z.url(),
  SURVEY_CACHE_SECONDS: z._default(z.coerce.number().check(z.gte(0)), 10),
  EMAIL_SURVEY_FINALISE_MINUTES: emailSurveySettings.EMAIL_SURVEY_FINALISE_MINUTES,
});
const db = createDocumentClient();
const finaliseProvisional = makeFinaliseProvisional({
  invitations: createDynamoInvitationStore(db, env[tableEnvName('invitations')]),
  surveys: cachedSurveyStore(createDynamoSurveyStore(db, env[tableEnvName('surveys')]), env.SURVEY_CACHE_SECONDS * 1000),
  queue: sqsWorkQueue<QueuedResponse>(env[queueEnvName('responses')]),
  clock: systemClock,
  delayMinutes: env.EMAIL_SURVEY_FINALISE_MINUTES,
});

async function finalise() {
  const result = await finaliseProvisional();
  // counts only: an answer's scores and its invitation are never logged
  if (result.finalised + result.skipped + result.late + result.invalid > 0) logger.info('provisional email answers', { ...result });
  return result;
}

export const handler = middy(oneRunAtATime('emailSurveyFinalise', db, finalise)).use(logContext());
