// unit (properties): any split of the same responses into rollup buckets merges to the same histogram, and so to the
// same metrics, whatever duplicates the queue delivers; merging is commutative and associative with the empty identity.
// And the intervals and the significance rule behave at any n: bounded, around the estimate, never 0 wide, never
// significant below the minimum sample.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyHistogram, type Histogram, type QuestionHistogram } from '../../shared/metrics/histogram.js';
import { addResponse, histogramOf, mergeHistograms } from '../../shared/metrics/histogram-of.js';
import { cesOf, compareCes, compareCsat, compareNps, csatOf, metricsOf, npsOf, type Trend } from '../../shared/metrics/indices.js';
import { MINIMUM_SAMPLE, wilsonInterval } from '../../shared/metrics/significance.js';
import type { StoredResponse, StoredSentiment } from '../../shared/response/stored-response.js';
import type { SentimentLabel } from '../../shared/sentiment/port.js';
import type { Survey } from '../../shared/survey/schema.js';
import { storedResponse, surveyWith } from '../support/fixtures.js';

const NUM_RUNS = 150;

const survey: Survey = surveyWith([
  { id: 'nps', type: 'nps' },
  { id: 'csat', type: 'csat' },
  { id: 'ces', type: 'ces' },
  { id: 'product', type: 'rating', dimension: 'product-quality', max: 5, weight: 3 },
  { id: 'service', type: 'rating', dimension: 'service-quality', max: 10, weight: 1.5 },
  { id: 'price', type: 'rating', dimension: 'price', max: 5, weight: 0.2 },
  { id: 'comment', type: 'text' },
]);

const LABELS: SentimentLabel[] = ['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED'];

/** mostly a valid answer, sometimes one the histogram must ignore */
const answerIn = (min: number, max: number) =>
  fc.oneof(
    { arbitrary: fc.integer({ min, max }), weight: 9 },
    { arbitrary: fc.constantFrom(min - 1, max + 1, 2.5, Number.NaN), weight: 1 },
  );

/** a random subset of the questions answered (the rest skipped), plus now and then a question the survey lacks */
const answersArbitrary = fc.record(
  {
    nps: answerIn(0, 10),
    csat: answerIn(1, 5),
    ces: answerIn(1, 7),
    product: answerIn(1, 5),
    service: answerIn(1, 10),
    price: answerIn(1, 5),
    ghost: fc.integer({ min: 0, max: 10 }),
  },
  { requiredKeys: [] },
);

const sentimentArbitrary: fc.Arbitrary<StoredSentiment | null> = fc.oneof(
  fc.constant(null),
  fc.constantFrom(...LABELS).map((label): StoredSentiment => ({
    status: 'scored',
    label,
    scores: { positive: 0.25, negative: 0.25, neutral: 0.25, mixed: 0.25 },
    language: 'en',
  })),
  fc.constant<StoredSentiment>({ status: 'unscored', language: 'xx', reason: 'unsupported-language' }),
  fc.constant<StoredSentiment>({ status: 'pending', attempts: 1 }),
);

interface Delivered {
  response: StoredResponse;
  /** the rollup bucket (hour) the response belongs to: all its copies land there */
  bucket: number;
  /** one sort key per delivered copy: how many times, and in what order, the queue delivers it */
  copies: number[];
}

const BUCKETS = 5;

/** distinct responses (ids r0, r1, …), each with its bucket and its delivered copies */
const deliveriesArbitrary: fc.Arbitrary<Delivered[]> = fc
  .array(
    fc.record({
      answers: answersArbitrary,
      sentiment: sentimentArbitrary,
      bucket: fc.nat({ max: BUCKETS - 1 }),
      copies: fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 3 }),
    }),
    { maxLength: 40 },
  )
  .map((items) =>
    items.map(({ answers, sentiment, bucket, copies }, index) => ({
      response: responseOf(`r${index}`, answers as Record<string, number>, sentiment),
      bucket,
      copies,
    })),
  );

const responseOf = (id: string, answers: Record<string, number>, sentiment: StoredSentiment | null): StoredResponse =>
  storedResponse({ id, answers, sentiment });

/** what each bucket receives from the queue: every copy of its responses, in delivery order */
function bucketDeliveries(items: Delivered[]): StoredResponse[][] {
  return Array.from({ length: BUCKETS }, (_, bucket) =>
    items
      .filter((item) => item.bucket === bucket)
      .flatMap((item) => item.copies.map((key) => ({ key, response: { ...item.response } })))
      .sort((a, b) => a.key - b.key)
      .map(({ response }) => response),
  );
}

const distinct = (responses: StoredResponse[]) => [...new Map(responses.map((r) => [r.id, r])).values()];

/** merges in a balanced tree, a different grouping from a left fold */
function mergeTree(histograms: Histogram[]): Histogram {
  if (histograms.length === 0) return emptyHistogram();
  if (histograms.length === 1) return histograms[0]!;
  const half = Math.ceil(histograms.length / 2);
  return mergeHistograms(mergeTree(histograms.slice(0, half)), mergeTree(histograms.slice(half)));
}

/** deep equality where integers (counts) must match exactly and other numbers (derived floats) to 9 decimals */
function expectSame(actual: unknown, expected: unknown, path = 'metrics'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isInteger(expected)) expect(actual, path).toBe(expected);
    else expect(actual, path).toBeCloseTo(expected, 9);
  } else if (expected !== null && typeof expected === 'object' && actual !== null && typeof actual === 'object') {
    expect(Object.keys(actual).sort(), path).toEqual(Object.keys(expected).sort());
    for (const key of Object.keys(expected)) {
      expectSame((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
    }
  } else {
    expect(actual, path).toEqual(expected);
  }
}

describe('histograms of responses split into buckets', () => {
  it('merge, per bucket of distinct responses, to the histogram of all distinct responses, and so to the same metrics', () => {
    fc.assert(
      fc.property(deliveriesArbitrary, (items) => {
        // Prepare
        const all = items.map((item) => item.response);
        const perBucket = bucketDeliveries(items).map((delivered) => histogramOf(distinct(delivered), survey));

        // Act
        const folded = perBucket.reduce(mergeHistograms, emptyHistogram());
        const tree = mergeTree([...perBucket].reverse());
        const whole = histogramOf(all, survey);

        // Assess
        expect(folded).toEqual(whole);
        expect(tree).toEqual(whole);
        expectSame(metricsOf(folded, survey), metricsOf(whole, survey));
        expectSame(metricsOf(tree, survey), metricsOf(whole, survey));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('are the same when each bucket is built from the raw deliveries, duplicates and all', () => {
    fc.assert(
      fc.property(deliveriesArbitrary, (items) => {
        const raw = bucketDeliveries(items).map((delivered) => histogramOf(delivered, survey));

        expect(raw.reduce(mergeHistograms, emptyHistogram())).toEqual(histogramOf(items.map((item) => item.response), survey));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('equal adding the responses one at a time', () => {
    fc.assert(
      fc.property(deliveriesArbitrary, (items) => {
        const all = items.map((item) => item.response);

        const added = all.reduce((h, response) => addResponse(h, response, survey), emptyHistogram());

        expect(added).toEqual(histogramOf(all, survey));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('count in each metric exactly the responses that gave it a valid answer: skipped questions are in no denominator', () => {
    fc.assert(
      fc.property(deliveriesArbitrary, (items) => {
        // Prepare
        const all = items.map((item) => item.response);
        const validly = (id: string, min: number, max: number) =>
          all.filter((r) => Number.isInteger(r.answers[id]) && r.answers[id]! >= min && r.answers[id]! <= max).length;

        // Act
        const metrics = metricsOf(histogramOf(all, survey), survey);

        // Assess
        expect(metrics.responses).toBe(all.length);
        expect(metrics.nps?.answers ?? 0).toBe(validly('nps', 0, 10));
        expect(metrics.csat?.answers ?? 0).toBe(validly('csat', 1, 5));
        expect(metrics.ces?.answers ?? 0).toBe(validly('ces', 1, 7));
        expect(metrics.csi?.answers ?? 0).toBe(validly('product', 1, 5) + validly('service', 1, 10) + validly('price', 1, 5));
        expect(metrics.sentiment?.answers ?? 0).toBe(all.filter((r) => r.sentiment?.status === 'scored').length);
        expect(metrics.unscoredComments).toEqual({
          pending: all.filter((r) => r.sentiment?.status === 'pending').length,
          notCovered: all.filter((r) => r.sentiment?.status === 'unscored').length,
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('give index values within their ranges, and CSI weights summing to 1 over the answered dimensions', () => {
    fc.assert(
      fc.property(deliveriesArbitrary, (items) => {
        const { nps, csat, ces, csi, sentiment } = metricsOf(histogramOf(items.map((item) => item.response), survey), survey);

        if (nps) expect(Math.abs(nps.score)).toBeLessThanOrEqual(100);
        if (csat) expect(csat.percentage).toBeGreaterThanOrEqual(0);
        if (csat) expect(csat.percentage).toBeLessThanOrEqual(100);
        if (ces) expect(ces.mean).toBeGreaterThanOrEqual(1);
        if (ces) expect(ces.mean).toBeLessThanOrEqual(7);
        if (sentiment) expect(Math.abs(sentiment.net)).toBeLessThanOrEqual(100);
        if (csi) {
          expect(csi.score).toBeGreaterThanOrEqual(0);
          expect(csi.score).toBeLessThanOrEqual(100 + 1e-9);
          expect(csi.dimensions.reduce((sum, d) => sum + d.normalisedWeight, 0)).toBeCloseTo(1, 12);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

// ---- merge laws on arbitrary well-formed histograms, including re-scaled and re-typed questions ----

const questionArbitrary: fc.Arbitrary<QuestionHistogram> = fc
  .record({ type: fc.constantFrom<QuestionHistogram['type']>('nps', 'csat', 'ces', 'rating'), max: fc.constantFrom(5, 7, 10) })
  .chain(({ type, max }) =>
    fc.array(fc.nat({ max: 50 }), { minLength: max + 1, maxLength: max + 1 }).map((counts) => ({ type, max, counts })),
  );

const histogramArbitrary: fc.Arbitrary<Histogram> = fc.record({
  responses: fc.nat({ max: 1000 }),
  questions: fc.dictionary(fc.constantFrom('q1', 'q2', 'q3', 'q4'), questionArbitrary, { maxKeys: 4 }),
  sentiment: fc.record({ POSITIVE: fc.nat({ max: 50 }), NEGATIVE: fc.nat({ max: 50 }), NEUTRAL: fc.nat({ max: 50 }), MIXED: fc.nat({ max: 50 }) }),
  unscoredComments: fc.record({ pending: fc.nat({ max: 50 }), notCovered: fc.nat({ max: 50 }) }),
});

describe('merging histograms', () => {
  it('is commutative', () => {
    fc.assert(
      fc.property(histogramArbitrary, histogramArbitrary, (a, b) => {
        expect(mergeHistograms(a, b)).toEqual(mergeHistograms(b, a));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('is associative', () => {
    fc.assert(
      fc.property(histogramArbitrary, histogramArbitrary, histogramArbitrary, (a, b, c) => {
        expect(mergeHistograms(mergeHistograms(a, b), c)).toEqual(mergeHistograms(a, mergeHistograms(b, c)));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('has the empty histogram as identity on both sides', () => {
    fc.assert(
      fc.property(histogramArbitrary, (h) => {
        expect(mergeHistograms(h, emptyHistogram())).toEqual(h);
        expect(mergeHistograms(emptyHistogram(), h)).toEqual(h);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('leaves both inputs unchanged', () => {
    fc.assert(
      fc.property(histogramArbitrary, histogramArbitrary, (a, b) => {
        const [before1, before2] = [structuredClone(a), structuredClone(b)];

        mergeHistograms(a, b);

        expect([a, b]).toEqual([before1, before2]);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

/** counts on 0…max; few answers most of the time (so samples on both sides of the minimum), now and then many */
const countsArbitrary = (max: number) =>
  fc.array(fc.oneof({ arbitrary: fc.nat({ max: 6 }), weight: 4 }, { arbitrary: fc.nat({ max: 400 }), weight: 1 }), { minLength: max + 1, maxLength: max + 1 });

/** the rule every trend must follow, whatever the metric */
function expectHonest(trend: Trend | null): void {
  if (!trend) return;
  expect(trend.marginOfError).toBeGreaterThan(0);
  expect(trend.interval.lower).toBeLessThanOrEqual(trend.interval.upper);
  if (trend.answers.current < MINIMUM_SAMPLE || trend.answers.previous < MINIMUM_SAMPLE) expect(trend.significant).toBe(false);
  if (trend.significant) expect(trend.interval.lower > 0 || trend.interval.upper < 0).toBe(true);
  expect(trend.reason === null).toBe(trend.significant);
}

describe('intervals and the significance rule', () => {
  it('Wilson intervals lie within 0…1, hold the observed share, and have width above 0 for n ≥ 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, fraction) => {
        const successes = Math.round(fraction * n);
        const { lower, upper } = wilsonInterval(successes, n);

        expect(lower).toBeGreaterThanOrEqual(0);
        expect(upper).toBeLessThanOrEqual(1);
        expect(lower).toBeLessThanOrEqual(successes / n);
        expect(upper).toBeGreaterThanOrEqual(successes / n);
        expect(upper - lower).toBeGreaterThan(0);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('every metric with answers has a margin above 0 and an interval within its scale', () => {
    fc.assert(
      fc.property(countsArbitrary(10), countsArbitrary(5), countsArbitrary(7), (npsCounts, csatCounts, cesCounts) => {
        const [nps, csat, ces] = [npsOf(npsCounts), csatOf(csatCounts), cesOf(cesCounts)];
        for (const [metric, min, max] of [
          [nps, -100, 100],
          [csat, 0, 100],
          [ces, 1, 7],
        ] as const) {
          if (!metric) continue;
          expect(metric.marginOfError).toBeGreaterThan(0);
          expect(metric.interval.lower).toBeGreaterThanOrEqual(min);
          expect(metric.interval.upper).toBeLessThanOrEqual(max);
        }
        // the Wilson interval of CSAT holds its percentage; the t interval of CES its mean
        if (csat) expect(csat.percentage).toBeGreaterThanOrEqual(csat.interval.lower - 1e-9);
        if (csat) expect(csat.percentage).toBeLessThanOrEqual(csat.interval.upper + 1e-9);
        if (ces) expect(ces.mean).toBeGreaterThanOrEqual(ces.interval.lower - 1e-9);
        if (ces) expect(ces.mean).toBeLessThanOrEqual(ces.interval.upper + 1e-9);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('no trend is significant below the minimum sample, and a significant one has an interval clear of 0', () => {
    fc.assert(
      fc.property(countsArbitrary(10), countsArbitrary(10), countsArbitrary(5), countsArbitrary(5), countsArbitrary(7), countsArbitrary(7), (n1, n2, c1, c2, e1, e2) => {
        expectHonest(compareNps(npsOf(n1), npsOf(n2)));
        expectHonest(compareCsat(csatOf(c1), csatOf(c2)));
        expectHonest(compareCes(cesOf(e1), cesOf(e2)));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
