// unit: which NPS and CSAT drops raise an alert, as worked examples with the arithmetic shown, and the two windows.
import { describe, expect, it } from 'vitest';
import { dropAlertsOf, dropWindowsAt, MIN_ANSWERS_PER_WINDOW } from '../../shared/alerts/drop-alerts.js';
import { emptyHistogram, type Histogram } from '../../shared/metrics/histogram.js';
import { metricsOf, type Metrics } from '../../shared/metrics/indices.js';
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
//   variance 0.5 + 0.2 − 0.3² = 0.61, margin 1.96 × √(0.61 / 100) × 100 = 15.31
const previousNps = { nps: [50, 30, 20] } satisfies Counts;

describe('drop alerts: NPS', () => {
  it('raises nothing for a drop within the combined margin', () => {
    // current: 40/30/30 → NPS 10, variance 0.4 + 0.3 − 0.1² = 0.69, margin 1.96 × √0.0069 × 100 = 16.28
    // change −20; combined margin √(15.31² + 16.28²) = 22.35 > 20
    expect(dropAlertsOf(metrics({ nps: [40, 30, 30] }), metrics(previousNps))).toEqual([]);
  });

  it('raises an alert for a drop beyond the combined margin, with the numbers that justify it', () => {
    // current: 30/30/40 → NPS −10, variance 0.3 + 0.4 − 0.1² = 0.69, margin 16.28
    // change −40; combined margin 22.35 < 40
    const [drop, ...others] = dropAlertsOf(metrics({ nps: [30, 30, 40] }), metrics(previousNps));

    expect(others).toEqual([]);
    expect(drop).toMatchObject({ metric: 'nps', current: -10, previous: 30, change: -40, answers: { current: 100, previous: 100 } });
    expect(drop!.marginOfError).toBeCloseTo(Math.sqrt(1.96 ** 2 * (0.61 / 100 + 0.69 / 100)) * 100, 10);
    expect(drop!.marginOfError).toBeCloseTo(22.35, 2);
  });

  it('raises nothing for a significant rise', () => {
    // the same two weeks the other way round: +40 > 22.35, but up
    expect(dropAlertsOf(metrics(previousNps), metrics({ nps: [30, 30, 40] }))).toEqual([]);
  });

  it('raises nothing when either window has no NPS answers (the metric is null)', () => {
    expect(dropAlertsOf(metrics({}), metrics(previousNps))).toEqual([]);
    expect(dropAlertsOf(metrics({ nps: [30, 30, 40] }), metrics({}))).toEqual([]);
    expect(dropAlertsOf(metrics({}), metrics({}))).toEqual([]);
  });

  it('raises nothing on samples too small for the margin to mean anything, unless told a smaller minimum', () => {
    // 12 promoters, then 12 detractors: NPS 100 → −100 with margin 0 + 0 (nobody disagreed): "significant", and noise
    const current = metrics({ nps: [0, 0, 12] });
    const previous = metrics({ nps: [12, 0, 0] });

    expect(MIN_ANSWERS_PER_WINDOW).toBe(30);
    expect(dropAlertsOf(current, previous)).toEqual([]);
    expect(dropAlertsOf(current, previous, { minAnswers: 12 })).toMatchObject([{ metric: 'nps', change: -200, marginOfError: 0 }]);
  });
});

describe('drop alerts: CSAT', () => {
  // previous week: 80 of 100 satisfied → 80%, margin 1.96 × √(0.8 × 0.2 / 100) × 100 = 7.84
  const previousCsat = { csat: [80, 20] } satisfies Counts;

  it('raises nothing for a drop within the combined margin', () => {
    // current 72%: margin 1.96 × √(0.72 × 0.28 / 100) × 100 = 8.80; combined √(7.84² + 8.80²) = 11.79 > 8
    expect(dropAlertsOf(metrics({ csat: [72, 28] }), metrics(previousCsat))).toEqual([]);
  });

  it('raises an alert for a drop beyond the combined margin', () => {
    // current 60%: margin 1.96 × √(0.6 × 0.4 / 100) × 100 = 9.60; combined √(7.84² + 9.60²) = 12.40 < 20
    const drops = dropAlertsOf(metrics({ csat: [60, 40] }), metrics(previousCsat));

    expect(drops).toHaveLength(1);
    expect(drops[0]).toMatchObject({ metric: 'csat', current: 60, previous: 80, answers: { current: 100, previous: 100 } });
    expect(drops[0]!.change).toBeCloseTo(-20, 10);
    expect(drops[0]!.marginOfError).toBeCloseTo(12.4, 2);
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
