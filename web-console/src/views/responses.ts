// console view: the survey's responses in the range, newest first, filtered (score range on a question, sentiment,
// channel, touchpoint, text in the comment) on the server, a page at a time, and exported as CSV with the same
// filters. Comments are text, never markup.
import { labelledScores, questionLabel, type SurveyWords } from '../../../shared/followups/task-wording.js';
import { CHANNELS } from '../../../shared/survey/channels.js';
import { describeProblem, seg } from '../api.js';
import type { ViewContext, ViewHandle } from '../context.js';
import { h } from '../dom.js';
import { when } from '../format.js';
import { FILTER_KEYS, responsesParams, SENTIMENTS, type ResponseFilters } from '../state.js';
import type { StringKey } from '../strings.js';

interface StoredResponse {
  id: string;
  receivedAt: string;
  channel: string;
  touchpoint?: string;
  answers: Record<string, number>;
  comment?: string;
  sentiment: { status: string; label?: string } | null;
}
interface Page {
  items: StoredResponse[];
  cursor: string | null;
  scanned?: number;
}
type SurveyDefinition = SurveyWords & { channels: string[] };

/** an empty cell: the dash every empty cell shows, read out as what is missing ("No scores") rather than "dash" */
const none = (missing: string) => [h('span', { 'aria-hidden': 'true' }, '—'), h('span', { class: 'sr-only' }, missing)];

export function responsesView(ctx: ViewContext): ViewHandle {
  const { t, api, state, survey } = ctx;
  const base = `/v1/surveys/${seg(survey.id)}`;
  const f = state.filters;
  const field = (id: keyof ResponseFilters, label: string, control: HTMLElement) => h('div', { class: 'field' }, h('label', { for: `f-${id}` }, label), control);
  const options = (values: readonly (readonly [string, string])[], selected: string | undefined) => values.map(([v, label]) => h('option', { value: v, selected: v === (selected ?? '') }, label));
  const question = h('select', { id: 'f-question', name: 'question' }, ...options([['', t('anyQuestion')]], f.question));
  // the survey's channels first, then the rest: a channel since dropped from the survey still has its responses
  const channels = [...survey.channels, ...CHANNELS.filter((c) => !survey.channels.includes(c))];
  const channel = h('select', { id: 'f-channel', name: 'channel' }, ...options([['', t('any')], ...channels.map((c) => [c, c] as const)], f.channel));
  // export sits with the form's buttons: it downloads what the applied filters show
  const exportButton = h('button', { type: 'button', class: 'export' }, t('exportCsv'));
  const form = h(
    'form',
    { class: 'filters', 'aria-label': t('filters') },
    field('question', t('question'), question),
    field('min', t('min'), h('input', { id: 'f-min', name: 'min', type: 'number', min: 0, max: 10, step: 1, inputmode: 'numeric', value: f.min })),
    field('max', t('max'), h('input', { id: 'f-max', name: 'max', type: 'number', min: 0, max: 10, step: 1, inputmode: 'numeric', value: f.max })),
    field('sentiment', t('sentiment'), h('select', { id: 'f-sentiment', name: 'sentiment' }, ...options([['', t('any')], ...SENTIMENTS.map((s) => [s, t(s as StringKey)] as const)], f.sentiment))),
    field('channel', t('channel'), channel),
    field('touchpoint', t('touchpoint'), h('input', { id: 'f-touchpoint', name: 'touchpoint', type: 'text', maxlength: 100, value: f.touchpoint })),
    field('q', t('search'), h('input', { id: 'f-q', name: 'q', type: 'search', maxlength: 200, value: f.q })),
    h('div', { class: 'form-buttons' }, h('button', { type: 'submit', class: 'primary' }, t('apply')), h('button', { type: 'button', onclick: () => ctx.navigate({ filters: {} }) }, t('reset')), exportButton),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const filters: ResponseFilters = {};
    for (const key of FILTER_KEYS) {
      const value = String(data.get(key) ?? '').trim();
      if (value) filters[key] = value;
    }
    ctx.navigate({ filters });
  });

  const tbody = h('tbody', {});
  const status = h('p', { class: 'muted', id: 'responses-status' }, t('loading'));
  const more = h('button', { type: 'button', hidden: true }, t('loadMore'));
  const table = h(
    'div',
    // its own name: the view's section is named by the view's title
    { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': t('responsesTable') },
    h('table', { class: 'data responses' }, h('thead', {}, h('tr', {}, ...[t('received'), t('scores'), t('sentiment'), t('channel'), t('touchpoint'), t('comment')].map((c) => h('th', { scope: 'col' }, c)))), tbody),
  );
  // beside the count, where a lead looks for an answer just sent: when it shows
  const freshness = h('p', { class: 'muted freshness' }, t('freshness'));
  const el = h('section', { 'aria-labelledby': 'view-title' }, h('h2', { id: 'view-title' }, `${t('responses')} · ${survey.title}`), form, status, freshness, table, more);

  let shown = 0;
  let cursor: string | null = null;
  const params = responsesParams(state, ctx.now());
  // the survey's words, read once per view: its questions by label in the lead's language, as the queue shows them
  const definition = api.get<SurveyDefinition>(base).catch(() => undefined);

  async function loadPage() {
    more.hidden = true;
    try {
      const query = new URLSearchParams(params);
      query.set('limit', '50');
      if (cursor) query.set('cursor', cursor);
      // the first page is asked for while the survey's words are read, not after them
      const [words, page] = await Promise.all([definition, api.get<Page>(`${base}/responses`, query)]);
      for (const r of page.items) {
        const sentiment = r.sentiment?.status === 'scored' && r.sentiment.label ? t(r.sentiment.label as StringKey) : '—';
        tbody.appendChild(
          h(
            'tr',
            { 'data-response': r.id },
            h('td', {}, when(r.receivedAt)),
            // a comment-only response has no scores, a scores-only one no comment
            h('td', {}, ...(Object.keys(r.answers).length ? [labelledScores(r.answers, words, ctx.language).map(({ label, score }) => `${label} ${score}`).join(' · ')] : none(t('noScores')))),
            h('td', {}, sentiment),
            h('td', {}, r.channel),
            h('td', {}, r.touchpoint ?? '—'),
            h('td', { class: 'comment' }, ...(r.comment ? [r.comment] : none(t('noComment')))),
          ),
        );
      }
      shown += page.items.length;
      cursor = page.cursor;
      status.textContent = shown === 0 && !cursor ? t('noResponses') : `${t('responsesShown', { n: shown })}${cursor && page.scanned !== undefined && page.items.length === 0 ? ` ${t('searched', { n: page.scanned })}` : ''}`;
      more.hidden = !cursor;
    } catch (error) {
      status.textContent = t('failed', { reason: describeProblem(error, t('networkError')) });
    }
  }
  more.addEventListener('click', () => void loadPage());

  exportButton.addEventListener('click', async () => {
    try {
      const { text, headers } = await api.text(`${base}/responses.csv`, params);
      const rows = Number(headers.get('x-rows') ?? 0);
      const link = h('a', { href: URL.createObjectURL(new Blob([text], { type: 'text/csv' })), download: `${survey.id}-responses.csv` });
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      ctx.announce(headers.get('x-next-cursor') ? t('exportPartial', { n: rows }) : t('exported', { n: rows }));
    } catch (error) {
      ctx.announce(t('actionFailed', { reason: describeProblem(error, t('networkError')) }), 'error');
    }
  });

  // the question picker offers the survey's scored questions, by label
  void definition.then((words) => {
    for (const q of words?.questions.filter((q) => q.type !== 'text') ?? []) {
      question.appendChild(h('option', { value: q.id, selected: q.id === f.question }, questionLabel(words, q.id, ctx.language)));
    }
  });
  void loadPage();
  return { el };
}
