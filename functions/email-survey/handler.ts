// handler: the hosted email survey page (public: the signed token is the credential). GET /s/{token}[?score=N] → the
// form; POST /s/{token} (form) → the answer, enqueued as a response; POST /s/{token}/signal (the page script's human
// signal) → a provisional answer; GET /s/{token}/h (honeypot link) → marks the invitation scanned. Answers are HTML
// pages, localised (400 tampered or out of range, 404 unknown, 410 expired, 413 too long); nothing is recorded on a
// refusal.
import { randomBytes } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { queueEnvName, tableEnvName } from '../../infra/topology.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { ApiError } from '../../shared/errors.js';
import { createDynamoInvitationStore } from '../../shared/invitations/dynamo-invitation-store.js';
import { honeypotLinkPath } from '../../shared/invitations/email-snippet.js';
import { makeEmailSurvey, type FormFields } from '../../shared/invitations/email-survey.js';
import { pageStamp } from '../../shared/invitations/human-signal.js';
import type { Invitation } from '../../shared/invitations/invitation.js';
import { textsFor } from '../../shared/invitations/locale-texts.js';
import type { QueuedResponse } from '../../shared/submission/schema.js';
import { answerRange, scoredQuestions, type Survey } from '../../shared/survey/schema.js';
import { cachedSurveyStore, createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { emailSurveySettings } from '../commons/email-survey-settings.js';
import { readEnv } from '../commons/env.js';
import { header, htmlPage, httpErrors, type HttpEvent, type HttpResult } from '../commons/http.js';
import { linkKeysFromEnvironment } from '../commons/link-keys.js';
import { originVerify } from '../commons/origin-verify.js';
import { logger } from '../commons/powertools.js';
import { rateLimit } from '../commons/rate-limit.js';
import { sqsWorkQueue } from '../commons/work-queue.js';
import { messagePage, surveyPage } from './page.js';
import { stringsFor, type PageStrings } from './strings.js';

/** a 5,000-character comment in Chinese is ~45 KB percent-encoded; the signal carries scores only */
const MAX_FORM_BYTES = 64 * 1024;
const MAX_SIGNAL_BYTES = 4 * 1024;
const MAX_FIELDS = 64;

const env = readEnv({
  [tableEnvName('surveys')]: z.string().min(1),
  [tableEnvName('invitations')]: z.string().min(1),
  [queueEnvName('responses')]: z.url(),
  SURVEY_CACHE_SECONDS: z.coerce.number().min(0).default(10),
  EMAIL_SURVEY_DWELL_SECONDS: emailSurveySettings.EMAIL_SURVEY_DWELL_SECONDS,
});
const db = createDocumentClient();
const linkKeys = linkKeysFromEnvironment();
const emailSurvey = makeEmailSurvey({
  invitations: createDynamoInvitationStore(db, env[tableEnvName('invitations')]),
  surveys: cachedSurveyStore(createDynamoSurveyStore(db, env[tableEnvName('surveys')]), env.SURVEY_CACHE_SECONDS * 1000),
  queue: sqsWorkQueue<QueuedResponse>(env[queueEnvName('responses')]),
  linkKeys,
  clock: systemClock,
  dwellSeconds: env.EMAIL_SURVEY_DWELL_SECONDS,
});

class TooLarge extends Error {}

const html = (statusCode: number, body: string, nonce?: string) => htmlPage(statusCode, body, { nonce });

/** the form fields of a urlencoded body, refusing anything over `maxBytes` */
function formOf(event: HttpEvent, maxBytes: number): FormFields {
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64') : Buffer.from(event.body ?? '', 'utf8');
  if (raw.length > maxBytes) throw new TooLarge();
  const fields: FormFields = {};
  const params = new URLSearchParams(raw.toString('utf8'));
  let count = 0;
  for (const [name, value] of params) {
    if (++count > MAX_FIELDS) throw new ApiError(400, 'invalid request', [{ path: '', reason: `at most ${MAX_FIELDS} fields` }]);
    fields[name] = value;
  }
  return fields;
}

const localeOf = (survey: Survey, invitation: Invitation) => textsFor(survey, invitation.locale).locale;

function errorPage(status: number, strings: PageStrings, lang: string): HttpResult {
  const [heading, text] =
    status === 410
      ? [strings.expiredHeading, strings.expiredText]
      : status === 404
        ? [strings.notFoundHeading, strings.notFoundText]
        : status === 413
          ? [strings.tooLargeHeading, strings.tooLargeText]
          : [strings.invalidHeading, strings.invalidText];
  return html(status, messagePage({ lang, title: heading }, heading, text));
}

function formPage(
  token: string,
  status: number,
  { survey, invitation, selected, comment, notices = [], errors = [] }: { survey: Survey; invitation: Invitation; selected: Record<string, number>; comment?: string; notices?: string[]; errors?: { path: string; reason: string }[] },
  keys: Awaited<ReturnType<typeof linkKeys>>,
): HttpResult {
  const { locale, texts } = textsFor(survey, invitation.locale);
  const { strings } = stringsFor(locale);
  const nonce = randomBytes(16).toString('base64');
  const base = `/s/${token}`;
  if (invitation.final) notices.push(strings.alreadyAnswered);
  const body = surveyPage({
    head: { lang: locale, title: texts.title, nonce },
    survey,
    texts,
    strings,
    action: base,
    signalUrl: `${base}/signal`,
    honeypotUrl: honeypotLinkPath(token),
    stamp: pageStamp(keys, token, systemClock.now()),
    dwellMs: env.EMAIL_SURVEY_DWELL_SECONDS * 1000,
    selected,
    comment,
    notices,
    errors: errors.map((e) => {
      const question = scoredQuestions(survey).find((q) => `answers.${q.id}` === e.path);
      return question ? { ...e, reason: strings.chooseOne(answerRange(question).min, answerRange(question).max) } : e;
    }),
  });
  return html(status, body, nonce);
}

async function emailSurveyPage(event: HttpEvent): Promise<HttpResult> {
  const token = event.pathParameters?.token ?? '';
  const { lang, strings } = stringsFor(header(event, 'accept-language'));
  try {
    switch (event.routeKey) {
      case 'GET /s/{token}/h':
        await emailSurvey.honeypot(token);
        return html(200, messagePage({ lang, title: '-' }, '-', strings.nothingHere));
      case 'POST /s/{token}/signal':
        await emailSurvey.signal(token, formOf(event, MAX_SIGNAL_BYTES));
        return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
      case 'POST /s/{token}': {
        const result = await emailSurvey.submit(token, formOf(event, MAX_FORM_BYTES));
        if (result.outcome === 'invalid') {
          const { survey, invitation, answers, comment, details } = result;
          return formPage(token, 400, { survey, invitation, selected: answers, comment, errors: details }, await linkKeys());
        }
        // a filled honeypot field is thanked like anyone else, in the browser's language
        const chosen = result.outcome === 'stored' ? textsFor(result.survey, result.invitation.locale) : undefined;
        const own = chosen ? stringsFor(chosen.locale) : { lang, strings };
        const thanks = chosen?.texts.thankYou ?? own.strings.saved;
        const again = `<p><a href="/s/${token}">${own.strings.changeAnswer}</a></p>`;
        return html(200, messagePage({ lang: chosen?.locale ?? own.lang, title: own.strings.thankYou }, own.strings.thankYou, thanks, again));
      }
      default: {
        const score = event.queryStringParameters?.score;
        const opened = await emailSurvey.open(token, score);
        const first = scoredQuestions(opened.survey)[0];
        const { strings: own } = stringsFor(localeOf(opened.survey, opened.invitation));
        const notices = opened.scoreRejected !== undefined && first ? [own.scoreRejected(opened.scoreRejected, answerRange(first).min, answerRange(first).max)] : [];
        const selected = opened.score !== undefined && first ? { [first.id]: opened.score } : {};
        return formPage(token, opened.scoreRejected !== undefined ? 400 : 200, { survey: opened.survey, invitation: opened.invitation, selected, notices }, await linkKeys());
      }
    }
  } catch (error) {
    if (error instanceof TooLarge) return errorPage(413, strings, lang);
    if (!(error instanceof ApiError)) throw error;
    if (event.routeKey === 'POST /s/{token}/signal') return { statusCode: error.status, headers: { 'cache-control': 'no-store' } };
    return errorPage(error.status, strings, lang);
  }
}

export const handler = middy(emailSurveyPage).use(injectLambdaContext(logger)).use(originVerify()).use(httpErrors()).use(rateLimit());
