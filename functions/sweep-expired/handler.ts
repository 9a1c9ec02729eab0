// handler: every 15 minutes (EventBridge Scheduler), one run at a time → delete responses, follow-up tasks, notifications and email
// invitations past retention; then, in the time left and each until it is done, the upgrade's backfill of the
// responses' index shards (shared/response/dynamo-index-backfill.ts) and the redaction of stored comments under the
// local redactor's newer rules (shared/privacy/dynamo-redaction-backfill.ts).
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from '../../shared/validation.js';
import { tableEnvName, topology } from '../../infra/topology.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { createDynamoTaskStore } from '../../shared/followups/dynamo-task-store.js';
import { createDynamoExpiredItems } from '../../shared/privacy/dynamo-expired-items.js';
import { createRedactionBackfill } from '../../shared/privacy/dynamo-redaction-backfill.js';
import { makeSweepExpired } from '../../shared/privacy/sweep-expired.js';
import { createIndexShardBackfill } from '../../shared/response/dynamo-index-backfill.js';
import { readEnv } from '../commons/env.js';
import { oneRunAtATime } from '../commons/one-run-at-a-time.js';
import { logContext, logger } from '../commons/powertools.js';

const env = readEnv({
  [tableEnvName('responses')]: z.string().check(z.minLength(1)),
  [tableEnvName('followups')]: z.string().check(z.minLength(1)),
  [tableEnvName('notifications')]: z.string().check(z.minLength(1)),
  [tableEnvName('invitations')]: z.string().check(z.minLength(1)),
});
const db = createDocumentClient();
const keysOf = (table: 'responses' | 'followups' | 'notifications' | 'invitations') => {
  const { partitionKey, sortKey } = topology.tables[table] as { partitionKey: string; sortKey?: string };
  return sortKey ? [partitionKey, sortKey] : [partitionKey];
};

const sweepExpired = makeSweepExpired({
  tables: {
    responses: createDynamoExpiredItems(db, env[tableEnvName('responses')], keysOf('responses')),
    followups: createDynamoExpiredItems(db, env[tableEnvName('followups')], keysOf('followups')),
    notifications: createDynamoExpiredItems(db, env[tableEnvName('notifications')], keysOf('notifications')),
    // an invitation is kept until its link's expiry + the survey's retention (`retainUntil`)
    invitations: createDynamoExpiredItems(db, env[tableEnvName('invitations')], keysOf('invitations'), 'retainUntil'),
  },
  clock: systemClock,
});

const backfill = createIndexShardBackfill(db, env[tableEnvName('responses')], systemClock);
const redactAgain = createRedactionBackfill(db, env[tableEnvName('responses')], createDynamoTaskStore(db, env[tableEnvName('followups')]), systemClock);
/** the backfill stops a page early enough to save where it stopped before the function's timeout */
const BACKFILL_RESERVE_MS = 30_000;

async function sweep(_event: unknown, context: Context) {
  const deleted = await sweepExpired();
  // counts only: never what was deleted
  if (Object.values(deleted).some((n) => n > 0)) logger.info('deleted expired items', { deleted });
  const hasTime = () => context.getRemainingTimeInMillis() > BACKFILL_RESERVE_MS;
  const backfilled = await backfill.run(hasTime);
  if (backfilled.changed > 0 || !backfilled.done) logger.info('index shard backfill', backfilled);
  // counts only, as above
  const redacted = await redactAgain.run(hasTime);
  if (redacted.responses + redacted.tasks > 0) logger.info('stored comments redacted under newer rules', redacted);
  return deleted;
}

export const handler = middy(oneRunAtATime('sweepExpired', db, sweep)).use(logContext());
