// widget ui: what widget-full.js (and the npm package's lazy chunk) offers the core: open a survey, close it, send
// what earlier pages queued.
//   1. open: fetch the public survey definition (no cookies, no referrer), pick its locale, show the panel
//   2. on the visitor's last step: a client-generated idempotency key, the response into the outbox, then sent
//   3. back online: retry at once; page hidden: hand waiting responses to sendBeacon
import type { PublicSurvey } from '../../../shared/survey/public-survey.js';
import type { Report, Ui } from '../core/controller.js';
import type { Config } from '../core/options.js';
import { browserStorage } from '../core/rules.js';
import { pickLocale } from './model.js';
import { createOutbox, type Outbox } from './outbox.js';
import { createPanel, type Panel } from './panel.js';

const LOCALE = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,2}$/;

let outbox: Outbox | undefined;
let reportTo: Report = () => undefined;
let panel: Panel | undefined;
let shown: Config | undefined;
let opening = 0;

function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function outboxFor(report: Report): Outbox {
  reportTo = report;
  if (!outbox) {
    const box = createOutbox({
      storage: browserStorage(),
      now: Date.now,
      report: (...args) => reportTo(...args),
      // text/plain keeps it a simple CORS request (no preflight); keepalive lets it finish after the page is gone
      send: async (item) => (await fetch(item.u, { method: 'POST', body: item.b, headers: { 'content-type': 'text/plain' }, credentials: 'omit', keepalive: true })).status,
    });
    addEventListener('online', () => void box.flush(true));
    addEventListener('pagehide', () => box.beacon((url, body) => navigator.sendBeacon(url, body)));
    outbox = box;
  }
  return outbox;
}

export const ui: Ui = {
  open(config, hooks) {
    // show() while this mount's panel is open keeps the visitor's answers
    if (panel?.isOpen() && shown === config) return;
    ui.close();
    shown = config;
    const ticket = ++opening;
    const url = `${config.endpoint}/v1/surveys/${encodeURIComponent(config.surveyId)}/public`;
    fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer' })
      .then((reply) => (reply.ok ? (reply.json() as Promise<PublicSurvey>) : Promise.reject(reply.status)))
      .then(
        (survey) => {
          if (ticket !== opening) return;
          if (!Array.isArray(survey?.questions) || typeof survey.texts !== 'object') throw new Error('malformed survey');
          const browser = navigator.languages ?? [navigator.language];
          const locale = pickLocale(survey, [config.locale, document.documentElement.lang, ...browser]);
          // stored with the response: the visitor's own tag in the language shown (en-GB for "en" texts), else the texts'
          const language = (tag: string) => tag.toLowerCase().split('-')[0];
          const answeredIn = [config.locale, ...browser].find((tag) => tag && LOCALE.test(tag) && language(tag) === language(locale)) ?? locale;
          const key = newKey();
          panel = createPanel({
            survey,
            locale,
            focus: hooks.focus,
            interacted: hooks.interacted,
            dismissed: hooks.dismissed,
            failed: (error) => hooks.report('internal', String(error)),
            submit(answers, comment, hp) {
              hooks.answered();
              const body = {
                surveyId: config.surveyId,
                idempotencyKey: key,
                channel: 'web',
                touchpoint: config.touchpoint,
                journeyStage: config.journeyStage,
                locale: answeredIn,
                customerRef: config.customerRef,
                answers,
                comment,
                metadata: config.metadata,
                hp,
              };
              void outboxFor(hooks.report).add(key, `${config.endpoint}/v1/responses`, JSON.stringify(body));
            },
          });
        },
        (status: unknown) => hooks.report('survey-unavailable', 'the survey could not be loaded', typeof status === 'number' ? status : undefined),
      )
      .catch((error: unknown) => hooks.report('internal', String(error)));
  },
  close() {
    opening += 1;
    panel?.close();
    panel = undefined;
  },
  flush(report) {
    void outboxFor(report).flush();
  },
};
