// unit: the metrics report built from bucket aggregates (calendar, gaps, groups, trends, rolling windows, totals),
// the use case's reads, and the CSV. Worked examples: every expected figure is computed by hand in a comment.
import { describe, expect, it } from 'vitest';
import { answerBytesOf } from '../../shared/answer-size.js';
import type { Clock } from '../../shared/clock.js';
import { ApiError } from '../../shared/errors.js';
import type { MetricsQuery } from '../../shared/metrics/metrics-query.js';
import { answeredReportProblem, buildMetricsReport, readsFor, reportSizeProblem, roundNumbers } from '../../shared/metrics/report.js';
import { MAX_GROUPS, pointBytesOf } from '../../shared/metrics/range-limits.js';
import { csvColumns, metricsCsv } from '../../shared/metrics/report-csv.js';
import { boundariesOf, intervalStart, shiftInterval } from '../../shared/metrics/report-intervals.js';
import { makeMetricsReport } from '../../shared/metrics/report-metrics.js';
import type { StoredResponse } from '../../shared/response/stored-response.js';
import { aggregateOf } from '../../shared/rollup/aggregate-of.js';
import type { AggregateStore } from '../../shared/rollup/aggregate-store.js';
import { OTHER_SEGMENT_VALUES, type BucketAggregate, type RollupPeriod } from '../../shared/rollup/bucket.js';
import type { SentimentLabel } from '../../shared/sentiment/port.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { surveySchema, type Survey } from '../../shared/survey/schema.js';
import type { SurveyStore } from '../../shared/survey/survey-store.js';
import { storedResponse, surveyWith } from '../support/fixtures.js';

const survey: Survey = surveyWith([
  { id: 'nps', type: 'nps' },
  { id: 'csat', type: 'csat' },
  { id: 'ces', type: 'ces' },
  { id: 'product', type: 'rating', dimension: 'product-quality', max: 5, weight: 3 },
  { id: 'price', type: 'rating', dimension: 'price', max: 5, weight: 1 },
  { id: 'comment', type: 'text' },
]);

let nextId = 0;
interface Answer {
  answers: Record<string, number>;
  channel?: string;
  touchpoint?: string;
  sentiment?: SentimentLabel;
}
const responseOf = ({ answers, channel = 'web', touchpoint, sentiment }: Answer): StoredResponse => ({
  id: `r${++nextId}`,
  surveyId: 'shop',
  receivedAt: '2026-11-23T09:15:00.000Z',
  expiresAt: 0,
  storedAt: '2026-11-23T09:15:01.000Z',
  channel: channel as StoredResponse['channel'],
  ...(touchpoint ? { touchpoint } : {}),
  answers,
  sentiment: sentiment ? { status: 'scored', label: sentiment, language: 'en', scores: { positive: 0.25, negative: 0.25, neutral: 0.25, mixed: 0.25 } } : null,
});

/** the aggregate of a day (or hour, with a key like 2026-11-23T09) holding these answers */
const bucket = (start: string, answers: Answer[]): BucketAggregate =>
  aggregateOf('shop', start.length > 10 ? 'hour' : 'day', start, answers.map(responseOf), survey);
const nps = (...scores: number[]) => scores.map((score) => ({ answers: { nps: score } }));

const query = (q: Partial<Omit<MetricsQuery, 'from' | 'to'>> & { from: string; to: string }): MetricsQuery => ({
  interval: 'day',
  groupBy: null,
  ...q,
  from: Date.parse(q.from),
  to: Date.parse(q.to),
});
const build = (q: MetricsQuery, days: BucketAggregate[], hours: BucketAggregate[] = []) => buildMetricsReport(survey, q, { day: days, hour: hours });

describe('The report calendar (UTC)', () => {
  it('starts weeks on Monday, Sunday being the last day of its week', () => {
    // 2026-11-22 is a Sunday, 2026-11-23 a Monday
    expect(new Date(intervalStart('week', Date.parse('2026-11-22T23:59:59Z'))).toISOString()).toBe('2026-11-16T00:00:00.000Z');
    expect(new Date(intervalStart('week', Date.parse('2026-11-23T00:00:00Z'))).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    // a week across a year end: Monday 2026-12-28 to Monday 2027-01-04
    expect(new Date(intervalStart('week', Date.parse('2027-01-03T12:00:00Z'))).toISOString()).toBe('2026-12-28T00:00:00.000Z');
  });

  it('uses calendar months of 28, 29, 30 and 31 days', () => {
    const monthDays = (start: string) => (shiftInterval('month', Date.parse(start), 1) - Date.parse(start)) / 86_400_000;
    expect([monthDays('2026-02-01T00:00:00Z'), monthDays('2028-02-01T00:00:00Z'), monthDays('2026-04-01T00:00:00Z'), monthDays('2026-12-01T00:00:00Z')]).toEqual([28, 29, 30, 31]);
    // going back a month from March 31st's month lands on February 1st, not March 3rd
    expect(new Date(shiftInterval('month', intervalStart('month', Date.parse('2026-03-31T10:00:00Z')), -1)).toISOString()).toBe('2026-02-01T00:00:00.000Z');
  });

  it('widens a range to whole intervals: from floored, to raised to the end of the interval of its last instant', () => {
    const hours = boundariesOf('hour', Date.parse('2026-11-23T09:30:00Z'), Date.parse('2026-11-23T11:00:00Z'));
    expect(hours.map((t) => new Date(t).toISOString().slice(11, 13))).toEqual(['09', '10', '11']);
  });
});

describe('The report series', () => {
  it('shows weekly points Monday to Monday, a week without responses as a gap, each compared with the week before', () => {
    // Prepare: the range Wednesday 2026-11-04 … Tuesday 2026-11-17 widens to the weeks of 11-02, 11-09 and 11-16;
    // the previous range is the three weeks before, 10-12 … 11-01
    const report = build(query({ interval: 'week', from: '2026-11-04T00:00:00Z', to: '2026-11-18T00:00:00Z' }), [
      bucket('2026-10-31', nps(10, 0)), // Saturday: week of 10-26, the week before the range
      bucket('2026-11-02', nps(10)), // Monday
      bucket('2026-11-08', nps(10, 9)), // Sunday: still the week of 11-02
      bucket('2026-11-22', nps(0)), // Sunday after `to`: in the last week, which the range widens to
    ]);

    // Assess
    expect(report).toMatchObject({ from: '2026-11-02T00:00:00Z', to: '2026-11-23T00:00:00Z', interval: 'week', timeZone: 'UTC' });
    expect(report.series.map((p) => [p.start, p.end])).toEqual([
      ['2026-11-02T00:00:00Z', '2026-11-09T00:00:00Z'],
      ['2026-11-09T00:00:00Z', '2026-11-16T00:00:00Z'],
      ['2026-11-16T00:00:00Z', '2026-11-23T00:00:00Z'],
    ]);
    expect(report.series.map((p) => p.metrics.responses)).toEqual([3, 0, 1]);
    // 3 promoters: NPS 100; the gap: null; 1 detractor: −100
    expect(report.series.map((p) => p.metrics.nps?.score ?? null)).toEqual([100, null, -100]);
    expect(report.series[1]!.metrics).toMatchObject({ nps: null, csat: null, ces: null, csi: null, sentiment: null });
    // week of 11-02 vs week of 10-26 (NPS (1 − 1)/2 = 0): change 100 from 3 and 2 answers → not significant, however
    // wide or narrow its interval (adjusted Wald: ± 92.63)
    expect(report.series[0]!.trend.nps).toMatchObject({
      change: 100,
      significant: false,
      reason: 'sample below 30',
      answers: { current: 3, previous: 2 },
      minimumSample: 30,
    });
    expect(report.series[0]!.trend.nps!.marginOfError).toBeCloseTo(92.63, 2);
    // next to a gap there is nothing to compare
    expect(report.series[1]!.trend.nps).toBeNull();
    expect(report.series[2]!.trend.nps).toBeNull();
    // totals: 3 promoters + 1 detractor of 4 → 50; previous range: 0 → change 50
    expect(report.totals.metrics.nps).toMatchObject({ answers: 4, promoters: 3, detractors: 1, score: 50 });
    expect(report.totals.trend.nps?.change).toBe(50);
    expect(report.totals.comparedWith).toEqual({ from: '2026-10-12T00:00:00Z', to: '2026-11-02T00:00:00Z' });
  });

  it('shows monthly points of each month\'s own length, compared with as many months before', () => {
    // Prepare: 2026-01-15 … 2026-03-10 widens to January, February (28 days) and March; previous: Oct–Dec 2025
    const report = build(query({ interval: 'month', from: '2026-01-15T00:00:00Z', to: '2026-03-10T00:00:00Z' }), [
      bucket('2025-12-31', nps(0)),
      bucket('2026-01-31', nps(10)),
      bucket('2026-02-28', nps(7)), // February's last day
      bucket('2026-03-01', nps(10, 0)), // March's first
    ]);

    // Assess
    expect(report.series.map((p) => p.start.slice(0, 10))).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
    expect(report.series.at(-1)!.end).toBe('2026-04-01T00:00:00Z');
    expect(report.series.map((p) => p.metrics.nps?.score)).toEqual([100, 0, 0]);
    // January vs December 2025: 100 − (−100)
    expect(report.series[0]!.trend.nps?.change).toBe(200);
    expect(report.totals.comparedWith).toEqual({ from: '2025-10-01T00:00:00Z', to: '2026-01-01T00:00:00Z' });
  });

  it('builds hourly points from hour aggregates', () => {
    // Prepare
    const q = query({ interval: 'hour', from: '2026-11-23T09:00:00Z', to: '2026-11-23T12:00:00Z' });
    const report = build(q, [], [bucket('2026-11-23T08', nps(0)), bucket('2026-11-23T09', nps(9)), bucket('2026-11-23T11', nps(8, 10))]);

    // Assess
    expect(report.series.map((p) => [p.start.slice(11, 13), p.metrics.responses])).toEqual([['09', 1], ['10', 0], ['11', 2]]);
    // 09:00 vs 08:00: 100 − (−100)
    expect(report.series[0]!.trend.nps?.change).toBe(200);
    // 11:00: 1 passive, 1 promoter → (1 − 0)/2 = 50
    expect(report.series[2]!.metrics.nps?.score).toBe(50);
  });

  it('flags a change as significant only from 30 answers a period and when its interval excludes 0', () => {
    // Prepare: yesterday 30 promoters (NPS 100); today 15 promoters and 15 detractors (NPS 0): adjusted Wald interval
    // of the change −126.41…−55.41. CSAT: yesterday 15 × 5 and 15 × 3 (50%), today 18 × 5 and 12 × 3 (60%): +10,
    // Newcombe interval −14.42…+32.83
    const answers = (npsScores: number[], csatScores: number[]) => npsScores.map((score, i) => ({ answers: { nps: score, csat: csatScores[i]! } }));
    const report = build(query({ from: '2026-11-23T00:00:00Z', to: '2026-11-24T00:00:00Z' }), [
      bucket('2026-11-22', answers(Array(30).fill(10), [...Array(15).fill(5), ...Array(15).fill(3)])),
      bucket('2026-11-23', answers([...Array(15).fill(10), ...Array(15).fill(0)], [...Array(18).fill(5), ...Array(12).fill(3)])),
    ]);

    // Assess
    const { trend } = report.series[0]!;
    expect(trend.nps).toMatchObject({ change: -100, significant: true, reason: null, answers: { current: 30, previous: 30 } });
    expect(trend.nps!.interval.lower).toBeCloseTo(-126.41, 2);
    expect(trend.nps!.interval.upper).toBeCloseTo(-55.41, 2);
    expect(trend.csat!.change).toBeCloseTo(10, 10);
    expect(trend.csat!.interval.lower).toBeCloseTo(-14.42, 2);
    expect(trend.csat!.interval.upper).toBeCloseTo(32.83, 2);
    expect(trend.csat).toMatchObject({ significant: false, reason: 'interval includes 0' });
  });

  it('computes every index of a point from the merged histogram of its days', () => {
    // Prepare: two days of one week; CSI weights product 3, price 1
    const report = build(query({ interval: 'week', from: '2026-11-16T00:00:00Z', to: '2026-11-23T00:00:00Z' }), [
      bucket('2026-11-16', [{ answers: { csat: 5, ces: 7, product: 5, price: 1 }, sentiment: 'POSITIVE' }]),
      bucket('2026-11-20', [{ answers: { csat: 2, ces: 4, product: 3 }, sentiment: 'NEGATIVE' }, { answers: { csat: 4 }, sentiment: 'NEUTRAL' }]),
    ]);

    // Assess
    const m = report.series[0]!.metrics;
    expect(m.responses).toBe(3);
    // CSAT: 2 of 3 answers are 4–5 → 66.67%; mean (5 + 2 + 4)/3 = 3.67
    expect(m.csat!.percentage).toBeCloseTo(66.667, 3);
    expect(m.csat!.mean).toBeCloseTo(3.667, 3);
    // CES: mean (7 + 4)/2 = 5.5; easy (5–7): 1 of 2 = 50%
    expect(m.ces).toMatchObject({ answers: 2, mean: 5.5, easyPercentage: 50 });
    // CSI: product mean 4 → (4 − 1)/4 × 100 = 75; price mean 1 → 0; weighted (3 × 75 + 1 × 0)/4 = 56.25
    expect(m.csi!.score).toBeCloseTo(56.25, 10);
    // sentiment: (1 positive − 1 negative)/3 = 0
    expect(m.sentiment).toMatchObject({ answers: 3, net: 0 });
    expect(report.csiDimensions).toEqual([
      { questionId: 'product', dimension: 'product-quality', weight: 3 },
      { questionId: 'price', dimension: 'price', weight: 1 },
    ]);
  });

  it('shows a range without any response as points of zero responses and null metrics', () => {
    const report = build(query({ from: '2026-11-20T00:00:00Z', to: '2026-11-23T00:00:00Z' }), []);
    expect(report.series).toHaveLength(3);
    expect(report.series.every((p) => p.metrics.responses === 0 && p.metrics.nps === null && p.trend.nps === null)).toBe(true);
    expect(report.totals.metrics).toMatchObject({ responses: 0, nps: null, csat: null, ces: null, csi: null, sentiment: null });
    expect(report.rolling.days7.metrics.responses).toBe(0);
    expect(report.groups).toBeUndefined();
  });
});

describe('The report groups', () => {
  it('has one group per segment value present in the range, most responses first, with its own gaps and trends', () => {
    // Prepare: range 11-20 … 11-22 (previous range 11-17 … 11-19)
    const report = build(query({ groupBy: 'channel', from: '2026-11-20T00:00:00Z', to: '2026-11-23T00:00:00Z' }), [
      bucket('2026-11-19', [{ answers: { nps: 10 }, channel: 'email' }, { answers: { nps: 10 }, channel: 'api' }]),
      bucket('2026-11-20', [{ answers: { nps: 10 }, channel: 'web' }, { answers: { nps: 0 }, channel: 'email' }, { answers: { nps: 5 }, channel: 'email' }]),
      bucket('2026-11-21', [{ answers: { nps: 8 }, channel: 'web' }]),
      bucket('2026-11-22', [{ answers: { nps: 9 }, channel: 'web' }]),
    ]);

    // Assess: api answered only before the range, so it has no group
    expect(report.groups!.map((g) => [g.key, g.totals.metrics.responses])).toEqual([['web', 3], ['email', 2]]);
    const [web, email] = report.groups!;
    // web: promoter, passive, promoter
    expect(web!.series.map((p) => p.metrics.nps?.score)).toEqual([100, 0, 100]);
    // web totals: (2 − 0)/3 = 66.67; nothing before the range to compare with
    expect(web!.totals.metrics.nps!.score).toBeCloseTo(66.667, 3);
    expect(web!.totals.trend.nps).toBeNull();
    // email: two detractors on the 20th, then gaps
    expect(email!.series.map((p) => p.metrics.responses)).toEqual([2, 0, 0]);
    expect(email!.series.map((p) => p.metrics.nps?.score ?? null)).toEqual([-100, null, null]);
    // the 20th vs email on the 19th (one promoter): −100 − 100
    expect(email!.series[0]!.trend.nps?.change).toBe(-200);
    expect(email!.totals.trend.nps?.change).toBe(-200);
    // the groups partition the responses
    expect(report.totals.metrics.responses).toBe(5);
  });

  it('names responses without a value (none), and orders equal groups by key', () => {
    const report = build(query({ groupBy: 'touchpoint', from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z' }), [
      bucket('2026-11-20', [{ answers: { nps: 9 }, touchpoint: 'delivery' }, { answers: { nps: 9 }, touchpoint: 'checkout' }, { answers: { nps: 1 } }, { answers: { nps: 2 } }]),
    ]);
    expect(report.groups!.map((g) => g.key)).toEqual(['(none)', 'checkout', 'delivery']);
    expect(report.groups![0]!.totals.metrics.nps?.score).toBe(-100);
  });

  it(`keeps the ${MAX_GROUPS - 1} largest groups and merges the rest, with the rollup's own (other), under (other), listed last`, () => {
    // Prepare: touchpoints tp-01 … tp-14 with 14 … 1 responses, and the rollup's (other) with 5 responses
    const day = bucket('2026-11-20', Array.from({ length: 14 }, (_, i) => Array.from({ length: 14 - i }, () => ({ answers: { nps: 10 }, touchpoint: `tp-${String(i + 1).padStart(2, '0')}` }))).flat());
    day.segments.touchpoint[OTHER_SEGMENT_VALUES] = bucket('2026-11-20', nps(0, 0, 0, 0, 0)).total;

    // Act
    const report = build(query({ groupBy: 'touchpoint', from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z' }), [day]);

    // Assess: tp-12 (3), tp-13 (2) and tp-14 (1) join (other) (5): 11 responses, 6 promoters and 5 detractors
    expect(report.groups!.map((g) => g.key)).toEqual([...Array.from({ length: 11 }, (_, i) => `tp-${String(i + 1).padStart(2, '0')}`), '(other)']);
    expect(report.groups!.at(-1)!.totals.metrics.nps).toMatchObject({ answers: 11, promoters: 6, detractors: 5 });
    expect(report.groups!.reduce((sum, g) => sum + g.totals.metrics.responses, 0)).toBe(14 * 15 / 2 + 5);
    // a day that folded values may hold any group's responses under (other): every group says so
    expect(report.groups!.every((g) => g.approximate)).toBe(true);
    expect(report.groups![0]!.reason).toMatch(/^the rollup keeps at most 100 touchpoint values per bucket, fewer where the bucket would pass 300 KB, and sums the rest as \(other\); 1 bucket\(s\) .* folded values, so this group may count some of its responses under \(other\)$/);
    expect(report.groups!.at(-1)!.reason).toMatch(/holds responses of values it cannot name$/);
  });

  it('marks groups exact when no bucket folded values, with no reason', () => {
    const report = build(query({ groupBy: 'touchpoint', from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z' }), [
      bucket('2026-11-20', [{ answers: { nps: 9 }, touchpoint: 'delivery' }, { answers: { nps: 2 }, touchpoint: 'checkout' }]),
    ]);

    expect(report.groups!.map((g) => [g.key, g.approximate, g.reason])).toEqual([
      ['checkout', false, undefined],
      ['delivery', false, undefined],
    ]);
  });

  it('marks approximate exactly the groups an hour past the rollup\'s cap of 100 values may have folded into (other)', () => {
    // Prepare: at 09:00 101 touchpoints: checkout with 3 responses, tp-001 … tp-100 with 1 each; the rollup keeps
    // checkout and 98 of the others and sums the 2 last by key (tp-099, tp-100) as (other). At 10:00 only delivery,
    // which 09:00 did not list, so 09:00 may hold some of it.
    const crowded = [
      ...Array.from({ length: 3 }, () => ({ answers: { nps: 10 }, touchpoint: 'checkout' })),
      ...Array.from({ length: 100 }, (_, i) => ({ answers: { nps: 5 }, touchpoint: `tp-${String(i + 1).padStart(3, '0')}` })),
    ];
    const hours = [bucket('2026-11-20T09', crowded), bucket('2026-11-20T10', [{ answers: { nps: 9 }, touchpoint: 'delivery' }])];
    expect(Object.keys(hours[0]!.segments.touchpoint)).toHaveLength(100);

    // Act
    const report = build(query({ groupBy: 'touchpoint', interval: 'hour', from: '2026-11-20T09:00:00Z', to: '2026-11-20T11:00:00Z' }), [], hours);

    // Assess: checkout (listed at 09:00) is exact; delivery (not listed there) and (other) are approximate
    const byKey = new Map(report.groups!.map((g) => [g.key, g]));
    expect(byKey.get('checkout')).toMatchObject({ approximate: false, totals: { metrics: { responses: 3 } } });
    expect(byKey.get('delivery')).toMatchObject({ approximate: true, reason: expect.stringContaining('1 bucket(s)') });
    expect(byKey.get('(other)')).toMatchObject({ approximate: true });
    // the CSV says so on every row of the group
    const csvRows = metricsCsv(report).split('\r\n').filter((line) => line.startsWith('delivery,') || line.startsWith('checkout,'));
    expect(csvRows.map((line) => `${line.split(',')[0]} ${line.split(',').at(-1)}`)).toEqual([...Array(3).fill('checkout false'), ...Array(3).fill('delivery true')]);
  });

  it('marks a value an hour lists approximate when a minute merged into it had folded that dimension, and exact when none had', () => {
    // Prepare: two hours merged from minutes, each listing checkout and holding an (other); at 09:00 a minute had folded
    // touchpoints before the merge (partial), at 10:00 the hour folded them itself, whole values
    const hourOf = (start: string, partial: ('touchpoint' | 'locale')[]): BucketAggregate => ({
      ...bucket(start, [{ answers: { nps: 10 }, touchpoint: 'checkout' }]),
      fromMinutes: true,
      partial,
    });
    const [nine, ten] = [hourOf('2026-11-20T09', ['touchpoint']), hourOf('2026-11-20T10', [])];
    for (const hour of [nine, ten]) hour.segments.touchpoint[OTHER_SEGMENT_VALUES] = bucket(hour.start, nps(5)).total;
    const groupsOf = (hours: BucketAggregate[]) =>
      new Map(build(query({ groupBy: 'touchpoint', interval: 'hour', from: '2026-11-20T09:00:00Z', to: '2026-11-20T11:00:00Z' }), [], hours).groups!.map((g) => [g.key, g.approximate]));

    // Act
    const withPartial = groupsOf([nine, ten]);
    const whole = groupsOf([ten]);
    const older = groupsOf([{ ...ten, partial: undefined }]);

    // Assess: whole listed values are exact; an hour of folded minutes, or merged before `partial` existed, is not
    expect(withPartial.get('checkout')).toBe(true);
    expect(whole.get('checkout')).toBe(false);
    expect(whole.get(OTHER_SEGMENT_VALUES)).toBe(true);
    expect(older.get('checkout')).toBe(true);
  });
});

describe('The report rolling windows', () => {
  it('cover the 7, 30 and 90 days ending with the day of `to`, each compared with the window before it', () => {
    // Prepare: `to` at 10:00 on 2026-11-23, so the windows end with that day (2026-11-24T00:00Z):
    //   days7 11-17 … 11-23 (previous 11-10 … 11-16); days30 10-25 … (previous 09-25 …); days90 08-26 … (previous 05-28 …)
    const report = build(query({ from: '2026-11-23T00:00:00Z', to: '2026-11-23T10:00:00Z' }), [
      bucket('2026-05-27', nps(0)), // before every window
      bucket('2026-05-28', nps(9)), // previous 90
      bucket('2026-08-25', nps(0)), // previous 90
      bucket('2026-08-26', nps(10)), // days90
      bucket('2026-10-24', nps(10)), // previous 30, days90
      bucket('2026-10-25', nps(0)), // days30
      bucket('2026-11-16', nps(0)), // previous 7, days30
      bucket('2026-11-17', nps(10)), // days7
      bucket('2026-11-23', nps(10)), // days7
    ]);

    // Assess
    const { days7, days30, days90 } = report.rolling;
    expect([days7.from, days7.to]).toEqual(['2026-11-17T00:00:00Z', '2026-11-24T00:00:00Z']);
    expect(days7.comparedWith).toEqual({ from: '2026-11-10T00:00:00Z', to: '2026-11-17T00:00:00Z' });
    expect([days30.from, days90.from, days90.comparedWith.from]).toEqual(['2026-10-25T00:00:00Z', '2026-08-26T00:00:00Z', '2026-05-28T00:00:00Z']);
    // days7: 2 promoters → 100; previous: 1 detractor → −100
    expect(days7.metrics.nps).toMatchObject({ answers: 2, score: 100 });
    expect(days7.trend.nps?.change).toBe(200);
    // days30: 11-23, 11-17 promoters; 11-16, 10-25 detractors → 0; previous: 10-24 promoter → 100
    expect(days30.metrics.nps).toMatchObject({ answers: 4, score: 0 });
    expect(days30.trend.nps?.change).toBe(-100);
    // days90: days30 + 10-24 + 08-26 promoters → (4 − 2)/6 = 33.33; previous: 08-25 detractor, 05-28 promoter → 0
    expect(days90.metrics.nps!.answers).toBe(6);
    expect(days90.metrics.nps!.score).toBeCloseTo(33.333, 3);
    expect(days90.trend.nps!.change).toBeCloseTo(33.333, 3);
  });
});

describe('The report reads', () => {
  it('read days once for the series, the previous range and the rolling windows, in one read', () => {
    // 30 days 10-25 … 11-23, previous 30 days from 09-25; rolling 90 + previous 90: 180 days from 05-28
    expect(readsFor(query({ from: '2026-10-25T00:00:00Z', to: '2026-11-24T00:00:00Z' }))).toEqual([{ period: 'day', from: '2026-05-28', to: '2026-11-23' }]);
    // two years of months: their previous two years start in 2023
    expect(readsFor(query({ interval: 'month', from: '2025-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' }))).toEqual([{ period: 'day', from: '2023-01-01', to: '2026-12-31' }]);
  });

  it('read hours for an hourly series and days for the rolling windows', () => {
    expect(readsFor(query({ interval: 'hour', from: '2026-11-23T09:00:00Z', to: '2026-11-23T12:00:00Z' }))).toEqual([
      { period: 'hour', from: '2026-11-23T06', to: '2026-11-23T11' },
      { period: 'day', from: '2026-05-28', to: '2026-11-23' },
    ]);
  });
});

describe('The report size', () => {
  const ratings = (count: number) =>
    surveySchema.parse({
      id: 'big',
      title: 'Big',
      channels: ['web'],
      questions: Array.from({ length: count }, (_, i) => ({ id: `q${i}`, type: 'rating', dimension: `d${i}`, max: 5, weight: 1 })),
      texts: { en: { title: 'Big', questions: {} } },
    });

  it('fits the console\'s longest preset, 90 days by day grouped, of the demo survey in one answer', () => {
    const demo = surveySchema.parse(demoSurvey(['http://127.0.0.1:3000']));
    expect(reportSizeProblem(demo, query({ groupBy: 'channel', from: '2026-09-01T00:00:00Z', to: '2026-11-30T00:00:00Z' }))).toBeUndefined();
  });

  it('fits any ungrouped range of a survey of a few questions in one answer', () => {
    expect(reportSizeProblem(survey, query({ interval: 'hour', from: '2026-10-01T00:00:00Z', to: '2026-11-01T01:00:00Z' }))).toBeUndefined();
    expect(reportSizeProblem(survey, query({ from: '2024-11-23T00:00:00Z', to: '2026-11-24T00:00:00Z' }))).toBeUndefined();
  });

  it('refuses more points than fit one answer, naming groupBy when grouping is what makes it too large', () => {
    // 3,000 + (200 + 7 + 15) + (200 + 5 + 5) = 3,432 bytes a point (its two rating questions' ids and dimensions);
    // 13 rows (12 groups + all): ⌊5,000,000 / 3,432 / 13⌋ − 8 = 104 points
    expect(pointBytesOf(survey)).toBe(3_432);
    const grouped = (days: number) => query({ groupBy: 'locale', from: '2026-01-01T00:00:00Z', to: new Date(Date.UTC(2026, 0, 1 + days)).toISOString() });
    expect(reportSizeProblem(survey, grouped(104))).toBeUndefined();
    expect(reportSizeProblem(survey, grouped(105))).toEqual({
      path: 'groupBy',
      reason: 'too many points: grouped by locale (up to 12 groups), a report of this survey holds at most 104 intervals (5 MB); this range has 105 day intervals: narrow the range, use a coarser interval, or drop groupBy',
    });
    // 28 rating questions, ids and dimensions of 2 or 3 characters: 3,000 + 28 × 200 + 148 = 8,748 bytes a point:
    // ⌊5,000,000 / 8,748⌋ − 8 = 563 hours
    const hours = (to: string) => query({ interval: 'hour', from: '2026-11-01T00:00:00Z', to });
    expect(reportSizeProblem(ratings(28), hours('2026-11-24T11:00:00Z'))).toBeUndefined();
    expect(reportSizeProblem(ratings(28), hours('2026-11-24T12:00:00Z'))).toMatchObject({
      path: 'from',
      reason: expect.stringContaining('ungrouped, a report of this survey holds at most 563 intervals (5 MB); this range has 564 hour intervals'),
    });
  });

  it('refuses a report whose follow-up block takes it past one answer once both are built, and takes one that fits', () => {
    // Prepare: two years of daily points of 50 root causes of 60 characters, nearly all quotes (4 bytes each in the
    // answer): about 12 KB a day
    const rootCausesOverTime = Array.from({ length: 731 }, (_, day) => ({
      period: new Date(Date.UTC(2025, 0, 1 + day)).toISOString(),
      counts: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${String(i).padStart(2, '0')}${'"'.repeat(58)}`, day % 7])),
    }));
    const answered = (days: number) => JSON.stringify({ series: [], followups: { byRootCause: [], byAssignee: [], rootCausesOverTime: rootCausesOverTime.slice(0, days) } });

    // Act + Assess
    expect(answeredReportProblem(answered(300))).toBeUndefined();
    expect(answeredReportProblem(answered(731))).toEqual({
      path: 'from',
      reason: expect.stringMatching(/^too many points: with its follow-up breakdown this report takes \d+\.\d MB, more than one answer holds \(5 MB\): narrow the range or use a coarser interval$/),
    });
  });

  it.each([
    [3, 'short'],
    [27, 'short'],
    [3, 'the longest'],
    [27, 'the longest'],
  ])('estimates a point at least as large as a real one in the answer, with every metric, interval and trend present (%i rating questions, %s names)', (ratingQuestions, names) => {
    // Prepare: 40 responses a day answering everything, rating questions with long names (or the longest a survey
    // takes: ids of 40 characters, dimensions of 64), comments scored
    const longest = names === 'the longest';
    const idOf = (i: number) => (longest ? `q${i}`.padEnd(40, 'x') : `question-${i}`);
    const big = surveySchema.parse({
      id: 'big',
      title: 'Big',
      channels: ['web'],
      questions: [
        { id: 'nps', type: 'nps' },
        { id: 'csat', type: 'csat' },
        { id: 'ces', type: 'ces' },
        ...Array.from({ length: ratingQuestions }, (_, i) => ({ id: idOf(i), type: 'rating', dimension: longest ? `d${i}`.padEnd(64, 'y') : `dimension-number-${i}`, max: 10, weight: 1 })),
      ],
      texts: { en: { title: 'Big', questions: {} } },
    });
    const labels = ['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED'] as const;
    const day = (d: number) => {
      const start = `2026-11-${String(d).padStart(2, '0')}`;
      const responses = Array.from({ length: 40 }, (_, i) =>
        storedResponse({
          id: `${start}-${i}`,
          answers: { nps: (i * 7 + d) % 11, csat: 1 + ((i + d) % 5), ces: 1 + ((i * 3 + d) % 7), ...Object.fromEntries(Array.from({ length: ratingQuestions }, (_, r) => [idOf(r), 1 + ((i * r + d) % 10)])) },
          sentiment: { status: 'scored', label: labels[(i + d) % 4]!, scores: { positive: 0.25, negative: 0.25, neutral: 0.25, mixed: 0.25 }, language: 'en' },
        }),
      );
      return aggregateOf('big', 'day', start, responses, big);
    };

    // Act
    const report = buildMetricsReport(big, query({ from: '2026-11-11T00:00:00Z', to: '2026-11-13T00:00:00Z' }), { day: Array.from({ length: 12 }, (_, d) => day(d + 1)), hour: [] });

    // Assess
    const point = report.series[1]!;
    expect(Object.values(point.trend).every((trend) => trend !== null)).toBe(true);
    expect(answerBytesOf(JSON.stringify(roundNumbers(point)))).toBeLessThanOrEqual(pointBytesOf(big));
    expect(answerBytesOf(JSON.stringify(roundNumbers(report.totals)))).toBeLessThanOrEqual(pointBytesOf(big));
  });
});

describe('Use case: metrics report', () => {
  const clock: Clock = { now: () => new Date('2026-11-23T10:19:24Z') };
  const surveys: SurveyStore = { get: async (id) => (id === 'shop' ? survey : undefined), put: async () => {} };

  /** an in-memory store that records its list calls */
  function memoryStore(aggregates: BucketAggregate[]) {
    const calls: [RollupPeriod, string, string][] = [];
    const store: AggregateStore = {
      put: async () => {},
      list: async (_surveyId, period, from, to) => {
        calls.push([period, from, to]);
        return aggregates.filter((a) => a.period === period && a.start >= from && a.start <= to);
      },
    };
    return { store, calls };
  }

  it('reads each needed day once, with one list call, and counts what it read', async () => {
    // Prepare: one response a day for a year
    const days = Array.from({ length: 365 }, (_, i) => bucket(new Date(Date.UTC(2025, 10, 24 + i)).toISOString().slice(0, 10), nps(10)));
    const { store, calls } = memoryStore(days);
    const metricsReport = makeMetricsReport({ surveys, aggregates: store, clock });

    // Act: the default range, the 30 days ending today
    const report = await metricsReport('shop', {});

    // Assess: 180 days read (rolling 90 + previous 90 cover the series and its previous range)
    expect(calls).toEqual([['day', '2026-05-28', '2026-11-23']]);
    expect(report.aggregatesRead).toEqual({ hour: 0, day: 180 });
    expect(report.series).toHaveLength(30);
    expect(report.totals.metrics.responses).toBe(30);
    expect(report.rolling.days90.metrics.responses).toBe(90);
  });

  it('answers 400 naming the parameter, and 404 for an unknown survey', async () => {
    const metricsReport = makeMetricsReport({ surveys, aggregates: memoryStore([]).store, clock });
    await expect(metricsReport('shop', { interval: 'quarter' })).rejects.toMatchObject({ status: 400, details: [{ path: 'interval' }] });
    await expect(metricsReport('nope', {})).rejects.toBeInstanceOf(ApiError);
    await expect(metricsReport('nope', {})).rejects.toMatchObject({ status: 404, message: 'survey not found' });
  });

  it('refuses a report too large for one answer before reading anything', async () => {
    const { store, calls } = memoryStore([]);
    const metricsReport = makeMetricsReport({ surveys, aggregates: store, clock });
    await expect(metricsReport('shop', { from: '2026-01-01', groupBy: 'touchpoint' })).rejects.toMatchObject({ status: 400, details: [{ path: 'groupBy' }] });
    expect(calls).toEqual([]);
  });
});

describe('Rounding for the API', () => {
  it('rounds non-integers to 4 decimals, keeps integers, and never shows −0', () => {
    expect(roundNumbers({ a: 33.333333, b: [-0.00001, 7], c: null, d: 'x', e: true })).toEqual({ a: 33.3333, b: [0, 7], c: null, d: 'x', e: true });
    expect(Object.is(roundNumbers(-0.00001), 0)).toBe(true);
  });
});

describe('The CSV', () => {
  it('has one row per interval and a total row, per group, with empty cells for null metrics', () => {
    // Prepare: two days, one of them empty; a touchpoint that looks like a formula (aggregates hold what was sent)
    const day = bucket('2026-11-20', [
      { answers: { nps: 0, csat: 5, product: 5 }, touchpoint: 'checkout', sentiment: 'NEGATIVE' },
      { answers: { nps: 10 }, touchpoint: 'checkout' },
    ]);
    day.segments.touchpoint = { '=cmd|"/c calc"': day.total };
    const report = build(query({ groupBy: 'touchpoint', from: '2026-11-20T00:00:00Z', to: '2026-11-22T00:00:00Z' }), [day]);

    // Act
    const lines = metricsCsv(report).split('\r\n');

    // Assess
    expect(lines.at(-1)).toBe('');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 10)).toEqual(['group', 'start', 'end', 'responses', 'nps', 'nps_promoters', 'nps_passives', 'nps_detractors', 'nps_answers', 'nps_margin']);
    expect(header).toEqual(expect.arrayContaining(['csat_pct', 'csat_mean', 'csat_answers', 'ces_mean', 'ces_easy_pct', 'ces_answers', 'csi', 'csi_product-quality', 'csi_price', 'sentiment_net', 'sentiment_positive']));
    const row = (line: string) => Object.fromEntries(line.split(',').map((cell, i) => [header[i], cell]));
    // (all): 11-20, 11-21, total; then the group: 11-20, 11-21, total
    expect(lines.slice(1, -1).map((l) => l.split(',').slice(0, 3).join(' '))).toEqual([
      '(all) 2026-11-20T00:00:00Z 2026-11-21T00:00:00Z',
      '(all) 2026-11-21T00:00:00Z 2026-11-22T00:00:00Z',
      '(all) 2026-11-20T00:00:00Z 2026-11-22T00:00:00Z',
      `"'=cmd|""/c calc""" 2026-11-20T00:00:00Z 2026-11-21T00:00:00Z`,
      `"'=cmd|""/c calc""" 2026-11-21T00:00:00Z 2026-11-22T00:00:00Z`,
      `"'=cmd|""/c calc""" 2026-11-20T00:00:00Z 2026-11-22T00:00:00Z`,
    ]);
    // 1 promoter, 1 detractor: NPS 0, margin (adjusted Wald, n' = 5) 1.96 × √(0.7 / 5) × 100 = 73.34; CSAT 100%; CSI product 100, price unanswered
    expect(row(lines[1]!)).toMatchObject({ responses: '2', nps: '0', nps_promoters: '1', nps_detractors: '1', nps_answers: '2', nps_margin: '73.34', csat_pct: '100', csi: '100', 'csi_product-quality': '100', csi_price: '', ces_mean: '', sentiment_net: '-100', sentiment_negative: '1' });
    // the empty day: responses 0 and every metric an empty cell
    expect(lines[2]!.split(',').slice(3)).toEqual(['0', ...Array(header.length - 5).fill(''), 'false']);
    expect(header.at(-1)).toBe('approximate');
  });

  it('names a dimension column after its question when the dimension\'s name is taken', () => {
    const columns = csvColumns({ csiDimensions: [{ questionId: 'm', dimension: 'margin', weight: 1 }, { questionId: 'p', dimension: 'price', weight: 1 }, { questionId: 'p2', dimension: 'price', weight: 1 }] });
    expect(columns.filter((c) => c.startsWith('csi_')).slice(1)).toEqual(['csi_margin_m', 'csi_price', 'csi_price_p2']);
  });
});
