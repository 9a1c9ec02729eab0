// unit: which NPS and CSAT drops raise an alert, as worked examples with the arithmetic shown, and the two windows.
import { describe, expect, it } from 'vitest';
import { dropAlertsOf, dropWindowsAt, MIN_ANSWERS_PER_WINDOW } from '../../shared/alerts/drop-alerts.js';
import { emptyHistogram, type Histogram } from '../../shared/metrics/histogram.js';
import { compareNps, metricsOf, type Metrics } from '../../shared/metrics/indices.js';
import { surveySchema } from '../../shared/survey/schema.js';

const survey = surveySchema.parse({
  id: 'shop',
  title: 'Shop',
  channels: ['web'],
  questions: [
    { id: 'nps', type: 'nps' },
    { id: 'csat', type: 'csat' },
  ],
  texts: { en: { title: 'Shop', questions: {} } },
});

interface Counts {
  /** promoters (answer 10), passives (8), detractors (3) */
  nps?: [number, number, number];
  /** satisfied (5), unsatisfied (2) */
  csat?: [number, number];
}

function metrics({ nps, csat }: Counts): Metrics {
  const h: Histogram = emptyHistogram();
  if (nps) {
    const counts = new Array<number>(11).fill(0);
    [counts[10], counts[8], counts[3]] = nps;
    h.questions.nps = { type: 'nps', max: 10, counts };
  }
  if (csat) {
    const counts = new Array<number>(6).fill(0);
    [counts[5], counts[2]] = csat;
    h.questions.csat = { type: 'csat', max: 5, counts };
  }
  h.responses = Math.max(nps ? nps[0] + nps[1] + nps[2] : 0, csat ? csat[0] + csat[1] : 0);
  return metricsOf(h, survey);
}

// previous week: 50 promoters, 30 passives, 20 detractors of 100 → NPS 50 − 20 = 30
//   adjusted Wald (significance.ts): n' = 103, p' = 50.75 / 103, d' = 20.75 / 103
const previousNps = { nps: [50, 30, 20] } satisfies Counts;

describe('drop alerts: NPS', () => {
  it('raises nothing for a drop whose interval reaches 0', () => {
    // current: 40/30/30 → NPS 10, change −20; interval of the change −41.39…+2.55 includes 0
    expect(dropAlertsOf(metrics({ nps: [40, 30, 30] }), metrics(previousNps))).toEqual([]);
  });

  it('raises an alert for a drop whose interval lies below 0, with the numbers that justify it', () => {
    // current: 30/30/40 → NPS −10, change −40; interval of the change −60.80…−16.87
    //   half width 1.96 × √(v_current + v_previous) × 100, v = (p' + d' − (p' − d')²) / n' of each week
    const [drop, ...others] = dropAlertsOf(metrics({ nps: [30, 30, 40] }), metrics(previousNps));

    expect(others).toEqual([]);
    expect(drop).toMatchObject({ metric: 'nps', current: -10, previous: 30, change: -40, answers: { current: 100, previous: 100 } });
    const variance = (p: number, d: number) => ((p + d - (p - d) ** 2) * 103) / 103 ** 2;
    expect(drop!.marginOfError).toBeCloseTo(1.96 * Math.sqrt(variance(30.75 / 103, 40.75 / 103) + variance(50.75 / 103, 20.75 / 103)) * 100, 10);
    expect(drop!.marginOfError).toBeCloseTo(21.97, 2);
  });

  it('raises nothing for a significant rise', () => {
    // the same two weeks the other way round: +40, interval above 0, but up
    expect(dropAlertsOf(metrics(previousNps), metrics({ nps: [30, 30, 40] }))).toEqual([]);
  });

  it('raises nothing when either window has no NPS answers (the metric is null)', () => {
    expect(dropAlertsOf(metrics({}), metrics(previousNps))).toEqual([]);
    expect(dropAlertsOf(metrics({ nps: [30, 30, 40] }), metrics({}))).toEqual([]);
    expect(dropAlertsOf(metrics({}), metrics({}))).toEqual([]);
  });

  it('raises nothing below the minimum sample of 30 answers a window, however steep the fall', () => {
    // 29 promoters, then 29 detractors: NPS 100 → −100, an interval far below 0, but 29 < 30 answers
    expect(MIN_ANSWERS_PER_WINDOW).toBe(30);
    expect(dropAlertsOf(metrics({ nps: [0, 0, 29] }), metrics({ nps: [29, 0, 0] }))).toEqual([]);
    expect(dropAlertsOf(metrics({ nps: [0, 0, 30] }), metrics({ nps: [30, 0, 0] }))).toMatchObject([{ metric: 'nps', change: -200 }]);
  });

  it('raises exactly when the API\'s trend calls the drop significant (one rule)', () => {
    const pairs: [Counts, Counts][] = [
      [{ nps: [40, 30, 30] }, previousNps],
      [{ nps: [30, 30, 40] }, previousNps],
      [{ nps: [0, 0, 29] }, { nps: [29, 0, 0] }],
      [{ nps: [20, 0, 10] }, { nps: [30, 0, 0] }],
    ];
    for (const [now, before] of pairs) {
      const [current, previous] = [metrics(now), metrics(before)];
      const trend = compareNps(current.nps, previous.nps)!;
      expect(dropAlertsOf(current, previous).length).toBe(trend.significant && trend.change < 0 ? 1 : 0);
    }
  });
});

describe('drop alerts: CSAT', () => {
  // previous week: 80 of 100 satisfied → 80%; a drop's interval is Newcombe's, from the Wilson interval of each week
  const previousCsat = { csat: [80, 20] } satisfies Counts;

  it('raises nothing for a drop whose interval reaches 0', () => {
    // current 72%: change −8, interval −19.59…+3.86
    expect(dropAlertsOf(metrics({ csat: [72, 28] }), metrics(previousCsat))).toEqual([]);
  });

  it('raises an alert for a drop whose interval lies below 0', () => {
    // current 60%: change −20, interval −31.85…−7.31 (half width 12.27)
    const drops = dropAlertsOf(metrics({ csat: [60, 40] }), metrics(previousCsat));

    expect(drops).toHaveLength(1);
    expect(drops[0]).toMatchObject({ metric: 'csat', current: 60, previous: 80, answers: { current: 100, previous: 100 } });
    expect(drops[0]!.change).toBeCloseTo(-20, 10);
    expect(drops[0]!.marginOfError).toBeCloseTo(12.27, 2);
  });

  it('raises nothing for a rise', () => {
    expect(dropAlertsOf(metrics(previousCsat), metrics({ csat: [60, 40] }))).toEqual([]);
  });

  it('raises one alert per metric when both drop, NPS first', () => {
    const drops = dropAlertsOf(metrics({ nps: [30, 30, 40], csat: [60, 40] }), metrics({ ...previousNps, ...previousCsat }));
    expect(drops.map((drop) => drop.metric)).toEqual(['nps', 'csat']);
  });

  it('judges each metric on its own answers: a skipped CSAT question does not count towards its minimum', () => {
    // 100 responses, but only 20 answered CSAT in the current week
    const current = metrics({ nps: [50, 30, 20], csat: [0, 20] });
    expect(current.csat?.answers).toBe(20);
    expect(dropAlertsOf(current, metrics({ ...previousNps, ...previousCsat }))).toEqual([]);
  });
});

describe('drop windows', () => {
  it('compares the 7 UTC days ending today (inclusive) with the 7 days before', () => {
    expect(dropWindowsAt(new Date('2026-11-23T15:00:00Z'))).toEqual({
      current: { from: '2026-11-17', to: '2026-11-23' },
      previous: { from: '2026-11-10', to: '2026-11-16' },
    });
  });

  it('counts days in UTC, whatever the time of day', () => {
    expect(dropWindowsAt(new Date('2026-11-23T00:00:00.000Z'))).toEqual(dropWindowsAt(new Date('2026-11-23T23:59:59.999Z')));
    // 01:00 in UTC+2 is still the previous day in UTC
    expect(dropWindowsAt(new Date('2026-11-24T01:00:00+02:00')).current.to).toBe('2026-11-23');
  });

  it('crosses month and year ends', () => {
    expect(dropWindowsAt(new Date('2027-01-03T08:00:00Z'))).toEqual({
      current: { from: '2026-12-28', to: '2027-01-03' },
      previous: { from: '2026-12-21', to: '2026-12-27' },
    });
    expect(dropWindowsAt(new Date('2028-03-01T08:00:00Z')).current.from).toBe('2028-02-24');
  });
});
