// handler: the admin API (bearer token) → survey definitions, stored responses, metrics reports and drop alerts.
// CX console: the read routes also take a CX lead's token, for the surveys it is granted (403 otherwise); writes
// (PUT survey) stay admin-only. GET /v1/surveys lists what the token may see.
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
import { createDynamoCxLeadStore } from '../../shared/access/dynamo-cx-lead-store.js';
import { requireSurvey } from '../../shared/access/principal.js';
import { makeExportResponses } from '../../shared/response/export-responses.js';
import { createDynamoSurveyCatalog } from '../../shared/survey/dynamo-survey-catalog.js';
import { makeListSurveys } from '../../shared/survey/survey-catalog.js';
import { adminTokenFromEnvironment } from '../commons/admin-token.js';
import { consoleOriginsFromEnvironment, makeConsoleCors } from '../commons/console-cors.js';
import { makePrincipalResolver } from '../commons/principal.js';
import { readEnv } from '../commons/env.js';
import { csv, httpErrors, json, readJsonBody, type HttpEvent, type HttpResult } from '../commons/http.js';
import { logger } from '../commons/powertools.js';

const MAX_SURVEY_BYTES = 64 * 1024;

const env = readEnv({
  [tableEnvName('surveys')]: z.string().min(1),
  [tableEnvName('responses')]: z.string().min(1),
  [tableEnvName('aggregates')]: z.string().min(1),
  [tableEnvName('alerts')]: z.string().min(1),
  [tableEnvName('followups')]: z.string().min(1),
  [tableEnvName('cxLeads')]: z.string().min(1),
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
const principalOf = makePrincipalResolver({ adminToken: adminTokenFromEnvironment(), leads: createDynamoCxLeadStore(db, env[tableEnvName('cxLeads')]) });
const cors = makeConsoleCors(consoleOriginsFromEnvironment());

async function admin(event: HttpEvent): Promise<HttpResult> {
  const principal = await principalOf(event);
  if (event.routeKey === 'GET /v1/surveys') return json(200, await listSurveys(principal));
  const surveyId = event.pathParameters?.id ?? '';
  if (event.routeKey === 'PUT /v1/surveys/{id}') {
    if (principal.role !== 'admin') throw new ApiError(403, 'admin only', [{ path: 'authorization', reason: 'only the admin token may change surveys' }]);
    return json(200, await putSurvey(surveyId, readJsonBody(event, MAX_SURVEY_BYTES)));
  }
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

export const handler = middy(admin).use(injectLambdaContext(logger)).use(cors.middleware).use(httpErrors(cors.headersFor));
