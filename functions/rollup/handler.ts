// handler: every minute (EventBridge Scheduler), one run at a time → recompute the aggregates of dirty minutes (and their hours and days), raise an alert for each
// significant NPS or CSAT drop of the surveys that changed, and deliver alerts due to the webhook (minute.ts).
import middy from '@middy/core';
import * as z from '../../shared/validation.js';
import { tableEnvName } from '../../infra/topology.js';
import { systemClock } from '../../shared/clock.js';
import { createDynamoAlertStore } from '../../shared/alerts/dynamo-alert-store.js';
import { makeDeliverPendingAlerts } from '../../shared/alerts/deliver-pending-alerts.js';
import { makeRaiseDropAlerts } from '../../shared/alerts/raise-drop-alerts.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { createDynamoAggregateStore } from '../../shared/rollup/dynamo-aggregate-store.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { makeRollUp } from '../../shared/rollup/roll-up.js';
import { cachedSurveyStore, createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { alertWebhookFromEnvironment } from '../commons/alert-webhook-config.js';
import { readEnv } from '../commons/env.js';
import { responseStoreFromEnvironment } from '../commons/response-store.js';
import { oneRunAtATime } from '../commons/one-run-at-a-time.js';
import { logContext } from '../commons/powertools.js';
import { makeRollupMinute } from './minute.js';

const env = readEnv({
  [tableEnvName('surveys')]: z.string().check(z.minLength(1)),
  [tableEnvName('dirtyBuckets')]: z.string().check(z.minLength(1)),
  [tableEnvName('aggregates')]: z.string().check(z.minLength(1)),
  [tableEnvName('alerts')]: z.string().check(z.minLength(1)),
  // how long the survey index may lag a write (DynamoDB GSIs are eventually consistent; dynalite's are not)
  ROLLUP_SETTLE_SECONDS: z._default(z.coerce.number().check(z.gte(0), z.lte(300)), 10),
});
const db = createDocumentClient();

const surveys = cachedSurveyStore(createDynamoSurveyStore(db, env[tableEnvName('surveys')]), 30_000);
const aggregates = createDynamoAggregateStore(db, env[tableEnvName('aggregates')]);
const alerts = createDynamoAlertStore(db, env[tableEnvName('alerts')]);
const alertWebhook = alertWebhookFromEnvironment();

const rollup = makeRollupMinute({
  rollUp: makeRollUp({
    responses: responseStoreFromEnvironment(db),
    aggregates,
    dirty: createDynamoDirtyBuckets(db, env[tableEnvName('dirtyBuckets')]),
    surveys,
    clock: systemClock,
    settleSeconds: env.ROLLUP_SETTLE_SECONDS,
  }),
  raiseDropAlerts: makeRaiseDropAlerts({ surveys, aggregates, alerts, clock: systemClock, webhookConfigured: alertWebhook.configured }),
  deliverPendingAlerts: makeDeliverPendingAlerts({ alerts, webhook: alertWebhook, clock: systemClock }),
});

export const handler = middy(oneRunAtATime('rollup', db, rollup)).use(logContext());
