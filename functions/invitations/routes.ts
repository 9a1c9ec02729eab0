// routes: the admin API of email survey links as a route table, admin only, each route one use case → JSON:
// minting a campaign's links (audited; the links start at the configured base URL) and a campaign's report.
import { requireRole, type Principal } from '../../shared/access/principal.js';
import type { makeCampaignReport } from '../../shared/invitations/campaign-report.js';
import type { makeMintInvitations } from '../../shared/invitations/mint-invitations.js';
import { roundNumbers } from '../../shared/metrics/report.js';
import type { AuditRecorder } from '../commons/audit.js';
import { json, readJsonBody, type HttpEvent } from '../commons/http.js';
import type { LinkBase } from '../commons/link-base-url.js';
import { routeTable, type Route } from '../commons/routes.js';

/** 500 recipients with custom fields */
const MAX_BODY_BYTES = 1024 * 1024;

export interface InvitationsUseCases {
  mintInvitations: ReturnType<typeof makeMintInvitations>;
  campaignReport: ReturnType<typeof makeCampaignReport>;
  audited: AuditRecorder;
  baseUrlOf: LinkBase;
}

const surveyIdOf = (event: HttpEvent) => event.pathParameters?.id ?? '';

export function makeInvitationsRoutes({ mintInvitations, campaignReport, audited, baseUrlOf }: InvitationsUseCases): Route<Principal> {
  return routeTable<Principal>({
    'POST /v1/surveys/{id}/invitations': async (event, principal) =>
      // the role is checked inside `audited`, so a refused attempt is recorded too
      audited(principal, 'invitations.mint', { surveyId: surveyIdOf(event) }, async () => {
        requireRole(principal, 'admin');
        return json(201, await mintInvitations(surveyIdOf(event), readJsonBody(event, MAX_BODY_BYTES), baseUrlOf(event)));
      }),
    'GET /v1/surveys/{id}/campaigns/{campaign}': async (event, principal) => {
      requireRole(principal, 'admin');
      return json(200, roundNumbers(await campaignReport(surveyIdOf(event), event.pathParameters?.campaign ?? '')));
    },
  });
}
