// console part: the "History" section of a task card: the customer's NPS trend (a sparkline, and the same figures as
// text for everyone) and their other responses and tasks, newest first, each with its date, scores by label, comment
// excerpt and outcome. Collapsed; read from GET /v1/followups/{id} the first time it is opened, since the queue's list
// does not carry history (a deep link, which has read the task's detail, hands it over instead).
import { describeProblem, seg } from '../api.js';
import type { ViewContext } from '../context.js';
import { h, replace } from '../dom.js';
import { when } from '../format.js';
import { labelledScores, type SurveyWords } from '../../../shared/followups/task-wording.js';
import type { CustomerHistory, HistoryResponse, HistoryTask } from '../../../shared/followups/customer-history.js';
import type { StringKey } from '../strings.js';
import { resolutionText } from './resolve-form.js';

const SVG = 'http://www.w3.org/2000/svg';

/** a polyline of NPS 0–10 over a 100 × 24 box: decorative, the text beside it says the same */
function sparkline(points: number[]): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  const line = document.createElementNS(SVG, 'polyline');
  const step = points.length > 1 ? 100 / (points.length - 1) : 0;
  line.setAttribute('points', points.map((nps, i) => `${(i * step).toFixed(1)},${(22 - nps * 2).toFixed(1)}`).join(' '));
  for (const [name, value] of [['viewBox', '0 0 100 24'], ['width', '100'], ['height', '24'], ['aria-hidden', 'true'], ['class', 'sparkline']]) svg.setAttribute(name!, value!);
  svg.append(line);
  return svg;
}

/** one task card's history section; `currentWords` labels the queue's own survey, others are read when needed */
export function makeTaskHistory(ctx: ViewContext, currentWords: () => SurveyWords | undefined) {
  const { t, api } = ctx;
  const words = new Map<string, Promise<SurveyWords | undefined>>();
  const wordsOf = (surveyId: string) => {
    if (surveyId === ctx.survey.id) return Promise.resolve(currentWords());
    if (!words.has(surveyId)) words.set(surveyId, api.get<SurveyWords>(`/v1/surveys/${seg(surveyId)}`).catch(() => undefined));
    return words.get(surveyId)!;
  };

  // worded as the task's own card words its resolution
  const outcome = (task: HistoryTask) => [t(`status_${task.status}` as StringKey), task.resolution && resolutionText(task.resolution)].filter(Boolean).join(' · ');

  async function entry(r: HistoryResponse, task: HistoryTask | undefined): Promise<HTMLElement> {
    const scores = labelledScores(r.answers, await wordsOf(r.surveyId), ctx.language).map((q) => `${q.label} ${q.score}${q.max === undefined ? '' : `/${q.max}`}`);
    return h(
      'li',
      { 'data-response': r.responseId },
      h('strong', {}, when(r.receivedAt)),
      r.surveyId === ctx.survey.id ? null : ` (${r.surveyId})`,
      scores.length ? ` · ${scores.join(t('listSeparator'))}` : null,
      r.commentExcerpt ? h('span', { class: 'excerpt' }, ` · “${r.commentExcerpt}”`) : null,
      task ? h('span', { class: 'outcome' }, ` · ${outcome(task)}`) : null,
    );
  }

  async function render(body: HTMLElement, history: CustomerHistory | null | undefined) {
    if (!history || history.npsTrend.length + history.responses.length + history.tasks.length === 0) return replace(body, h('p', { class: 'muted' }, t('historyNone')));
    const trend = history.npsTrend.map((p) => (p.current ? `${p.nps} (${t('historyThisTask')})` : String(p.nps))).join(' → ');
    const linked = new Set(history.responses.map((r) => r.taskId));
    const tasks = new Map(history.tasks.map((task) => [task.id, task]));
    const items = await Promise.all(history.responses.map((r) => entry(r, r.taskId ? tasks.get(r.taskId) : undefined)));
    // a task whose response is not listed (older than the responses shown): its date and outcome
    const unlinked = history.tasks.filter((task) => !linked.has(task.id)).map((task) => h('li', { 'data-task': task.id }, h('strong', {}, when(task.createdAt)), ` · ${outcome(task)}`));
    replace(
      body,
      history.npsTrend.length ? h('p', { class: 'trend' }, sparkline(history.npsTrend.map((p) => p.nps)), ` ${t('historyTrend', { trend })}`) : null,
      h('p', { class: 'muted' }, t('historyCounts', { n: history.summary.responses }), t('listSeparator'), t('historyTasks', { n: history.summary.tasks })),
      items.length || unlinked.length ? h('ul', { class: 'history' }, ...items, ...unlinked) : null,
      history.truncated ? h('p', { class: 'muted' }, t('historyTruncated')) : null,
    );
  }

  /** `known`: the history when the task's detail was read already (a deep link), so opening reads nothing again */
  return function historySection(taskId: string, known?: CustomerHistory | null): HTMLDetailsElement {
    const body = h('div', {}, h('p', { class: 'muted' }, t('loading')));
    let loaded = known !== undefined;
    if (loaded) void render(body, known);
    const section = h('details', { class: 'task-history' }, h('summary', {}, t('history')), body);
    section.addEventListener('toggle', () => {
      if (!section.open || loaded) return;
      loaded = true;
      api
        .get<{ customerHistory?: CustomerHistory | null }>(`/v1/followups/${seg(taskId)}`)
        .then((task) => render(body, task.customerHistory))
        .catch((error: unknown) => {
          loaded = false;
          replace(body, h('p', { class: 'error' }, t('failed', { reason: describeProblem(error, t('networkError')) })));
        });
    });
    return section;
  }
}
