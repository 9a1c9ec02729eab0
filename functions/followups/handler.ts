// handler: the CX API (bearer token: the admin's or a CX lead's) → follow-up tasks; POST /v1/cx-leads (admin only)
// creates a lead (a cx token) and returns their token once. Writes are audited.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { tableEnvName } from '../../infra/topology.js';
import { createDynamoCxLeadStore } from '../../shared/access/dynamo-cx-lead-store.js';
import { makeCreateCxLead } from '../../shared/access/principal.js';
import type { AuditAction } from '../../shared/audit/audit-entry.js';
import { createDynamoAuditLog } from '../../shared/audit/dynamo-audit-log.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { ApiError } from '../../shared/errors.js';
import { createDynamoNotificationStore } from '../../shared/followups/dynamo-notification-store.js';
import { createDynamoTaskStore } from '../../shared/followups/dynamo-task-store.js';
import { makeWorkTasks, type TaskActionName } from '../../shared/followups/work-tasks.js';
import { makeAuditRecorder } from '../commons/audit.js';
import { readEnv } from '../commons/env.js';
import { httpErrors, json, readJsonBody, type HttpEvent, type HttpResult } from '../commons/http.js';
import { linkKeysFromEnvironment } from '../commons/link-keys.js';
import { logger } from '../commons/powertools.js';
import { principalResolverFor } from '../commons/principal.js';
import { consoleOriginsFromEnvironment, makeConsoleCors } from '../commons/console-cors.js';
import { originVerify } from '../commons/origin-verify.js';

const MAX_BODY_BYTES = 8 * 1024;

const env = readEnv({
  [tableEnvName('followups')]: z.string().min(1),
  [tableEnvName('cxLeads')]: z.string().min(1),
  [tableEnvName('notifications')]: z.string().min(1),
  [tableEnvName('audit')]: z.string().min(1),
});
const db = createDocumentClient();
const leads = createDynamoCxLeadStore(db, env[tableEnvName('cxLeads')]);
const principalOf = principalResolverFor(db, env[tableEnvName('cxLeads')]);
const createCxLead = makeCreateCxLead({ leads, clock: systemClock });
const audited = makeAuditRecorder({ log: createDynamoAuditLog(db, env[tableEnvName('audit')]), clock: systemClock });
const work = makeWorkTasks({
  tasks: createDynamoTaskStore(db, env[tableEnvName('followups')]),
  notifications: createDynamoNotificationStore(db, env[tableEnvName('notifications')]),
  linkKeys: linkKeysFromEnvironment(),
  clock: systemClock,
});

const cors = makeConsoleCors(consoleOriginsFromEnvironment());

const ACTIONS: Record<string, TaskActionName> = {
  'POST /v1/followups/{id}/claim': 'claim',
  'POST /v1/followups/{id}/notes': 'notes',
  'POST /v1/followups/{id}/contacted': 'contacted',
  'POST /v1/followups/{id}/resolve': 'resolve',
};

const tokenIdOf = (result: HttpResult) => ({ tokenId: (JSON.parse(result.body ?? '{}') as { id?: string }).id });
const surveyIdOf = (result: HttpResult) => ({ surveyId: (JSON.parse(result.body ?? '{}') as { surveyId?: string }).surveyId });

async function followups(event: HttpEvent): Promise<HttpResult> {
  const principal = await principalOf(event);
  const taskId = event.pathParameters?.id ?? '';
  if (event.routeKey === 'POST /v1/cx-leads') {
    return audited(principal, 'cxLead.create', {}, async () => json(201, await createCxLead(readJsonBody(event, MAX_BODY_BYTES), principal)), tokenIdOf);
  }
  if (event.routeKey === 'GET /v1/followups') return json(200, await work.list(principal, event.queryStringParameters ?? {}));
  if (event.routeKey === 'GET /v1/followups/{id}') return json(200, await work.get(principal, taskId));
  const action = ACTIONS[event.routeKey];
  if (!action) throw new ApiError(404, 'no such route');
  return audited(principal, `followup.${action}` satisfies AuditAction, { taskId }, async () => {
    // claim and contacted need no body; notes and resolve do
    const body = event.body ? readJsonBody(event, MAX_BODY_BYTES) : undefined;
    return json(200, await work.act(principal, taskId, action, body));
  }, surveyIdOf);
}

export const handler = middy(followups).use(injectLambdaContext(logger)).use(originVerify()).use(cors.middleware).use(httpErrors(cors.headersFor));
