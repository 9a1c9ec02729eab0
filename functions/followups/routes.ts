// routes: the CX API as a route table, each route one use case → JSON: the follow-up tasks (list, read, and the four
// actions, audited), GET /v1/me (who the caller is) and POST /v1/cx-leads (admin only, audited), which returns the new lead's token once.
import type { makeCreateCxLead, Principal } from '../../shared/access/principal.js';
import type { makeAssignTasks } from '../../shared/followups/assign-tasks.js';
import { callerOf } from '../../shared/access/caller.js';
import type { AuditAction } from '../../shared/audit/audit-entry.js';
import type { makeWorkTasks, TaskActionName } from '../../shared/followups/work-tasks.js';
import { ApiError } from '../../shared/errors.js';
import { onlyParameters } from '../../shared/query-values.js';
import { createdTokenIdOf, type AuditRecorder } from '../commons/audit.js';
import { bodyTextOf, json, readJsonBody, type HttpEvent, type HttpResult } from '../commons/http.js';
import { logger } from '../commons/powertools.js';
import { routeTable, type Route } from '../commons/routes.js';

const MAX_BODY_BYTES = 8 * 1024;

export interface FollowUpsUseCases {
  work: ReturnType<typeof makeWorkTasks>;
  createCxLead: ReturnType<typeof makeCreateCxLead>;
  audited: AuditRecorder;
  assign: ReturnType<typeof makeAssignTasks>;
}

const surveyIdOf = (result: HttpResult) => ({ surveyId: (JSON.parse(result.body ?? '{}') as { surveyId?: string }).surveyId });
const taskIdOf = (event: HttpEvent) => event.pathParameters?.id ?? '';
/** a bulk action's audit action: assigning, or closing (no_action is a resolve); from its name or its raw body */
const bulkAuditAction = (actionOrBody: string | undefined): AuditAction => (actionOrBody === 'assign' || /"action"\s*:\s*"assign"/.test(actionOrBody ?? '') ? 'followup.assign' : 'followup.resolve');

/** the routes, each answering for the caller's principal */
export function makeFollowUpsRoutes({ work, createCxLead, audited, assign }: FollowUpsUseCases): Route<Principal> {
  const act =
    (action: TaskActionName): Route<Principal> =>
    async (event, principal) =>
      audited(principal, `followup.${action}` satisfies AuditAction, { taskId: taskIdOf(event) }, async () => {
        // claim and contacted need no body; notes and resolve do
        const body = event.body ? readJsonBody(event, MAX_BODY_BYTES) : undefined;
        return json(200, await work.act(principal, taskIdOf(event), action, body));
      }, surveyIdOf);

  return routeTable<Principal>({
    'POST /v1/cx-leads': async (event, principal) =>
      audited(principal, 'cxLead.create', {}, async () => json(201, await createCxLead(readJsonBody(event, MAX_BODY_BYTES), principal)), createdTokenIdOf),
    'GET /v1/me': async (event, principal) => {
      onlyParameters(event.queryStringParameters ?? {}, []);
      return json(200, callerOf(principal));
    },
    'GET /v1/followups': async (event, principal) => json(200, await work.list(principal, event.queryStringParameters ?? {})),
    'GET /v1/followups/{id}': async (event, principal) => json(200, await work.get(principal, taskIdOf(event))),
    'POST /v1/followups/{id}/claim': act('claim'),
    'POST /v1/followups/{id}/notes': act('notes'),
    'POST /v1/followups/{id}/contacted': act('contacted'),
    'POST /v1/followups/{id}/resolve': act('resolve'),
    'POST /v1/followups/{id}/assign': async (event, principal) =>
      audited(principal, 'followup.assign', { taskId: taskIdOf(event) }, async () => json(200, await assign.assign(principal, taskIdOf(event), readJsonBody(event, MAX_BODY_BYTES))), surveyIdOf),
    // each task's outcome is audited on its own (a bulk no_action closes tasks: followup.resolve)
    'POST /v1/followups/bulk': async (event, principal) => {
      let answer: Awaited<ReturnType<typeof assign.bulk>>;
      try {
        answer = await assign.bulk(principal, readJsonBody(event, MAX_BODY_BYTES));
      } catch (error) {
        // refused as a whole (bad request, may not assign): one entry, no task changed
        // the refusal is answered even if recording it fails (as `audited` does)
        if (error instanceof ApiError) {
          await audited.record(principal, bulkAuditAction(bodyTextOf(event)), {}, error.status).catch(() => logger.error('audit entry not recorded', { action: 'bulk', status: error.status }));
        }
        throw error;
      }
      const action = bulkAuditAction(answer.action);
      for (const result of answer.results) {
        await audited.record(principal, action, { taskId: result.id, ...(result.ok ? { surveyId: result.task.surveyId } : {}) }, result.ok ? 200 : result.status);
      }
      return json(200, { results: answer.results });
    },
    'GET /v1/cx-leads': async (event, principal) => json(200, await assign.leads(principal, event.queryStringParameters ?? {})),
  });
}
