// unit: the one significance rule (shared/metrics/significance.ts) and the intervals it judges, against published
// figures: Student t quantiles, Wilson intervals and Newcombe's worked example.
import { describe, expect, it } from 'vitest';
import {
  judgeChange,
  meanDifferenceInterval,
  meanInterval,
  MINIMUM_SAMPLE,
  netScoreDifferenceInterval,
  netScoreInterval,
  proportionDifferenceInterval,
  tQuantile975,
  wilsonInterval,
} from '../../shared/metrics/significance.js';

describe('the significance rule', () => {
  it('needs 30 answers in each period', () => {
    expect(MINIMUM_SAMPLE).toBe(30);
    const farFromZero = { lower: -80, upper: -60 };

    expect(judgeChange(farFromZero, { current: 29, previous: 500 })).toEqual({ significant: false, reason: 'sample below 30' });
    expect(judgeChange(farFromZero, { current: 500, previous: 29 })).toEqual({ significant: false, reason: 'sample below 30' });
    expect(judgeChange(farFromZero, { current: 30, previous: 30 })).toEqual({ significant: true, reason: null });
  });

  it('calls a change significant only when its interval lies wholly above or below 0', () => {
    const enough = { current: 100, previous: 100 };

    expect(judgeChange({ lower: 0.1, upper: 5 }, enough).significant).toBe(true);
    expect(judgeChange({ lower: -5, upper: -0.1 }, enough).significant).toBe(true);
    expect(judgeChange({ lower: -5, upper: 0.1 }, enough)).toEqual({ significant: false, reason: 'interval includes 0' });
    // an interval that ends at 0 does not exclude it
    expect(judgeChange({ lower: 0, upper: 5 }, enough).significant).toBe(false);
  });

  it('never calls one answer against one answer significant, whatever they are', () => {
    const one = { current: 1, previous: 1 };

    expect(judgeChange(netScoreDifferenceInterval({ plus: 0, zero: 0, minus: 1 }, { plus: 1, zero: 0, minus: 0 }), one).significant).toBe(false);
    expect(judgeChange(proportionDifferenceInterval({ successes: 0, n: 1 }, { successes: 1, n: 1 }), one).significant).toBe(false);
    expect(judgeChange(meanDifferenceInterval({ answers: 1, mean: 1, standardDeviation: 0 }, { answers: 1, mean: 7, standardDeviation: 0 }, { min: 1, max: 7 }), one).significant).toBe(false);
  });
});

describe('Student t quantiles', () => {
  it('match the 97.5% column of the printed tables', () => {
    // Prepare: df → t(0.975, df), from any statistics table
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [3, 3.182],
      [4, 2.776],
      [9, 2.262],
      [19, 2.093],
      [29, 2.045],
      [60, 2.0],
      [120, 1.98],
    ];

    // Assess
    for (const [df, t] of table) expect(tQuantile975(df), `df ${df}`).toBeCloseTo(t, 3);
  });

  it('fall towards z = 1.96 as the degrees of freedom grow, and take fractional ones (Welch)', () => {
    expect(tQuantile975(1e6)).toBeCloseTo(1.96, 3);
    expect(tQuantile975(Number.POSITIVE_INFINITY)).toBe(1.96);
    const between = tQuantile975(2.5);
    expect(between).toBeLessThan(tQuantile975(2));
    expect(between).toBeGreaterThan(tQuantile975(3));
  });
});

describe('intervals at small n', () => {
  it('Wilson: 0 of 1 is 0…0.7935, 1 of 1 is 0.2065…1, never a point', () => {
    expect(wilsonInterval(0, 1)).toEqual({ lower: 0, upper: expect.closeTo(0.7935, 4) });
    expect(wilsonInterval(1, 1)).toEqual({ lower: expect.closeTo(0.2065, 4), upper: 1 });
    // Newcombe (1998), table I: 81 of 263 → 0.2553…0.3662
    expect(wilsonInterval(81, 263)).toEqual({ lower: expect.closeTo(0.2553, 4), upper: expect.closeTo(0.3662, 4) });
  });

  it('Newcombe difference of proportions: 56/70 − 48/80 is 0.0524…0.3339 (his worked example)', () => {
    const interval = proportionDifferenceInterval({ successes: 56, n: 70 }, { successes: 48, n: 80 });

    expect(interval.lower).toBeCloseTo(0.0524, 4);
    expect(interval.upper).toBeCloseTo(0.3339, 4);
  });

  it('net score (NPS): adjusted Wald never has width 0, even when everybody agrees', () => {
    for (const counts of [
      { plus: 1, zero: 0, minus: 0 },
      { plus: 0, zero: 1, minus: 0 },
      { plus: 0, zero: 0, minus: 200 },
    ]) {
      const { lower, upper } = netScoreInterval(counts);
      expect(upper - lower, JSON.stringify(counts)).toBeGreaterThan(0);
    }
  });

  it('mean: the whole scale from one answer, and a t interval with a floored spread from agreeing answers', () => {
    expect(meanInterval({ answers: 1, mean: 6, standardDeviation: 0 }, { min: 1, max: 7 })).toEqual({ lower: 1, upper: 7 });
    // 4 answers of 6: s floored to 1/√4 = 0.5; half = t(0.975, 3) × 0.5 / √4 = 3.1824 / 4 = 0.7956
    const { lower, upper } = meanInterval({ answers: 4, mean: 6, standardDeviation: 0 }, { min: 1, max: 7 });
    expect(lower).toBeCloseTo(6 - 0.7956, 4);
    expect(upper).toBeCloseTo(6.7956, 4);
  });

  it('difference of means: Welch t with its fractional degrees of freedom', () => {
    // n 10, s 1 against n 20, s 2: v = 0.1 + 0.2 = 0.3; df = 0.09 / (0.01 / 9 + 0.04 / 19) = 27.98
    const interval = meanDifferenceInterval({ answers: 10, mean: 5, standardDeviation: 1 }, { answers: 20, mean: 4, standardDeviation: 2 }, { min: 1, max: 7 });
    const df = 0.09 / (0.01 / 9 + 0.04 / 19);
    const half = tQuantile975(df) * Math.sqrt(0.3);

    expect(df).toBeCloseTo(27.98, 2);
    expect(interval.lower).toBeCloseTo(1 - half, 10);
    expect(interval.upper).toBeCloseTo(1 + half, 10);
    expect(half).toBeCloseTo(2.0484 * Math.sqrt(0.3), 3);
  });
});
