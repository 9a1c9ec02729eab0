// console: the follow-up queue's tools. Who the caller is (GET /v1/me, once per token: a lead's queue opens on "my
// tasks", an admin's on everyone), the filter bar (status, assignee, priority, SLA, touchpoint, text, sort; every
// choice goes to the URL hash, so a reload or a shared link shows the same queue) and the keyboard shortcuts (in the
// task list only, and with a switch that turns them off).
import { session, type Api } from '../api.js';
import type { ViewContext } from '../context.js';
import { h, select } from '../dom.js';
import { assigneeOf, parseHash, QUEUE_CHOICES, QUEUES, sortOf, type Queue, type QueueFilters } from '../state.js';
import type { StringKey } from '../strings.js';

export interface Caller {
  actor: { id: string; name: string };
  role: string;
  canAssign: boolean;
}

const QUEUE_LABELS: Record<Queue, StringKey> = {
  active: 'queueActive',
  open: 'queueOpen',
  claimed: 'queueClaimed',
  contacted: 'queueContacted',
  overdue: 'queueOverdue',
  resolved: 'status_resolved',
  no_action: 'status_no_action',
  all: 'queueAll',
};

let known: { token: string | undefined; caller: Promise<Caller | undefined> } | undefined;

/** who the token in use is; undefined when the API cannot say (the queue then shows everyone's tasks) */
export function callerOf(api: Api): Promise<Caller | undefined> {
  const token = session.token();
  if (!known || known.token !== token) known = { token, caller: api.get<Caller>('/v1/me').catch(() => undefined) };
  return known.caller;
}

/** the filter bar: a change of a picker applies at once, the two texts on Enter or Apply */
export function filterBar(ctx: ViewContext, caller: Caller | undefined): HTMLElement {
  const { t, state } = ctx;
  const f = state.queueFilters;
  const go = (patch: Partial<QueueFilters>, queue?: Queue) => {
    // on the filters in the URL now, not those this bar was drawn with: a bar whose view is about to be drawn again
    // (a choice made just before) must not send the earlier filters back
    const now = parseHash(location.hash);
    const next: QueueFilters = { ...now.queueFilters, ...patch };
    for (const key of Object.keys(next) as (keyof QueueFilters)[]) if (!next[key]) delete next[key];
    ctx.navigate({ queue: queue ?? now.queue, queueFilters: next });
  };
  /** each value worded by its string key, `<prefix>_<value>` */
  const options = (prefix: string, values: readonly string[]) => values.map((v) => [v, t(`${prefix}_${v}` as StringKey)] as const);
  const touchpoint = h('input', { id: 'fq-touchpoint', name: 'touchpoint', type: 'text', maxlength: 100, value: f.touchpoint ?? '' });
  const text = h('input', { id: 'fq-q', name: 'q', type: 'search', maxlength: 200, value: f.q ?? '' });
  return h(
    'form',
    { class: 'filters queue-filters', 'aria-label': t('filters'), onsubmit: (e) => (e.preventDefault(), go({ touchpoint: touchpoint.value.trim(), q: text.value.trim() })) },
    select('fq-status', t('queue'), QUEUES.map((q) => [q, t(QUEUE_LABELS[q])] as const), state.queue, (queue) => go({}, queue as Queue)),
    select('fq-assignee', t('assignee'), options('assignee', QUEUE_CHOICES.assignee), assigneeOf(f, caller?.role), (assignee) => go({ assignee: assignee as QueueFilters['assignee'] })),
    select('fq-priority', t('priority'), [['', t('anyPriority')], ...options('priority', QUEUE_CHOICES.priority)], f.priority ?? '', (priority) => go({ priority })),
    select('fq-sla', t('sla'), [['', t('anySla')], ...options('sla', QUEUE_CHOICES.sla)], f.sla ?? '', (sla) => go({ sla })),
    select('fq-sort', t('sort'), options('sort', QUEUE_CHOICES.sort), sortOf(state.queue, f), (sort) => go({ sort })),
    h('div', { class: 'field' }, h('label', { for: 'fq-touchpoint' }, t('touchpoint')), touchpoint),
    h('div', { class: 'field' }, h('label', { for: 'fq-q' }, t('searchTasks')), text),
    h('div', { class: 'form-buttons' }, h('button', { type: 'submit' }, t('apply'))),
  );
}

/** where the lead's choice to turn the single-key shortcuts off is kept (this browser, across sessions) */
const SHORTCUTS_OFF_KEY = 'fbc:shortcuts-off';
const shortcutsOn = () => localStorage.getItem(SHORTCUTS_OFF_KEY) !== 'true';

/** the shortcuts' help: a disclosure ("?" opens and closes it) with the switch that turns the shortcuts off and on */
export function shortcutsHelp(ctx: ViewContext): HTMLDetailsElement {
  const toggle = h('input', {
    id: 'shortcuts-on',
    type: 'checkbox',
    checked: shortcutsOn(),
    onchange: (event) => {
      const on = (event.target as HTMLInputElement).checked;
      if (on) localStorage.removeItem(SHORTCUTS_OFF_KEY);
      else localStorage.setItem(SHORTCUTS_OFF_KEY, 'true');
    },
  });
  return h(
    'details',
    { class: 'shortcuts' },
    h('summary', {}, ctx.t('shortcuts')),
    h('p', { class: 'muted' }, ctx.t('shortcutsHelp')),
    h('p', { class: 'check' }, toggle, ' ', h('label', { for: 'shortcuts-on' }, ctx.t('shortcutsOn'))),
  );
}

/** a field that takes typed keys (a card's checkbox or button does not: the shortcuts work there) */
const typingIn = (target: Element) => !!target.closest('textarea, select, [contenteditable]') || (target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(target.type));

/**
 * j / k: focus the next / previous task card; c: claim the focused card's task (else the first's); n: its note field;
 * ?: the shortcuts' help. Single keys, so (WCAG 2.1.4) only while focus is in the task list, never while typing in a
 * field nor with a modifier (the browser's and screen readers' keys), and not at all once the lead turns them off:
 * a stray key or a word of speech input elsewhere on the page must not claim a task. Returns what removes them.
 */
export function queueShortcuts(list: HTMLElement, help: HTMLDetailsElement): () => void {
  const onKey = (event: KeyboardEvent) => {
    const target = event.target as Element;
    if (!shortcutsOn() || !list.contains(target) || event.ctrlKey || event.metaKey || event.altKey || typingIn(target)) return;
    const cards = [...list.querySelectorAll<HTMLElement>('article.task')];
    const current = target.closest<HTMLElement>('article.task') ?? undefined;
    const at = current ? cards.indexOf(current) : -1;
    const focus = (card: HTMLElement | undefined) => card?.querySelector<HTMLElement>('h3')?.focus();
    const card = current ?? cards[0];
    if (event.key === 'j') focus(cards[Math.min(at + 1, cards.length - 1)]);
    else if (event.key === 'k') focus(cards[Math.max(at - 1, 0)]);
    else if (event.key === 'c') card?.querySelector<HTMLButtonElement>('button[data-action=claim]')?.click();
    else if (event.key === 'n') card?.querySelector<HTMLElement>('textarea')?.focus();
    else if (event.key === '?') help.open = !help.open;
    else return;
    // the key is not also typed into the field it focused
    event.preventDefault();
  };
  list.addEventListener('keydown', onKey);
  return () => list.removeEventListener('keydown', onKey);
}
