// view: the email survey's answers as HTTP results; page.ts renders their HTML. The form gets a fresh CSP nonce and a
// signed page stamp each time it is served; every page is localised (the survey's locale, else the browser's).
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import type { ErrorDetail } from '../../shared/errors.js';
import { honeypotLinkPath } from '../../shared/invitations/email-snippet.js';
import { COMMENT_FIELD, COMMENT_NOT_TEXT, type OpenedPage, type SubmitOutcome } from '../../shared/invitations/email-survey.js';
import { pageStamp } from '../../shared/invitations/human-signal.js';
import type { Invitation } from '../../shared/invitations/invitation.js';
import { textsFor } from '../../shared/invitations/locale-texts.js';
import type { LinkKey } from '../../shared/links/signed-token.js';
import { MAX_COMMENT_CHARS } from '../../shared/submission/schema.js';
import { answerRange, scoredQuestions, type Survey } from '../../shared/survey/schema.js';
import { htmlPage, type HttpResult } from '../commons/http.js';
import { messagePage, surveyPage } from './page.js';
import { stringsFor } from './strings.js';

/** the page strings of the browser's language (Accept-Language), for answers that know no survey */
export type BrowserStrings = ReturnType<typeof stringsFor>;

const html = (statusCode: number, body: string, nonce?: string) => htmlPage(statusCode, body, { nonce });

export function errorPage(status: number, { lang, strings }: BrowserStrings): HttpResult {
  const [heading, text] =
    status === 410
      ? [strings.expiredHeading, strings.expiredText]
      : status === 404
        ? [strings.notFoundHeading, strings.notFoundText]
        : status === 413
          ? [strings.tooLargeHeading, strings.tooLargeText]
          : status === 409
            ? [strings.closedHeading, strings.closedText]
            : [strings.invalidHeading, strings.invalidText];
  return html(status, messagePage({ lang, title: heading }, heading, text));
}

/** a post that is not the page's form (too many fields, a field longer than any of it): 400, saying so */
export const unreadableFormPage = ({ lang, strings }: BrowserStrings): HttpResult =>
  html(400, messagePage({ lang, title: strings.unreadableHeading }, strings.unreadableHeading, strings.unreadableText));

/** what the honeypot link shows whoever follows it */
export const nothingHerePage = ({ lang, strings }: BrowserStrings): HttpResult => html(200, messagePage({ lang, title: '-' }, '-', strings.nothingHere));

export interface FormState {
  survey: Survey;
  invitation: Invitation;
  selected: Record<string, number>;
  comment?: string;
  notices?: string[];
  errors?: ErrorDetail[];
  /** the form holds the invitation's final answer, and its notices say so */
  answerShown?: boolean;
}

export interface FormServing {
  keys: readonly LinkKey[];
  clock: Clock;
  dwellSeconds: number;
}

/** the survey form; a refused answer's reasons are put in the page's words */
export function formPage(
  token: string,
  status: number,
  { survey, invitation, selected, comment, notices = [], errors = [], answerShown = false }: FormState,
  { keys, clock, dwellSeconds }: FormServing,
): HttpResult {
  const { locale, texts } = textsFor(survey, invitation.locale);
  const { strings } = stringsFor(locale);
  const nonce = randomBytes(16).toString('base64');
  const base = `/s/${token}`;
  if (invitation.final && !answerShown) notices.push(strings.alreadyAnswered);
  const body = surveyPage({
    head: { lang: locale, title: texts.title, nonce },
    survey,
    texts,
    strings,
    action: base,
    signalUrl: `${base}/signal`,
    honeypotUrl: honeypotLinkPath(token),
    stamp: pageStamp(keys, token, clock.now()),
    dwellMs: dwellSeconds * 1000,
    selected,
    comment,
    notices,
    errors: errors.map((e) => {
      if (e.path === COMMENT_FIELD) return { ...e, reason: e.reason === COMMENT_NOT_TEXT ? strings.commentNotText : strings.commentTooLong(MAX_COMMENT_CHARS) };
      // nothing answered (or a comment with nothing visible in it): about the whole form, so no field's label goes with it
      if (e.path === 'answers') return { path: '', reason: strings.answerSomething };
      const question = scoredQuestions(survey).find((q) => `answers.${q.id}` === e.path);
      return question ? { ...e, reason: strings.chooseOne(answerRange(question).min, answerRange(question).max) } : e;
    }),
  });
  return html(status, body, nonce);
}

/**
 * the form of a link just opened: the answer the invitation has (so that sending it again changes only what the person
 * changes), with the link's score preselected over it, or a notice when that score is not on the scale (400); no form
 * once the invitation no longer takes answers (a thanks, not an error: the person did answer)
 */
export function openedFormPage(token: string, opened: OpenedPage, serving: FormServing): HttpResult {
  const first = scoredQuestions(opened.survey)[0];
  const { locale } = textsFor(opened.survey, opened.invitation.locale);
  const { strings } = stringsFor(locale);
  if (opened.closed) return html(200, messagePage({ lang: locale, title: strings.closedHeading }, strings.closedHeading, strings.closedText));
  const { shown } = opened;
  const answerShown = shown?.state === 'final';
  const notices = [
    ...(opened.scoreRejected !== undefined && first ? [strings.scoreRejected(opened.scoreRejected, answerRange(first).min, answerRange(first).max)] : []),
    ...(answerShown ? [strings.answerShown] : []),
    ...(shown?.commentRedacted ? [strings.commentRedacted] : []),
    ...(shown?.commentPending ? [strings.commentPending] : []),
  ];
  const selected = { ...shown?.answers, ...(opened.score !== undefined && first ? { [first.id]: opened.score } : {}) };
  const state = { survey: opened.survey, invitation: opened.invitation, selected, comment: shown?.comment, notices, answerShown };
  return formPage(token, opened.scoreRejected !== undefined ? 400 : 200, state, serving);
}

/** the thanks for an answer taken; a filled honeypot field is thanked like anyone else, in the browser's language */
export function thanksPage(token: string, result: Exclude<SubmitOutcome, { outcome: 'invalid' }>, browser: BrowserStrings): HttpResult {
  const chosen = result.outcome === 'stored' ? textsFor(result.survey, result.invitation.locale) : undefined;
  const own = chosen ? stringsFor(chosen.locale) : browser;
  const thanks = chosen?.texts.thankYou ?? own.strings.saved;
  const again = `<p><a href="/s/${token}">${own.strings.changeAnswer}</a></p>`;
  return html(200, messagePage({ lang: chosen?.locale ?? own.lang, title: own.strings.thankYou }, own.strings.thankYou, thanks, again));
}
