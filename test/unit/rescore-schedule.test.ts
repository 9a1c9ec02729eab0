import { describe, expect, it } from 'vitest';
import { DAILY_FROM_FAILURE, nextRescoreAt, rescoreDelayMinutes } from '../../shared/sentiment/rescore-schedule.js';

describe('rescore schedule', () => {
  it('waits 1, 2, 4 … 128 minutes after the first eight failures, then 4 hours for the rest of the first day, then a day', () => {
    // Act
    const waits = Array.from({ length: 17 }, (_, i) => rescoreDelayMinutes(i + 1));

    // Assess
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 240, 240, 240, 240, 240, 240, 1440, 1440, 1440]);
    expect(waits.slice(0, DAILY_FROM_FAILURE - 1).reduce((a, b) => a + b, 0)).toBeGreaterThan(24 * 60);
    expect(rescoreDelayMinutes(1_000)).toBe(1440);
  });

  it('gives the time of the next attempt from the time of the failure', () => {
    expect(nextRescoreAt(new Date('2026-11-23T10:00:00.000Z'), 3)).toBe('2026-11-23T10:04:00.000Z');
    expect(nextRescoreAt(new Date('2026-11-23T10:00:00.000Z'), 20)).toBe('2026-11-24T10:00:00.000Z');
  });
});
