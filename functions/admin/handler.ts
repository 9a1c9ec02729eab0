// handler: the admin API (bearer token: the root admin or an admin-role token) → survey definitions, stored responses,
// metrics reports and drop alerts; access tokens (create, list, revoke) and the audit log. Writes are audited.
// CX console: the survey read routes also take a CX lead's token, for the surveys it is granted (403 otherwise);
// GET /v1/surveys lists what the token may see.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { tableEnvName } from '../../infra/topology.js';
import { createDynamoAlertStore } from '../../shared/alerts/dynamo-alert-store.js';
import { makeListAlerts } from '../../shared/alerts/list-alerts.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { ApiError, notFound } from '../../shared/errors.js';
import { roundNumbers } from '../../shared/metrics/report.js';
import { metricsCsv } from '../../shared/metrics/report-csv.js';
import { makeMetricsReport } from '../../shared/metrics/report-metrics.js';
import { makeReportFollowUps } from '../../shared/followups/report-followups.js';
import { createDynamoTaskStore } from '../../shared/followups/dynamo-task-store.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { makeListResponses } from '../../shared/response/list-responses.js';
import { createDynamoAggregateStore } from '../../shared/rollup/dynamo-aggregate-store.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { makePutSurvey } from '../../shared/survey/put-survey.js';
import { requireRole, requireSurvey } from '../../shared/access/principal.js';
import { createDynamoTokenStore } from '../../shared/access/dynamo-token-store.js';
import { makeCreateToken, makeListTokens, makeRevokeToken, tokenIdOf } from '../../shared/access/tokens.js';
import { createDynamoAuditLog } from '../../shared/audit/dynamo-audit-log.js';
import { makeListAudit } from '../../shared/audit/list-audit.js';
import { makeExportResponses } from '../../shared/response/export-responses.js';
import { createDynamoSurveyCatalog } from '../../shared/survey/dynamo-survey-catalog.js';
import { makeListSurveys } from '../../shared/survey/survey-catalog.js';
import { makeAuditRecorder } from '../commons/audit.js';
import { consoleOriginsFromEnvironment, makeConsoleCors } from '../commons/console-cors.js';
import { readEnv } from '../commons/env.js';
import { csv, httpErrors, json, readJsonBody, type HttpEvent, type HttpResult } from '../commons/http.js';
import { originVerify } from '../commons/origin-verify.js';
import { logger } from '../commons/powertools.js';
import { principalResolverFor } from '../commons/principal.js';

const MAX_SURVEY_BYTES = 64 * 1024;

const env = readEnv({
  [tableEnvName('surveys')]: z.string().min(1),
  [tableEnvName('responses')]: z.string().min(1),
  [tableEnvName('aggregates')]: z.string().min(1),
  [tableEnvName('alerts')]: z.string().min(1),
  [tableEnvName('followups')]: z.string().min(1),
  [tableEnvName('cxLeads')]: z.string().min(1),
  [tableEnvName('audit')]: z.string().min(1),
});
const db = createDocumentClient();
const surveys = createDynamoSurveyStore(db, env[tableEnvName('surveys')]);
const putSurvey = makePutSurvey({ surveys });
const responses = createDynamoResponseStore(db, env[tableEnvName('responses')]);
const listResponses = makeListResponses({ surveys, responses, clock: systemClock });
const reportFollowUps = makeReportFollowUps({ tasks: createDynamoTaskStore(db, env[tableEnvName('followups')]), responses, surveys, clock: systemClock });
const metricsReport = makeMetricsReport({
  surveys,
  aggregates: createDynamoAggregateStore(db, env[tableEnvName('aggregates')]),
  clock: systemClock,
});
const listAlerts = makeListAlerts({ surveys, alerts: createDynamoAlertStore(db, env[tableEnvName('alerts')]) });
const exportResponses = makeExportResponses({ list: listResponses });
const listSurveys = makeListSurveys({ catalog: createDynamoSurveyCatalog(db, env[tableEnvName('surveys')]) });
const tokens = createDynamoTokenStore(db, env[tableEnvName('cxLeads')]);
const principalOf = principalResolverFor(db, env[tableEnvName('cxLeads')]);
const createToken = makeCreateToken({ tokens, clock: systemClock });
const listTokens = makeListTokens({ tokens });
const revokeToken = makeRevokeToken({ tokens, clock: systemClock });
const auditLog = createDynamoAuditLog(db, env[tableEnvName('audit')]);
const listAudit = makeListAudit({ log: auditLog, clock: systemClock });
const audited = makeAuditRecorder({ log: auditLog, clock: systemClock });
const cors = makeConsoleCors(consoleOriginsFromEnvironment());

const MAX_TOKEN_BODY_BYTES = 8 * 1024;

async function admin(event: HttpEvent): Promise<HttpResult> {
  const principal = await principalOf(event);
  const surveyId = event.pathParameters?.id ?? '';
  // writes and access management: admin only; writes check the role inside `audited`, so a refused attempt is
  // recorded too
  switch (event.routeKey) {
    case 'PUT /v1/surveys/{id}':
      return audited(principal, 'survey.put', { surveyId }, async () => {
        requireRole(principal, 'admin');
        return json(200, await putSurvey(surveyId, readJsonBody(event, MAX_SURVEY_BYTES)));
      });
    case 'POST /v1/tokens':
      return audited(
        principal,
        'token.create',
        {},
        async () => json(201, await createToken(readJsonBody(event, MAX_TOKEN_BODY_BYTES), principal)),
        (result) => ({ tokenId: (JSON.parse(result.body ?? '{}') as { id?: string }).id }),
      );
    case 'GET /v1/tokens':
      requireRole(principal, 'admin');
      return json(200, await listTokens(principal));
    case 'DELETE /v1/tokens/{id}': {
      const tokenId = event.pathParameters?.id ?? '';
      return audited(principal, 'token.revoke', { tokenId: tokenIdOf(tokenId) }, async () => json(200, await revokeToken(tokenId, principal)));
    }
    case 'GET /v1/audit':
      requireRole(principal, 'admin');
      return json(200, await listAudit(principal, event.queryStringParameters ?? {}));
    case 'GET /v1/surveys':
      return json(200, await listSurveys(principal));
  }
  // survey reads: the admin, or a CX lead granted the survey
  requireSurvey(principal, surveyId);
  switch (event.routeKey) {
    case 'GET /v1/surveys/{id}': {
      const survey = await surveys.get(surveyId);
      if (!survey) throw notFound('survey');
      return json(200, survey);
    }
    case 'GET /v1/surveys/{id}/responses':
      return json(200, await listResponses(surveyId, event.queryStringParameters ?? {}));
    case 'GET /v1/surveys/{id}/responses.csv': {
      const exported = await exportResponses(surveyId, event.queryStringParameters ?? {});
      return csv(200, exported.csv, `${surveyId}-responses.csv`, { 'x-rows': String(exported.rows), ...(exported.cursor ? { 'x-next-cursor': exported.cursor } : {}) });
    }
    case 'GET /v1/surveys/{id}/metrics':
    {
      // figures rounded to 4 decimals; trends were judged significant on the exact values
      const report = await metricsReport(surveyId, event.queryStringParameters ?? {});
      const followups = await reportFollowUps(surveyId, report.from, report.to);
      return json(200, roundNumbers({ ...report, followups }));
    }
    case 'GET /v1/surveys/{id}/metrics.csv': {
      const report = await metricsReport(surveyId, event.queryStringParameters ?? {});
      return csv(200, metricsCsv(report), `${report.surveyId}-metrics-${report.interval}.csv`);
    }
    case 'GET /v1/surveys/{id}/alerts':
      return json(200, await listAlerts(surveyId, event.queryStringParameters ?? {}));
    default:
      throw new ApiError(404, 'no such route');
  }
}

export const handler = middy(admin).use(injectLambdaContext(logger)).use(originVerify()).use(cors.middleware).use(httpErrors(cors.headersFor));
