// domain: the one rule for margins of error and for calling a change significant. The API's trends, the console and
// CLI (which show the API's `significant` flag) and the drop alerts all judge through `judgeChange`. Pure maths: no
// I/O, never throws on data.
//
// The rule: a change between two periods is significant when
//   1. both periods have at least MINIMUM_SAMPLE answers to the metric's question, and
//   2. the 95% interval of the change excludes 0.
// Intervals are built to behave at small n (no margin 0 for n ≥ 1):
// - a proportion (CSAT share, CES "easy" share): Wilson score interval; a difference of two: Newcombe's hybrid score
//   interval built from the two Wilson intervals (Newcombe 1998, method 10);
// - a net score on three categories (NPS: promoter +1, passive 0, detractor −1; net sentiment alike): adjusted Wald
//   from the multinomial variance: ¾ of an answer added to the +1 and to the −1 categories and 3 to n (so 1½ to the
//   0 category), the adjusted Wald construction after Rocks (2016, "Interval estimation for the Net Promoter
//   Score"); centred on that adjusted estimate, so at tiny n it leans towards 0; a difference: the two adjusted
//   estimates and variances;
// - a mean on a bounded integer scale (CES mean, CSI dimensions): Student t interval, s floored at 1/√n, the standard
//   deviation of n answers of which one is a step away from the rest (integer answers that all agree do not prove
//   zero spread); one answer gives the whole scale; a difference of two means: Welch's t interval.

/** answers each period needs before a change in it can be called significant */
export const MINIMUM_SAMPLE = 30;
/** z for a two-sided 95% interval */
export const Z95 = 1.96;
/** pseudo-answers added to the +1 and to the −1 categories of a net score, and to its n (adjusted Wald) */
const NET_SCORE_PSEUDO_EXTREME = 0.75;
const NET_SCORE_PSEUDO_TOTAL = 3;

export interface ConfidenceInterval {
  lower: number;
  upper: number;
}

export interface Judgement {
  significant: boolean;
  /** why not: 'sample below 30' or 'interval includes 0'; null when significant */
  reason: string | null;
}

/** the rule: both sides have MINIMUM_SAMPLE answers, and the change's interval lies wholly above or below 0 */
export function judgeChange(change: ConfidenceInterval, answers: { current: number; previous: number }, minimumSample = MINIMUM_SAMPLE): Judgement {
  if (!(answers.current >= minimumSample && answers.previous >= minimumSample)) {
    return { significant: false, reason: `sample below ${minimumSample}` };
  }
  if (change.lower > 0 || change.upper < 0) return { significant: true, reason: null };
  return { significant: false, reason: 'interval includes 0' };
}

/** half the width of an interval: the "±" shown next to a figure */
export const halfWidth = ({ lower, upper }: ConfidenceInterval) => (upper - lower) / 2;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

// ---- proportions ----

/** Wilson score interval of successes / n, as fractions 0…1; the whole of 0…1 when n = 0 */
export function wilsonInterval(successes: number, n: number, z = Z95): ConfidenceInterval {
  if (!(n > 0)) return { lower: 0, upper: 1 };
  const p = clamp(successes / n, 0, 1);
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // at p = 0 or 1 one bound is exactly p: keep it so (floating point could put it a hair outside)
  return { lower: p === 0 ? 0 : clamp(centre - half, 0, p), upper: p === 1 ? 1 : clamp(centre + half, p, 1) };
}

/** Newcombe's hybrid score interval of p₁ − p₂ (fractions), from the Wilson interval of each side */
export function proportionDifferenceInterval(current: { successes: number; n: number }, previous: { successes: number; n: number }): ConfidenceInterval {
  const p1 = current.n > 0 ? current.successes / current.n : 0;
  const p2 = previous.n > 0 ? previous.successes / previous.n : 0;
  const w1 = wilsonInterval(current.successes, current.n);
  const w2 = wilsonInterval(previous.successes, previous.n);
  const d = p1 - p2;
  return {
    lower: d - Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2),
    upper: d + Math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2),
  };
}

// ---- net scores (NPS, net sentiment) ----

export interface NetCounts {
  /** coded +1 (promoters, positive comments) */
  plus: number;
  /** coded 0 (passives, neutral and mixed comments) */
  zero: number;
  /** coded −1 (detractors, negative comments) */
  minus: number;
}

/** the adjusted estimate (−1…1) and the variance of that estimate */
function adjustedNet({ plus, zero, minus }: NetCounts): { estimate: number; variance: number } {
  const n = plus + zero + minus + NET_SCORE_PSEUDO_TOTAL;
  const p = (plus + NET_SCORE_PSEUDO_EXTREME) / n;
  const d = (minus + NET_SCORE_PSEUDO_EXTREME) / n;
  // multinomial variance of one answer: E[x²] − E[x]² = p + d − (p − d)²; of the estimate: that / n
  return { estimate: p - d, variance: Math.max(0, p + d - (p - d) ** 2) / n };
}

/** adjusted Wald interval of a net score, in points −100…100 */
export function netScoreInterval(counts: NetCounts): ConfidenceInterval {
  const { estimate, variance } = adjustedNet(counts);
  const half = Z95 * Math.sqrt(variance);
  return { lower: 100 * clamp(estimate - half, -1, 1), upper: 100 * clamp(estimate + half, -1, 1) };
}

/** adjusted Wald interval of the difference current − previous of two net scores, in points */
export function netScoreDifferenceInterval(current: NetCounts, previous: NetCounts): ConfidenceInterval {
  const c = adjustedNet(current);
  const p = adjustedNet(previous);
  const half = Z95 * Math.sqrt(c.variance + p.variance);
  const d = c.estimate - p.estimate;
  return { lower: 100 * Math.max(-2, d - half), upper: 100 * Math.min(2, d + half) };
}

// ---- means on a bounded integer scale (CES, CSI dimensions) ----

export interface MeanSample {
  answers: number;
  mean: number;
  /** sample standard deviation (n − 1) */
  standardDeviation: number;
}

export interface Scale {
  min: number;
  max: number;
}

/** s, floored at 1/√n: the spread of n integer answers with one a step away from the rest */
const flooredDeviation = ({ answers, standardDeviation }: MeanSample) => Math.max(standardDeviation, 1 / Math.sqrt(answers));

/** t interval of the mean, within the scale; the whole scale for fewer than 2 answers */
export function meanInterval(sample: MeanSample, scale: Scale): ConfidenceInterval {
  if (!(sample.answers >= 2)) return { lower: scale.min, upper: scale.max };
  const half = (tQuantile975(sample.answers - 1) * flooredDeviation(sample)) / Math.sqrt(sample.answers);
  return { lower: clamp(sample.mean - half, scale.min, scale.max), upper: clamp(sample.mean + half, scale.min, scale.max) };
}

/** Welch's t interval of current − previous; ± the scale's range (never excluding 0) when a side has fewer than 2 answers */
export function meanDifferenceInterval(current: MeanSample, previous: MeanSample, scale: Scale): ConfidenceInterval {
  const d = current.mean - previous.mean;
  const range = scale.max - scale.min;
  if (!(current.answers >= 2 && previous.answers >= 2)) return { lower: d - range, upper: d + range };
  const v1 = flooredDeviation(current) ** 2 / current.answers;
  const v2 = flooredDeviation(previous) ** 2 / previous.answers;
  // Welch–Satterthwaite degrees of freedom
  const df = (v1 + v2) ** 2 / (v1 ** 2 / (current.answers - 1) + v2 ** 2 / (previous.answers - 1));
  const half = tQuantile975(df) * Math.sqrt(v1 + v2);
  return { lower: d - half, upper: d + half };
}

// ---- Student's t ----

/** the 97.5% quantile of Student's t with `df` degrees of freedom (df > 0, not necessarily whole): t such that P(|T| > t) = 0.05 */
export function tQuantile975(df: number): number {
  if (!(df > 0)) return Number.POSITIVE_INFINITY;
  if (!Number.isFinite(df)) return Z95;
  // P(|T| > t) = I_{df/(df+t²)}(df/2, 1/2), decreasing in t: bisect
  let low = 0;
  let high = 1;
  while (twoSidedTail(high, df) > 0.05) high *= 2;
  for (let i = 0; i < 100 && high - low > 1e-12; i++) {
    const mid = (low + high) / 2;
    if (twoSidedTail(mid, df) > 0.05) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

const twoSidedTail = (t: number, df: number) => regularizedBeta(df / (df + t * t), df / 2, 0.5);

/** ln Γ(x), x > 0 (Lanczos, g = 7, 9 terms: ~15 significant digits) */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const y = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** the regularized incomplete beta function I_x(a, b) (continued fraction, modified Lentz) */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // the fraction converges fast for x < (a + 1) / (a + b + 2); otherwise use I_x(a, b) = 1 − I_{1−x}(b, a)
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(x, a, b)) / a : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}
