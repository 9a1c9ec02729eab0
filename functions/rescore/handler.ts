// handler: every minute (EventBridge Scheduler) → score responses whose sentiment is still pending.
import middy from '@middy/core';
import * as z from '../../shared/validation.js';
import { tableEnvName } from '../../infra/topology.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { cachedSurveyStore, createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { analyzerFromEnvironment } from '../../shared/sentiment/analyzer-from-environment.js';
import { redactorFromEnvironment } from '../../shared/privacy/redactor-from-environment.js';
import { makeRescorePending } from '../../shared/sentiment/rescore-pending.js';
import { readEnv } from '../commons/env.js';
import { responseStoreFromEnvironment } from '../commons/response-store.js';
import { logContext, logger } from '../commons/powertools.js';

const env = readEnv({
  [tableEnvName('surveys')]: z.string().check(z.minLength(1)),
  [tableEnvName('dirtyBuckets')]: z.string().check(z.minLength(1)),
});
const db = createDocumentClient();
const sentiment = analyzerFromEnvironment();
const redactor = redactorFromEnvironment();
/** the scorer's and redactor's models, loading since this module was evaluated (the local runtime's warm-up waits) */
export const initialised = Promise.all([sentiment.loaded, redactor.loaded]);

const rescorePending = makeRescorePending({
  store: responseStoreFromEnvironment(db),
  sentiment,
  redactor,
  dirty: createDynamoDirtyBuckets(db, env[tableEnvName('dirtyBuckets')]),
  clock: systemClock,
  surveys: cachedSurveyStore(createDynamoSurveyStore(db, env[tableEnvName('surveys')]), 30_000),
});

async function rescore() {
  const result = await rescorePending();
  if (result.settled > 0 || result.stillPending > 0) logger.info('rescored pending sentiment', result);
  return result;
}

export const handler = middy(rescore).use(logContext());
