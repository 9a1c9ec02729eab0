// routes: the admin API as a route table, each route one use case → JSON or CSV. Writes and access management are
// admin only (writes check the role inside `audited`, so a refused attempt is recorded too); the survey reads take
// the admin or a CX lead granted the survey (403 otherwise). The use cases are wired here from the ports the handler
// builds.
import { makeListAlerts } from '../../shared/alerts/list-alerts.js';
import type { AlertStore } from '../../shared/alerts/alert-store.js';
import { requireRole, requireSurvey, type Principal } from '../../shared/access/principal.js';
import { makeCreateToken, makeListTokens, makeRevokeToken, tokenIdOf, type TokenStore } from '../../shared/access/tokens.js';
import type { AuditLog } from '../../shared/audit/audit-entry.js';
import { makeListAudit } from '../../shared/audit/list-audit.js';
import type { Clock } from '../../shared/clock.js';
import { invalidRequest, notFound } from '../../shared/errors.js';
import { makeReportFollowUps } from '../../shared/followups/report-followups.js';
import type { TaskStore } from '../../shared/followups/task-store.js';
import { answeredReportProblem, roundNumbers } from '../../shared/metrics/report.js';
import { metricsCsv } from '../../shared/metrics/report-csv.js';
import { makeMetricsReport } from '../../shared/metrics/report-metrics.js';
import { onlyParameters } from '../../shared/query-values.js';
import { makeExportResponses } from '../../shared/response/export-responses.js';
import { makeListResponses } from '../../shared/response/list-responses.js';
import type { ResponseStore } from '../../shared/response/stored-response.js';
import type { AggregateStore } from '../../shared/rollup/aggregate-store.js';
import { makePutSurvey } from '../../shared/survey/put-survey.js';
import { makeListSurveys, type SurveyCatalog } from '../../shared/survey/survey-catalog.js';
import type { SurveyStore } from '../../shared/survey/survey-store.js';
import { createdTokenIdOf, makeAuditRecorder } from '../commons/audit.js';
import { csv, json, readJsonBody, type HttpEvent, type HttpResult } from '../commons/http.js';
import { routeTable, type Route } from '../commons/routes.js';

const MAX_SURVEY_BYTES = 64 * 1024;
const MAX_TOKEN_BODY_BYTES = 8 * 1024;

export interface AdminPorts {
  surveys: SurveyStore;
  responses: ResponseStore;
  tasks: TaskStore;
  aggregates: AggregateStore;
  alerts: AlertStore;
  catalog: SurveyCatalog;
  tokens: TokenStore;
  auditLog: AuditLog;
  clock: Clock;
}

/** the routes, each answering for the caller's principal */
export function makeAdminRoutes({ surveys, responses, tasks, aggregates, alerts, catalog, tokens, auditLog, clock }: AdminPorts): Route<Principal> {
  const putSurvey = makePutSurvey({ surveys, tokens });
  const listResponses = makeListResponses({ surveys, responses, clock });
  const exportResponses = makeExportResponses({ list: listResponses });
  const reportFollowUps = makeReportFollowUps({ tasks, responses, surveys, clock });
  const metricsReport = makeMetricsReport({ surveys, aggregates, clock });
  const listAlerts = makeListAlerts({ surveys, alerts });
  const listSurveys = makeListSurveys({ catalog });
  const createToken = makeCreateToken({ tokens, clock });
  const listTokens = makeListTokens({ tokens });
  const revokeToken = makeRevokeToken({ tokens, clock });
  const listAudit = makeListAudit({ log: auditLog, clock });
  const audited = makeAuditRecorder({ log: auditLog, clock });

  const idOf = (event: HttpEvent) => event.pathParameters?.id ?? '';
  const queryOf = (event: HttpEvent) => event.queryStringParameters ?? {};
  /** a read of one survey: the admin, or a CX lead granted the survey */
  const surveyRead =
    (read: (surveyId: string, event: HttpEvent) => Promise<HttpResult>): Route<Principal> =>
    async (event, principal) => {
      requireSurvey(principal, idOf(event));
      return read(idOf(event), event);
    };

  return routeTable<Principal>({
    'PUT /v1/surveys/{id}': async (event, principal) =>
      audited(principal, 'survey.put', { surveyId: idOf(event) }, async () => {
        requireRole(principal, 'admin');
        return json(200, await putSurvey(idOf(event), readJsonBody(event, MAX_SURVEY_BYTES)));
      }),
    'POST /v1/tokens': async (event, principal) =>
      audited(principal, 'token.create', {}, async () => json(201, await createToken(readJsonBody(event, MAX_TOKEN_BODY_BYTES), principal)), createdTokenIdOf),
    'GET /v1/tokens': async (event, principal) => {
      requireRole(principal, 'admin');
      return json(200, await listTokens(principal, queryOf(event)));
    },
    'DELETE /v1/tokens/{id}': async (event, principal) => audited(principal, 'token.revoke', { tokenId: tokenIdOf(idOf(event)) }, async () => json(200, await revokeToken(idOf(event), principal))),
    'GET /v1/audit': async (event, principal) => {
      requireRole(principal, 'admin');
      return json(200, await listAudit(principal, queryOf(event)));
    },
    'GET /v1/surveys': async (event, principal) => {
      onlyParameters(queryOf(event), []);
      return json(200, await listSurveys(principal));
    },
    'GET /v1/surveys/{id}': surveyRead(async (surveyId) => {
      const survey = await surveys.get(surveyId);
      if (!survey) throw notFound('survey');
      return json(200, survey);
    }),
    'GET /v1/surveys/{id}/responses': surveyRead(async (surveyId, event) => json(200, await listResponses(surveyId, queryOf(event)))),
    'GET /v1/surveys/{id}/responses.csv': surveyRead(async (surveyId, event) => {
      const exported = await exportResponses(surveyId, queryOf(event));
      return csv(200, exported.csv, `${surveyId}-responses.csv`, { 'x-rows': String(exported.rows), ...(exported.cursor ? { 'x-next-cursor': exported.cursor } : {}) });
    }),
    'GET /v1/surveys/{id}/metrics': surveyRead(async (surveyId, event) => {
      // figures rounded to 4 decimals; trends were judged significant on the exact values
      const report = await metricsReport(surveyId, queryOf(event));
      const followups = await reportFollowUps(surveyId, report.from, report.to, report.series);
      const answer = json(200, roundNumbers({ ...report, followups }));
      const tooLarge = answeredReportProblem(answer.body!);
      if (tooLarge) throw invalidRequest([tooLarge]);
      return answer;
    }),
    'GET /v1/surveys/{id}/metrics.csv': surveyRead(async (surveyId, event) => {
      const report = await metricsReport(surveyId, queryOf(event));
      return csv(200, metricsCsv(report), `${report.surveyId}-metrics-${report.interval}.csv`);
    }),
    'GET /v1/surveys/{id}/alerts': surveyRead(async (surveyId, event) => json(200, await listAlerts(surveyId, queryOf(event)))),
  });
}
