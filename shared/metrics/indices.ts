// domain: the satisfaction indices of a histogram (PRODUCT.md, "Indices"). Pure arithmetic on counts: no I/O, never
// throws on data, a metric with no answers is null. Nothing is rounded here (the API layer rounds).
// Units: score-like numbers are percentages (NPS −100…100, CSAT %, CES "easy" %, CSI 0…100, net sentiment −100…100)
// and their margins are in the same points; shares are fractions 0…1; means are on the question's own scale.
// Intervals are 95% and built to behave at small n (significance.ts: Wilson for shares, adjusted Wald for net scores,
// t for means); `interval` holds the bounds and `marginOfError` is half its width (the "±"), never 0 for n ≥ 1.
// Trends judge significance by the one rule of significance.ts (minimum sample per period, interval excludes 0).
import type { SentimentLabel } from '../sentiment/port.js';
import type { Survey } from '../survey/schema.js';
import type { Histogram, ScoreCounts, UnscoredComments } from './histogram.js';
import { MAX_SCALE, ownEntry, SENTIMENT_LABELS } from './histogram-of.js';
import {
  halfWidth,
  judgeChange,
  meanDifferenceInterval,
  meanInterval,
  MINIMUM_SAMPLE,
  netScoreDifferenceInterval,
  netScoreInterval,
  proportionDifferenceInterval,
  wilsonInterval,
  type ConfidenceInterval,
  type NetCounts,
} from './significance.js';

export { Z95 } from './significance.js';
export type { ConfidenceInterval } from './significance.js';

export interface NpsMetric {
  answers: number;
  promoters: number;
  passives: number;
  detractors: number;
  promoterShare: number;
  passiveShare: number;
  detractorShare: number;
  /** −100…100 */
  score: number;
  /** half the width of `interval`, in NPS points */
  marginOfError: number;
  /** 95% interval of `score` (adjusted Wald, see significance.ts), in NPS points */
  interval: ConfidenceInterval;
  /** 95% Wilson intervals of the promoter and detractor shares, as fractions */
  shareIntervals: { promoter: ConfidenceInterval; detractor: ConfidenceInterval };
}

export interface CsatGrade {
  grade: 1 | 2 | 3 | 4 | 5;
  count: number;
  share: number;
}

export interface CsatMetric {
  answers: number;
  /** answers of 4 or 5 */
  satisfied: number;
  /** percentage method: 0…100 */
  percentage: number;
  /** half the width of `interval`, in percentage points */
  marginOfError: number;
  /** 95% Wilson interval of `percentage`, in percentage points */
  interval: ConfidenceInterval;
  /** grade method: grades 1…5, in order */
  grades: CsatGrade[];
  /** 1…5 */
  mean: number;
}

export interface CesMetric {
  answers: number;
  /** 1…7 */
  mean: number;
  /** sample standard deviation (n − 1); 0 when n = 1 */
  standardDeviation: number;
  /** half the width of `interval`, on the 1…7 scale */
  marginOfError: number;
  /** 95% t interval of `mean` (the whole scale when n = 1) */
  interval: ConfidenceInterval;
  /** answers of 5, 6 or 7 */
  easy: number;
  /** 0…100 */
  easyPercentage: number;
  /** 95% Wilson interval of `easyPercentage`, in percentage points */
  easyInterval: ConfidenceInterval;
}

export interface CsiDimension {
  questionId: string;
  dimension: string;
  /** the scale the answers were given on (the histogram's) */
  max: number;
  answers: number;
  /** null when the dimension has no answers in this period */
  mean: number | null;
  /** the mean rescaled to 0…100; null when no answers */
  score: number | null;
  /** half the width of the score's 95% t interval (within 0…100; 50, the whole scale, from one answer), in index points; null when no answers */
  marginOfError: number | null;
  /** as set on the survey */
  weight: number;
  /** the weight used: `weight` over the sum of the weights of the dimensions with answers; 0 when no answers */
  normalisedWeight: number;
}

export interface CsiMetric {
  /** rating answers over all dimensions (a response rating three dimensions counts three times) */
  answers: number;
  /** 0…100 */
  score: number;
  /** conservative 95% margin of `score`, in index points (see csiOf) */
  marginOfError: number;
  /** every rating question of the survey, in survey order, answered or not */
  dimensions: CsiDimension[];
}

export interface SentimentMetric {
  /** comments whose sentiment was scored (unscored, pending and no comment are not counted) */
  answers: number;
  counts: Record<SentimentLabel, number>;
  shares: Record<SentimentLabel, number>;
  /** % positive − % negative: −100…100 */
  net: number;
  /** half the width of `interval`, in points */
  marginOfError: number;
  /** 95% interval of `net` as for NPS (positive +1, negative −1, neutral and mixed 0), in points */
  interval: ConfidenceInterval;
}

export interface Metrics {
  /** distinct responses in the histogram, whatever they answered */
  responses: number;
  nps: NpsMetric | null;
  csat: CsatMetric | null;
  ces: CesMetric | null;
  csi: CsiMetric | null;
  sentiment: SentimentMetric | null;
  /** comments left out of `sentiment`: pending scoring, or in a language the scorer does not cover */
  unscoredComments: UnscoredComments;
}

/**
 * All indices of a histogram. NPS, CSAT and CES are read from the FIRST question of that type in the survey (a second
 * one is ignored here); CSI from every rating question. A histogram entry whose type differs from the survey
 * question's (the question was re-typed) is not read. Each metric counts its own `answers`: a skipped question is in
 * no denominator.
 */
export function metricsOf(h: Histogram, survey: Survey): Metrics {
  const countsOf = (type: 'nps' | 'csat' | 'ces'): ScoreCounts => {
    const question = survey.questions.find((q) => q.type === type);
    const entry = question && ownEntry(h.questions, question.id);
    return entry?.type === type ? entry.counts : [];
  };
  return {
    responses: h.responses,
    nps: npsOf(countsOf('nps')),
    csat: csatOf(countsOf('csat')),
    ces: cesOf(countsOf('ces')),
    csi: csiOf(h, survey),
    sentiment: sentimentOf(h.sentiment),
    unscoredComments: { pending: h.unscoredComments?.pending ?? 0, notCovered: h.unscoredComments?.notCovered ?? 0 },
  };
}

/** NPS from counts on 0…10: promoters 9–10, passives 7–8, detractors 0–6; null when no answers */
export function npsOf(counts: ScoreCounts): NpsMetric | null {
  const promoters = countBetween(counts, 9, 10);
  const passives = countBetween(counts, 7, 8);
  const detractors = countBetween(counts, 0, 6);
  const answers = promoters + passives + detractors;
  if (answers === 0) return null;
  const promoterShare = promoters / answers;
  const detractorShare = detractors / answers;
  // score = %promoters − %detractors
  const score = (100 * (promoters - detractors)) / answers;
  const interval = netScoreInterval({ plus: promoters, zero: passives, minus: detractors });
  return {
    answers,
    promoters,
    passives,
    detractors,
    promoterShare,
    passiveShare: passives / answers,
    detractorShare,
    score,
    marginOfError: halfWidth(interval),
    interval,
    shareIntervals: {
      promoter: wilsonInterval(promoters, answers),
      detractor: wilsonInterval(detractors, answers),
    },
  };
}

/** CSAT from counts on 1…5; null when no answers */
export function csatOf(counts: ScoreCounts): CsatMetric | null {
  const moments = momentsOf(counts, 1, 5);
  if (!moments) return null;
  const { answers, mean } = moments;
  const satisfied = countBetween(counts, 4, 5);
  // percentage = 100 × (answers of 4–5) / n
  const percentage = (100 * satisfied) / answers;
  const interval = percent(wilsonInterval(satisfied, answers));
  const grades = ([1, 2, 3, 4, 5] as const).map((grade) => {
    const count = countBetween(counts, grade, grade);
    return { grade, count, share: count / answers };
  });
  return { answers, satisfied, percentage, marginOfError: halfWidth(interval), interval, grades, mean };
}

/** CES from counts on 1…7; null when no answers */
export function cesOf(counts: ScoreCounts): CesMetric | null {
  const moments = momentsOf(counts, 1, 7);
  if (!moments) return null;
  const { answers, mean, standardDeviation } = moments;
  const easy = countBetween(counts, 5, 7);
  const interval = meanInterval(moments, CES_SCALE);
  // easy % = 100 × (answers of 5–7) / n
  return {
    answers,
    mean,
    standardDeviation,
    marginOfError: halfWidth(interval),
    interval,
    easy,
    easyPercentage: (100 * easy) / answers,
    easyInterval: percent(wilsonInterval(easy, answers)),
  };
}

/**
 * CSI, index method, over the survey's rating questions (one dimension per question; two questions naming the same
 * dimension are two entries). Per dimension: score = (mean − 1) / (max − 1) × 100. Index = Σ wᵢ × scoreᵢ over the
 * dimensions WITH ANSWERS in this period, wᵢ = weightᵢ / Σ weights of those dimensions: a dimension nobody rated drops
 * out and the others' weights are renormalised to sum 1 (rather than counting it as 0 or keeping a stale value).
 * Margin: per dimension mᵢ = half the width of its t interval, in index points; index margin = Σ wᵢ × mᵢ. The same respondents rate
 * several dimensions, so the dimension means are correlated; Σ wᵢ mᵢ is the margin under perfect correlation, an upper
 * bound for any correlation (Cauchy–Schwarz), so a CSI trend flagged significant is significant. null when no
 * rating answers at all.
 */
export function csiOf(h: Histogram, survey: Survey): CsiMetric | null {
  const dimensions: CsiDimension[] = [];
  for (const question of survey.questions) {
    if (question.type !== 'rating') continue;
    const entry = ownEntry(h.questions, question.id);
    const usable = entry?.type === 'rating' && Number.isFinite(entry.max) && entry.max >= 2 && entry.max <= MAX_SCALE;
    const max = usable ? entry.max : question.max;
    const moments = usable ? momentsOf(entry.counts, 1, max) : null;
    const weight = Number.isFinite(question.weight) && question.weight > 0 ? question.weight : 0;
    // the mean's interval on 1…max, rescaled to 0…100 as the score is
    const interval = moments && rescaled(meanInterval(moments, { min: 1, max }), max);
    dimensions.push({
      questionId: question.id,
      dimension: question.dimension,
      max,
      answers: moments?.answers ?? 0,
      mean: moments?.mean ?? null,
      score: moments ? (100 * (moments.mean - 1)) / (max - 1) : null,
      marginOfError: interval && halfWidth(interval),
      weight,
      normalisedWeight: 0,
    });
  }
  const answered = dimensions.filter((d) => d.answers > 0);
  if (answered.length === 0) return null;
  const totalWeight = answered.reduce((sum, d) => sum + d.weight, 0);
  let score = 0;
  let marginOfError = 0;
  for (const d of answered) {
    // weights normalised over the answered dimensions (equal weights if none is usable, which the schema forbids)
    d.normalisedWeight = totalWeight > 0 ? d.weight / totalWeight : 1 / answered.length;
    score += d.normalisedWeight * (d.score ?? 0);
    marginOfError += d.normalisedWeight * (d.marginOfError ?? 0);
  }
  return { answers: answered.reduce((sum, d) => sum + d.answers, 0), score, marginOfError, dimensions };
}

/** sentiment of the scored comments; null when none was scored */
export function sentimentOf(counts: Partial<Record<SentimentLabel, number>>): SentimentMetric | null {
  const own = Object.fromEntries(SENTIMENT_LABELS.map((label) => [label, validCount(counts?.[label])])) as Record<
    SentimentLabel,
    number
  >;
  const answers = SENTIMENT_LABELS.reduce((sum, label) => sum + own[label], 0);
  if (answers === 0) return null;
  const shares = Object.fromEntries(SENTIMENT_LABELS.map((label) => [label, own[label] / answers])) as Record<
    SentimentLabel,
    number
  >;
  // net = %positive − %negative
  const net = (100 * (own.POSITIVE - own.NEGATIVE)) / answers;
  const interval = netScoreInterval(netCountsOfSentiment(own));
  return { answers, counts: own, shares, net, marginOfError: halfWidth(interval), interval };
}

const CES_SCALE = { min: 1, max: 7 };
const percent = ({ lower, upper }: ConfidenceInterval): ConfidenceInterval => ({ lower: 100 * lower, upper: 100 * upper });
/** an interval of a mean on 1…max as index points 0…100 */
const rescaled = ({ lower, upper }: ConfidenceInterval, max: number): ConfidenceInterval => ({
  lower: (100 * (lower - 1)) / (max - 1),
  upper: (100 * (upper - 1)) / (max - 1),
});
const netCountsOfSentiment = (counts: Record<SentimentLabel, number>): NetCounts => ({
  plus: counts.POSITIVE,
  zero: counts.NEUTRAL + counts.MIXED,
  minus: counts.NEGATIVE,
});

// ---- trends ----

export interface Trend {
  /** current − previous */
  change: number;
  /** half the width of `interval` */
  marginOfError: number;
  /** 95% interval of the change (significance.ts builds it per metric) */
  interval: ConfidenceInterval;
  /** both periods have `minimumSample` answers and `interval` excludes 0 (significance.ts, judgeChange) */
  significant: boolean;
  /** why the change is not significant; null when it is */
  reason: string | null;
  /** answers to the metric's question in each period (CSI: its least-answered dimension) */
  answers: { current: number; previous: number };
  minimumSample: number;
}

export interface Trends {
  /** NPS score, in points */
  nps: Trend | null;
  /** CSAT percentage, in percentage points */
  csat: Trend | null;
  /** CES mean, on the 1…7 scale */
  ces: Trend | null;
  /** CSI score, in index points (conservative margin, see csiOf) */
  csi: Trend | null;
  /** net sentiment, in points */
  sentiment: Trend | null;
}

/** a change, its interval and the sample sizes, judged by the one rule */
export function trendOf(change: number, interval: ConfidenceInterval, answers: { current: number; previous: number }): Trend {
  return { change, marginOfError: halfWidth(interval), interval, ...judgeChange(interval, answers), answers, minimumSample: MINIMUM_SAMPLE };
}

const answersOf = (current: { answers: number }, previous: { answers: number }) => ({ current: current.answers, previous: previous.answers });
const netCountsOfNps = (m: NpsMetric): NetCounts => ({ plus: m.promoters, zero: m.passives, minus: m.detractors });

/** NPS score, in points: adjusted Wald interval of the difference; null when either side is null */
export function compareNps(current: NpsMetric | null, previous: NpsMetric | null): Trend | null {
  if (!current || !previous) return null;
  return trendOf(current.score - previous.score, netScoreDifferenceInterval(netCountsOfNps(current), netCountsOfNps(previous)), answersOf(current, previous));
}

/** CSAT percentage, in percentage points: Newcombe interval of the difference of the satisfied shares */
export function compareCsat(current: CsatMetric | null, previous: CsatMetric | null): Trend | null {
  if (!current || !previous) return null;
  const interval = proportionDifferenceInterval({ successes: current.satisfied, n: current.answers }, { successes: previous.satisfied, n: previous.answers });
  return trendOf(current.percentage - previous.percentage, percent(interval), answersOf(current, previous));
}

/** CES mean, on the 1…7 scale: Welch t interval of the difference */
export function compareCes(current: CesMetric | null, previous: CesMetric | null): Trend | null {
  if (!current || !previous) return null;
  return trendOf(current.mean - previous.mean, meanDifferenceInterval(current, previous, CES_SCALE), answersOf(current, previous));
}

/**
 * CSI score, in index points: change ± √(m_current² + m_previous²) with the conservative CSI margins (csiOf). Its
 * sample is the least-answered dimension that has answers: every dimension must carry the minimum.
 */
export function compareCsi(current: CsiMetric | null, previous: CsiMetric | null): Trend | null {
  if (!current || !previous) return null;
  const change = current.score - previous.score;
  const margin = Math.sqrt(current.marginOfError ** 2 + previous.marginOfError ** 2);
  const leastAnswered = (m: CsiMetric) => Math.min(...m.dimensions.filter((d) => d.answers > 0).map((d) => d.answers));
  return trendOf(change, { lower: change - margin, upper: change + margin }, { current: leastAnswered(current), previous: leastAnswered(previous) });
}

/** net sentiment, in points: as NPS */
export function compareSentiment(current: SentimentMetric | null, previous: SentimentMetric | null): Trend | null {
  if (!current || !previous) return null;
  return trendOf(current.net - previous.net, netScoreDifferenceInterval(netCountsOfSentiment(current.counts), netCountsOfSentiment(previous.counts)), answersOf(current, previous));
}

/** every index's trend from the previous period to the current one */
export function trendsOf(current: Metrics, previous: Metrics): Trends {
  return {
    nps: compareNps(current.nps, previous.nps),
    csat: compareCsat(current.csat, previous.csat),
    ces: compareCes(current.ces, previous.ces),
    csi: compareCsi(current.csi, previous.csi),
    sentiment: compareSentiment(current.sentiment, previous.sentiment),
  };
}

// ---- arithmetic on counts ----

const validCount = (value: number | undefined) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0);

/** answers with a score in min…max (counts outside the scale, or not finite and positive, are not answers) */
function countBetween(counts: ScoreCounts, min: number, max: number): number {
  let total = 0;
  for (let score = min; score <= max; score++) total += validCount(counts?.[score]);
  return total;
}

/** count, mean and sample standard deviation (two-pass; 0 when n = 1) of the scores min…max; null when none */
function momentsOf(counts: ScoreCounts, min: number, max: number): { answers: number; mean: number; standardDeviation: number } | null {
  const answers = countBetween(counts, min, max);
  if (answers === 0) return null;
  let sum = 0;
  for (let score = min; score <= max; score++) sum += score * validCount(counts?.[score]);
  const mean = sum / answers;
  let squares = 0;
  for (let score = min; score <= max; score++) squares += validCount(counts?.[score]) * (score - mean) ** 2;
  const standardDeviation = answers > 1 ? Math.sqrt(squares / (answers - 1)) : 0;
  return { answers, mean, standardDeviation };
}
