// handler: every minute (EventBridge Scheduler) → send detractors not yet routed to the follow-up queue.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from '../../shared/validation.js';
import { queueEnvName, tableEnvName } from '../../infra/topology.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { makeRouteDetractors, type RoutedDetractor } from '../../shared/followups/route-detractors.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { readEnv } from '../commons/env.js';
import { logger } from '../commons/powertools.js';
import { sqsWorkQueue } from '../commons/work-queue.js';

const env = readEnv({ [tableEnvName('responses')]: z.string().check(z.minLength(1)), [queueEnvName('followups')]: z.url() });

const routeDetractors = makeRouteDetractors({
  responses: createDynamoResponseStore(createDocumentClient(), env[tableEnvName('responses')]),
  queue: sqsWorkQueue<RoutedDetractor>(env[queueEnvName('followups')]),
  clock: systemClock,
});

async function route() {
  const result = await routeDetractors();
  if (result.routed > 0) logger.info('routed detractors', result);
  return result;
}

export const handler = middy(route).use(injectLambdaContext(logger));
