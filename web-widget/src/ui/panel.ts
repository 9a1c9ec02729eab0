// widget ui: the survey panel, a factory returning { close }. A <feedback-widget> custom element with an open Shadow
// DOM; one step at a time with progress, then a thank-you state.
// Keyboard: Tab between controls, arrow keys within a scale (native radio groups: ARIA radiogroup semantics, each
// option labelled), Enter goes on, Esc closes. An automatic display never takes focus; show() moves focus into the
// panel; on close, focus goes back to where it was on the page.
import { commentText } from '../../../shared/submission/comment-text.js';
import type { PublicQuestion, PublicSurvey } from '../../../shared/survey/public-survey.js';
import { isRtl, scaleOf, stepsOf, type ScaleQuestion } from './model.js';
import { stringsFor } from './strings.js';
import { STYLE } from './styles.js';

export interface PanelOptions {
  survey: PublicSurvey;
  /** the survey locale whose texts to show */
  locale: string;
  focus: boolean;
  interacted(): void;
  /** `hp`: the honeypot's value, which only a bot fills */
  submit(answers: Record<string, number>, comment: string | undefined, hp?: string): void;
  dismissed(): void;
  /** a listener's failure, which must not reach the page */
  failed(error: unknown): void;
}

export interface Panel {
  /** remove it; focus returns to the page if it was inside */
  close(): void;
  isOpen(): boolean;
}

type Child = Node | string | undefined;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | number | undefined> = {}, ...children: Child[]) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) el.setAttribute(name, String(value));
  for (const child of children) if (child !== undefined) el.append(child);
  return el;
}

function styleInto(root: ShadowRoot) {
  try {
    // a constructed sheet is not subject to a page's CSP style-src
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
    root.adoptedStyleSheets = [sheet];
  } catch {
    root.append(h('style', {}, STYLE));
  }
}

export function createPanel({ survey, locale, focus, interacted, submit, dismissed, failed }: PanelOptions): Panel {
  const on = <E extends Event>(target: EventTarget, type: string, listener: (event: E) => void, capture?: boolean) => {
    const safe = (event: Event) => {
      try {
        listener(event as E);
      } catch (error) {
        failed(error);
      }
    };
    target.addEventListener(type, safe, capture);
    return () => target.removeEventListener(type, safe, capture);
  };
  if (!customElements.get('feedback-widget')) customElements.define('feedback-widget', class extends HTMLElement {});
  const texts = survey.texts[locale] ?? { title: '', questions: {} };
  const s = stringsFor(locale);
  const steps = stepsOf(survey.questions);
  const answers: Record<string, number> = {};
  let comment = '';
  let index = 0;
  let touched = false;
  let answered = false;

  const host = h('feedback-widget' as 'div');
  const root = host.attachShadow({ mode: 'open' });
  styleInto(root);
  const touch = () => {
    if (!touched) interacted();
    touched = true;
  };

  const closeButton = h('button', { type: 'button', class: 'x', 'aria-label': s.close }, '×');
  const bar = h('i');
  const progress = h('div', { class: 'g', 'aria-hidden': 'true' }, bar);
  const counter = h('p', { class: 'n' });
  const body = h('div');
  const error = h('p', { class: 'r', role: 'alert' });
  const back = h('button', { type: 'button', class: 'b' }, s.back);
  const next = h('button', { type: 'submit' });
  // honeypot: off-screen, hidden from assistive technology and the tab order; a person never fills it
  const hp = h('input', { name: 'hp', tabindex: -1, autocomplete: 'off' });
  const form = h('form', { novalidate: '' }, body, error, h('div', { class: 'h', 'aria-hidden': 'true' }, hp), h('div', { class: 'f' }, back, next));
  const dialog = h('div', { class: 'p', role: 'dialog', 'aria-labelledby': 't', lang: locale, dir: isRtl(locale) ? 'rtl' : 'ltr' }, closeButton, h('h2', { id: 't' }, texts.title), progress, counter, form);
  root.append(dialog);

  function scale(question: ScaleQuestion) {
    const [min, max] = scaleOf(question);
    const own = texts.questions[question.id];
    const [lo, hi] = question.type === 'rating' ? [] : s.ends[question.type];
    const minLabel = own?.minLabel ?? lo;
    const maxLabel = own?.maxLabel ?? hi;
    const id = `q-${question.id}`;
    const group = h('div', { class: 's', role: 'radiogroup', 'aria-labelledby': id, 'aria-required': question.required ? 'true' : undefined });
    for (let n = min; n <= max; n += 1) {
      const end = n === min ? minLabel : n === max ? maxLabel : undefined;
      const input = h('input', { type: 'radio', name: question.id, value: n, 'aria-label': end ? `${n}, ${end}` : undefined });
      input.checked = answers[question.id] === n;
      group.append(h('label', {}, input, h('span', {}, String(n))));
    }
    on(group, 'change', (event) => {
      answers[question.id] = Number((event.target as HTMLInputElement).value);
      error.textContent = '';
      touch();
    });
    const label = own?.label ?? (question.type === 'rating' ? question.dimension.replace(/[-_]/g, ' ') : s[question.type]);
    const ends = minLabel || maxLabel ? h('div', { class: 'e', 'aria-hidden': 'true' }, h('span', {}, minLabel), h('span', {}, maxLabel)) : undefined;
    return h('div', {}, h('p', { class: 'q', id }, label), group, ends);
  }

  function commentBox(question: PublicQuestion) {
    const own = texts.questions[question.id];
    const box = h('textarea', { id: 'c', maxlength: 5000, placeholder: own?.placeholder });
    box.value = comment;
    on(box, 'input', () => {
      comment = box.value;
      touch();
    });
    return h('div', {}, h('label', { class: 'q', for: 'c' }, own?.label ?? s.text), box);
  }

  const firstControl = (within: ParentNode = body) => {
    const group = within.querySelector('[role=radiogroup]');
    return (group?.querySelector<HTMLElement>('input:checked') ?? group?.querySelector<HTMLElement>('input') ?? within.querySelector<HTMLElement>('textarea')) || undefined;
  };

  function render(moveFocus: boolean) {
    const step = steps[index] ?? [];
    error.textContent = '';
    body.replaceChildren(...step.map((question) => (question.type === 'text' ? commentBox(question) : scale(question))));
    counter.textContent = s.step.replace('{n}', String(index + 1)).replace('{m}', String(steps.length));
    bar.style.width = `${(100 * (index + 1)) / steps.length}%`;
    back.hidden = index === 0;
    next.textContent = index === steps.length - 1 ? s.send : s.next;
    if (moveFocus) firstControl()?.focus();
  }

  // where focus goes back to: the page element focused before the panel was entered
  let returnTo = document.activeElement as HTMLElement | null;
  const untrack = on(
    document,
    'focusin',
    (event) => {
      if (event.target !== host) returnTo = event.target as HTMLElement;
    },
    true,
  );

  function close() {
    if (!host.isConnected) return;
    const inside = root.activeElement !== null;
    untrack();
    host.remove();
    if (inside && returnTo?.isConnected && returnTo !== document.body) returnTo.focus();
  }
  const dismiss = () => {
    if (!answered) dismissed();
    close();
  };

  on(form, 'submit', (event) => {
    event.preventDefault();
    const step = steps[index] ?? [];
    const missing = step.find((question) => question.type !== 'text' && question.required && answers[question.id] === undefined);
    if (missing) {
      error.textContent = s.required;
      firstControl(body.children[step.indexOf(missing)] ?? body)?.focus();
      return;
    }
    if (index < steps.length - 1) {
      index += 1;
      render(true);
      return;
    }
    const said = commentText(comment);
    if (!Object.keys(answers).length && said === undefined) {
      error.textContent = s.empty;
      firstControl()?.focus();
      return;
    }
    answered = true;
    const inside = root.activeElement !== null;
    submit(answers, said, hp.value || undefined);
    const thanks = h('p', { class: 't', role: 'status', tabindex: -1 }, texts.thankYou ?? s.thanks);
    progress.hidden = counter.hidden = true;
    form.replaceWith(thanks);
    if (inside) thanks.focus();
  });
  on(back, 'click', () => {
    index -= 1;
    render(true);
  });
  on(closeButton, 'click', () => {
    touch();
    dismiss();
  });
  on<KeyboardEvent>(dialog, 'keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    touch();
    dismiss();
  });

  render(false);
  document.body.append(host);
  if (focus) firstControl()?.focus();
  return { close, isOpen: () => host.isConnected };
}
