// unit: bucket keys, and a bucket's aggregate from its responses (segments, the cap on segment values, merging).
import { describe, expect, it } from 'vitest';
import type { StoredResponse } from '../../shared/response/stored-response.js';
import { aggregateOf, mergeAggregates } from '../../shared/rollup/aggregate-of.js';
import { bucketBounds, dayKeyOf, hourKeyOf, MAX_SEGMENT_VALUES, minuteKeyOf, periodOfKey } from '../../shared/rollup/bucket.js';
import { storedResponse, surveyWith } from '../support/fixtures.js';

const survey = surveyWith([{ id: 'nps', type: 'nps' }], { id: 's' });

const response = (id: string, fields: Partial<StoredResponse> = {}): StoredResponse =>
  storedResponse({ id, surveyId: 's', receivedAt: '2026-11-23T09:15:00.000Z', answers: { nps: 9 }, ...fields });

describe('bucket keys', () => {
  it('name the UTC hour and day of an instant, whatever its offset', () => {
    expect(hourKeyOf('2026-11-23T23:59:59.999-01:00')).toBe('2026-11-24T00');
    expect(dayKeyOf('2026-11-24T00')).toBe('2026-11-24');
    expect(dayKeyOf(new Date('2026-02-28T23:30:00Z'))).toBe('2026-02-28');
  });

  it('name the UTC minute of an instant, and the hour and day of a minute key', () => {
    expect(minuteKeyOf('2026-11-23T23:59:59.999-01:00')).toBe('2026-11-24T00:59');
    expect(hourKeyOf('2026-11-24T00:59')).toBe('2026-11-24T00');
    expect(dayKeyOf('2026-11-24T00:59')).toBe('2026-11-24');
  });

  it('tell a minute key from an hour key (an older process step marked hours) and from a day key', () => {
    expect(periodOfKey('2026-11-23T09:07')).toBe('minute');
    expect(periodOfKey('2026-11-23T09')).toBe('hour');
    expect(periodOfKey('2026-11-23')).toBe('day');
  });

  it('bound a minute, an hour and a day by their first instant and the first instant after', () => {
    expect(bucketBounds('minute', '2026-11-23T09:59')).toEqual({ from: new Date('2026-11-23T09:59:00Z'), until: new Date('2026-11-23T10:00:00Z') });
    expect(bucketBounds('hour', '2026-11-23T09')).toEqual({ from: new Date('2026-11-23T09:00:00Z'), until: new Date('2026-11-23T10:00:00Z') });
    expect(bucketBounds('day', '2026-12-31')).toEqual({ from: new Date('2026-12-31T00:00:00Z'), until: new Date('2027-01-01T00:00:00Z') });
  });
});

describe('a bucket aggregate', () => {
  it('segments responses by channel, touchpoint, journey stage and locale, a missing value under (none)', () => {
    // Act
    const aggregate = aggregateOf('s', 'hour', '2026-11-23T09', [
      response('a', { channel: 'web', touchpoint: 'checkout', locale: 'en-GB' }),
      response('b', { channel: 'email', locale: 'EN-gb', answers: { nps: 2 } }),
      response('a', { channel: 'web', touchpoint: 'checkout', locale: 'en-GB' }),
    ], survey);

    // Assess
    expect(aggregate.total.responses).toBe(2);
    expect(Object.fromEntries(Object.entries(aggregate.segments.channel).map(([k, h]) => [k, h.responses]))).toEqual({ web: 1, email: 1 });
    expect(Object.keys(aggregate.segments.touchpoint).sort()).toEqual(['(none)', 'checkout']);
    expect(aggregate.segments.locale['en-gb']?.responses).toBe(2);
    expect(aggregate.segments.journeyStage['(none)']?.responses).toBe(2);
  });

  it('keeps the largest segment values and sums the rest under (other), so no response leaves the dimension', () => {
    // Prepare: 150 touchpoints, one of them with 3 responses
    const responses = Array.from({ length: 150 }, (_, i) => response(`r${i}`, { touchpoint: `tp-${i}` }));
    responses.push(response('x1', { touchpoint: 'tp-149' }), response('x2', { touchpoint: 'tp-149' }));

    // Act
    const { segments } = aggregateOf('s', 'hour', '2026-11-23T09', responses, survey);

    // Assess
    const values = Object.keys(segments.touchpoint);
    const counted = Object.values(segments.touchpoint).reduce((sum, h) => sum + h.responses, 0);
    expect(values).toHaveLength(MAX_SEGMENT_VALUES);
    expect(values).toContain('(other)');
    expect(segments.touchpoint['tp-149']?.responses).toBe(3);
    expect(counted).toBe(152);
  });

  it('merges parts that each folded values past the cap without losing a response of the dimension', () => {
    // Prepare: two hours of 150 touchpoints each (one response each, no value in both): each keeps 99 and an (other) of 51
    const hours = ['09', '10'].map((hour) =>
      aggregateOf('s', 'hour', `2026-11-23T${hour}`, Array.from({ length: 150 }, (_, i) => response(`h${hour}-${i}`, { touchpoint: `tp-${hour}-${i}` })), survey),
    );

    // Act
    const day = mergeAggregates('s', 'day', '2026-11-23', hours);

    // Assess: the two (other)s (102 responses, more than any value) are summed with the values past the cap, not replaced by them
    expect(hours.map((hour) => hour.segments.touchpoint['(other)']?.responses)).toEqual([51, 51]);
    expect(Object.keys(day.segments.touchpoint)).toHaveLength(MAX_SEGMENT_VALUES);
    expect(Object.values(day.segments.touchpoint).reduce((sum, h) => sum + h.responses, 0)).toBe(300);
    expect(day.segments.touchpoint['(other)']?.responses).toBe(300 - 99);
  });

  it('merges hours into a day whose total and segments are the sums of theirs', () => {
    // Prepare
    const nine = aggregateOf('s', 'hour', '2026-11-23T09', [response('a'), response('b', { channel: 'email' })], survey);
    const ten = aggregateOf('s', 'hour', '2026-11-23T10', [response('c', { answers: { nps: 0 } })], survey);

    // Act
    const day = mergeAggregates('s', 'day', '2026-11-23', [nine, ten]);

    // Assess
    expect(day.total.responses).toBe(3);
    expect(day.total.questions.nps?.counts[9]).toBe(2);
    expect(day.total.questions.nps?.counts[0]).toBe(1);
    expect(day.segments.channel.web?.responses).toBe(2);
    expect(day.segments.channel.email?.responses).toBe(1);
  });
});
