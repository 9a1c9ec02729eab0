// console: the trend chart, a uPlot canvas (hidden from assistive technology) with its numbers in a data table beside
// it; a <figure> with a caption, so a screen reader user gets the same data as a sighted one. Only the overview draws
// it, so uPlot is in the overview's chunk alone; distributions are HTML bars (bars.ts).
import uPlot from 'uplot';
import { h } from './dom.js';
import { num } from './format.js';

export interface TrendPoint {
  start: string;
  responses: number;
  nps: number | null;
  csat: number | null;
}

export interface TrendLabels {
  title: string;
  /** says which periods are drawn, when not the whole range */
  note?: string;
  dataTable: string;
  period: string;
  responses: string;
  nps: string;
  csat: string;
}

const NPS_COLOUR = '#0b57d0';
const CSAT_COLOUR = '#b3261e';
const DAY_S = 86_400;
const TICK_DAYS = [1, 2, 7, 14, 28, 56, 91, 182, 364];

/** NPS (−100…100, left axis) and CSAT % (0…100, right axis) by interval; gaps (no answers) stay gaps */
export function trendChart(points: readonly TrendPoint[], labels: TrendLabels): { el: HTMLElement; destroy(): void } {
  const canvasHolder = h('div', { class: 'chart-canvas', 'aria-hidden': 'true' });
  const table = h(
    'table',
    {},
    h('caption', { class: 'sr-only' }, labels.title),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, labels.period), h('th', { scope: 'col' }, labels.responses), h('th', { scope: 'col' }, labels.nps), h('th', { scope: 'col' }, labels.csat))),
    h('tbody', {}, ...points.map((p) => h('tr', {}, h('th', { scope: 'row' }, p.start.slice(0, 10)), h('td', {}, p.responses), h('td', {}, num(p.nps, 1)), h('td', {}, p.csat === null ? '—' : `${num(p.csat, 1)}%`)))),
  );
  const note = labels.note ? h('p', { class: 'muted chart-note' }, labels.note) : null;
  const el = h('figure', { class: 'chart' }, h('figcaption', {}, labels.title), note, canvasHolder, h('details', {}, h('summary', {}, labels.dataTable), h('div', { class: 'table-scroll' }, table)));

  let plot: uPlot | undefined;
  const width = () => Math.max(280, Math.floor(canvasHolder.clientWidth || el.clientWidth || 600));
  const draw = () => {
    plot?.destroy();
    const xs = points.map((p) => Date.parse(p.start) / 1000);
    const pad = (xs.length > 1 ? (xs[xs.length - 1]! - xs[0]!) / (xs.length - 1) : DAY_S) / 2;
    plot = new uPlot(
      {
        width: width(),
        height: 240,
        legend: { show: true, live: false },
        cursor: { show: true, drag: { x: false, y: false } },
        // half a period of room on each side, so the first and last points sit inside the plot, not on its edge
        scales: { x: { time: true, range: (_u, min, max) => [min - pad, max + pad] }, nps: { range: [-100, 100] }, pct: { range: [0, 100] } },
        // ticks on whole UTC days, as the periods are
        axes: [{ incrs: TICK_DAYS.map((d) => d * DAY_S), values: (_u, ticks) => ticks.map((tick) => new Date(tick * 1000).toISOString().slice(5, 10)) }, { scale: 'nps', label: labels.nps }, { scale: 'pct', side: 1, label: `${labels.csat} %`, grid: { show: false } }],
        series: [
          {},
          { label: labels.nps, scale: 'nps', stroke: NPS_COLOUR, width: 2, points: { show: true } },
          { label: `${labels.csat} %`, scale: 'pct', stroke: CSAT_COLOUR, width: 2, dash: [6, 4], points: { show: true } },
        ],
      },
      [xs, points.map((p) => p.nps), points.map((p) => p.csat)],
      canvasHolder,
    );
  };
  // drawn once attached (it measures its width), and again when the window is resized
  let resizeTimer: number | undefined;
  const onResize = () => {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(() => plot?.setSize({ width: width(), height: 240 }), 150);
  };
  requestAnimationFrame(draw);
  window.addEventListener('resize', onResize);
  return {
    el,
    destroy() {
      window.removeEventListener('resize', onResize);
      plot?.destroy();
    },
  };
}
