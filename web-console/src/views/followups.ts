// console view: the follow-up queue (the survey's tasks as the filter bar selects them, a page at a time). Each
// card says who (the customer reference), why (the reasons the task was opened), the scores by their labels in the
// lead's language, the comment and what became of its sentiment, channel, touchpoint, journey stage, campaign and time
// left on the SLA, with every action in place: claim, note, contacted, resolve. A task an action takes out of the queue
// leaves the list at once. A refused action (409: someone changed the task meanwhile) shows the task as it now is, and
// the message names who changed it (the task's last event). The follow-up metrics of the range sit above the queue,
// with the top root causes and the figures by assignee (root-cause-summary.ts), and are read again after every action.
// Resolving asks for a root cause (resolve-form.ts); the re-survey link it issues, for the lead to send, is shown with
// the message and on the card (resurvey-link.ts).
// The filter bar, who the caller is and the keyboard shortcuts: queue-tools.ts; assigning and bulk actions:
// bulk-actions.ts. #/followups/{taskId} opens that one task, with a way back.
import { ApiProblem, describeProblem, seg } from '../api.js';
import type { ToastKind, ViewContext, ViewHandle } from '../context.js';
import { h, replace } from '../dom.js';
import { num, percent, when } from '../format.js';
import { formatDuration, slaLeft, type SlaTask } from '../sla.js';
import { labelledScores, reasonWording, sentimentWording, type SurveyWords, type TaskResponseFacts } from '../../../shared/followups/task-wording.js';
import { clippedWords } from '../range-notice.js';
import { assigneeOf, metricsParams, queueRequest, sizedMetricsRange, sortOf, stillListed, toHash } from '../state.js';
import type { StringKey } from '../strings.js';
import type { CustomerHistory } from '../../../shared/followups/customer-history.js';
import { problemWording, showRefusal } from '../refusals.js';
import { makeTaskHistory } from './task-history.js';
import { resolutionText, resolveForm } from './resolve-form.js';
import { rootCauseSummary, type FollowUpBreakdown } from './root-cause-summary.js';
import { assignForm, bulkBar, leadsFor, selectBox, type Lead } from './bulk-actions.js';
import { callerOf, filterBar, queueShortcuts, shortcutsHelp, type Caller } from './queue-tools.js';
import { resurveyLinkBox, resurveyState, type ResurveyFacts } from './resurvey-link.js';

/** pages read on, after one with nothing to show, before the queue waits for "Load more" (the API's bounded reads) */
const EMPTY_PAGES_READ_ON = 4;

interface Task extends SlaTask, ResurveyFacts {
  id: string;
  surveyId: string;
  status: string;
  overdue: boolean;
  response: TaskResponseFacts & { receivedAt: string };
  reasons: { rule: string }[];
  assignee?: { id: string; name: string };
  notes: { author: { name: string }; at: string; text: string }[];
  resolution?: { reason: string; rootCause?: string; action?: string };
  /** who did what, oldest first: a refused action (409) names who changed the task meanwhile from its last event */
  history?: { action: string; by: { id: string; name: string }; assignee?: { name: string } }[];
  /** on the task's detail only (GET /v1/followups/{id}), not in the queue's list */
  customerHistory?: CustomerHistory | null;
}

interface FollowUpMetrics {
  opened: number;
  timeToFirstContactHours: { median: number; p90: number } | null;
  slaCompliancePct: number | null;
  closureRatePct: number | null;
  recovery: { ratePct: number | null };
}

export function followupsView(ctx: ViewContext): ViewHandle {
  const { t, api, state, survey } = ctx;
  /** the survey's questions and texts, for the scores' labels (ids until it is read, or if it cannot be) */
  let words: SurveyWords | undefined;
  /** the survey's root causes, for the resolve form (typed in when the survey cannot be read) */
  let rootCauses: string[] | undefined;
  /** the leads tasks may be assigned to; undefined when the caller may not assign (then no assign control) */
  let leads: Lead[] | undefined;
  // the survey: its labels and root causes for the cards (without it they show question ids), and its questions to size
  // the metrics by when the range may hold more intervals than one report of some survey's questions does
  const definitionRead = api.get<SurveyWords & { followUp?: { rootCauses?: string[] } }>(`/v1/surveys/${seg(survey.id)}`).catch(() => undefined);
  // only a caller who may assign (GET /v1/me, read once per token) asks for the survey's leads
  const leadsReady = callerOf(api).then((who) => (who?.canAssign ? leadsFor(ctx) : undefined));
  const bulkBox = h('div', { class: 'bulk' });
  const metricsBox = h('section', { 'aria-labelledby': 'fu-metrics-title', class: 'followup-metrics' }, h('h3', { id: 'fu-metrics-title' }, t('followupMetricsTitle')), h('p', { class: 'muted' }, t('loading')));
  const list = h('div', { class: 'tasks' }, h('p', { class: 'muted' }, t('loading')));
  const summary = h('p', { class: 'muted', id: 'tasks-summary', tabindex: '-1' });
  const toolbar = h('div', { class: 'toolbar' });
  const more = h('div', { class: 'more' });
  const help = shortcutsHelp(ctx);
  const queue = [toolbar, bulkBox, summary, list, more, help];
  // a deep link opens one task to work on it: the task comes first, the range's metrics after it (on a phone, a screen down)
  const el = h('section', { 'aria-labelledby': 'view-title' }, h('h2', { id: 'view-title' }, `${t('followups')} · ${survey.title}`), ...(state.task ? [...queue, metricsBox] : [metricsBox, ...queue]));
  /** who is working the queue: "my tasks" and whether a task still belongs to the queue depend on it */
  let caller: Caller | undefined;
  /** a card stays after an action while the queue as filtered still lists its task; the one task of a deep link always */
  const keeps = (task: Task) => !!state.task || stillListed(state, task, { actorId: caller?.actor.id, role: caller?.role }, ctx.now());
  const historySection = makeTaskHistory(ctx, () => words);

  // each action reads the metrics again: only the latest read may fill the box, not an older one that answers after it
  let metricsRead = 0;
  async function loadMetrics() {
    const read = ++metricsRead;
    try {
      const now = ctx.now();
      const range = await sizedMetricsRange(state, now, definitionRead);
      const report = await api.get<{ followups: FollowUpMetrics & FollowUpBreakdown }>(`/v1/surveys/${seg(survey.id)}/metrics`, metricsParams(state, range));
      if (read !== metricsRead) return;
      const clipped = clippedWords(t, state, range, now);
      const f = report.followups;
      const item = (key: string, label: string, value: string) => h('div', { class: 'kpi', 'data-metric': key }, h('h4', {}, label), h('p', { class: 'kpi-value', 'data-value': value }, value));
      replace(
        metricsBox,
        h('h3', { id: 'fu-metrics-title' }, t('followupMetricsTitle')),
        clipped ? h('p', { class: 'notice range-clipped' }, clipped) : null,
        h(
          'div',
          { class: 'kpis' },
          item('opened', t('opened'), String(f.opened)),
          item('timeToFirstContact', t('timeToFirstContact'), f.timeToFirstContactHours ? t('hoursValue', { median: num(f.timeToFirstContactHours.median, 1), p90: num(f.timeToFirstContactHours.p90, 1) }) : '—'),
          item('slaCompliance', t('slaCompliance'), percent(f.slaCompliancePct)),
          item('closureRate', t('closureRate'), percent(f.closureRatePct)),
          item('recoveryRate', t('recoveryRate'), percent(f.recovery.ratePct)),
        ),
        rootCauseSummary(f, t),
      );
    } catch (error) {
      if (read === metricsRead) replace(metricsBox, h('p', { class: 'error' }, t('failed', { reason: describeProblem(error, t('networkError')) })));
    }
  }

  function slaText(task: Task): { text: string; overdue: boolean } {
    const sla = slaLeft(task, ctx.now());
    const units = { day: t('unitDay'), hour: t('unitHour'), minute: t('unitMinute') };
    switch (sla.state) {
      case 'due':
        return { text: t('slaDue', { left: formatDuration(sla.ms, units) }), overdue: false };
      case 'overdue':
        return { text: t('slaOverdue', { left: formatDuration(sla.ms, units) }), overdue: true };
      case 'met':
        return { text: t('slaMet'), overdue: false };
      case 'missed':
        return { text: t('slaMissed'), overdue: true };
      default:
        return { text: t('slaClosed'), overdue: false };
    }
  }

  /** each card's task as last shown, so the SLA line can count down while the page stays open */
  const shown = new Map<HTMLElement, Task>();
  const tick = window.setInterval(() => {
    for (const [card, task] of shown) {
      const line = card.querySelector<HTMLElement>('.sla');
      if (!line) continue;
      const sla = slaText(task);
      line.textContent = sla.text;
      line.className = sla.overdue ? 'sla overdue' : 'sla';
    }
  }, 30_000);

  function taskCard(task: Task): HTMLElement {
    const card = h('article', { class: `task priority-${task.priority.level}`, 'data-task': task.id, 'data-status': task.status, 'aria-labelledby': `task-${task.id}-title` });
    // kept across the card's refills, so an opened history stays open and is read once
    const history = task.response.customerRef === undefined ? null : historySection(task.id, task.customerHistory);
    const fill = (current: Task) => {
      const sla = slaText(current);
      const r = current.response;
      const scores = labelledScores(r.answers, words, ctx.language);
      const reasons = current.reasons.map((reason) => {
        const { key, vars } = reasonWording(reason);
        return t(key, vars);
      });
      const feeling = sentimentWording(r.sentiment);
      const sentiment = feeling && t(feeling.key, feeling.key === 'sentimentScored' ? { ...feeling.vars, label: t(feeling.vars.label as StringKey) } : feeling.vars);
      /** `fields`: the form's controls by the API's path for them, so a refusal is said next to the field typed in */
      const act = async (action: 'claim' | 'contacted' | 'notes' | 'resolve' | 'assign', body: unknown, done: StringKey, fields: Parameters<typeof showRefusal>[1] = {}) => {
        try {
          const next = await api.post<Task>(`/v1/followups/${seg(current.id)}/${action}`, body);
          void loadMetrics();
          // no stale card: a task this queue no longer lists (closed, or moved on) leaves it at once; a resolved task's
          // re-survey link, for the lead to send, goes with the message that says so
          if (!keeps(next)) {
            if (!next.resurveyLink) return leave(card, t(done));
            return leave(card, t(done), 'info', t('resurveyLinkInToast'), resurveyLinkBox(t, api.href(next.resurveyLink)));
          }
          fill(next);
          ctx.announce(t(done));
        } catch (error) {
          if (error instanceof ApiProblem && error.status === 409 && error.body?.details?.[0]?.path === 'notes') {
            // the task holds all the notes it can: nobody changed it, and the text typed stays where it is
            ctx.announce(t('notesFull'), 'error');
          } else if (error instanceof ApiProblem && error.status === 409 && error.body?.current) {
            const now = error.body.current as Task;
            const conflict = conflictWording(now);
            if (!keeps(now)) return leave(card, conflict, 'error');
            fill(now);
            ctx.announce(conflict, 'error');
          } else {
            const refused = showRefusal(error, fields, t);
            ctx.announce(refused?.message ?? t('actionFailed', { reason: problemWording(error, t) }), 'error');
            // the field to mend, its words read with it
            if (refused) return refused.field.focus();
          }
        }
        (card.querySelector('h3') as HTMLElement | null)?.focus();
      };
      const noteId = `note-${current.id}`;
      const note = h('textarea', { id: noteId, name: 'note', rows: 2, maxlength: 2000, required: true });
      const closed = current.status === 'resolved' || current.status === 'no_action';
      replace(
        card,
        h(
          'header',
          { class: 'task-head' },
          closed ? null : selectBox(ctx, current.id, r.customerRef === undefined ? t('anonymousReceived', { at: when(r.receivedAt) }) : t('customerRef', { ref: r.customerRef })),
          h(
            'h3',
            { id: `task-${current.id}-title`, tabindex: '-1' },
            h('span', { class: `badge ${current.priority.level}` }, t(`priority_${current.priority.level}` as StringKey)),
            ' ',
            h('span', { class: 'task-status' }, t(`status_${current.status}` as StringKey)),
            ' · ',
            h('span', { class: 'customer' }, r.customerRef === undefined ? t('anonymousCustomer') : t('customerRef', { ref: r.customerRef })),
          ),
          h('p', { class: sla.overdue ? 'sla overdue' : 'sla', 'data-sla': slaLeft(current, ctx.now()).state }, sla.text),
        ),
        h(
          'dl',
          { class: 'task-facts' },
          h('dt', {}, t('whyOpened')),
          h('dd', { class: 'reasons' }, reasons.length ? reasons.join(t('listSeparator')) : '—'),
          h('dt', {}, t('scores')),
          h('dd', {}, scores.length ? h('ul', { class: 'scores' }, ...scores.map((q) => h('li', { 'data-question': q.question }, `${q.label} `, h('strong', {}, q.max === undefined ? String(q.score) : `${q.score}/${q.max}`)))) : '—'),
          h('dt', {}, t('comment')),
          h('dd', { class: 'comment' }, r.comment ?? t('noComment')),
          sentiment ? h('dt', {}, t('sentiment')) : null,
          sentiment ? h('dd', { class: 'sentiment' }, sentiment) : null,
          h('dt', {}, t('channel')),
          h('dd', { class: 'channel' }, r.channel),
          ...fact('touchpoint', r.touchpoint),
          ...fact('journeyStage', r.journeyStage),
          ...fact('campaign', r.campaign),
          ...fact('resolveReason', current.resolution && resolutionText(current.resolution)),
          ...fact('resurvey', resurveyState(t, current, ctx.now())),
          h('dt', {}, t('received')),
          h('dd', {}, when(r.receivedAt)),
          current.assignee ? h('dt', {}, t('assignee')) : null,
          current.assignee ? h('dd', {}, current.assignee.name) : null,
        ),
        current.resurveyLink ? resurveyLinkBox(t, api.href(current.resurveyLink)) : null,
        current.notes.length ? h('details', {}, h('summary', {}, t('notesCount', { n: current.notes.length })), h('ul', { class: 'notes' }, ...current.notes.map((n) => h('li', {}, `${when(n.at)} ${n.author.name}: `, n.text)))) : null,
        history,
        closed
          ? null
          : h(
              'div',
              { class: 'task-actions' },
              current.status === 'open' ? h('button', { type: 'button', class: 'primary', 'data-action': 'claim', onclick: () => act('claim', undefined, 'claimed') }, t('claim')) : null,
              current.status === 'claimed' ? h('button', { type: 'button', onclick: () => act('contacted', undefined, 'markedContacted') }, t('contacted')) : null,
              leads ? assignForm(ctx, `assign-${current.id}`, leads, current.assignee?.id, (assignee) => void act('assign', { assignee }, 'assigned')) : null,
              h(
                'form',
                { class: 'inline-form', onsubmit: (e) => (e.preventDefault(), act('notes', { text: note.value }, 'noteAdded', { text: note })) },
                h('label', { for: noteId }, t('note')),
                note,
                h('button', { type: 'submit' }, t('addNote')),
              ),
              current.status === 'claimed' || current.status === 'contacted' ? resolveForm(current.id, t, rootCauses, (body, done, fields) => void act('resolve', body, done, fields)) : null,
            ),
      );
      card.dataset.status = current.status;
      shown.set(card, current);
    };
    fill(task);
    return card;
  }

  /** a refused action's news: who changed the task meanwhile, when its last event is someone else's, and how it now stands */
  function conflictWording(now: Task): string {
    const status = t(`status_${now.status}` as StringKey);
    const last = now.history?.at(-1);
    if (!last || last.by.id === caller?.actor.id) return t('conflict', { status });
    if (last.action === 'claim') return t('conflictClaimed', { name: last.by.name, status });
    if (last.action === 'assign' && last.assignee) return t('conflictAssigned', { name: last.by.name, assignee: last.assignee.name, status });
    return t('conflictBy', { name: last.by.name, status });
  }

  /** a fact the response may lack: its term and value, or nothing */
  const fact = (term: StringKey, value: string | undefined) => (value ? [h('dt', {}, t(term)), h('dd', { class: term }, value)] : []);

  /** takes a card out of the list: the count follows, focus goes to the next card (else the count), and it is said */
  function leave(card: HTMLElement, message: string, kind: ToastKind = 'info', after?: string, attached?: HTMLElement) {
    const neighbour = (card.nextElementSibling ?? card.previousElementSibling)?.querySelector<HTMLElement>('h3');
    shown.delete(card);
    card.remove();
    summarise(lastCursor);
    if (shown.size === 0 && !lastCursor) showEmpty();
    (neighbour ?? summary).focus();
    ctx.announce([message, t('taskLeftQueue', { n: shown.size }), after].filter(Boolean).join(' '), kind, attached);
  }

  /** the next page's cursor of the queue as shown (null: nothing more matches) */
  let lastCursor: string | null = null;

  /** an empty queue; "my tasks" empty links to the unassigned ones */
  function showEmpty() {
    const mine = assigneeOf(state.queueFilters, caller?.role) === 'me';
    replace(list, h('p', { class: 'muted' }, t(mine ? 'noMyTasks' : 'noTasks')), mine ? h('a', { href: toHash({ ...state, queueFilters: { ...state.queueFilters, assignee: 'none' } }) }, t('showUnassigned')) : null);
  }

  /** the summary line: how many are shown, in which order, and whether more match */
  function summarise(cursor: string | null) {
    const sort = sortOf(state.queue, state.queueFilters);
    const count = t(sort === 'newest' ? 'tasksShownNewest' : sort === 'oldest' ? 'tasksShownOldest' : sort === 'priority' ? 'tasksShownPriority' : 'tasksShown', { n: shown.size });
    summary.textContent = cursor ? `${count} · ${t('moreTasks')}` : count;
  }

  const failed = (error: unknown) => replace(list, h('p', { class: 'error', role: 'alert' }, t('failed', { reason: describeProblem(error, t('networkError')) })));

  /** the queue as filtered, a page at a time: "Load more" appends the next page */
  async function loadPage(cursor?: string) {
    const read = (from?: string) => api.get<{ items: Task[]; cursor: string | null }>('/v1/followups', queueRequest(survey.id, state, caller?.role, from));
    let page = await read(cursor);
    // a list holding closed tasks reads a bounded slice a page: a page with nothing to show is read on, a few at most
    for (let more = 0; page.items.length === 0 && page.cursor && more < EMPTY_PAGES_READ_ON; more++) page = await read(page.cursor);
    if (!cursor) {
      shown.clear();
      list.replaceChildren();
    }
    const listed = new Set([...shown.values()].map((task) => task.id));
    list.append(...page.items.filter((task) => !listed.has(task.id)).map(taskCard));
    lastCursor = page.cursor;
    summarise(page.cursor);
    // a list holding closed tasks reads a bounded slice a page, so a page may hold nothing and still have a next one
    if (!shown.size && !page.cursor) showEmpty();
    // a next page that fails leaves the cards shown, and says so
    const next = () => loadPage(page.cursor!).catch((error: unknown) => ctx.announce(t('failed', { reason: describeProblem(error, t('networkError')) }), 'error'));
    replace(more, page.cursor ? h('button', { type: 'button', onclick: () => void next() }, t('loadMore')) : null);
  }

  /** the one task of a deep link, fetched by id wherever it stands in the queue, focused, with the way back */
  async function loadOne(taskId: string) {
    const task = await api.get<Task>(`/v1/followups/${seg(taskId)}`);
    const card = taskCard(task);
    card.classList.add('focused');
    // a lead who follows a link to one task is about to call that customer: their history (read with the task) is open
    card.querySelector('details.task-history')?.setAttribute('open', '');
    replace(toolbar, h('a', { href: toHash({ ...state, task: undefined }), class: 'back' }, t('backToQueue')));
    summary.textContent = t('oneTask', { id: task.id });
    replace(list, card);
    card.querySelector('h3')?.focus();
  }

  async function loadTasks() {
    try {
      const [who, definition, assignable] = await Promise.all([
        callerOf(api),
        definitionRead,
        leadsReady,
      ]);
      caller = who;
      words = definition;
      rootCauses = definition?.followUp?.rootCauses;
      leads = assignable;
      if (state.task) return await loadOne(state.task);
      replace(toolbar, filterBar(ctx, caller));
      bulkBox.append(bulkBar(ctx, list, leads, () => (void loadPage().catch(failed), void loadMetrics())));
      await loadPage();
    } catch (error) {
      failed(error);
    }
  }

  const stopShortcuts = queueShortcuts(list, help);
  void loadMetrics();
  void loadTasks();
  return { el, destroy: () => (window.clearInterval(tick), stopShortcuts()) };
}
