// handler: SQS batch of routed detractors → one follow-up task each (conditional put) → partial batch failures. A
// failing record is logged by its message id and reason, never its content, so the DLQ alarm's cause can be read.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from '../../shared/validation.js';
import { tableEnvName } from '../../infra/topology.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { createDynamoTokenStore } from '../../shared/access/dynamo-token-store.js';
import { createDynamoAssignmentTurns } from '../../shared/followups/dynamo-assignment-turns.js';
import { createDynamoNotificationStore } from '../../shared/followups/dynamo-notification-store.js';
import { createDynamoTaskStore } from '../../shared/followups/dynamo-task-store.js';
import { makeOpenTask } from '../../shared/followups/open-tasks.js';
import { cachedSurveyStore, createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { boundEnvNames } from '../../infra/topology.js';
import { publicBaseUrlSchema } from '../commons/email-survey-settings.js';
import { readEnv } from '../commons/env.js';
import { reasonOf } from '../../shared/queue/failure-reason.js';
import { logContext, logger } from '../commons/powertools.js';

const env = readEnv({
  [tableEnvName('surveys')]: z.string().check(z.minLength(1)),
  [tableEnvName('followups')]: z.string().check(z.minLength(1)),
  [tableEnvName('notifications')]: z.string().check(z.minLength(1)),
  [tableEnvName('cxLeads')]: z.string().check(z.minLength(1)),
  // the console's page, for the task's link in its notification (the stack sets it; unset: no link)
  [boundEnvNames.consoleUrl]: z.optional(publicBaseUrlSchema),
});
const db = createDocumentClient();
const openTask = makeOpenTask({
  tasks: createDynamoTaskStore(db, env[tableEnvName('followups')]),
  notifications: createDynamoNotificationStore(db, env[tableEnvName('notifications')]),
  surveys: cachedSurveyStore(createDynamoSurveyStore(db, env[tableEnvName('surveys')]), 30_000),
  clock: systemClock,
  // auto-assignment: the survey's leads from the token table, round-robin turns beside the notifications
  autoAssign: {
    leads: createDynamoTokenStore(db, env[tableEnvName('cxLeads')]),
    turns: createDynamoAssignmentTurns(db, env[tableEnvName('notifications')]),
  },
  consoleUrl: env[boundEnvNames.consoleUrl],
});
const processor = new BatchProcessor(EventType.SQS);

async function openLogged({ messageId, body }: SQSRecord) {
  try {
    return await openTask(body);
  } catch (error) {
    logger.error('task not opened', { messageId, reason: reasonOf(error) });
    throw error;
  }
}

async function openTasks(event: SQSEvent, context: Context) {
  return processPartialResponse(event, openLogged, processor, { context });
}

export const handler = middy(openTasks).use(logContext());
