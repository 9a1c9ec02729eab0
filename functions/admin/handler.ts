// handler: the admin API (bearer token: the root admin or an admin-role token) → survey definitions, stored responses,
// metrics reports and drop alerts; access tokens (create, list, revoke) and the audit log. Writes are audited.
// CX console: the survey read routes also take a CX lead's token, for the surveys it is granted (403 otherwise);
// GET /v1/surveys lists what the token may see. The routes and their use cases are in routes.ts.
import middy from '@middy/core';
import * as z from '../../shared/validation.js';
import { tableEnvName } from '../../infra/topology.js';
import { createDynamoTokenStore } from '../../shared/access/dynamo-token-store.js';
import { createDynamoAlertStore } from '../../shared/alerts/dynamo-alert-store.js';
import { createDynamoAuditLog } from '../../shared/audit/dynamo-audit-log.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { createDynamoTaskStore } from '../../shared/followups/dynamo-task-store.js';
import { createDynamoAggregateStore } from '../../shared/rollup/dynamo-aggregate-store.js';
import { createDynamoSurveyCatalog } from '../../shared/survey/dynamo-survey-catalog.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { consoleOriginsFromEnvironment, makeConsoleCors } from '../commons/console-cors.js';
import { compressAnswers } from '../commons/content-encoding.js';
import { readEnv } from '../commons/env.js';
import { responseStoreFromEnvironment } from '../commons/response-store.js';
import { httpErrors } from '../commons/http.js';
import { originVerify } from '../commons/origin-verify.js';
import { logContext } from '../commons/powertools.js';
import { principalResolverFor } from '../commons/principal.js';
import { dispatchWith } from '../commons/routes.js';
import { makeAdminRoutes } from './routes.js';

const env = readEnv({
  [tableEnvName('surveys')]: z.string().check(z.minLength(1)),
  [tableEnvName('aggregates')]: z.string().check(z.minLength(1)),
  [tableEnvName('alerts')]: z.string().check(z.minLength(1)),
  [tableEnvName('followups')]: z.string().check(z.minLength(1)),
  [tableEnvName('cxLeads')]: z.string().check(z.minLength(1)),
  [tableEnvName('audit')]: z.string().check(z.minLength(1)),
});
const db = createDocumentClient();
const principalOf = principalResolverFor(db, env[tableEnvName('cxLeads')]);
const routes = makeAdminRoutes({
  surveys: createDynamoSurveyStore(db, env[tableEnvName('surveys')]),
  responses: responseStoreFromEnvironment(db),
  tasks: createDynamoTaskStore(db, env[tableEnvName('followups')]),
  aggregates: createDynamoAggregateStore(db, env[tableEnvName('aggregates')]),
  alerts: createDynamoAlertStore(db, env[tableEnvName('alerts')]),
  catalog: createDynamoSurveyCatalog(db, env[tableEnvName('surveys')]),
  tokens: createDynamoTokenStore(db, env[tableEnvName('cxLeads')]),
  auditLog: createDynamoAuditLog(db, env[tableEnvName('audit')]),
  clock: systemClock,
});
const cors = makeConsoleCors(consoleOriginsFromEnvironment());

const admin = dispatchWith(principalOf, routes);

export const handler = middy(admin).use(logContext()).use(originVerify()).use(compressAnswers()).use(cors.middleware).use(httpErrors(cors.headersFor));
