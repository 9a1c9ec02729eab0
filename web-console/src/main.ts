// console: the entry. Reads config.json (where the API is), signs in with a token kept in sessionStorage only, then
// renders the shell (survey, range, interval and language pickers, navigation) and the view the URL hash names.
//   #/overview · #/followups · #/responses   (?survey=…&range=7|30|90|custom&from&to&interval=day|week|month&…)
import { createApi, describeProblem, session, type Api } from './api.js';
import type { SurveySummary, ToastKind, ViewContext, ViewHandle } from './context.js';
import { h, replace, select } from './dom.js';
import { DEFAULT_STATE, EARLIEST_DATE, INTERVALS, LATEST_DATE, linkState, parseHash, rangeDates, RANGES, toHash, viewParams, VIEWS, type ConsoleState, type View, type ViewParams } from './state.js';
import { browserLocales } from './locale.js';
import { DEFAULT_LANGUAGE, LANGUAGES, loadTranslator, pickLanguage, type Language, type StringKey, type Translate } from './strings.js';

const LANGUAGE_KEY = 'fbc:lang';
type ViewFactory = (ctx: ViewContext) => ViewHandle;
/** each view is its own chunk (web-console/build.ts), fetched the first time it is shown: no visit loads the views it does not open */
const VIEW_OF: Record<View, () => Promise<ViewFactory>> = {
  overview: () => import('./views/overview.js').then((m) => m.overviewView),
  followups: () => import('./views/followups.js').then((m) => m.followupsView),
  responses: () => import('./views/responses.js').then((m) => m.responsesView),
};
const RANGE_LABELS: Record<(typeof RANGES)[number], StringKey> = { '7': 'last7', '30': 'last30', '90': 'last90', custom: 'custom' };

const root = document.getElementById('app')!;
// read before any view's chunk loads: what reads the browser's language as it loads then gets a tag Intl takes
let language: Language = pickLanguage(localStorage.getItem(LANGUAGE_KEY), browserLocales(DEFAULT_LANGUAGE));
/** the words in `language`: set by start() before the first render, and by setLanguage() before it renders again */
let t: Translate;
/** bumped by every change of language: words that arrive after a later choice are not used */
let languageChoices = 0;
let api: Api;
let surveys: SurveySummary[] = [];
let current: ViewHandle | undefined;
/** bumped by every render: a render that awaited a view's chunk while another began gives way to the later one */
let renders = 0;
/** each view's own parameters as last left, so its link returns to them (and only its link carries them) */
const remembered: Partial<Record<View, Partial<ViewParams>>> = {};

const live = h('p', { id: 'live', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
const closeToast = h('button', { type: 'button', class: 'toast-close', hidden: true, onclick: () => dismissToast() });
/**
 * what a message carries to act on (a link to copy): outside the live region, so only the message is spoken, and a
 * region named by the message, so it is in a landmark as all content is (it exists only while it carries something)
 */
const toastExtra = h('div', { class: 'toast-extra', role: 'region', 'aria-labelledby': 'live', hidden: true });
const toast = h('div', { class: 'toast', id: 'toast' }, live, closeToast, toastExtra);
/** how long a message stays: an error long enough to read twice, and it has a close button */
const TOAST_MS: Record<ToastKind, number> = { info: 6_000, error: 20_000 };
let toastTimer: number | undefined;
let toastKind: ToastKind = 'info';

function dismissToast() {
  window.clearTimeout(toastTimer);
  live.textContent = '';
  toastExtra.replaceChildren();
  toastExtra.hidden = true;
  toast.className = 'toast';
  closeToast.hidden = true;
  document.documentElement.style.removeProperty('--toast-space');
}

const scheduleDismiss = () => {
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(dismissToast, TOAST_MS[toastKind]);
};

/** whether `over` hides part of `el` (the page's body and root are not controls) */
function covers(over: Element, el: Element | null): boolean {
  if (!el || el === document.body || el === document.documentElement) return false;
  const [a, b] = [over.getBoundingClientRect(), el.getBoundingClientRect()];
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

function announce(message: string, kind: ToastKind = 'info', attached?: HTMLElement) {
  // cleared first, so the same message said twice is announced twice
  window.clearTimeout(toastTimer);
  live.textContent = '';
  toastExtra.replaceChildren();
  toastExtra.hidden = true;
  toastKind = kind;
  toastTimer = window.setTimeout(() => {
    live.textContent = message;
    toast.className = `toast shown ${kind}`;
    closeToast.textContent = t('close');
    closeToast.hidden = kind !== 'error' && !attached;
    if (attached) {
      toastExtra.append(attached);
      toastExtra.hidden = false;
    }
    // the page keeps room for the toast below its content, and scrolling to a focused control leaves it clear
    document.documentElement.style.setProperty('--toast-space', `${toast.offsetHeight + 16}px`);
    // and it moves to the top rather than sit on the control in use
    toast.classList.toggle('top', covers(toast, document.activeElement));
    // something to act on stays until closed: a time limit on copying a link would be one more thing to beat
    if (!attached) scheduleDismiss();
  }, 50);
}
// a message being read (pointer on it, or its close button focused) stays until left; Escape dismisses it
toast.addEventListener('mouseenter', () => window.clearTimeout(toastTimer));
toast.addEventListener('focusin', () => window.clearTimeout(toastTimer));
toast.addEventListener('mouseleave', () => live.textContent && toastExtra.hidden && scheduleDismiss());
toast.addEventListener('focusout', () => live.textContent && toastExtra.hidden && scheduleDismiss());
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && live.textContent) dismissToast();
});

function navigate(patch: Partial<ConsoleState>) {
  const next = { ...parseHash(location.hash), ...patch };
  location.hash = toHash(next);
}

/** renders again in `next`, once its words are loaded; if they cannot be fetched, the console stays in its language and says why */
async function setLanguage(next: Language) {
  const choice = ++languageChoices;
  let words: Translate;
  try {
    words = await loadTranslator(next);
  } catch {
    if (choice !== languageChoices) return;
    // its chunk is gone: a release replaced the console's files since this page was loaded
    await render();
    announce(t('consoleUpdated'), 'error');
    return;
  }
  if (choice !== languageChoices) return;
  language = next;
  t = words;
  localStorage.setItem(LANGUAGE_KEY, next);
  await render();
}

function languagePicker() {
  return select('language', t('language'), Object.entries(LANGUAGES), language, (value) => void setLanguage(value as Language));
}

function signInPage(problem?: string) {
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const error = h('p', { class: 'error', id: 'signin-error', role: 'alert' }, problem ?? '');
  const form = h(
    'form',
    { class: 'signin', 'aria-labelledby': 'signin-title' },
    h('h2', { id: 'signin-title' }, t('signInTitle')),
    h('p', { id: 'signin-help' }, t('signInHelp')),
    h('div', { class: 'field' }, h('label', { for: 'token' }, t('token')), input),
    error,
    h('button', { type: 'submit', class: 'primary' }, t('signIn')),
  );
  input.setAttribute('aria-describedby', 'signin-help signin-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    try {
      surveys = (await api.get<{ items: SurveySummary[] }>('/v1/surveys', undefined, token)).items;
      session.signIn(token);
      void render();
    } catch (problemCaught) {
      error.textContent = (problemCaught as { status?: number }).status === 401 ? t('signInFailed') : describeProblem(problemCaught, t('networkError'));
      input.focus();
    }
  });
  replace(root, h('header', { class: 'top' }, h('h1', {}, t('appTitle')), h('div', { class: 'top-controls' }, languagePicker())), h('main', { id: 'main' }, form), toast);
  input.focus();
}

function shell(state: ConsoleState, survey: SurveySummary): { main: HTMLElement } {
  const { from, to } = rangeDates(state, new Date());
  const nav = h(
    'nav',
    { 'aria-label': t('navLabel') },
    h('ul', {}, ...VIEWS.map((view) => h('li', {}, h('a', { href: toHash(linkState(state, view, remembered)), 'aria-current': view === state.view ? 'page' : undefined }, t(view))))),
  );
  // a landmark of its own, so no content of the page is outside one
  const controls = h(
    'section',
    { class: 'controls', 'aria-label': t('viewControls') },
    select('survey', t('survey'), surveys.map((s) => [s.id, s.title === s.id ? s.id : `${s.title} (${s.id})`] as const), survey.id, (id) => navigate({ survey: id })),
    select('range', t('range'), RANGES.map((r) => [r, t(RANGE_LABELS[r])] as const), state.range, (range) => navigate({ range: range as ConsoleState['range'], ...(range === 'custom' ? { from, to } : {}) })),
  );
  if (state.range === 'custom') {
    // only days the API takes, and no end before the start: the browser says so on Apply instead of the view failing
    const fromInput = h('input', { id: 'from', type: 'date', value: from, required: true, min: EARLIEST_DATE, max: LATEST_DATE });
    const toInput = h('input', { id: 'to', type: 'date', value: to, required: true, min: from, max: LATEST_DATE });
    fromInput.addEventListener('input', () => (toInput.min = fromInput.value || EARLIEST_DATE));
    const custom = h(
      'form',
      { class: 'custom-range' },
      h('div', { class: 'field' }, h('label', { for: 'from' }, t('from')), fromInput),
      h('div', { class: 'field' }, h('label', { for: 'to' }, t('to')), toInput),
      h('button', { type: 'submit' }, t('apply')),
    );
    custom.addEventListener('submit', (event) => {
      event.preventDefault();
      if (fromInput.value && toInput.value && fromInput.value <= toInput.value) navigate({ from: fromInput.value, to: toInput.value });
    });
    controls.appendChild(custom);
  }
  if (state.view === 'overview') controls.appendChild(select('interval', t('interval'), INTERVALS.map((i) => [i, t(i)] as const), state.interval, (interval) => navigate({ interval: interval as ConsoleState['interval'] })));
  const signOut = h('button', { type: 'button', onclick: () => (session.signOut(), (surveys = []), render()) }, t('signOut'));
  const main = h('main', { id: 'main', tabindex: '-1' });
  replace(
    root,
    h('a', { href: '#main', class: 'skip', onclick: (e) => (e.preventDefault(), main.focus()) }, t('skip')),
    h('header', { class: 'top' }, h('h1', {}, t('appTitle')), nav, h('div', { class: 'top-controls' }, languagePicker(), signOut)),
    controls,
    main,
    toast,
  );
  return { main };
}

async function render() {
  const ticket = ++renders;
  document.documentElement.lang = language;
  document.title = t('appTitle');
  current?.destroy?.();
  current = undefined;
  // a message about the previous view does not stay over the next
  dismissToast();
  if (!session.token()) return signInPage();
  const state = parseHash(location.hash);
  // the view's chunk loads while the surveys are read; undefined if it cannot be fetched
  const viewReady = VIEW_OF[state.view]().catch(() => undefined);
  if (!surveys.length) {
    try {
      surveys = (await api.get<{ items: SurveySummary[] }>('/v1/surveys')).items;
    } catch (error) {
      session.signOut();
      return signInPage((error as { status?: number }).status === 401 ? t('signInFailed') : describeProblem(error, t('networkError')));
    }
  }
  const makeView = await viewReady;
  if (ticket !== renders) return;
  if (!makeView) {
    // its chunk is gone: a release replaced the console's files since this page was loaded
    replace(root, h('main', { id: 'main' }, h('p', { class: 'error', role: 'alert' }, t('consoleUpdated'))));
    return;
  }
  const survey = surveys.find((s) => s.id === state.survey) ?? surveys[0];
  if (!survey) {
    replace(root, h('header', { class: 'top' }, h('h1', {}, t('appTitle')), h('div', { class: 'top-controls' }, languagePicker())), h('main', { id: 'main' }, h('p', {}, t('noSurveys'))), toast);
    return;
  }
  remembered[state.view] = viewParams(state, state.view);
  const { main } = shell(state, survey);
  current = makeView({ api, t, language, state: { ...state, survey: survey.id }, survey, now: () => new Date(), announce, navigate });
  main.appendChild(current.el);
}

/** the words in `language`, English when they cannot be fetched (the console's files were replaced since the page loaded) */
async function startingWords(): Promise<Translate> {
  try {
    return await loadTranslator(language);
  } catch {
    language = DEFAULT_LANGUAGE;
    return loadTranslator(language);
  }
}

async function start() {
  // the words load (a chunk of its own for Chinese) while config.json is read
  const words = startingWords();
  let apiUrl = '';
  try {
    const config = (await (await fetch('config.json', { cache: 'no-store' })).json()) as { apiUrl?: unknown };
    if (typeof config.apiUrl === 'string') apiUrl = config.apiUrl;
  } catch {
    // no config.json: the API is on this page's own origin (the local runtime)
  }
  api = createApi(apiUrl);
  t = await words;
  if (!location.hash) history.replaceState(null, '', toHash(DEFAULT_STATE));
  window.addEventListener('hashchange', () => {
    void render().then(() => document.getElementById('main')?.focus({ preventScroll: true }));
  });
  await render();
}

void start();
