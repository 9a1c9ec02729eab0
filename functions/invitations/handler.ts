// handler: the admin API of email survey links (bearer token: the root admin or an admin-role token) →
// POST /v1/surveys/{id}/invitations mints a campaign's personal links (and their e-mail snippets), audited;
// GET /v1/surveys/{id}/campaigns/{campaign} reports on a campaign. Routes: routes.ts.
import middy from '@middy/core';
import * as z from '../../shared/validation.js';
import { boundEnvNames, tableEnvName } from '../../infra/topology.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { createDynamoAuditLog } from '../../shared/audit/dynamo-audit-log.js';
import { makeCampaignReport } from '../../shared/invitations/campaign-report.js';
import { createDynamoInvitationStore } from '../../shared/invitations/dynamo-invitation-store.js';
import { createDynamoResponsesById } from '../../shared/invitations/dynamo-responses-by-id.js';
import { makeMintInvitations } from '../../shared/invitations/mint-invitations.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { makeAuditRecorder } from '../commons/audit.js';
import { emailSurveySettings } from '../commons/email-survey-settings.js';
import { compressAnswers } from '../commons/content-encoding.js';
import { readEnv } from '../commons/env.js';
import { httpErrors } from '../commons/http.js';
import { linkBaseOf } from '../commons/link-base-url.js';
import { linkKeysFromEnvironment } from '../commons/link-keys.js';
import { originVerify } from '../commons/origin-verify.js';
import { logContext } from '../commons/powertools.js';
import { principalResolverFor } from '../commons/principal.js';
import { dispatchWith } from '../commons/routes.js';
import { makeInvitationsRoutes } from './routes.js';

const env = readEnv({
  [tableEnvName('surveys')]: z.string().check(z.minLength(1)),
  [tableEnvName('invitations')]: z.string().check(z.minLength(1)),
  [tableEnvName('responses')]: z.string().check(z.minLength(1)),
  [tableEnvName('cxLeads')]: z.string().check(z.minLength(1)),
  [tableEnvName('audit')]: z.string().check(z.minLength(1)),
  EMAIL_SURVEY_BASE_URL: emailSurveySettings.EMAIL_SURVEY_BASE_URL,
});
const db = createDocumentClient();
const surveys = createDynamoSurveyStore(db, env[tableEnvName('surveys')]);
const invitations = createDynamoInvitationStore(db, env[tableEnvName('invitations')]);
const mintInvitations = makeMintInvitations({ surveys, invitations, linkKeys: linkKeysFromEnvironment(), clock: systemClock });
const campaignReport = makeCampaignReport({ surveys, invitations, responses: createDynamoResponsesById(db, env[tableEnvName('responses')]), clock: systemClock });
const principalOf = principalResolverFor(db, env[tableEnvName('cxLeads')]);
const audited = makeAuditRecorder({ log: createDynamoAuditLog(db, env[tableEnvName('audit')]), clock: systemClock });
// the cloud configuration (link keys in Secrets Manager) needs the configured base URL; never the request's headers
const baseUrlOf = linkBaseOf({ configured: env.EMAIL_SURVEY_BASE_URL, cloud: !!process.env[boundEnvNames.linkSigningKeysSecretArn] });

const invitationsApi = dispatchWith(principalOf, makeInvitationsRoutes({ mintInvitations, campaignReport, audited, baseUrlOf }));

export const handler = middy(invitationsApi).use(logContext()).use(originVerify()).use(compressAnswers()).use(httpErrors());
