// unit: histograms of responses and the indices computed from them, as worked examples with the arithmetic shown.
import { describe, expect, it } from 'vitest';
import { emptyHistogram, type Histogram, type ScoreCounts } from '../../shared/metrics/histogram.js';
import { addResponse, histogramOf, mergeHistograms } from '../../shared/metrics/histogram-of.js';
import {
  cesOf,
  compare,
  compareCsi,
  compareNps,
  csatOf,
  csiOf,
  metricsOf,
  npsOf,
  sentimentOf,
  trendsOf,
} from '../../shared/metrics/indices.js';
import type { StoredResponse, StoredSentiment } from '../../shared/response/stored-response.js';
import type { SentimentLabel } from '../../shared/sentiment/port.js';
import { storedResponse, surveyWith } from '../support/fixtures.js';


/** weights 2 + 1 + 1 = 4: they do not sum to 1 */
const survey = surveyWith([
  { id: 'nps', type: 'nps' },
  { id: 'csat', type: 'csat' },
  { id: 'ces', type: 'ces' },
  { id: 'product', type: 'rating', dimension: 'product-quality', max: 5, weight: 2 },
  { id: 'service', type: 'rating', dimension: 'service-quality', max: 10, weight: 1 },
  { id: 'price', type: 'rating', dimension: 'price', max: 5, weight: 1 },
  { id: 'comment', type: 'text' },
]);

let nextId = 0;
const response = (answers: Record<string, number>, sentiment: StoredSentiment | null = null, id = `r${++nextId}`): StoredResponse =>
  storedResponse({ id, answers, sentiment });

const scored = (label: SentimentLabel): StoredSentiment => ({
  status: 'scored',
  label,
  scores: { positive: 0.25, negative: 0.25, neutral: 0.25, mixed: 0.25 },
  language: 'en',
});

/** one response per answer, each answering only `questionId` */
const answering = (questionId: string, scores: number[]) => scores.map((score) => response({ [questionId]: score }));

/** counts array for a scale 0…max from { score: count } */
function counts(max: number, byScore: Record<number, number>): ScoreCounts {
  return Array.from({ length: max + 1 }, (_, score) => byScore[score] ?? 0);
}

describe('building a histogram from responses', () => {
  it('counts each answer under its question and score, and each scored comment under its label', () => {
    // Act
    const h = histogramOf(
      [response({ nps: 9, csat: 4, product: 5 }, scored('POSITIVE')), response({ nps: 3, service: 10 }, scored('NEGATIVE'))],
      survey,
    );

    // Assess
    expect(h.responses).toBe(2);
    expect(h.questions.nps).toEqual({ type: 'nps', max: 10, counts: counts(10, { 3: 1, 9: 1 }) });
    expect(h.questions.csat).toEqual({ type: 'csat', max: 5, counts: counts(5, { 4: 1 }) });
    expect(h.questions.product).toEqual({ type: 'rating', max: 5, counts: counts(5, { 5: 1 }) });
    expect(h.questions.service).toEqual({ type: 'rating', max: 10, counts: counts(10, { 10: 1 }) });
    expect(h.sentiment).toEqual({ POSITIVE: 1, NEGATIVE: 1, NEUTRAL: 0, MIXED: 0 });
  });

  it('counts a skipped question nowhere: no entry, no zero, no denominator', () => {
    const h = histogramOf([response({ csat: 5 })], survey);

    expect(h.responses).toBe(1);
    expect(Object.keys(h.questions)).toEqual(['csat']);
  });

  it('ignores answers to unknown or comment questions, out-of-range and non-integer answers, and unscored sentiment', () => {
    // Prepare
    const odd = [
      response({ ghost: 5, comment: 3 }, { status: 'unscored', language: 'xx', reason: 'unsupported-language' }),
      response({ nps: 11, csat: 0, ces: 8, product: 6 }, { status: 'pending', attempts: 2 }),
      response({ nps: -1, csat: 4.5, ces: Number.NaN, service: Number.POSITIVE_INFINITY }, null),
    ];

    // Act
    const h = histogramOf(odd, survey);

    // Assess
    expect(h).toEqual({ ...emptyHistogram(), responses: 3 });
  });

  it('counts a response id listed twice once, as the queue may deliver it twice', () => {
    const once = response({ nps: 10 }, scored('POSITIVE'), 'same');

    const h = histogramOf([once, { ...once }], survey);

    expect(h.responses).toBe(1);
    expect(h.questions.nps?.counts[10]).toBe(1);
    expect(h.sentiment.POSITIVE).toBe(1);
  });

  it('adds a response into a new histogram and leaves the old one as it was', () => {
    // Prepare
    const before = histogramOf([response({ nps: 8 })], survey);
    const snapshot = structuredClone(before);

    // Act
    const after = addResponse(before, response({ nps: 8, ces: 2 }, scored('MIXED')), survey);

    // Assess
    expect(before).toEqual(snapshot);
    expect(after.responses).toBe(2);
    expect(after.questions.nps?.counts[8]).toBe(2);
    expect(after.questions.ces?.counts[2]).toBe(1);
    expect(after.sentiment.MIXED).toBe(1);
  });

  it('does not mistake a question called "constructor" for an existing entry', () => {
    const odd = surveyWith([{ id: 'constructor', type: 'csat' }]);

    const h = histogramOf([response({ constructor: 3 })], odd);

    expect(h.questions.constructor).toEqual({ type: 'csat', max: 5, counts: counts(5, { 3: 1 }) });
  });
});

describe('merging histograms', () => {
  it('adds counts, copies a question found on one side only and sums responses and sentiment', () => {
    // Prepare
    const hour1 = histogramOf([response({ nps: 10, csat: 5 }, scored('POSITIVE'))], survey);
    const hour2 = histogramOf([response({ nps: 10 }, scored('NEUTRAL')), response({ ces: 6 })], survey);

    // Act
    const day = mergeHistograms(hour1, hour2);

    // Assess
    expect(day.responses).toBe(3);
    expect(day.questions.nps?.counts[10]).toBe(2);
    expect(day.questions.csat).toEqual(hour1.questions.csat);
    expect(day.questions.ces).toEqual(hour2.questions.ces);
    expect(day.sentiment).toEqual({ POSITIVE: 1, NEGATIVE: 0, NEUTRAL: 1, MIXED: 0 });
  });

  it('takes the larger scale when a rating question changed its max, padding the shorter counts with zeros', () => {
    // Prepare: "service" was rated on 1…5 last week and on 1…10 this week
    const lastWeek: Histogram = {
      ...emptyHistogram(),
      responses: 2,
      questions: { service: { type: 'rating', max: 5, counts: counts(5, { 4: 1, 5: 1 }) } },
    };
    const thisWeek: Histogram = {
      ...emptyHistogram(),
      responses: 1,
      questions: { service: { type: 'rating', max: 10, counts: counts(10, { 9: 1 }) } },
    };

    // Act
    const both = [mergeHistograms(lastWeek, thisWeek), mergeHistograms(thisWeek, lastWeek)];

    // Assess
    for (const merged of both) {
      expect(merged.questions.service).toEqual({ type: 'rating', max: 10, counts: counts(10, { 4: 1, 5: 1, 9: 1 }) });
    }
  });

  it('keeps the same question type whichever side a re-typed question is on', () => {
    const asCsat: Histogram = { ...emptyHistogram(), questions: { q: { type: 'csat', max: 5, counts: counts(5, { 5: 1 }) } } };
    const asRating: Histogram = { ...emptyHistogram(), questions: { q: { type: 'rating', max: 5, counts: counts(5, { 1: 1 }) } } };

    expect(mergeHistograms(asCsat, asRating)).toEqual(mergeHistograms(asRating, asCsat));
    expect(mergeHistograms(asCsat, asRating).questions.q?.type).toBe('rating');
  });

  it('leaves a histogram unchanged when merged with the empty histogram', () => {
    const h = histogramOf([response({ nps: 7, product: 2 }, scored('NEGATIVE'))], survey);

    expect(mergeHistograms(h, emptyHistogram())).toEqual(h);
    expect(mergeHistograms(emptyHistogram(), h)).toEqual(h);
  });
});

describe('NPS', () => {
  it('is %promoters − %detractors with a 95% margin from the variance of the +1/0/−1 coding', () => {
    // Prepare: 10 answers: 5 promoters (9, 10), 3 passives (7, 8), 2 detractors (0–6)
    const h = histogramOf(answering('nps', [10, 10, 9, 9, 9, 8, 7, 7, 6, 0]), survey);

    // Act
    const nps = metricsOf(h, survey).nps;

    // Assess
    // score = 100 × (5 − 2) / 10 = 30
    // var = p + d − (p − d)² = 0.5 + 0.2 − 0.3² = 0.61; margin = 1.96 × √(0.61 / 10) × 100 ≈ 48.41
    expect(nps).toEqual({
      answers: 10,
      promoters: 5,
      passives: 3,
      detractors: 2,
      promoterShare: 0.5,
      passiveShare: 0.3,
      detractorShare: 0.2,
      score: 30,
      marginOfError: expect.closeTo(1.96 * Math.sqrt(0.61 / 10) * 100, 10),
    });
    expect(nps?.marginOfError).toBeCloseTo(48.41, 2);
  });

  it('places the boundaries at 6/7 and 8/9', () => {
    const nps = npsOf(counts(10, { 6: 1, 7: 1, 8: 1, 9: 1 }));

    expect(nps).toMatchObject({ detractors: 1, passives: 2, promoters: 1, score: 0 });
  });

  it('is 100 with margin 0 when everybody is a promoter (zero variance: p + d − (p − d)² = 1 + 0 − 1 = 0)', () => {
    const nps = npsOf(counts(10, { 9: 4, 10: 8 }));

    expect(nps).toMatchObject({ answers: 12, score: 100, marginOfError: 0, promoterShare: 1 });
  });

  it('is 0 with margin 0 when everybody is a passive', () => {
    const nps = npsOf(counts(10, { 7: 3, 8: 2 }));

    expect(nps).toMatchObject({ answers: 5, score: 0, marginOfError: 0, passiveShare: 1 });
  });

  it('is −100 with margin 0 from one detractor: the formula says 0, so one answer must be judged by its count', () => {
    const nps = npsOf(counts(10, { 2: 1 }));

    expect(nps).toMatchObject({ answers: 1, score: -100, marginOfError: 0 });
  });

  it('is null with no answers', () => {
    expect(npsOf(counts(10, {}))).toBeNull();
    expect(npsOf([])).toBeNull();
    expect(metricsOf(emptyHistogram(), survey).nps).toBeNull();
  });

  it('leaves out a response that skipped it: answering only CSAT does not change NPS answers', () => {
    // Prepare
    const npsOnly = answering('nps', [10, 0]);
    const withCsatOnly = [...npsOnly, response({ csat: 5 })];

    // Act
    const before = metricsOf(histogramOf(npsOnly, survey), survey);
    const after = metricsOf(histogramOf(withCsatOnly, survey), survey);

    // Assess
    expect(after.responses).toBe(3);
    expect(after.nps).toEqual(before.nps);
    expect(after.nps?.answers).toBe(2);
    expect(after.csat?.answers).toBe(1);
  });
});

describe('CSAT', () => {
  it('gives the percentage of 4–5 answers with its margin, the grade distribution and the mean', () => {
    // Prepare: 8 answers: one 1, one 2, two 3s, three 4s, one 5
    const h = histogramOf(answering('csat', [1, 2, 3, 3, 4, 4, 4, 5]), survey);

    // Act
    const csat = metricsOf(h, survey).csat;

    // Assess
    // satisfied = 3 + 1 = 4; percentage = 100 × 4 / 8 = 50
    // margin = 1.96 × √(0.5 × 0.5 / 8) × 100 ≈ 34.65
    // mean = (1 + 2 + 3 + 3 + 4 + 4 + 4 + 5) / 8 = 26 / 8 = 3.25
    expect(csat).toEqual({
      answers: 8,
      satisfied: 4,
      percentage: 50,
      marginOfError: expect.closeTo(1.96 * Math.sqrt(0.25 / 8) * 100, 10),
      grades: [
        { grade: 1, count: 1, share: 0.125 },
        { grade: 2, count: 1, share: 0.125 },
        { grade: 3, count: 2, share: 0.25 },
        { grade: 4, count: 3, share: 0.375 },
        { grade: 5, count: 1, share: 0.125 },
      ],
      mean: 3.25,
    });
    expect(csat?.marginOfError).toBeCloseTo(34.65, 2);
  });

  it('from one answer of 5 is 100% with margin 0 and mean 5', () => {
    expect(csatOf(counts(5, { 5: 1 }))).toMatchObject({ answers: 1, percentage: 100, marginOfError: 0, mean: 5 });
  });

  it('is null with no answers', () => {
    expect(csatOf(counts(5, {}))).toBeNull();
  });
});

describe('CES', () => {
  it('gives the mean on 1–7 with the margin of the mean and the percentage answering 5–7', () => {
    // Prepare: 5 answers: 3, 5, 5, 6, 6
    const h = histogramOf(answering('ces', [3, 5, 5, 6, 6]), survey);

    // Act
    const ces = metricsOf(h, survey).ces;

    // Assess
    // mean = 25 / 5 = 5; squared deviations 4 + 0 + 0 + 1 + 1 = 6; sample sd = √(6 / 4) = √1.5
    // margin = 1.96 × √1.5 / √5 ≈ 1.0735; easy = 4 of 5 = 80%
    expect(ces).toEqual({
      answers: 5,
      mean: 5,
      standardDeviation: expect.closeTo(Math.sqrt(1.5), 10),
      marginOfError: expect.closeTo((1.96 * Math.sqrt(1.5)) / Math.sqrt(5), 10),
      easy: 4,
      easyPercentage: 80,
    });
    expect(ces?.marginOfError).toBeCloseTo(1.0735, 4);
  });

  it('from one answer has standard deviation and margin 0', () => {
    expect(cesOf(counts(7, { 2: 1 }))).toEqual({
      answers: 1,
      mean: 2,
      standardDeviation: 0,
      marginOfError: 0,
      easy: 0,
      easyPercentage: 0,
    });
  });

  it('is null with no answers', () => {
    expect(cesOf(counts(7, {}))).toBeNull();
  });
});

describe('CSI', () => {
  // product (max 5, weight 2): 4, 5 → mean 4.5 → (4.5 − 1) / 4 × 100 = 87.5
  // service (max 10, weight 1): 10, 7, 4 → mean 7 → (7 − 1) / 9 × 100 = 66.67
  // price (max 5, weight 1): 3 → mean 3 → (3 − 1) / 4 × 100 = 50
  const ratings = () => [
    ...answering('product', [4, 5]),
    ...answering('service', [10, 7, 4]),
    ...answering('price', [3]),
  ];

  it('rescales each dimension mean to 0–100 and takes the weighted mean, weights 2:1:1 normalised to 0.5, 0.25, 0.25', () => {
    // Act
    const csi = csiOf(histogramOf(ratings(), survey), survey);

    // Assess
    // CSI = 0.5 × 87.5 + 0.25 × 66.67 + 0.25 × 50 = 72.92
    expect(csi?.score).toBeCloseTo(0.5 * 87.5 + 0.25 * ((100 * 6) / 9) + 0.25 * 50, 10);
    expect(csi?.score).toBeCloseTo(72.92, 2);
    expect(csi?.answers).toBe(6);
    expect(csi?.dimensions.map((d) => [d.dimension, d.answers, d.mean, d.weight, d.normalisedWeight])).toEqual([
      ['product-quality', 2, 4.5, 2, 0.5],
      ['service-quality', 3, 7, 1, 0.25],
      ['price', 1, 3, 1, 0.25],
    ]);
    expect(csi?.dimensions.map((d) => d.score)).toEqual([87.5, expect.closeTo(66.667, 3), 50]);
  });

  it('has a conservative margin: the weighted sum of the dimension margins', () => {
    const csi = csiOf(histogramOf(ratings(), survey), survey);

    // product: sd of {4, 5} = √0.5; margin = 1.96 × √0.5 / √2 × 100 / 4 = 24.5
    // service: sd of {10, 7, 4} = √(18 / 2) = 3; margin = 1.96 × 3 / √3 × 100 / 9 ≈ 37.72
    // price: one answer → 0
    // CSI margin = 0.5 × 24.5 + 0.25 × 37.72 + 0.25 × 0 ≈ 21.68
    const service = ((1.96 * 3) / Math.sqrt(3)) * (100 / 9);
    expect(csi?.dimensions.map((d) => d.marginOfError)).toEqual([expect.closeTo(24.5, 10), expect.closeTo(service, 10), 0]);
    expect(csi?.marginOfError).toBeCloseTo(0.5 * 24.5 + 0.25 * service, 10);
    expect(csi?.marginOfError).toBeCloseTo(21.68, 2);
  });

  it('drops a dimension with no answers in the period and renormalises the other weights (2:1 → 2/3, 1/3)', () => {
    // Prepare: nobody rated price
    const h = histogramOf([...answering('product', [4, 5]), ...answering('service', [10, 7, 4])], survey);

    // Act
    const csi = csiOf(h, survey);

    // Assess
    // CSI = 2/3 × 87.5 + 1/3 × 66.67 = 80.56
    expect(csi?.score).toBeCloseTo((2 / 3) * 87.5 + (1 / 3) * ((100 * 6) / 9), 10);
    expect(csi?.score).toBeCloseTo(80.56, 2);
    expect(csi?.dimensions[2]).toEqual({
      questionId: 'price',
      dimension: 'price',
      max: 5,
      answers: 0,
      mean: null,
      score: null,
      marginOfError: null,
      weight: 1,
      normalisedWeight: 0,
    });
    expect(csi?.dimensions.map((d) => d.normalisedWeight)).toEqual([expect.closeTo(2 / 3, 10), expect.closeTo(1 / 3, 10), 0]);
  });

  it('from one dimension is that dimension\'s score whatever its weight', () => {
    const csi = csiOf(histogramOf(answering('service', [1, 10]), survey), survey);

    // mean 5.5 → (5.5 − 1) / 9 × 100 = 50
    expect(csi).toMatchObject({ score: 50, answers: 2 });
    expect(csi?.dimensions[1]?.normalisedWeight).toBe(1);
  });

  it('is null with no rating answers at all', () => {
    expect(csiOf(histogramOf([response({ nps: 10 })], survey), survey)).toBeNull();
  });
});

describe('sentiment', () => {
  it('counts the scored comments by label, with shares and net sentiment %positive − %negative', () => {
    // Prepare: 10 scored: 5 positive, 2 negative, 2 neutral, 1 mixed; 3 more not scored
    const labels: SentimentLabel[] = ['POSITIVE', 'POSITIVE', 'POSITIVE', 'POSITIVE', 'POSITIVE', 'NEGATIVE', 'NEGATIVE', 'NEUTRAL', 'NEUTRAL', 'MIXED'];
    const responses = [
      ...labels.map((label) => response({}, scored(label))),
      response({}, { status: 'pending' }),
      response({}, { status: 'unscored', language: 'xx', reason: 'unsupported-language' }),
      response({ nps: 9 }, null),
    ];

    // Act
    const sentiment = metricsOf(histogramOf(responses, survey), survey).sentiment;

    // Assess
    // net = 100 × (5 − 2) / 10 = 30; margin as for NPS: 1.96 × √((0.5 + 0.2 − 0.3²) / 10) × 100 ≈ 48.41
    expect(sentiment).toEqual({
      answers: 10,
      counts: { POSITIVE: 5, NEGATIVE: 2, NEUTRAL: 2, MIXED: 1 },
      shares: { POSITIVE: 0.5, NEGATIVE: 0.2, NEUTRAL: 0.2, MIXED: 0.1 },
      net: 30,
      marginOfError: expect.closeTo(1.96 * Math.sqrt(0.61 / 10) * 100, 10),
    });
  });

  it('is null when no comment was scored', () => {
    expect(sentimentOf(emptyHistogram().sentiment)).toBeNull();
  });
});

describe('all metrics of a histogram', () => {
  it('counts every response, and each metric only the responses that answered it', () => {
    // Prepare
    const responses = [
      response({ nps: 10, csat: 5, ces: 7, product: 5 }, scored('POSITIVE')),
      response({ nps: 3 }),
      response({}, scored('NEGATIVE')), // a comment only
    ];

    // Act
    const metrics = metricsOf(histogramOf(responses, survey), survey);

    // Assess
    expect(metrics.responses).toBe(3);
    expect([metrics.nps?.answers, metrics.csat?.answers, metrics.ces?.answers, metrics.csi?.answers, metrics.sentiment?.answers]).toEqual([
      2, 1, 1, 1, 2,
    ]);
  });

  it('reads NPS, CSAT and CES from the first question of each type', () => {
    // Prepare
    const twoNps = surveyWith([
      { id: 'recommend', type: 'nps' },
      { id: 'recommend-again', type: 'nps' },
    ]);
    const h = histogramOf([response({ 'recommend-again': 10 }), response({ recommend: 0 })], twoNps);

    // Act
    const nps = metricsOf(h, twoNps).nps;

    // Assess
    expect(nps).toMatchObject({ answers: 1, score: -100 });
  });

  it('gives every metric null for an empty histogram', () => {
    expect(metricsOf(emptyHistogram(), survey)).toEqual({ responses: 0, nps: null, csat: null, ces: null, csi: null, sentiment: null });
  });
});

describe('trends', () => {
  it('is significant when the change exceeds the combined margin √(m₁² + m₂²)', () => {
    // 40 ± 3 against 30 ± 4: change 10, combined margin √(9 + 16) = 5
    expect(compare({ value: 40, marginOfError: 3 }, { value: 30, marginOfError: 4 })).toEqual({
      change: 10,
      marginOfError: 5,
      significant: true,
    });
    // 34 ± 3 against 30 ± 4: change 4 ≤ 5
    expect(compare({ value: 34, marginOfError: 3 }, { value: 30, marginOfError: 4 })?.significant).toBe(false);
    // a change equal to the margin is not significant
    expect(compare({ value: 25, marginOfError: 3 }, { value: 30, marginOfError: 4 })).toEqual({
      change: -5,
      marginOfError: 5,
      significant: false,
    });
  });

  it('is null when either period has no answers', () => {
    const nps = npsOf(counts(10, { 10: 1 }));

    expect(compareNps(nps, null)).toBeNull();
    expect(compareNps(null, nps)).toBeNull();
    expect(compare(null, null)).toBeNull();
  });

  it('does not call an NPS drop from 12 answers news, but does from 1 000', () => {
    // Prepare: NPS 33.3 → 8.3, from 12 answers a week and from 1 000 answers a week
    // 12 answers: last week 6/4/2 promoters/passives/detractors (margin ≈ 42), this week 4/5/3 (margin ≈ 43)
    // 1 000 answers: last week 500/333/167 (margin ≈ 4.6), this week 333/417/250 (margin ≈ 4.7)
    const lastWeekSmall = npsOf(counts(10, { 10: 6, 8: 4, 0: 2 }));
    const thisWeekSmall = npsOf(counts(10, { 10: 4, 8: 5, 0: 3 }));
    const lastWeekLarge = npsOf(counts(10, { 10: 500, 8: 333, 0: 167 }));
    const thisWeekLarge = npsOf(counts(10, { 10: 333, 8: 417, 0: 250 }));

    // Act
    const small = compareNps(thisWeekSmall, lastWeekSmall);
    const large = compareNps(thisWeekLarge, lastWeekLarge);

    // Assess
    // −25 points either way; combined margin √(42² + 43²) ≈ 60 against √(4.6² + 4.7²) ≈ 6.6
    expect(small?.change).toBeCloseTo(100 / 12 - 400 / 12, 10);
    expect(small?.marginOfError).toBeCloseTo(60.2, 0);
    expect(small?.significant).toBe(false);
    expect(large?.change).toBeCloseTo(8.3 - 33.3, 10);
    expect(large?.marginOfError).toBeCloseTo(6.6, 0);
    expect(large?.significant).toBe(true);
  });

  it('compares CSI with its conservative margin, and every index at once', () => {
    // Prepare
    const previous = metricsOf(histogramOf([...answering('product', [5, 5, 4, 5]), ...answering('nps', [10, 9])], survey), survey);
    const current = metricsOf(histogramOf([...answering('product', [1, 2, 1, 2]), ...answering('csat', [5])], survey), survey);

    // Act
    const trends = trendsOf(current, previous);

    // Assess
    // product previous: mean 4.75 → 93.75; current: mean 1.5 → 12.5; change −81.25
    expect(trends.csi?.change).toBeCloseTo(12.5 - 93.75, 10);
    expect(trends.csi?.significant).toBe(true);
    expect(trends.csi).toEqual(compareCsi(current.csi, previous.csi));
    expect(trends.nps).toBeNull(); // no NPS answers this period
    expect(trends.csat).toBeNull(); // no CSAT answers last period
    expect(trends.ces).toBeNull();
    expect(trends.sentiment).toBeNull();
  });
});
