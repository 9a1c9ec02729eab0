// console: the charts. The trend is a uPlot canvas (hidden from assistive technology) with its numbers in a data table
// beside it; distributions are plain HTML bars whose every figure is also text. Every chart is a <figure> with a
// caption, so a screen reader user gets the same data as a sighted one.
import uPlot from 'uplot';
import { h } from './dom.js';
import { num, pct } from './format.js';

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

export interface Bar {
  label: string;
  count: number;
  share: number;
  colour?: string;
}

/** horizontal bars, one per row, each with its count and share as text */
export function barList(title: string, bars: readonly Bar[], columns: { label: string; count: string; share: string }): HTMLElement {
  return h(
    'figure',
    { class: 'chart' },
    h('figcaption', {}, title),
    h(
      'table',
      { class: 'bars' },
      h('thead', { class: 'sr-only' }, h('tr', {}, h('th', { scope: 'col' }, columns.label), h('th', { scope: 'col' }, columns.count), h('th', { scope: 'col' }, columns.share))),
      h(
        'tbody',
        {},
        ...bars.map((bar) => {
          const fill = h('span', { class: 'bar-fill', 'aria-hidden': 'true' });
          fill.style.width = `${Math.round(bar.share * 100)}%`;
          if (bar.colour) fill.style.background = bar.colour;
          return h('tr', {}, h('th', { scope: 'row' }, bar.label), h('td', { class: 'bar-cell' }, h('span', { class: 'bar-track' }, fill), h('span', { class: 'bar-count' }, bar.count)), h('td', {}, pct(bar.share)));
        }),
      ),
    ),
  );
}

/** one stacked bar of shares (e.g. promoters / passives / detractors) with a legend that carries every figure */
export function splitBar(title: string, parts: readonly Bar[]): HTMLElement {
  const bar = h('div', { class: 'split', 'aria-hidden': 'true' });
  for (const part of parts) {
    const piece = h('span', {});
    piece.style.width = `${part.share * 100}%`;
    piece.style.background = part.colour ?? '#767676';
    bar.appendChild(piece);
  }
  const legend = h(
    'ul',
    { class: 'legend' },
    ...parts.map((part) => {
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.background = part.colour ?? '#767676';
      return h('li', {}, swatch, `${part.label}: ${pct(part.share)} (${part.count})`);
    }),
  );
  return h('figure', { class: 'chart' }, h('figcaption', {}, title), bar, legend);
}
