// handler: every minute (EventBridge Scheduler) → recompute the aggregates of dirty hours.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { tableEnvName } from '../../infra/topology.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { createDynamoAggregateStore } from '../../shared/rollup/dynamo-aggregate-store.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { makeRollUp } from '../../shared/rollup/roll-up.js';
import { cachedSurveyStore, createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { readEnv } from '../commons/env.js';
import { logger } from '../commons/powertools.js';

const env = readEnv({
  [tableEnvName('surveys')]: z.string().min(1),
  [tableEnvName('responses')]: z.string().min(1),
  [tableEnvName('dirtyBuckets')]: z.string().min(1),
  [tableEnvName('aggregates')]: z.string().min(1),
  // how long the survey index may lag a write (DynamoDB GSIs are eventually consistent; dynalite's are not)
  ROLLUP_SETTLE_SECONDS: z.coerce.number().min(0).max(300).default(10),
});
const db = createDocumentClient();

const rollUp = makeRollUp({
  responses: createDynamoResponseStore(db, env[tableEnvName('responses')]),
  aggregates: createDynamoAggregateStore(db, env[tableEnvName('aggregates')]),
  dirty: createDynamoDirtyBuckets(db, env[tableEnvName('dirtyBuckets')]),
  surveys: cachedSurveyStore(createDynamoSurveyStore(db, env[tableEnvName('surveys')]), 30_000),
  clock: systemClock,
  settleSeconds: env.ROLLUP_SETTLE_SECONDS,
});

async function rollup() {
  const result = await rollUp();
  const { failed, ...figures } = result;
  if (result.hoursRecomputed > 0 || failed.length > 0) logger.info('rolled up', { ...figures, failed: failed.length });
  if (failed.length > 0) {
    for (const { surveyId, error } of failed) logger.error('rollup failed for a survey; its buckets stay dirty', { surveyId, error: error as Error });
    throw new Error(`rollup failed for ${failed.length} survey(s)`);
  }
  return figures;
}

export const handler = middy(rollup).use(injectLambdaContext(logger));
