// domain: the satisfaction indices of a histogram (PRODUCT.md, "Indices"). Pure arithmetic on counts: no I/O, never
// throws on data, a metric with no answers is null. Nothing is rounded here (the API layer rounds).
// Units: score-like numbers are percentages (NPS −100…100, CSAT %, CES "easy" %, CSI 0…100, net sentiment −100…100)
// and their margins are in the same points; shares are fractions 0…1; means are on the question's own scale.
// Margins of error are 95% (z = 1.96), normal approximation. A sample with zero variance (n = 1, or everybody gave the
// same answer) gets margin 0: the formula is applied as is, so judge small samples by their `answers`.
import type { SentimentLabel } from '../sentiment/port.js';
import type { Survey } from '../survey/schema.js';
import type { Histogram, ScoreCounts } from './histogram.js';
import { MAX_SCALE, ownEntry, SENTIMENT_LABELS } from './histogram-of.js';

/** z for a two-sided 95% interval */
export const Z95 = 1.96;

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
  /** 95% margin of `score`, in NPS points */
  marginOfError: number;
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
  /** 95% margin of `percentage`, in percentage points */
  marginOfError: number;
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
  /** 95% margin of `mean`, on the 1…7 scale; 0 when n = 1 */
  marginOfError: number;
  /** answers of 5, 6 or 7 */
  easy: number;
  /** 0…100 */
  easyPercentage: number;
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
  /** 95% margin of `score`, in index points; null when no answers */
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
  /** 95% margin of `net`, in points (the NPS formula with positive +1, negative −1, neutral and mixed 0) */
  marginOfError: number;
}

export interface Metrics {
  /** distinct responses in the histogram, whatever they answered */
  responses: number;
  nps: NpsMetric | null;
  csat: CsatMetric | null;
  ces: CesMetric | null;
  csi: CsiMetric | null;
  sentiment: SentimentMetric | null;
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
  // variance of the +1 (promoter) / 0 (passive) / −1 (detractor) coding: E[x²] − E[x]² = p + d − (p − d)²
  const variance = Math.max(0, promoterShare + detractorShare - (promoterShare - detractorShare) ** 2);
  // margin = 1.96 × √(variance / n) × 100
  const marginOfError = Z95 * Math.sqrt(variance / answers) * 100;
  return {
    answers,
    promoters,
    passives,
    detractors,
    promoterShare,
    passiveShare: passives / answers,
    detractorShare,
    score,
    marginOfError,
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
  // margin = 1.96 × √(p(1 − p) / n) × 100, p = satisfied / n (normal approximation for a proportion)
  const p = satisfied / answers;
  const marginOfError = Z95 * Math.sqrt((p * (1 - p)) / answers) * 100;
  const grades = ([1, 2, 3, 4, 5] as const).map((grade) => {
    const count = countBetween(counts, grade, grade);
    return { grade, count, share: count / answers };
  });
  return { answers, satisfied, percentage, marginOfError, grades, mean };
}

/** CES from counts on 1…7; null when no answers */
export function cesOf(counts: ScoreCounts): CesMetric | null {
  const moments = momentsOf(counts, 1, 7);
  if (!moments) return null;
  const { answers, mean, standardDeviation } = moments;
  const easy = countBetween(counts, 5, 7);
  // margin of the mean = 1.96 × s / √n (s the sample standard deviation; 0 when n = 1)
  const marginOfError = (Z95 * standardDeviation) / Math.sqrt(answers);
  // easy % = 100 × (answers of 5–7) / n
  return { answers, mean, standardDeviation, marginOfError, easy, easyPercentage: (100 * easy) / answers };
}

/**
 * CSI, index method, over the survey's rating questions (one dimension per question; two questions naming the same
 * dimension are two entries). Per dimension: score = (mean − 1) / (max − 1) × 100. Index = Σ wᵢ × scoreᵢ over the
 * dimensions WITH ANSWERS in this period, wᵢ = weightᵢ / Σ weights of those dimensions: a dimension nobody rated drops
 * out and the others' weights are renormalised to sum 1 (rather than counting it as 0 or keeping a stale value).
 * Margin: per dimension mᵢ = 1.96 × sᵢ / √nᵢ × 100 / (max − 1); index margin = Σ wᵢ × mᵢ. The same respondents rate
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
    dimensions.push({
      questionId: question.id,
      dimension: question.dimension,
      max,
      answers: moments?.answers ?? 0,
      mean: moments?.mean ?? null,
      score: moments ? (100 * (moments.mean - 1)) / (max - 1) : null,
      marginOfError: moments ? (Z95 * moments.standardDeviation * 100) / Math.sqrt(moments.answers) / (max - 1) : null,
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
  // margin as for NPS: 1.96 × √((p + n − (p − n)²) / answers) × 100
  const variance = Math.max(0, shares.POSITIVE + shares.NEGATIVE - (shares.POSITIVE - shares.NEGATIVE) ** 2);
  const marginOfError = Z95 * Math.sqrt(variance / answers) * 100;
  return { answers, counts: own, shares, net, marginOfError };
}

// ---- trends ----

/** a value with its 95% margin of error, in the same unit */
export interface Estimate {
  value: number;
  marginOfError: number;
}

export interface Trend {
  /** current − previous */
  change: number;
  /** combined margin √(m_current² + m_previous²) */
  marginOfError: number;
  /** |change| > marginOfError */
  significant: boolean;
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

/** change between two periods; significant ⇔ |change| > √(m_current² + m_previous²); null when either side is null */
export function compare(current: Estimate | null, previous: Estimate | null): Trend | null {
  if (!current || !previous) return null;
  const change = current.value - previous.value;
  const marginOfError = Math.sqrt(current.marginOfError ** 2 + previous.marginOfError ** 2);
  return { change, marginOfError, significant: Math.abs(change) > marginOfError };
}

/** a metric's headline value with its margin, or null */
const estimateOf = <T extends { marginOfError: number }>(metric: T | null, value: (m: T) => number): Estimate | null =>
  metric && { value: value(metric), marginOfError: metric.marginOfError };

/** NPS score, in points */
export const compareNps = (current: NpsMetric | null, previous: NpsMetric | null): Trend | null =>
  compare(estimateOf(current, (m) => m.score), estimateOf(previous, (m) => m.score));

/** CSAT percentage, in percentage points */
export const compareCsat = (current: CsatMetric | null, previous: CsatMetric | null): Trend | null =>
  compare(estimateOf(current, (m) => m.percentage), estimateOf(previous, (m) => m.percentage));

/** CES mean, on the 1…7 scale */
export const compareCes = (current: CesMetric | null, previous: CesMetric | null): Trend | null =>
  compare(estimateOf(current, (m) => m.mean), estimateOf(previous, (m) => m.mean));

/** CSI score, in index points, with the conservative CSI margin */
export const compareCsi = (current: CsiMetric | null, previous: CsiMetric | null): Trend | null =>
  compare(estimateOf(current, (m) => m.score), estimateOf(previous, (m) => m.score));

/** net sentiment, in points */
export const compareSentiment = (current: SentimentMetric | null, previous: SentimentMetric | null): Trend | null =>
  compare(estimateOf(current, (m) => m.net), estimateOf(previous, (m) => m.net));

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
