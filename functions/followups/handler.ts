// handler: the CX API (bearer token: the admin's or a CX lead's) → follow-up tasks; POST /v1/cx-leads (admin only)
// creates a lead (a cx token) and returns their token once. Writes are audited. Routes: routes.ts.
import middy from '@middy/core';
import * as z from '../../shared/validation.js';
import { tableEnvName } from '../../infra/topology.js';
import { createDynamoCxLeadStore } from '../../shared/access/dynamo-cx-lead-store.js';
import { makeCreateCxLead } from '../../shared/access/principal.js';
import { createDynamoAuditLog } from '../../shared/audit/dynamo-audit-log.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { makeCustomerHistory } from '../../shared/followups/customer-history.js';
import { createDynamoNotificationStore } from '../../shared/followups/dynamo-notification-store.js';
import { createDynamoTaskStore } from '../../shared/followups/dynamo-task-store.js';
import { makeWorkTasks } from '../../shared/followups/work-tasks.js';
import { createDynamoSurveyCatalog } from '../../shared/survey/dynamo-survey-catalog.js';
import { surveyIdsOf } from '../../shared/survey/survey-catalog.js';
import { cachedSurveyStore, createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { makeAssignTasks } from '../../shared/followups/assign-tasks.js';
import { makeAuditRecorder } from '../commons/audit.js';
import { compressAnswers } from '../commons/content-encoding.js';
import { readEnv } from '../commons/env.js';
import { httpErrors } from '../commons/http.js';
import { linkKeysFromEnvironment } from '../commons/link-keys.js';
import { logContext } from '../commons/powertools.js';
import { principalResolverFor } from '../commons/principal.js';
import { responseStoreFromEnvironment } from '../commons/response-store.js';
import { dispatchWith } from '../commons/routes.js';
import { consoleOriginsFromEnvironment, makeConsoleCors } from '../commons/console-cors.js';
import { originVerify } from '../commons/origin-verify.js';
import { makeFollowUpsRoutes } from './routes.js';

const env = readEnv({
  [tableEnvName('followups')]: z.string().check(z.minLength(1)),
  [tableEnvName('cxLeads')]: z.string().check(z.minLength(1)),
  [tableEnvName('notifications')]: z.string().check(z.minLength(1)),
  [tableEnvName('audit')]: z.string().check(z.minLength(1)),
  [tableEnvName('surveys')]: z.string().check(z.minLength(1)),
});
const db = createDocumentClient();
const leads = createDynamoCxLeadStore(db, env[tableEnvName('cxLeads')]);
const principalOf = principalResolverFor(db, env[tableEnvName('cxLeads')]);
const createCxLead = makeCreateCxLead({ leads, clock: systemClock });
const audited = makeAuditRecorder({ log: createDynamoAuditLog(db, env[tableEnvName('audit')]), clock: systemClock });
const tasks = createDynamoTaskStore(db, env[tableEnvName('followups')]);
// resolving reads the survey's root causes uncached, so an admin's edit applies to the next resolve
const surveys = createDynamoSurveyStore(db, env[tableEnvName('surveys')]);
// a task's detail shows its customer's other responses and tasks (the responses table: responseStoreFromEnvironment);
// a survey's NPS question is kept a while, as the follow-up consumer keeps its surveys
const history = makeCustomerHistory({ responses: responseStoreFromEnvironment(db), tasks, surveys: cachedSurveyStore(surveys, 30_000) });
const work = makeWorkTasks({
  tasks,
  notifications: createDynamoNotificationStore(db, env[tableEnvName('notifications')]),
  surveys,
  // the admin's queue over every survey
  surveyIds: surveyIdsOf(createDynamoSurveyCatalog(db, env[tableEnvName('surveys')])),
  linkKeys: linkKeysFromEnvironment(),
  clock: systemClock,
  history,
});

const assign = makeAssignTasks({ tasks, tokens: leads, view: work.view, clock: systemClock });

const cors = makeConsoleCors(consoleOriginsFromEnvironment());

const followups = dispatchWith(principalOf, makeFollowUpsRoutes({ work, createCxLead, audited, assign }));

export const handler = middy(followups).use(logContext()).use(originVerify()).use(compressAnswers()).use(cors.middleware).use(httpErrors(cors.headersFor));
