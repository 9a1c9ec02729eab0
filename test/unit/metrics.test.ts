// unit: histograms of responses and the indices computed from them, as worked examples with the arithmetic shown.
import { describe, expect, it } from 'vitest';
import { emptyHistogram, type Histogram, type ScoreCounts } from '../../shared/metrics/histogram.js';
import { addResponse, histogramOf, mergeHistograms } from '../../shared/metrics/histogram-of.js';
import {
  cesOf,
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

  it('ignores answers to unknown or comment questions, out-of-range and non-integer answers, and counts unscored comments apart', () => {
    // Prepare
    const odd = [
      response({ ghost: 5, comment: 3 }, { status: 'unscored', language: 'xx', reason: 'unsupported-language' }),
      response({ nps: 11, csat: 0, ces: 8, product: 6 }, { status: 'pending', attempts: 2 }),
      response({ nps: -1, csat: 4.5, ces: Number.NaN, service: Number.POSITIVE_INFINITY }, null),
    ];

    // Act
    const h = histogramOf(odd, survey);

    // Assess: the unscored and the pending comment are in no sentiment total, only counted as left out
    expect(h).toEqual({ ...emptyHistogram(), responses: 3, unscoredComments: { pending: 1, notCovered: 1 } });
    expect(metricsOf(h, survey)).toMatchObject({ sentiment: null, unscoredComments: { pending: 1, notCovered: 1 } });
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
    // adjusted Wald: n' = 13, p' = 5.75 / 13, d' = 2.75 / 13, estimate 3 / 13; var = (p' + d' − (p' − d')²) / 13
    // half = 1.96 × √var ≈ 0.42128 → 23.08 ± 42.13 points
    const p = 5.75 / 13;
    const d = 2.75 / 13;
    const half = 1.96 * Math.sqrt((p + d - (p - d) ** 2) / 13) * 100;
    expect(nps).toEqual({
      answers: 10,
      promoters: 5,
      passives: 3,
      detractors: 2,
      promoterShare: 0.5,
      passiveShare: 0.3,
      detractorShare: 0.2,
      score: 30,
      marginOfError: expect.closeTo(half, 10),
      interval: { lower: expect.closeTo(100 * (p - d) - half, 10), upper: expect.closeTo(100 * (p - d) + half, 10) },
      shareIntervals: { promoter: expect.any(Object), detractor: expect.any(Object) },
    });
    expect(nps?.marginOfError).toBeCloseTo(42.13, 2);
    expect(nps?.interval.lower).toBeCloseTo(-19.05, 2);
    expect(nps?.interval.upper).toBeCloseTo(65.21, 2);
    // Wilson interval of the promoter share 5 / 10: 0.2366…0.7634
    expect(nps?.shareIntervals.promoter.lower).toBeCloseTo(0.2366, 4);
    expect(nps?.shareIntervals.promoter.upper).toBeCloseTo(0.7634, 4);
  });

  it('places the boundaries at 6/7 and 8/9', () => {
    const nps = npsOf(counts(10, { 6: 1, 7: 1, 8: 1, 9: 1 }));

    expect(nps).toMatchObject({ detractors: 1, passives: 2, promoters: 1, score: 0 });
  });

  it('is 100 with a margin above 0 when 12 of 12 are promoters: agreement in a small sample is not certainty', () => {
    const nps = npsOf(counts(10, { 9: 4, 10: 8 }));

    // adjusted Wald: estimate 10.5 / 15 = 70 points, half 1.96 × √((0.75 + 0.05 − 0.49) / 15) → 41.80…100 (clipped)
    expect(nps).toMatchObject({ answers: 12, score: 100, promoterShare: 1 });
    expect(nps!.interval.lower).toBeCloseTo(54.2, 1);
    expect(nps!.interval.upper).toBe(100);
    expect(nps!.marginOfError).toBeCloseTo(22.9, 1);
  });

  it('is 0 with a margin of about 30 points when 5 of 5 are passives', () => {
    const nps = npsOf(counts(10, { 7: 3, 8: 2 }));

    // adjusted Wald: p' = d' = 0.75 / 8, var = (0.1875 − 0) / 8 → ± 1.96 × √0.0234 = ± 30.0 points
    expect(nps).toMatchObject({ answers: 5, score: 0, passiveShare: 1 });
    expect(nps!.marginOfError).toBeCloseTo(30.01, 2);
  });

  it('is −100 from one detractor with an interval spanning most of the scale', () => {
    const nps = npsOf(counts(10, { 2: 1 }));

    // adjusted Wald: n' = 4, p' = 0.75 / 4, d' = 1.75 / 4: estimate −25 ± 73.5
    expect(nps).toMatchObject({ answers: 1, score: -100, interval: { lower: -98.5, upper: 48.5 } });
    expect(nps!.marginOfError).toBeCloseTo(73.5, 10);
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
    // Wilson: centre (0.5 + 1.96² / 16) / (1 + 1.96² / 8) = 0.5, half 1.96 / (1 + 1.96² / 8) × √(0.25 / 8 + 1.96² / 256)
    const half = (1.96 / (1 + 1.96 ** 2 / 8)) * Math.sqrt(0.25 / 8 + 1.96 ** 2 / 256) * 100;
    // mean = (1 + 2 + 3 + 3 + 4 + 4 + 4 + 5) / 8 = 26 / 8 = 3.25
    expect(csat).toEqual({
      answers: 8,
      satisfied: 4,
      percentage: 50,
      marginOfError: expect.closeTo(half, 10),
      interval: { lower: expect.closeTo(50 - half, 10), upper: expect.closeTo(50 + half, 10) },
      grades: [
        { grade: 1, count: 1, share: 0.125 },
        { grade: 2, count: 1, share: 0.125 },
        { grade: 3, count: 2, share: 0.25 },
        { grade: 4, count: 3, share: 0.375 },
        { grade: 5, count: 1, share: 0.125 },
      ],
      mean: 3.25,
    });
    expect(csat?.marginOfError).toBeCloseTo(28.48, 2);
  });

  it('from one answer of 5 is 100% with the Wilson interval 20.65…100, not a margin of 0', () => {
    const csat = csatOf(counts(5, { 5: 1 }));

    expect(csat).toMatchObject({ answers: 1, percentage: 100, mean: 5, interval: { upper: 100 } });
    expect(csat!.interval.lower).toBeCloseTo(20.65, 2);
    expect(csat!.marginOfError).toBeCloseTo(39.67, 2);
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
    // margin = t(0.975, 4) × √1.5 / √5 = 2.7764 × 0.5477 ≈ 1.5207; easy = 4 of 5 = 80%, Wilson 37.55…96.38
    const half = (2.7764451 * Math.sqrt(1.5)) / Math.sqrt(5);
    expect(ces).toEqual({
      answers: 5,
      mean: 5,
      standardDeviation: expect.closeTo(Math.sqrt(1.5), 10),
      marginOfError: expect.closeTo(half, 6),
      interval: { lower: expect.closeTo(5 - half, 6), upper: expect.closeTo(5 + half, 6) },
      easy: 4,
      easyPercentage: 80,
      easyInterval: { lower: expect.closeTo(37.5528, 3), upper: expect.closeTo(96.3777, 3) },
    });
    expect(ces?.marginOfError).toBeCloseTo(1.5207, 4);
  });

  it('from one answer has standard deviation 0 and the whole 1…7 scale as its interval', () => {
    expect(cesOf(counts(7, { 2: 1 }))).toMatchObject({
      answers: 1,
      mean: 2,
      standardDeviation: 0,
      marginOfError: 3,
      interval: { lower: 1, upper: 7 },
      easy: 0,
      easyPercentage: 0,
    });
  });

  it('from answers that all agree floors the spread at one step in n: t(0.975, n − 1) / n', () => {
    // 10 answers of 4: s = 0, floored to 1 / √10; margin = t(0.975, 9) × (1 / √10) / √10 = 2.2622 / 10
    expect(cesOf(counts(7, { 4: 10 }))!.marginOfError).toBeCloseTo(0.22622, 4);
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

  it('has a conservative margin: the weighted sum of the dimension margins, each from a t interval', () => {
    // Prepare: product {4, 5} × 10, service {10, 7, 4} × 5, price one answer
    const repeated = (scores: number[], times: number) => Array.from({ length: times }, () => scores).flat();
    const h = histogramOf([...answering('product', repeated([4, 5], 10)), ...answering('service', repeated([10, 7, 4], 5)), ...answering('price', [3])], survey);

    // Act
    const csi = csiOf(h, survey);

    // Assess
    // product: n 20, sd √(20 × 0.25 / 19); margin t(0.975, 19) = 2.0930 × sd / √20 on 1…5 → × 100 / 4 ≈ 6.00
    // service: n 15, sd √(5 × 18 / 14); margin t(0.975, 14) = 2.1448 × sd / √15 on 1…10 → × 100 / 9 ≈ 15.60
    // price: one answer → the whole 0…100, margin 50
    // CSI margin = 0.5 × 6.00 + 0.25 × 15.60 + 0.25 × 50 ≈ 19.40
    const product = ((2.093024 * Math.sqrt(5 / 19)) / Math.sqrt(20)) * (100 / 4);
    const service = ((2.144787 * Math.sqrt(90 / 14)) / Math.sqrt(15)) * (100 / 9);
    expect(csi?.dimensions.map((d) => d.marginOfError)).toEqual([expect.closeTo(product, 4), expect.closeTo(service, 4), 50]);
    expect(csi?.marginOfError).toBeCloseTo(0.5 * product + 0.25 * service + 0.25 * 50, 4);
    expect(csi?.marginOfError).toBeCloseTo(19.4, 1);
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
    // net = 100 × (5 − 2) / 10 = 30; interval as for NPS (neutral and mixed are the 0 category): 23.08 ± 42.13
    expect(sentiment).toEqual({
      answers: 10,
      counts: { POSITIVE: 5, NEGATIVE: 2, NEUTRAL: 2, MIXED: 1 },
      shares: { POSITIVE: 0.5, NEGATIVE: 0.2, NEUTRAL: 0.2, MIXED: 0.1 },
      net: 30,
      marginOfError: expect.closeTo(42.128, 3),
      interval: { lower: expect.closeTo(-19.051, 3), upper: expect.closeTo(65.205, 3) },
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
    expect(metricsOf(emptyHistogram(), survey)).toEqual({ responses: 0, nps: null, csat: null, ces: null, csi: null, sentiment: null, unscoredComments: { pending: 0, notCovered: 0 } });
  });
});

describe('trends', () => {
  it('is null when either period has no answers', () => {
    const nps = npsOf(counts(10, { 10: 1 }));

    expect(compareNps(nps, null)).toBeNull();
    expect(compareNps(null, nps)).toBeNull();
    expect(compareNps(null, null)).toBeNull();
  });

  it('does not call an NPS drop from 12 answers news (below the minimum sample of 30), but does from 1 000', () => {
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
    // −25 points either way; adjusted Wald interval of the difference: about ± 54 from 12 answers, ± 6.6 from 1 000
    expect(small?.change).toBeCloseTo(100 / 12 - 400 / 12, 10);
    expect(small?.marginOfError).toBeCloseTo(53.7, 0);
    expect(small).toMatchObject({ significant: false, reason: 'sample below 30', answers: { current: 12, previous: 12 }, minimumSample: 30 });
    expect(large?.change).toBeCloseTo(8.3 - 33.3, 10);
    expect(large?.marginOfError).toBeCloseTo(6.6, 0);
    expect(large?.interval.upper).toBeLessThan(0);
    expect(large).toMatchObject({ significant: true, reason: null });
  });

  it('compares CSI with its conservative margin, and every index at once', () => {
    // Prepare
    const previous = metricsOf(histogramOf([...answering('product', [5, 5, 4, 5]), ...answering('nps', [10, 9])], survey), survey);
    const current = metricsOf(histogramOf([...answering('product', [1, 2, 1, 2]), ...answering('csat', [5])], survey), survey);

    // Act
    const trends = trendsOf(current, previous);

    // Assess
    // product previous: mean 4.75 → 93.75; current: mean 1.5 → 12.5; change −81.25, from 4 answers a period
    expect(trends.csi?.change).toBeCloseTo(12.5 - 93.75, 10);
    expect(trends.csi).toMatchObject({ significant: false, answers: { current: 4, previous: 4 } });
    expect(trends.csi).toEqual(compareCsi(current.csi, previous.csi));
    expect(trends.nps).toBeNull(); // no NPS answers this period
    expect(trends.csat).toBeNull(); // no CSAT answers last period
    expect(trends.ces).toBeNull();
    expect(trends.sentiment).toBeNull();
  });

  it('calls the same CSI fall significant from 40 answers a period', () => {
    // Prepare: the same ratings ten times over
    const times10 = (scores: number[]) => Array.from({ length: 10 }, () => scores).flat();
    const previous = metricsOf(histogramOf(answering('product', times10([5, 5, 4, 5])), survey), survey);
    const current = metricsOf(histogramOf(answering('product', times10([1, 2, 1, 2])), survey), survey);

    // Act
    const trend = compareCsi(current.csi, previous.csi);

    // Assess
    expect(trend).toMatchObject({ significant: true, reason: null, answers: { current: 40, previous: 40 } });
    expect(trend!.interval.upper).toBeLessThan(0);
  });
});
