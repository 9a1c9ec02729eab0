// routes: the email survey page's four routes, each one use case of the email survey (shared/invitations/
// email-survey.ts) answered with a page (views.ts). A refusal is a localised error page (a post that is not the page's
// form: one saying so, not blaming the link), the signal's a bare status; nothing is recorded on a refusal.
import type { Clock } from '../../shared/clock.js';
import { ApiError, UnreadableForm } from '../../shared/errors.js';
import type { makeEmailSurvey } from '../../shared/invitations/email-survey.js';
import { FormTooLarge, readFormBody } from '../commons/form.js';
import { header, type HttpEvent, type HttpResult } from '../commons/http.js';
import type { LinkKeysSource } from '../commons/link-keys.js';
import { routeTable } from '../commons/routes.js';
import { stringsFor } from './strings.js';
import { errorPage, formPage, nothingHerePage, openedFormPage, thanksPage, unreadableFormPage, type BrowserStrings } from './views.js';

/** a 5,000-character comment in Chinese is ~45 KB percent-encoded; the signal carries scores only */
const FORM_LIMITS = { maxBytes: 64 * 1024, maxFields: 64 };
const SIGNAL_LIMITS = { maxBytes: 4 * 1024, maxFields: 64 };
const SIGNAL_ROUTE = 'POST /s/{token}/signal';

export interface EmailSurveyRoutesDeps {
  emailSurvey: ReturnType<typeof makeEmailSurvey>;
  linkKeys: LinkKeysSource;
  clock: Clock;
  dwellSeconds: number;
}

export function makeEmailSurveyRoutes({ emailSurvey, linkKeys, clock, dwellSeconds }: EmailSurveyRoutesDeps) {
  const tokenOf = (event: HttpEvent) => event.pathParameters?.token ?? '';
  const serving = async () => ({ keys: await linkKeys(), clock, dwellSeconds });

  const dispatch = routeTable<BrowserStrings>({
    'GET /s/{token}': async (event) => {
      const opened = await emailSurvey.open(tokenOf(event), event.queryStringParameters?.score);
      return openedFormPage(tokenOf(event), opened, await serving());
    },
    'POST /s/{token}': async (event, browser) => {
      const { fields, notText } = readFormBody(event, FORM_LIMITS);
      const result = await emailSurvey.submit(tokenOf(event), fields, notText);
      if (result.outcome !== 'invalid') return thanksPage(tokenOf(event), result, browser);
      const { survey, invitation, answers, comment, details } = result;
      return formPage(tokenOf(event), 400, { survey, invitation, selected: answers, comment, errors: details }, await serving());
    },
    [SIGNAL_ROUTE]: async (event) => {
      await emailSurvey.signal(tokenOf(event), readFormBody(event, SIGNAL_LIMITS).fields);
      return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
    },
    'GET /s/{token}/h': async (event, browser) => {
      await emailSurvey.honeypot(tokenOf(event));
      return nothingHerePage(browser);
    },
  });

  return async function emailSurveyPage(event: HttpEvent): Promise<HttpResult> {
    const browser = stringsFor(header(event, 'accept-language'));
    try {
      return await dispatch(event, browser);
    } catch (error) {
      const status = error instanceof FormTooLarge ? 413 : error instanceof ApiError ? error.status : undefined;
      if (status === undefined) throw error;
      // the signal is the page script's: a bare status, whatever the refusal
      if (event.routeKey === SIGNAL_ROUTE) return { statusCode: status, headers: { 'cache-control': 'no-store' } };
      if (error instanceof UnreadableForm) return unreadableFormPage(browser);
      return errorPage(status, browser);
    }
  };
}
