// handler: every minute (EventBridge Scheduler), one run at a time → notify and escalate follow-up tasks past their SLA (once each), and
// deliver due follow-up notifications to their webhooks (signed, retried, recorded).
import middy from '@middy/core';
import * as z from '../../shared/validation.js';
import { tableEnvName } from '../../infra/topology.js';
import { makeDeliverPending } from '../../shared/alerts/deliver-pending-alerts.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { createDynamoNotificationStore } from '../../shared/followups/dynamo-notification-store.js';
import { createDynamoTaskStore } from '../../shared/followups/dynamo-task-store.js';
import type { FollowUpNotification } from '../../shared/followups/notification.js';
import { makeWatchSla } from '../../shared/followups/watch-sla.js';
import { boundEnvNames } from '../../infra/topology.js';
import { publicBaseUrlSchema } from '../commons/email-survey-settings.js';
import { readEnv } from '../commons/env.js';
import { followupWebhooksFromEnvironment } from '../commons/followup-webhook-config.js';
import { oneRunAtATime } from '../commons/one-run-at-a-time.js';
import { logContext, logger } from '../commons/powertools.js';

const env = readEnv({
  [tableEnvName('followups')]: z.string().check(z.minLength(1)),
  [tableEnvName('notifications')]: z.string().check(z.minLength(1)),
  // the console's page, for the task's link in its notifications (the stack sets it; unset: no link)
  [boundEnvNames.consoleUrl]: z.optional(publicBaseUrlSchema),
});
const db = createDocumentClient();
const notifications = createDynamoNotificationStore(db, env[tableEnvName('notifications')]);
const webhooks = followupWebhooksFromEnvironment();

const watchSla = makeWatchSla({ tasks: createDynamoTaskStore(db, env[tableEnvName('followups')]), notifications, clock: systemClock, consoleUrl: env[boundEnvNames.consoleUrl] });
const deliver = makeDeliverPending<FollowUpNotification>({
  store: notifications,
  bodyOf: (notification) => notification.body,
  webhookFor: (notification) => webhooks[notification.target],
  recordUnconfigured: true,
  clock: systemClock,
});

async function followupSla() {
  const { breached } = await watchSla();
  const deliveries = await deliver();
  if (breached > 0 || deliveries.delivered + deliveries.retrying + deliveries.failed > 0) logger.info('follow-up notifications', { breached, ...deliveries });
  return { breached, ...deliveries };
}

export const handler = middy(oneRunAtATime('followupSla', db, followupSla)).use(logContext());
