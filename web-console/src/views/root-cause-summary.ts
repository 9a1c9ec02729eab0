// console: what closing with learning shows above the queue, from the metrics report's follow-up block: the top root
// causes of the range as bars (each count and share also text), the counts per period the tasks were opened in (a
// table behind a disclosure), and each assignee's closure, recovery and time to first contact as a compact table.
import { barList } from '../bars.js';
import { h } from '../dom.js';
import { num, percent } from '../format.js';
import type { Translate } from '../strings.js';
import type { FollowUpBreakdown as Breakdown } from '../../../shared/followups/followup-breakdown.js';

/** the breakdown as the metrics report's follow-up block carries it (absent from an older API) */
export type FollowUpBreakdown = Partial<Breakdown>;

const TOP = 5;

export function rootCauseSummary(f: FollowUpBreakdown, t: Translate): HTMLElement {
  const causes = f.byRootCause ?? [];
  const total = causes.reduce((sum, c) => sum + c.closed, 0);
  const cell = (value: string | number) => h('td', {}, value);
  const table = (caption: string, head: string[], rows: HTMLElement[]) =>
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption }, h('table', { class: 'data' }, h('caption', { class: 'sr-only' }, caption), h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, ...rows)));

  const periods = (f.rootCausesOverTime ?? []).filter((p) => Object.keys(p.counts).length);
  const top = causes.length
    ? barList(
        t('rootCausesTitle'),
        causes.slice(0, TOP).map((c) => ({ label: c.rootCause, count: c.closed, share: c.closed / total })),
        { label: t('rootCause'), count: t('count'), share: t('share') },
      )
    : h('figure', { class: 'chart' }, h('figcaption', {}, t('rootCausesTitle')), h('p', { class: 'muted' }, t('noRootCauses')));
  const overTime = periods.length
    ? h(
        'details',
        {},
        h('summary', {}, t('rootCausesByPeriod')),
        table(
          t('rootCausesByPeriod'),
          [t('period'), t('rootCause')],
          periods.map((p) => h('tr', {}, h('th', { scope: 'row' }, p.period.slice(0, 10)), cell(Object.entries(p.counts).sort((a, b) => b[1] - a[1]).map(([cause, n]) => `${cause} ${n}`).join(t('listSeparator'))))),
        ),
      )
    : null;
  const assignees = f.byAssignee?.length
    ? h(
        // one landmark, the table's scroll region, named as the heading (a named section too would repeat the name)
        'section',
        {},
        h('h4', { id: 'fu-assignees-title' }, t('byAssignee')),
        table(
          t('byAssignee'),
          [t('assignee'), t('opened'), t('closureRate'), t('recoveryRate'), t('firstContactMedian')],
          f.byAssignee.map((a) =>
            h('tr', {}, h('th', { scope: 'row' }, a.assignee?.name ?? t('unassigned')), cell(a.opened), cell(percent(a.closureRatePct)), cell(percent(a.recoveryRatePct)), cell(a.timeToFirstContactHours ? `${num(a.timeToFirstContactHours.median, 1)} ${t('unitHour')}` : '—')),
          ),
        ),
      )
    : null;
  return h('div', { class: 'root-causes' }, top, overTime, assignees);
}
