// use case: mint a campaign's invitations (admin: POST /v1/surveys/{id}/invitations, and the CLI's `invite`).
//   1. check the request as a whole (400 naming every offending field, e.g. recipients.3.email): nothing is written
//      unless every recipient is valid
//   2. the survey must exist (404) and list the email channel (400)
//   3. per recipient: the invitation id derived from (survey, campaign, customerRef), the e-mail kept only as a keyed
//      hash, the name not at all; a conditional put, so minting the same recipient again (a retried chunk, a rerun of
//      the CLI) answers the same invitation and the same link, never a second one
//   4. per invitation: its signed link (the expiry stored with it, so a re-mint signs the same token) and, when asked,
//      the HTML snippet of the first question
import type { Clock } from '../clock.js';
import { ApiError, detailsFromZod, invalidRequest, notFound } from '../errors.js';
import { signLinkToken, type LinkKey } from '../links/signed-token.js';
import type { SurveyStore } from '../survey/survey-store.js';
import { emailSnippet, surveyLinkPath } from './email-snippet.js';
import { emailHashOf, invitationIdFor, mintRequestSchema, type Invitation } from './invitation.js';
import type { InvitationStore } from './invitation-store.js';

export interface MintedInvitation {
  invitationId: string;
  customerRef: string;
  link: string;
  expiresAt: string;
  /** true when this recipient already had an invitation in this campaign: its link is returned again */
  existing: boolean;
  snippet?: string;
}

export interface MintResult {
  surveyId: string;
  campaign: string;
  minted: number;
  existing: number;
  invitations: MintedInvitation[];
}

const CONCURRENCY = 16;

/** runs `work` on each item with at most `limit` at a time, results in input order */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function makeMintInvitations({ surveys, invitations, linkKeys, clock }: { surveys: SurveyStore; invitations: InvitationStore; linkKeys: () => Promise<LinkKey[]>; clock: Clock }) {
  return async function mintInvitations(surveyId: string, body: unknown, baseUrl: string): Promise<MintResult> {
    const parsed = mintRequestSchema.safeParse(body);
    if (!parsed.success) throw invalidRequest(detailsFromZod(parsed.error));
    const request = parsed.data;
    const survey = await surveys.get(surveyId);
    if (!survey) throw notFound('survey');
    if (!survey.channels.includes('email')) {
      throw new ApiError(400, 'invalid request', [{ path: 'surveyId', reason: 'the survey does not list the "email" channel' }]);
    }
    const keys = await linkKeys();
    const now = clock.now();
    const createdAt = now.toISOString();
    const expiresAt = Math.floor(now.getTime() / 1000) + request.validDays * 86_400;

    const results = await mapLimited(request.recipients, CONCURRENCY, async (recipient) => {
      const wanted: Invitation = {
        invitationId: invitationIdFor(survey.id, request.campaign, recipient.customerRef),
        surveyId: survey.id,
        campaign: request.campaign,
        customerRef: recipient.customerRef,
        ...(recipient.email ? { emailHash: emailHashOf(keys, recipient.email) } : {}),
        ...(recipient.locale ? { locale: recipient.locale } : {}),
        ...(recipient.touchpoint ? { touchpoint: recipient.touchpoint } : {}),
        ...(recipient.journeyStage ? { journeyStage: recipient.journeyStage } : {}),
        ...(recipient.fields && Object.keys(recipient.fields).length ? { fields: recipient.fields } : {}),
        createdAt,
        expiresAt,
        retainUntil: expiresAt + survey.retentionDays * 86_400,
      };
      const { invitation, created } = await invitations.create(wanted);
      const token = signLinkToken(keys, { purpose: 'survey', surveyId: survey.id, invitationId: invitation.invitationId, exp: invitation.expiresAt });
      const minted: MintedInvitation = {
        invitationId: invitation.invitationId,
        customerRef: invitation.customerRef,
        link: baseUrl + surveyLinkPath(token),
        expiresAt: new Date(invitation.expiresAt * 1000).toISOString(),
        existing: !created,
      };
      if (request.includeSnippet) minted.snippet = emailSnippet(survey, invitation.locale, baseUrl, token);
      return minted;
    });
    const existing = results.filter((r) => r.existing).length;
    return { surveyId: survey.id, campaign: request.campaign, minted: results.length - existing, existing, invitations: results };
  };
}
