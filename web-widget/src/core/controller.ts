// widget core: the API behind `FeedbackWidget` (the script tag's global and the npm export alike). It decides
// whether and when to open (display rules), keeps the visitor's state within what consent allows, and loads the
// survey UI only when it is needed: to open, or to send what an earlier page queued.
//   1. mount: options → configuration; read the visitor's state; pick up a queued response left by an earlier page
//   2. automatic trigger: if the rules allow, fetch the UI during the delay, then open after the page's load + delay
//   3. show / hide / unmount / consent from the site's code
//   4. every failure goes to onError; nothing throws into the host page
import type { FeedbackWidgetApi, WidgetErrorCode } from '../types.js';
import { configOf, type Config, type RawOptions } from './options.js';
import { autoDisplayVerdict, browserStorage, readState, recordEvent, writeState, type VisitorState } from './rules.js';

/** localStorage key of the retry queue (the outbox); present only while responses wait to be sent */
export const QUEUE_KEY = 'fbw:q';

export type Report = (code: WidgetErrorCode, message: string, status?: number) => void;

export interface OpenHooks {
  /** move focus into the widget (the site or the visitor asked for it; an automatic display never steals focus) */
  focus: boolean;
  /** the visitor touched a control: from now on storing and sending are allowed */
  interacted(): void;
  answered(): void;
  /** the visitor closed it without answering */
  dismissed(): void;
  report: Report;
}

/** what the lazily loaded part offers (web-widget/src/ui) */
export interface Ui {
  open(config: Config, hooks: OpenHooks): void;
  close(): void;
  /** send what earlier pages queued */
  flush(report: Report): void;
}

export interface WidgetApi extends FeedbackWidgetApi {
  mount(options: RawOptions): void;
}

export function createWidget(loadUi: () => Promise<Ui>, now: () => number = Date.now, random: () => number = Math.random): WidgetApi {
  const storage = browserStorage();
  let config: Config | undefined;
  let onError: RawOptions['onError'];
  let state: VisitorState = { v: {} };
  let allowed = false;
  let mounts = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let loading: Promise<Ui> | undefined;

  const report: Report = (code, message, status) => {
    try {
      if (typeof onError === 'function') onError({ code, message, status });
    } catch {
      // the site's callback failed: nothing more to tell
    }
  };
  const guard =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      try {
        fn(...args);
      } catch (error) {
        report('internal', String(error));
      }
    };
  const ui = () =>
    (loading ??= loadUi().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
  // never rejects: a failed load is reported
  const withUi = (fn: (loaded: Ui) => void): void => void ui().then(guard(fn), (error: unknown) => report('load-failed', String(error)));

  const save = () => allowed && writeState(storage, state);
  const allow = () => {
    if (!allowed) {
      allowed = true;
      save();
    }
  };
  const record = (event: 'shown' | 'answered' | 'dismissed') => {
    if (!config) return;
    state = recordEvent(state, config.surveyId, event, now());
    save();
  };

  function open(focus: boolean) {
    const current = config;
    if (!current) return;
    clearTimeout(timer);
    record('shown');
    withUi((loaded) =>
      loaded.open(current, {
        focus,
        report,
        interacted: guard(allow),
        answered: guard(() => record('answered')),
        dismissed: guard(() => {
          allow();
          record('dismissed');
        }),
      }),
    );
  }

  function afterLoad(fn: () => void) {
    if (document.readyState === 'complete') fn();
    else addEventListener('load', fn, { once: true });
  }

  const unmount = guard(() => {
    mounts += 1;
    clearTimeout(timer);
    if (loading && config) withUi((loaded) => loaded.close());
    config = undefined;
  });

  return {
    mount: guard((options: RawOptions) => {
      unmount();
      const mount = mounts;
      onError = options?.onError;
      config = configOf(options);
      if (!config) return report('invalid-options', 'surveyId and endpoint are required');
      const { delay } = config;
      allowed = !config.consentRequired;
      state = readState(storage);
      if (state.s === undefined) {
        // without consent the roll lives for this page only
        state = { ...state, s: random() * 100 };
        save();
      }
      let queued: string | null = null;
      try {
        queued = storage?.getItem(QUEUE_KEY) ?? null;
      } catch {
        // no storage, no queue
      }
      if (queued) withUi((loaded) => loaded.flush(report));
      if (autoDisplayVerdict(config, state, state.s ?? 0, now()) !== 'show') return;
      // fetch the UI while the delay runs, so that it opens at once
      ui().catch(() => undefined);
      afterLoad(() => {
        if (mount === mounts) timer = setTimeout(() => open(false), delay * 1000);
      });
    }),
    show: guard(() => open(true)),
    hide: guard(() => {
      clearTimeout(timer);
      if (loading) withUi((loaded) => loaded.close());
    }),
    unmount,
    consent: guard(allow),
  };
}
