// domain: invitations of an email campaign. One per (survey, campaign, customerRef), with a personal signed link
// (shared/links/signed-token.ts, purpose "survey"). What a recipient may carry, how ids and e-mail hashes are derived,
// and the invitation's answer state (opened → provisional → final). Pure (node:crypto only).
import { createHash, createHmac } from 'node:crypto';
import * as z from '../validation.js';
import type { LinkKey } from '../links/signed-token.js';
import { customerRefSchema } from '../privacy/customer-ref.js';
import { responseIdFor } from '../response/response-id.js';
import { hourRecomputedUntil } from '../rollup/bucket.js';
import { metadataSchema } from '../submission/schema.js';
import { journeyStageSchema, localeSchema, touchpointSchema } from '../survey/schema.js';

export const MAX_RECIPIENTS_PER_REQUEST = 500;
export const DEFAULT_VALID_DAYS = 30;
export const MAX_VALID_DAYS = 365;

export const campaignSchema = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, "-" and "_" only'));

/** one recipient of a campaign; `name` and `email` are never stored in clear text (see README, Email survey links) */
export const recipientSchema = z.strictObject({
  customerRef: customerRefSchema,
  email: z.optional(z.email('an e-mail address').check(z.maxLength(254))),
  name: z.optional(z.string().check(z.maxLength(200, 'at most 200 characters'))),
  locale: z.optional(localeSchema),
  touchpoint: z.optional(touchpointSchema),
  journeyStage: z.optional(journeyStageSchema),
  /** custom fields, stored with the response as metadata */
  fields: z.optional(metadataSchema),
});
export type Recipient = z.infer<typeof recipientSchema>;

export const mintRequestSchema = z.strictObject({
  campaign: campaignSchema,
  validDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(MAX_VALID_DAYS)), DEFAULT_VALID_DAYS),
  /** the HTML snippet of the first question per invitation (default true) */
  includeSnippet: z._default(z.boolean(), true),
  recipients: z.array(recipientSchema).check(z.minLength(1, 'at least one recipient'), z.maxLength(MAX_RECIPIENTS_PER_REQUEST, `at most ${MAX_RECIPIENTS_PER_REQUEST} per request`)),
});
export type MintRequest = z.infer<typeof mintRequestSchema>;

/** the answers an invitation holds before they are final: the scored answers only (an unsent comment is never kept) */
export interface ProvisionalAnswer {
  answers: Record<string, number>;
  /** when the human signal arrived (ISO); its epoch ms is the revision the answer is finalised with */
  at: string;
  signal: 'dwell' | 'interaction';
}

export interface Invitation {
  invitationId: string;
  surveyId: string;
  campaign: string;
  customerRef: string;
  /** "<kid>:<hex HMAC-SHA256>" of the lower-cased address, keyed by a key derived from the link keys */
  emailHash?: string;
  locale?: string;
  touchpoint?: string;
  journeyStage?: string;
  fields?: Record<string, string>;
  createdAt: string;
  /** the link's expiry, epoch seconds (also in the signed token) */
  expiresAt: number;
  /** epoch seconds after which the invitation is deleted (link expiry + the survey's retention) */
  retainUntil: number;
  /** page GETs (people, scanners and previews alike) and GETs carrying a score */
  opens?: number;
  clicks?: number;
  openedAt?: string;
  /** hits on the hidden honeypot link: only machines follow it */
  scannerHits?: number;
  scannedAt?: string;
  /** set once, at the first human answer (provisional or submitted); every revision of the response uses it */
  answeredAt?: string;
  /**
   * the survey's retentionDays at the first answer, set with answeredAt: that answer's response expires by it, and its
   * hour is no longer recomputed once it has, whatever the retention is raised to since (absent on older invitations)
   */
  answeredRetentionDays?: number;
  provisional?: ProvisionalAnswer;
  final?: FinalAnswer;
}

/**
 * How the invitation's answer became final, and its scores: the page shows them when the link is opened again, even
 * while the response is still on its way to the store (then the stored response, which has the comment, is not the
 * final one yet). Never the comment: its text is kept only redacted, on the stored response. `withComment` says that
 * the answer had one. Invitations made final before the scores were kept have no `answers`.
 */
export interface FinalAnswer {
  at: string;
  via: 'submit' | 'timeout';
  revision: number;
  answers?: Record<string, number>;
  withComment?: true;
}

/** the same customer in the same campaign of the same survey is one invitation, however often it is minted */
export const invitationIdFor = (surveyId: string, campaign: string, customerRef: string) =>
  `i_${createHash('sha256').update(`${surveyId}\u0000${campaign}\u0000${customerRef}`).digest('base64url').slice(0, 24)}`;

/** one response per invitation: every answer of an invitation lands on this response id */
export const responseIdOfInvitation = (invitation: Pick<Invitation, 'surveyId' | 'invitationId'>) =>
  responseIdFor(invitation.surveyId, `invitation:${invitation.invitationId}`);

/**
 * How long before the rollup stops recomputing the first answer's hour an invitation stops taking answers: room for the
 * last one to be queued, stored and rolled up. More than a message's whole life on the responses queue (5 receives of
 * 240 s, infra/topology.ts) plus the rollup's settle time and run.
 */
export const ANSWER_CLOSE_MARGIN_MS = 60 * 60_000;

/** what of an invitation decides when it stops taking answers: its first answer's time and retention */
type FirstAnswer = Pick<Invitation, 'answeredAt' | 'answeredRetentionDays'>;

/**
 * When an answered invitation stops taking answers (a change, or a provisional answer made final): every revision keeps
 * the first answer's receivedAt, so one given after the rollup stopped recomputing that hour would be stored and never
 * counted (or stored already expired, past the retention that ends a little later): it is refused instead. The hour
 * stops at the retention its responses were stored with: the shorter of the survey's retentionDays now and at the first
 * answer (a retention raised since does not bring back an hour whose responses have begun to expire). Undefined while
 * the invitation has no answer. At least 22 hours after the first answer (retentionDays is at least 1).
 */
export const answersCloseAt = (invitation: FirstAnswer, retentionDays: number): Date | undefined =>
  invitation.answeredAt === undefined
    ? undefined
    : new Date(hourRecomputedUntil(invitation.answeredAt, Math.min(retentionDays, invitation.answeredRetentionDays ?? retentionDays)).getTime() - ANSWER_CLOSE_MARGIN_MS);

export const answersClosed = (invitation: FirstAnswer, retentionDays: number, now: Date): boolean =>
  (answersCloseAt(invitation, retentionDays)?.getTime() ?? Infinity) <= now.getTime();

/** the longest a provisional answer stands before the finaliser makes it final (EMAIL_SURVEY_FINALISE_MINUTES' bound) */
export const MAX_FINALISE_DELAY_MS = 20 * 60 * 60_000;

/**
 * Whether an invitation still takes a provisional answer (the page's human signal, no send). Each replaces the one
 * before, and is made final only after the finaliser's delay: one recorded too close to the close would be dropped as
 * late, and take the one it replaced with it, leaving no answer at all. So provisional answers stop the longest delay
 * before the close (the first one always fits: the close is at least 22 hours after it), and the one already
 * recorded stands; a send still changes the answer until the close.
 */
export const provisionalAnswersClosed = (invitation: FirstAnswer, retentionDays: number, now: Date): boolean =>
  answersClosed(invitation, retentionDays, new Date(now.getTime() + MAX_FINALISE_DELAY_MS));

/**
 * A keyed hash of an e-mail address, so the address is never stored yet the same address is recognised (de-duplication,
 * a customer's erasure request). Keyed with a key derived from the FIRST (oldest) link key, so signing-key rotation
 * (which appends keys) does not change it; the kid says which key it was.
 */
export function emailHashOf(keys: readonly LinkKey[], email: string): string {
  const key = keys[0];
  if (!key) throw new Error('no link signing key');
  const derived = createHmac('sha256', key.secret).update('feedback email-hash v1').digest();
  return `${key.kid}:${createHmac('sha256', derived).update(email.trim().toLowerCase()).digest('hex')}`;
}
