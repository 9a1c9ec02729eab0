// handler: SQS batch of queued responses → redact comments, score sentiment, store each once → partial batch failures
// (batch.ts).
import middy from '@middy/core';
import * as z from '../../shared/validation.js';
import { tableEnvName } from '../../infra/topology.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { createDynamoErasureMarkers } from '../../shared/privacy/dynamo-erasure-markers.js';
import { makeProcessResponses } from '../../shared/response/process-responses.js';
import { coalescingDirtyBuckets } from '../../shared/rollup/coalescing-dirty-buckets.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { cachedSurveyStore, createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { analyzerFromEnvironment } from '../../shared/sentiment/analyzer-from-environment.js';
import { redactorFromEnvironment } from '../../shared/privacy/redactor-from-environment.js';
import { readEnv } from '../commons/env.js';
import { responseStoreFromEnvironment } from '../commons/response-store.js';
import { logContext } from '../commons/powertools.js';
import { makeProcessBatch } from './batch.js';

const env = readEnv({
  [tableEnvName('surveys')]: z.string().check(z.minLength(1)),
  [tableEnvName('dirtyBuckets')]: z.string().check(z.minLength(1)),
  [tableEnvName('erasures')]: z.string().check(z.minLength(1)),
  SURVEY_CACHE_SECONDS: z._default(z.coerce.number().check(z.gte(0)), 10),
});
const db = createDocumentClient();
const sentiment = analyzerFromEnvironment();
const redactor = redactorFromEnvironment();
/** the scorer's and redactor's models, loading since this module was evaluated (the local runtime's warm-up waits) */
export const initialised = Promise.all([sentiment.loaded, redactor.loaded]);

const prepareBatch = makeProcessResponses({
  store: responseStoreFromEnvironment(db),
  sentiment,
  redactor,
  // the batch's records are stored side by side: their marks of one (survey, hour) go out as one write
  dirty: coalescingDirtyBuckets(createDynamoDirtyBuckets(db, env[tableEnvName('dirtyBuckets')])),
  clock: systemClock,
  surveys: cachedSurveyStore(createDynamoSurveyStore(db, env[tableEnvName('surveys')]), env.SURVEY_CACHE_SECONDS * 1000),
  erasures: createDynamoErasureMarkers(db, env[tableEnvName('erasures')]),
});
const processResponses = makeProcessBatch(prepareBatch);

export const handler = middy(processResponses).use(logContext());
