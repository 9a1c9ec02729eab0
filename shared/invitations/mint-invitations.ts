// use case: mint a campaign's invitations (admin: POST /v1/surveys/{id}/invitations, and the CLI's `invite`).
//   1. check the request as a whole (400 naming every offending field, e.g. recipients.3.email): nothing is written
//      unless every recipient is valid
//   2. the survey must exist (404) and list the email channel (400)
//   3. per recipient: the invitation id derived from (survey, campaign, customerRef), the e-mail kept only as a keyed
//      hash, the name not at all; existing invitations are read first and kept as they are, so minting the same
//      recipient again (a retried chunk, a rerun of the CLI) answers the same invitation and link, never a second one;
//      e-mails and phone numbers in the custom fields' values are redacted before they are stored (redact-values.ts)
//   4. per invitation: its signed link (the expiry stored with it, so a re-mint signs the same token) and, when asked,
//      the HTML snippet of the first question. The answer must fit in one Lambda answer: checked on the invitations as
//      they would be answered, before any is stored (400 naming recipients, with the `maxRecipients` that would fit;
//      500 with snippets take about 4 MB of the 5)
import { answerBytesOf, leadingWithin, MAX_ANSWER_BODY_BYTES } from '../answer-size.js';
import type { Clock } from '../clock.js';
import { ApiError, detailsFromZod, invalidRequest, notFound } from '../errors.js';
import { signLinkToken, type LinkKeys } from '../links/signed-token.js';
import { redactedValues } from '../privacy/redact-values.js';
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

export function makeMintInvitations({ surveys, invitations, linkKeys, clock }: { surveys: SurveyStore; invitations: InvitationStore; linkKeys: LinkKeys; clock: Clock }) {
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

    // the same customerRef twice in one request is one invitation
    const wanted = new Map<string, Invitation>();
    const idsInOrder = request.recipients.map((recipient) => {
      const invitationId = invitationIdFor(survey.id, request.campaign, recipient.customerRef);
      if (!wanted.has(invitationId)) {
        wanted.set(invitationId, {
          invitationId,
          surveyId: survey.id,
          campaign: request.campaign,
          customerRef: recipient.customerRef,
          ...(recipient.email ? { emailHash: emailHashOf(keys, recipient.email) } : {}),
          ...(recipient.locale ? { locale: recipient.locale } : {}),
          ...(recipient.touchpoint ? { touchpoint: recipient.touchpoint } : {}),
          ...(recipient.journeyStage ? { journeyStage: recipient.journeyStage } : {}),
          ...(recipient.fields && Object.keys(recipient.fields).length ? { fields: redactedValues(recipient.fields) } : {}),
          createdAt,
          expiresAt,
          retainUntil: expiresAt + survey.retentionDays * 86_400,
        });
      }
      return invitationId;
    });
    const resultOf = (invitation: Invitation, existing: boolean): MintedInvitation => {
      const token = signLinkToken(keys, { purpose: 'survey', surveyId: survey.id, invitationId: invitation.invitationId, exp: invitation.expiresAt });
      return {
        invitationId: invitation.invitationId,
        customerRef: invitation.customerRef,
        link: baseUrl + surveyLinkPath(token),
        expiresAt: new Date(invitation.expiresAt * 1000).toISOString(),
        existing,
        ...(request.includeSnippet ? { snippet: emailSnippet(survey, invitation.locale, baseUrl, token) } : {}),
      };
    };
    // the answer as it would be, measured before anything is stored
    const answerable = idsInOrder.map((invitationId) => resultOf(wanted.get(invitationId)!, false));
    const fitting = leadingWithin(answerable, MAX_ANSWER_BODY_BYTES - answerBytesOf(JSON.stringify({ surveyId: survey.id, campaign: request.campaign, minted: 0, existing: 0 })) - 64);
    if (fitting < answerable.length) {
      throw new ApiError(
        400,
        'invalid request',
        [{ path: 'recipients', reason: `at most ${fitting} of these recipients per request: their links${request.includeSnippet ? ' and snippets' : ''} would not fit in one answer` }],
        { maxRecipients: fitting },
      );
    }

    const stored = new Map((await invitations.createMany([...wanted.values()])).map((s) => [s.invitation.invitationId, s]));
    const seen = new Set<string>();
    const results = idsInOrder.map((invitationId, index) => {
      const { invitation, created } = stored.get(invitationId)!;
      const existing = !created || seen.has(invitationId);
      seen.add(invitationId);
      // one stored now is answered as it was measured; one that existed has its own expiry (its own link) and locale
      return created ? { ...answerable[index]!, existing } : resultOf(invitation, true);
    });
    const existing = results.filter((r) => r.existing).length;
    return { surveyId: survey.id, campaign: request.campaign, minted: results.length - existing, existing, invitations: results };
  };
}
