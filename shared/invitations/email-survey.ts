// use case: the hosted survey page behind a personal email link (public: the signed token is the credential).
// Scanner-safe: nothing a GET does is ever an answer.
//   open (GET /s/{token}[?score=N]): verify the token (400 tampered, 410 expired), count the open (and the click),
//        find the survey (404), say when the invitation no longer takes answers (answersCloseAt), check the score
//        against the first question's scale (out of range: shown, not kept), and find the answer the form shows
//        (shownAnswer): a sent answer is replaced as a whole, so the form must hold all of it for one change to keep
//        the rest
//   honeypot (GET /s/{token}/h): verify, mark the invitation scanned (only machines follow that link)
//   signal (POST /s/{token}/signal, sent by the page's script on a human signal): verify the page stamp; a dwell
//        signal counts only once the dwell has passed since the page was served; then the selected scores, if they meet
//        the survey's rules as a form would (answerRefusals), become the invitation's provisional answer (not once it
//        is final, nor once it no longer takes answers)
//   submit (POST /s/{token}, the form): verify; a filled honeypot field (not blank: the widget's rule, isHoneypotFilled)
//        records nothing (answered like a success); an invitation that no longer takes answers is 409 (its first
//        answer is past the time a change could still be counted: see answersCloseAt); check the answers against the
//        survey, and that the comment arrived as text (400 naming each field); then
//          1. fix the invitation's answeredAt (set once: every revision of the response carries it)
//          2. enqueue the response with revision = the time of this answer (later than any provisional one)
//          3. mark the invitation final with the answer's scores (drops the provisional answer)
//        A crash after 2 leaves a provisional answer that the finaliser re-enqueues with its own, older revision: the
//        store keeps the submitted one. Submitting again while the invitation takes answers replaces the same response.
import * as z from '../validation.js';
import type { Clock } from '../clock.js';
import { ApiError, notFound, UnreadableForm, type ErrorDetail } from '../errors.js';
import { linkKidOf, verifyLinkToken, type LinkKeys } from '../links/signed-token.js';
import type { WorkQueue } from '../queue/work-queue.js';
import { commentText } from '../submission/comment-text.js';
import { isHoneypotFilled, MAX_COMMENT_CHARS, type QueuedResponse } from '../submission/schema.js';
import { answerRange, scoredQuestions, type ScoredQuestion, type Survey } from '../survey/schema.js';
import type { SurveyStore } from '../survey/survey-store.js';
import type { ResponsesById } from './campaign-report.js';
import { servedAtOf, stampKidOf } from './human-signal.js';
import { answersClosed, provisionalAnswersClosed, responseIdOfInvitation, type Invitation } from './invitation.js';
import { answerRefusals, queuedResponseOfInvitation } from './invitation-response.js';
import type { InvitationStore } from './invitation-store.js';

/** form field names: answers are `a.<question id>`; `website` is the honeypot field people never see */
export const ANSWER_FIELD_PREFIX = 'a.';
export const COMMENT_FIELD = 'comment';
export const HONEYPOT_FIELD = 'website';
export const STAMP_FIELD = 'v';
/** the reason of a comment whose bytes were not UTF-8 (a `%FF` in the form): refused, not stored with U+FFFD in it */
export const COMMENT_NOT_TEXT = 'not text: some of its bytes are not UTF-8';

export interface EmailSurveyDeps {
  invitations: InvitationStore;
  surveys: SurveyStore;
  /** the stored responses, read for the comment of an answer shown again */
  responses: ResponsesById;
  queue: WorkQueue<QueuedResponse>;
  linkKeys: LinkKeys;
  clock: Clock;
  /** how long the page must have been visible before a dwell signal counts */
  dwellSeconds: number;
}

export interface OpenedPage {
  invitation: Invitation;
  survey: Survey;
  /** the score of the link, when it is on the first question's scale */
  score?: number;
  /** a score in the link that is not on the scale */
  scoreRejected?: string;
  /** answered long enough ago that it no longer takes answers (answersCloseAt): no form, a page saying so */
  closed?: true;
  /** the answer the form shows (shownAnswer), when the invitation has one */
  shown?: ShownAnswer;
}

/** the answer an invitation already has, as the form shows it when its link is opened again */
export interface ShownAnswer {
  /** `final`: the answer taken (sending the form again replaces it); `provisional`: scores chosen on the page, not sent */
  state: 'final' | 'provisional';
  answers: Record<string, number>;
  /** the comment as stored: redacted (personal details replaced by markers such as [PHONE]) unless the survey keeps comments */
  comment?: string;
  /** the stored comment had personal details replaced by markers */
  commentRedacted?: true;
  /** the final answer had a comment, but its response is not stored yet (still on the queue): the comment is not shown */
  commentPending?: true;
}

export type FormFields = Record<string, string>;

export type SubmitOutcome =
  | { outcome: 'stored'; survey: Survey; invitation: Invitation }
  /** a filled honeypot field: nothing recorded, answered like a success */
  | { outcome: 'ignored' }
  /** answers that do not fit the survey: the form again, with what was chosen and why it was refused */
  | { outcome: 'invalid'; details: ErrorDetail[]; survey: Survey; invitation: Invitation; answers: Record<string, number>; comment?: string };

/**
 * short names and values; the comment is bounded by the body only (64 KB, functions/email-survey/routes.ts): its own
 * limit is checked once its line breaks are normalised (commentOf), and a comment over it is a field error
 */
const formFieldsSchema = z
  .record(z.string().check(z.maxLength(64)), z.string())
  .check(z.refine((fields) => Object.entries(fields).every(([name, value]) => name === COMMENT_FIELD || value.length <= MAX_COMMENT_CHARS)));

/**
 * The comment as the person typed it. A form sends each line break as CRLF (HTML's form encoding) while the textarea's
 * maxlength counted it as one character: normalised to LF (a lone CR too), as stored, before its length is checked.
 * Then the one comment rule (commentText): one with nothing visible in it is no comment, as on POST /v1/responses.
 */
const commentOf = (fields: FormFields): string | undefined => commentText(fields[COMMENT_FIELD]?.replace(/\r\n?/g, '\n'));

function answersOf(survey: Survey, fields: FormFields): { answers: Record<string, number>; details: ErrorDetail[] } {
  const answers: Record<string, number> = {};
  const details: ErrorDetail[] = [];
  const questions = new Map(scoredQuestions(survey).map((q) => [q.id, q]));
  for (const [name, value] of Object.entries(fields)) {
    if (!name.startsWith(ANSWER_FIELD_PREFIX)) continue;
    const id = name.slice(ANSWER_FIELD_PREFIX.length);
    const question = questions.get(id);
    if (!question) {
      details.push({ path: `answers.${id}`, reason: 'unknown question' });
      continue;
    }
    if (value === '') continue;
    const score = scoreOn(question, value);
    if (score === undefined) {
      const { min, max } = answerRange(question);
      details.push({ path: `answers.${id}`, reason: `an integer from ${min} to ${max}` });
    } else answers[id] = score;
  }
  return { answers, details };
}

function scoreOn(question: ScoredQuestion, raw: string): number | undefined {
  if (!/^\d{1,2}$/.test(raw)) return undefined;
  const score = Number(raw);
  const { min, max } = answerRange(question);
  return score >= min && score <= max ? score : undefined;
}

export function makeEmailSurvey({ invitations, surveys, responses, queue, linkKeys, clock, dwellSeconds }: EmailSurveyDeps) {
  async function verify(token: string) {
    const verified = verifyLinkToken(await linkKeys({ kid: linkKidOf(token) }), token, 'survey', clock.now());
    if (!verified.ok && verified.reason === 'expired') throw new ApiError(410, 'this link has expired');
    if (!verified.ok || !verified.payload.invitationId) throw new ApiError(400, 'invalid link');
    return { invitationId: verified.payload.invitationId, surveyId: verified.payload.surveyId };
  }

  async function surveyOf(invitation: Invitation | undefined, surveyId: string): Promise<{ invitation: Invitation; survey: Survey }> {
    if (!invitation || invitation.surveyId !== surveyId) throw notFound('invitation');
    const survey = await surveys.get(surveyId);
    if (!survey) throw notFound('survey');
    return { invitation, survey };
  }

  function parseFields(raw: unknown): FormFields {
    const parsed = formFieldsSchema.safeParse(raw);
    if (!parsed.success) throw new UnreadableForm('a form of short text fields');
    return parsed.data;
  }

  /**
   * The answer the form shows. A final one is the stored response once the store holds its revision (or a later one,
   * from a submit racing this page): its scores and its comment, as stored. Until then (the response still on the
   * queue) the scores the invitation kept when it was made final, without the comment, which only the stored response
   * has (redacted). A provisional answer's scores. Nothing for an invitation made final before it kept the scores
   * whose response is not stored yet.
   */
  async function shownAnswer(invitation: Invitation): Promise<ShownAnswer | undefined> {
    const { final, provisional } = invitation;
    if (!final) return provisional ? { state: 'provisional', answers: provisional.answers } : undefined;
    const [stored] = await responses.getMany([responseIdOfInvitation(invitation)]);
    if (stored && (stored.revision ?? 0) >= final.revision) {
      const redacted = stored.redaction?.status !== 'kept' && Object.values(stored.redaction?.found ?? {}).some((count) => count > 0);
      return { state: 'final', answers: stored.answers, ...(stored.comment ? { comment: stored.comment } : {}), ...(stored.comment && redacted ? { commentRedacted: true } : {}) };
    }
    if (!final.answers) return undefined;
    return { state: 'final', answers: final.answers, ...(final.withComment ? { commentPending: true } : {}) };
  }

  return {
    async open(token: string, rawScore: string | undefined): Promise<OpenedPage> {
      const { invitationId, surveyId } = await verify(token);
      const { invitation, survey } = await surveyOf(await invitations.recordOpen(invitationId, clock.now(), rawScore !== undefined), surveyId);
      if (answersClosed(invitation, survey.retentionDays, clock.now())) return { invitation, survey, closed: true };
      const shown = await shownAnswer(invitation);
      const opened = { invitation, survey, ...(shown ? { shown } : {}) };
      const first = scoredQuestions(survey)[0];
      if (rawScore === undefined || !first) return opened;
      const score = scoreOn(first, rawScore);
      return score === undefined ? { ...opened, scoreRejected: rawScore.slice(0, 8) } : { ...opened, score };
    },

    async honeypot(token: string): Promise<void> {
      const { invitationId } = await verify(token);
      if (!(await invitations.recordScannerHit(invitationId, clock.now()))) throw notFound('invitation');
    },

    /** 'recorded' when the answer became (or replaced) the provisional one; 'ignored' otherwise (never an error page) */
    async signal(token: string, rawFields: unknown): Promise<'recorded' | 'ignored'> {
      const { invitationId, surveyId } = await verify(token);
      const fields = parseFields(rawFields);
      const kind = fields.signal === 'dwell' || fields.signal === 'interaction' ? fields.signal : undefined;
      const stamp = fields[STAMP_FIELD] ?? '';
      const servedAt = servedAtOf(await linkKeys({ kid: stampKidOf(stamp) }), token, stamp);
      const now = clock.now();
      if (!kind || !servedAt || servedAt > now) return 'ignored';
      if (kind === 'dwell' && now.getTime() - servedAt.getTime() < dwellSeconds * 1000) return 'ignored';
      if (isHoneypotFilled(fields[HONEYPOT_FIELD])) return 'ignored';
      const { invitation, survey } = await surveyOf(await invitations.get(invitationId), surveyId);
      if (provisionalAnswersClosed(invitation, survey.retentionDays, now)) return 'ignored';
      const { answers, details } = answersOf(survey, fields);
      // what the form would refuse is no answer yet (a required question still unanswered): a later change may make it one
      if (details.length > 0 || answerRefusals(survey, { answers }).length > 0) return 'ignored';
      await invitations.startAnswer(invitationId, now, survey.retentionDays);
      return (await invitations.recordProvisional(invitationId, { answers, at: now.toISOString(), signal: kind })) ? 'recorded' : 'ignored';
    },

    /**
     * 'stored' when the answer was enqueued; 'ignored' for a filled honeypot field (the page thanks either way).
     * `notText`: the fields whose bytes were not UTF-8, read with U+FFFD in their place (functions/commons/form.ts)
     */
    async submit(token: string, rawFields: unknown, notText: readonly string[] = []): Promise<SubmitOutcome> {
      const { invitationId, surveyId } = await verify(token);
      const fields = parseFields(rawFields);
      if (isHoneypotFilled(fields[HONEYPOT_FIELD])) return { outcome: 'ignored' };
      const { invitation, survey } = await surveyOf(await invitations.get(invitationId), surveyId);
      if (answersClosed(invitation, survey.retentionDays, clock.now())) throw new ApiError(409, 'this invitation no longer takes answers');
      const { answers, details } = answersOf(survey, fields);
      const comment = commentOf(fields);
      // the survey's own rules: required questions, at least one answer or a comment, the comment's length (not its
      // channels: a link already sent stays good); once answersOf refused an answer, only the comment's (the answers'
      // reasons are those of answersOf)
      const issues = answerRefusals(survey, { answers, comment });
      details.push(...(details.length === 0 ? issues : issues.filter((issue) => issue.path === COMMENT_FIELD)));
      // a comment that did not arrive as text is refused like one too long: the form again, the person's answers kept
      if (notText.includes(COMMENT_FIELD)) details.push({ path: COMMENT_FIELD, reason: COMMENT_NOT_TEXT });
      if (details.length > 0) return { outcome: 'invalid', details, survey, invitation, answers, comment };

      const now = clock.now();
      // 1.
      const started = await invitations.startAnswer(invitationId, now, survey.retentionDays);
      if (!started?.answeredAt) throw notFound('invitation');
      const provisionalMs = started.provisional ? Date.parse(started.provisional.at) : 0;
      const revision = Math.max(now.getTime(), provisionalMs + 1);
      // 2.
      await queue.send(queuedResponseOfInvitation({ ...started, answeredAt: started.answeredAt }, survey, { answers, comment, revision }));
      // 3.
      await invitations.markFinal(invitationId, { at: now.toISOString(), via: 'submit', revision, answers, ...(comment ? { withComment: true as const } : {}) });
      return { outcome: 'stored', survey, invitation: started };
    },
  };
}
