// handler: every minute (EventBridge Scheduler), one run at a time → send detractors not yet routed to the follow-up queue.
import middy from '@middy/core';
import * as z from '../../shared/validation.js';
import { queueEnvName } from '../../infra/topology.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { makeRouteDetractors, type RoutedDetractor } from '../../shared/followups/route-detractors.js';
import { readEnv } from '../commons/env.js';
import { responseStoreFromEnvironment } from '../commons/response-store.js';
import { oneRunAtATime } from '../commons/one-run-at-a-time.js';
import { logContext, logger } from '../commons/powertools.js';
import { sqsWorkQueue } from '../commons/work-queue.js';

const env = readEnv({ [queueEnvName('followups')]: z.url() });
const db = createDocumentClient();

const routeDetractors = makeRouteDetractors({
  responses: responseStoreFromEnvironment(db),
  queue: sqsWorkQueue<RoutedDetractor>(env[queueEnvName('followups')]),
  clock: systemClock,
});

async function route() {
  const result = await routeDetractors();
  if (result.routed > 0) logger.info('routed detractors', result);
  return result;
}

export const handler = middy(oneRunAtATime('followupRouter', db, route)).use(logContext());
