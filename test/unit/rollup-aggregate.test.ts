// unit: bucket keys, and a bucket's aggregate from its responses (segments, the cap on segment values, merging), and
// the fold of an aggregate whose item would pass MAX_AGGREGATE_ITEM_BYTES.
import { describe, expect, it } from 'vitest';
import type { StoredResponse } from '../../shared/response/stored-response.js';
import { histogramOf } from '../../shared/metrics/histogram-of.js';
import { aggregateItemBytes } from '../../shared/rollup/aggregate-item.js';
import { aggregateOf, mergeAggregates } from '../../shared/rollup/aggregate-of.js';
import {
  bucketBounds,
  dayKeyOf,
  hourKeyOf,
  MAX_AGGREGATE_ITEM_BYTES,
  MAX_SEGMENT_VALUES,
  minuteKeyOf,
  OTHER_SEGMENT_VALUES,
  periodOfKey,
  SEGMENT_DIMENSIONS,
  type BucketAggregate,
} from '../../shared/rollup/bucket.js';
import type { Survey } from '../../shared/survey/schema.js';
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
    expect(day.partial).toEqual(['touchpoint']);
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

  it('carries the earliest expiry of the responses it counts, unknown once a counting part does not say', () => {
    // Prepare: a minute of two responses, an empty minute, and an hour stored before aggregates said their expiry
    const minute = aggregateOf('s', 'minute', '2026-11-23T09:15', [response('a', { expiresAt: 2_000 }), response('b', { expiresAt: 1_000 })], survey);
    const empty = aggregateOf('s', 'minute', '2026-11-23T09:16', [], survey);
    const older: BucketAggregate = { ...aggregateOf('s', 'hour', '2026-11-23T10', [response('c')], survey), firstExpiry: undefined };

    // Act
    const hour = mergeAggregates('s', 'hour', '2026-11-23T09', [empty, minute]);
    const day = mergeAggregates('s', 'day', '2026-11-23', [hour, older]);

    // Assess
    expect(minute.firstExpiry).toBe(1_000);
    expect(empty.firstExpiry).toBeUndefined();
    expect(hour.firstExpiry).toBe(1_000);
    expect(day.firstExpiry).toBeUndefined();
  });
});

/** the largest survey the schema allows: 30 questions, 40-character ids, each a 0–10 scale */
const widest: Survey = surveyWith(
  Array.from({ length: 30 }, (_, q) => ({ id: `q${String(q).padStart(2, '0')}-`.padEnd(40, 'x'), type: 'rating' as const, dimension: `d${q}`, max: 10 as const, weight: 1 })),
  { id: 's' },
);

/** `count` responses of one minute answering every question; touchpoint and locale cycle through `values` each, a few with more responses */
const crowdOf = (minute: string, count: number, values: number, prefix: string): StoredResponse[] =>
  Array.from({ length: count }, (_, i) =>
    response(`${prefix}-${i}`, {
      receivedAt: `${minute}:00.000Z`,
      channel: i % 3 ? 'web' : 'api',
      touchpoint: `${prefix}-tp-${i % values}`,
      locale: `en-${prefix}${i % (i < values ? values : 7)}`,
      answers: Object.fromEntries(widest.questions.map((q, n) => [q.id, (i + n) % 11])),
    }),
  );

/** per dimension, the responses its values hold together: each equals the total's when nothing was dropped */
const dimensionSums = (aggregate: BucketAggregate) =>
  Object.fromEntries(SEGMENT_DIMENSIONS.map((d) => [d, Object.values(aggregate.segments[d]).reduce((sum, h) => sum + h.responses, 0)]));

const shuffled = <T>(items: readonly T[]): T[] => items.map((item, i) => [(i * 7919) % items.length, item] as const).sort(([a], [b]) => a - b).map(([, item]) => item);

describe('an aggregate past the item budget', () => {
  it('folds its smallest segment values into (other) until the item fits, and keeps its totals exact', () => {
    // Prepare: 300 responses, 100 touchpoints and 100 locales (658 KB unfolded); locales en-a0 … en-a6 hold 28 or 29 more each
    const responses = crowdOf('2026-11-23T09:15', 300, 100, 'a');

    // Act
    const aggregate = aggregateOf('s', 'minute', '2026-11-23T09:15', responses, widest);

    // Assess: within the budget, by no more than one value's histogram (about 3 KB): it folds only what it must
    const bytes = aggregateItemBytes(aggregate);
    expect(bytes).toBeLessThanOrEqual(MAX_AGGREGATE_ITEM_BYTES);
    expect(bytes).toBeGreaterThan(MAX_AGGREGATE_ITEM_BYTES - 4096);
    expect(aggregate.total).toEqual(histogramOf(responses, widest));
    expect(dimensionSums(aggregate)).toEqual({ channel: 300, touchpoint: 300, journeyStage: 300, locale: 300 });
    // the largest values stay, whole
    for (let i = 0; i < 7; i += 1) expect(aggregate.segments.locale[`en-a${i}`]?.responses).toBe(responses.filter((r) => r.locale === `en-a${i}`).length);
    expect(aggregate.segments.channel).toMatchObject({ web: { responses: 200 }, api: { responses: 100 } });
    expect(aggregate.segments.touchpoint[OTHER_SEGMENT_VALUES]?.responses).toBeGreaterThan(0);
  });

  it('folds the same values whatever the order of the responses, and merges in any order to the same aggregate', () => {
    // Prepare
    const responses = crowdOf('2026-11-23T09:15', 200, 100, 'a');
    const minutes = ['b', 'c', 'd'].map((prefix, i) => aggregateOf('s', 'minute', `2026-11-23T09:1${i}`, crowdOf(`2026-11-23T09:1${i}`, 150, 75, prefix), widest));

    // Act
    const once = aggregateOf('s', 'minute', '2026-11-23T09:15', responses, widest);
    const again = aggregateOf('s', 'minute', '2026-11-23T09:15', shuffled(responses), widest);
    const forwards = mergeAggregates('s', 'hour', '2026-11-23T09', minutes);
    const backwards = mergeAggregates('s', 'hour', '2026-11-23T09', [...minutes].reverse());

    // Assess
    expect(Object.keys(once.segments.locale).length + Object.keys(once.segments.touchpoint).length).toBeLessThan(200);
    expect(again).toEqual(once);
    expect(backwards).toEqual(forwards);
  });

  it('folds a merge of minutes that each fit into an hour that fits, its totals the sums of theirs, and says which dimensions its parts had folded', () => {
    // Prepare: three minutes of 45 touchpoints and 45 locales each (270 KB each, none folded); merged, 135 of each
    const minutes = ['a', 'b', 'c'].map((prefix, i) => aggregateOf('s', 'minute', `2026-11-23T09:1${i}`, crowdOf(`2026-11-23T09:1${i}`, 45, 45, prefix), widest));
    const flooded = aggregateOf('s', 'minute', '2026-11-23T09:20', crowdOf('2026-11-23T09:20', 200, 100, 'd'), widest);

    // Act
    const hour = mergeAggregates('s', 'hour', '2026-11-23T09', minutes);
    const withFlooded = mergeAggregates('s', 'hour', '2026-11-23T09', [...minutes, flooded]);
    const day = mergeAggregates('s', 'day', '2026-11-23', [hour]);

    // Assess
    for (const minute of minutes) {
      expect(aggregateItemBytes(minute)).toBeLessThanOrEqual(MAX_AGGREGATE_ITEM_BYTES);
      expect(minute.segments.touchpoint[OTHER_SEGMENT_VALUES]).toBeUndefined();
    }
    expect(aggregateItemBytes(mergeAggregates('s', 'hour', '2026-11-23T09', minutes.slice(0, 1)))).toBe(aggregateItemBytes({ ...minutes[0]!, period: 'hour', start: '2026-11-23T09', partial: [] }));
    expect(aggregateItemBytes(hour)).toBeLessThanOrEqual(MAX_AGGREGATE_ITEM_BYTES);
    expect(aggregateItemBytes(withFlooded)).toBeLessThanOrEqual(MAX_AGGREGATE_ITEM_BYTES);
    expect(hour.total).toEqual(histogramOf(minutes.flatMap((_, i) => crowdOf(`2026-11-23T09:1${i}`, 45, 45, ['a', 'b', 'c'][i]!)), widest));
    expect(dimensionSums(hour)).toEqual({ channel: 135, touchpoint: 135, journeyStage: 135, locale: 135 });
    expect(dimensionSums(withFlooded)).toEqual({ channel: 335, touchpoint: 335, journeyStage: 335, locale: 335 });
    // the hour folded its own values (each it lists is whole); the flooded minute had folded before the merge
    expect(hour.segments.touchpoint[OTHER_SEGMENT_VALUES]?.responses).toBeGreaterThan(0);
    const foldedIn = (aggregate: BucketAggregate) => SEGMENT_DIMENSIONS.filter((d) => Object.hasOwn(aggregate.segments[d], OTHER_SEGMENT_VALUES));
    expect(hour.partial).toEqual([]);
    expect(foldedIn(flooded)).toEqual(['touchpoint', 'locale']);
    expect(withFlooded.partial).toEqual(['touchpoint', 'locale']);
    expect(day.partial).toEqual(foldedIn(hour));
  });
});
