// console: distributions as plain HTML bars whose every figure is also text, each a <figure> with a caption, so a
// screen reader user gets the same data as a sighted one. Used by the overview and the follow-up queue's root causes;
// no chart library (the trend chart and uPlot: charts.ts).
import { h } from './dom.js';
import { pct } from './format.js';

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
