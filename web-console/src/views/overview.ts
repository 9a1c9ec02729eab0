// console view: the overview of a survey over the chosen range: NPS, CSAT, CES and CSI with margins and the change
// against the previous period, the NPS/CSAT trend, grade distribution, NPS split, sentiment mix, channel performance
// (channels, touchpoints and journey stages side by side) and the alerts raised.
import { ApiProblem, describeProblem, seg } from '../api.js';
import { barList, splitBar } from '../bars.js';
import { trendChart } from '../charts.js';
import type { ViewContext, ViewHandle } from '../context.js';
import { h, replace } from '../dom.js';
import { num, signed } from '../format.js';
import { clippedWords } from '../range-notice.js';
import { breakdownFits, metricsParams, metricsRange, sizedMetricsRange, type MetricsRange } from '../state.js';
import type { StringKey } from '../strings.js';
import { trendVerdict, type ApiTrend as Trend } from '../trend.js';
import { MIN_PERIODS, trendWindow } from '../trend-window.js';

interface Metrics {
  responses: number;
  nps: { score: number; marginOfError: number; answers: number; promoters: number; passives: number; detractors: number; promoterShare: number; passiveShare: number; detractorShare: number } | null;
  csat: { percentage: number; marginOfError: number; answers: number; grades: { grade: number; count: number; share: number }[] } | null;
  ces: { mean: number; marginOfError: number; answers: number } | null;
  csi: { score: number; marginOfError: number; answers: number } | null;
  sentiment: { answers: number; counts: Record<string, number>; shares: Record<string, number> } | null;
  /** absent from older servers */
  unscoredComments?: { pending: number; notCovered: number };
}
interface Totals {
  metrics: Metrics;
  trend: Record<'nps' | 'csat' | 'ces' | 'csi', Trend | null>;
}
export interface Report {
  from: string;
  to: string;
  totals: Totals;
  series: { start: string; metrics: Metrics }[];
  /** approximate: the rollup's per-bucket cap may have folded some of the group's responses into (other) */
  groups?: { key: string; approximate?: boolean; reason?: string; totals: Totals }[];
}
interface Alert {
  alertId: string;
  metric: string;
  change: number;
  values: { current: number; previous: number };
  window: { from: string; to: string };
}

const SENTIMENT_COLOURS: Record<string, string> = { POSITIVE: '#1e7d32', NEUTRAL: '#767676', MIXED: '#8a5a00', NEGATIVE: '#b3261e' };
const GROUPINGS = ['channel', 'touchpoint', 'journeyStage'] as const;

function kpi(ctx: ViewContext, key: 'nps' | 'csat' | 'ces' | 'csi', value: number | undefined, margin: number | undefined, answers: number | undefined, trend: Trend | null, unit = '', digits = 0): HTMLElement {
  const { t } = ctx;
  const change = trend ? signed(trend.change) : undefined;
  const verdict = trend && trendVerdict(trend);
  const verdictText =
    verdict === 'up' || verdict === 'down'
      ? `${verdict === 'down' ? '▼' : '▲'} ${t('significant')}`
      : verdict === 'tooFewAnswers'
        ? t('tooFewAnswers', { n: trend!.minimumSample! })
        : t('notSignificant');
  return h(
    'div',
    { class: 'kpi', 'data-metric': key },
    h('h3', {}, t(key)),
    h('p', { class: 'kpi-value' }, h('span', { 'data-value': value === undefined ? '' : String(value) }, value === undefined ? '—' : `${num(value, digits)}${unit}`), margin === undefined ? null : h('span', { class: 'kpi-margin' }, ` ${t('margin', { m: num(margin, 1) })}`)),
    h('p', { class: 'kpi-sub' }, answers === undefined ? t('noData') : t('answers', { n: answers })),
    trend && change
      ? h('p', { class: verdict === 'up' || verdict === 'down' ? `kpi-trend significant ${verdict}` : 'kpi-trend' }, t('change', change), ' · ', h('strong', {}, verdictText))
      : null,
  );
}

function groupRows(ctx: ViewContext, dimension: (typeof GROUPINGS)[number], report: Report): HTMLTableRowElement[] {
  return (report.groups ?? []).map((group) => {
    const m = group.totals.metrics;
    return h(
      'tr',
      {},
      h('td', {}, ctx.t(dimension)),
      // an approximate group is marked "≈" with the API's reason as its tooltip
      h('th', { scope: 'row' }, group.key, group.approximate ? h('span', { class: 'approximate', title: group.reason ?? '' }, ` ≈ ${ctx.t('approximate')}`) : null),
      h('td', {}, m.responses),
      h('td', {}, m.nps ? `${num(m.nps.score)} ± ${num(m.nps.marginOfError, 1)}` : '—'),
      h('td', {}, m.csat ? `${num(m.csat.percentage)}%` : '—'),
      h('td', {}, m.ces ? num(m.ces.mean, 2) : '—'),
      h('td', {}, m.csi ? num(m.csi.score, 1) : '—'),
    );
  });
}

/** the sentiment mix of the scored comments, and how many comments it leaves out and why */
function sentimentFigure(ctx: ViewContext, m: Metrics): HTMLElement | null {
  const { t } = ctx;
  const { pending = 0, notCovered = 0 } = m.unscoredComments ?? {};
  const unscored = pending + notCovered;
  if (!m.sentiment && unscored === 0) return null;
  const figure = m.sentiment
    ? splitBar(
        t('sentimentTitle'),
        (['POSITIVE', 'NEUTRAL', 'MIXED', 'NEGATIVE'] as const).map((label) => ({ label: t(label as StringKey), count: m.sentiment!.counts[label] ?? 0, share: m.sentiment!.shares[label] ?? 0, colour: SENTIMENT_COLOURS[label] })),
      )
    : h('figure', { class: 'chart' }, h('figcaption', {}, t('sentimentTitle')));
  if (unscored > 0) {
    const detail = [pending ? t('unscoredPending', { n: pending }) : '', notCovered ? t('unscoredNotCovered', { n: notCovered }) : ''].filter(Boolean).join(t('listSeparator'));
    figure.appendChild(h('p', { class: 'muted unscored', 'data-unscored': unscored }, t('unscoredComments', { n: unscored, detail })));
  }
  return figure;
}

/** the breakdown's range has more intervals than a grouped report of this survey holds */
const TOO_LONG = Symbol('too long');

/**
 * why the breakdown is not shown: too long a range, known before asking or from a 400 naming groupBy (whose value the
 * console always sends right); anything else is said as the API said it
 */
function breakdownProblem({ t }: ViewContext, problem: unknown): string {
  if (problem === TOO_LONG || (problem instanceof ApiProblem && problem.status === 400 && problem.body?.details?.some((d) => d.path === 'groupBy'))) return t('breakdownTooLong');
  return t('failed', { reason: describeProblem(problem, t('networkError')) });
}

/**
 * the breakdown by each dimension, or why there is none. It is not asked for when the survey's questions (read with
 * the other figures) leave no room in a grouped report for the range's intervals: the API would refuse it. A survey
 * that cannot be read, or not sized, leaves the API to decide
 */
async function readBreakdown(ctx: ViewContext, base: string, definition: Promise<unknown>): Promise<(Report | { problem: unknown })[]> {
  const { api, state } = ctx;
  const survey = await definition;
  if (breakdownFits(state, ctx.now(), survey) === false) return [{ problem: TOO_LONG }];
  // a breakdown the API refuses leaves the rest of the overview standing: it is said in the table's place
  const range = metricsRange(state, ctx.now());
  return Promise.all(GROUPINGS.map((g) => api.get<Report>(`${base}/metrics`, metricsParams(state, range, g)).catch((error: unknown) => ({ problem: error }))));
}

/** the breakdown's table, or why there is none in its place */
function breakdownTable(ctx: ViewContext, grouped: (Report | { problem: unknown })[]): HTMLElement {
  const { t } = ctx;
  const refused = grouped.find((g): g is { problem: unknown } => 'problem' in g);
  if (refused) return h('p', { class: 'notice breakdown-refused' }, breakdownProblem(ctx, refused.problem));
  return h(
    'div',
    { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'channels-title' },
    h(
      'table',
      { class: 'data' },
      h('thead', {}, h('tr', {}, ...[t('dimension'), t('segment'), t('responsesCount'), 'NPS', 'CSAT', 'CES', 'CSI'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...GROUPINGS.flatMap((g, i) => groupRows(ctx, g, grouped[i] as Report))),
    ),
  );
}

export function overviewView(ctx: ViewContext): ViewHandle {
  const { t, api, state, survey } = ctx;
  const base = `/v1/surveys/${seg(survey.id)}`;
  const now = ctx.now();
  // the survey's read goes with the figures. The breakdown waits for it; the figures only when the range may hold more
  // intervals than one report of some survey's questions does, to ask for no more than this survey's holds
  const definition = api.get<unknown>(base).catch(() => undefined);
  const whole = metricsRange(state, now);
  const sized = sizedMetricsRange(state, now, definition);
  const rangeLine = h('p', { class: 'muted' });
  const body = h('div', { class: 'stack' }, h('p', { class: 'muted' }, t('loading')));
  const el = h(
    'section',
    { 'aria-labelledby': 'view-title' },
    h('h2', { id: 'view-title' }, `${t('overview')} · ${survey.title}`),
    rangeLine,
    // where a lead looks for an answer just sent: when it will be counted
    h('p', { class: 'muted freshness' }, t('freshness')),
    body,
  );
  let notice: HTMLElement | undefined;
  /** the days the figures are for, and what of the chosen range they leave out (the responses keep all of it) */
  function showRange(range: MetricsRange) {
    Object.assign(el.dataset, { from: range.from, to: range.to });
    rangeLine.textContent = t('rangeShown', { from: range.from, to: range.to });
    const clipped = clippedWords(t, state, range, now);
    // a coarser interval holds all the metrics may cover (every survey's report holds 731 days by week)
    const coarser = range.held ? ` ${t('coarserInterval', { from: whole.from, to: whole.to })}` : '';
    notice?.remove();
    notice = clipped ? h('p', { class: 'notice range-clipped' }, `${clipped}${coarser} ${t('responsesWholeRange')}`) : undefined;
    if (notice) body.before(notice);
  }
  showRange(whole);
  const cleanups: (() => void)[] = [];

  /** the ungrouped figures, of the range sized to the survey when it must be */
  async function readFigures(): Promise<Report> {
    const range = await sized;
    if (range.held) showRange(range);
    return api.get<Report>(`${base}/metrics`, metricsParams(state, range));
  }

  void (async () => {
    try {
      const breakdown = readBreakdown(ctx, base, definition);
      const [report, alerts] = await Promise.all([readFigures(), api.get<{ items: Alert[] }>(`${base}/alerts`, new URLSearchParams({ limit: '10' }))]);
      const { to } = whole;
      const m = report.totals.metrics;
      const trend = report.totals.trend;
      const kpis = h(
        'div',
        { class: 'kpis' },
        kpi(ctx, 'nps', m.nps?.score, m.nps?.marginOfError, m.nps?.answers, trend.nps),
        kpi(ctx, 'csat', m.csat?.percentage, m.csat?.marginOfError, m.csat?.answers, trend.csat, '%'),
        kpi(ctx, 'ces', m.ces?.mean, m.ces?.marginOfError, m.ces?.answers, trend.ces, '', 2),
        kpi(ctx, 'csi', m.csi?.score, m.csi?.marginOfError, m.csi?.answers, trend.csi, '', 1),
      );
      // the chart starts at the first period with answers (a fresh install's 30 days would be an empty grid)
      const title = t('trendTitle', { interval: t(state.interval).toLowerCase() });
      const shown = trendWindow(
        report.series.map((p) => ({ start: p.start, responses: p.metrics.responses, nps: p.metrics.nps?.score ?? null, csat: p.metrics.csat?.percentage ?? null })),
        MIN_PERIODS[state.interval],
      );
      const note = shown?.trimmed ? t('chartShown', { from: shown.from, to, first: shown.first }) : undefined;
      const chart = shown
        ? trendChart(shown.points, { title, note, dataTable: t('dataTable'), period: t('period'), responses: t('responsesCount'), nps: 'NPS', csat: 'CSAT' })
        : { el: h('figure', { class: 'chart' }, h('figcaption', {}, title), h('p', { class: 'muted' }, t('chartEmpty'))), destroy: () => undefined };
      cleanups.push(chart.destroy);
      const columns = { label: t('grade'), count: t('count'), share: t('share') };
      const grades = m.csat ? barList(t('gradesTitle'), m.csat.grades.map((g) => ({ label: String(g.grade), count: g.count, share: g.share })), columns) : null;
      const split = m.nps
        ? splitBar(t('npsSplitTitle'), [
            { label: t('promoters'), count: m.nps.promoters, share: m.nps.promoterShare, colour: '#1e7d32' },
            { label: t('passives'), count: m.nps.passives, share: m.nps.passiveShare, colour: '#767676' },
            { label: t('detractors'), count: m.nps.detractors, share: m.nps.detractorShare, colour: '#b3261e' },
          ])
        : null;
      const sentiment = sentimentFigure(ctx, m);
      // one landmark, the table's scroll region, named by the heading (a named section too would repeat the name)
      const pending = h('p', { class: 'muted' }, t('loading'));
      const channels = h('section', {}, h('h3', { id: 'channels-title' }, t('channelsTitle')), pending);
      const alertList = h(
        'section',
        { 'aria-labelledby': 'alerts-title' },
        h('h3', { id: 'alerts-title' }, t('alertsTitle')),
        alerts.items.length
          ? h('ul', { class: 'alerts' }, ...alerts.items.map((a) => h('li', {}, t('alertLine', { metric: a.metric.toUpperCase(), change: num(Math.abs(a.change), 1), from: num(a.values.previous, 1), to: num(a.values.current, 1), window: `${a.window.from} – ${a.window.to}` }))))
          : h('p', { class: 'muted' }, t('noAlerts')),
      );
      replace(body, kpis, chart.el, h('div', { class: 'grid-3' }, grades, split, sentiment), channels, alertList);
      pending.replaceWith(breakdownTable(ctx, await breakdown));
    } catch (error) {
      replace(body, h('p', { class: 'error', role: 'alert' }, t('failed', { reason: describeProblem(error, t('networkError')) })));
    }
  })();
  return { el, destroy: () => cleanups.forEach((c) => c()) };
}
