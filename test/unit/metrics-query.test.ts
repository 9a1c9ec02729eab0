// unit: the query string of a metrics report: defaults, dates and date-times, and a 400 detail for each bad parameter.
import { describe, expect, it } from 'vitest';
import { parseMetricsQuery } from '../../shared/metrics/metrics-query.js';

const now = new Date('2026-11-23T10:19:24Z');
const at = (iso: string) => Date.parse(iso);

const parsed = (raw: Record<string, string>) => {
  const result = parseMetricsQuery(raw, now);
  if (!result.success) throw new Error(`expected a valid query: ${JSON.stringify(result.details)}`);
  return result.data;
};
const details = (raw: Record<string, string>) => {
  const result = parseMetricsQuery(raw, now);
  if (result.success) throw new Error('expected an invalid query');
  return result.details;
};

describe('Metrics query: defaults', () => {
  it('reports the 30 days ending today, by day, ungrouped', () => {
    expect(parsed({})).toEqual({ from: at('2026-10-25T00:00:00Z'), to: now.getTime(), interval: 'day', groupBy: null });
  });

  it('reports the 720 hours ending with this one by hour', () => {
    expect(parsed({ interval: 'hour' })).toMatchObject({ from: at('2026-10-24T11:00:00Z'), to: now.getTime() });
  });

  it('counts the default 30 days back from a given `to`', () => {
    expect(parsed({ to: '2026-06-30' })).toMatchObject({ from: at('2026-06-01T00:00:00Z'), to: at('2026-07-01T00:00:00Z') });
  });
});

describe('Metrics query: bounds', () => {
  it('reads a date as its first instant for `from` and as included whole for `to`', () => {
    expect(parsed({ from: '2026-11-01', to: '2026-11-30' })).toMatchObject({ from: at('2026-11-01T00:00:00Z'), to: at('2026-12-01T00:00:00Z') });
    // one day
    expect(parsed({ from: '2026-11-01', to: '2026-11-01' })).toMatchObject({ from: at('2026-11-01T00:00:00Z'), to: at('2026-11-02T00:00:00Z') });
  });

  it('reads a date-time with any offset as an instant', () => {
    expect(parsed({ from: '2026-11-01T09:00:00+02:00', to: '2026-11-02T00:00:00.500Z' })).toMatchObject({
      from: at('2026-11-01T07:00:00Z'),
      to: at('2026-11-02T00:00:00.500Z'),
    });
  });

  it('accepts the longest ranges: 31 days by hour, 731 days otherwise', () => {
    expect(parsed({ interval: 'hour', from: '2026-10-01', to: '2026-10-31' }).interval).toBe('hour');
    expect(parsed({ interval: 'month', from: '2025-01-01', to: '2026-12-31' }).interval).toBe('month');
    expect(parsed({ interval: 'week', groupBy: 'journeyStage', from: '2024-11-23', to: '2026-11-23' }).groupBy).toBe('journeyStage');
  });
});

describe('Metrics query: each bad parameter is named with its reason', () => {
  it.each([
    [{ from: 'yesterday' }, 'from', 'an ISO date (2026-11-01) or date-time'],
    [{ to: '2026-02-30' }, 'to', 'an ISO date'],
    [{ to: '2026-11-01T09:00:00' }, 'to', 'date-time with offset'],
    [{ from: '' }, 'from', 'an ISO date'],
    [{ interval: 'quarter' }, 'interval', 'one of hour, day, week, month'],
    [{ groupBy: 'country' }, 'groupBy', 'one of channel, touchpoint, journeyStage, locale'],
    [{ interval: 'day,week' }, 'interval', 'one of hour, day, week, month'],
    [{ limit: '10' }, 'limit', 'unknown parameter (expected from, to, interval, groupBy)'],
  ])('%j → %s', (raw, path, reason) => {
    expect(details(raw)).toEqual([{ path, reason: expect.stringContaining(reason) }]);
  });

  it.each([
    [{ to: '9999-12-31' }, ['to']],
    [{ from: '9998-12-01', to: '9999-12-30', interval: 'week' }, ['to']],
    [{ from: '0000-01-01', to: '0001-12-31', interval: 'month' }, ['from', 'to']],
    [{ to: '1969-12-31T23:59:59Z' }, ['to']],
  ])('refuses a bound past 9999-01-01 or before 1970 (%j), which the reports\' ISO keys and intervals cannot hold', (raw, paths) => {
    // before: a range into the year 10000 made a key range DynamoDB refuses (a 500), and years 0–99 were read as 1900–1999
    expect(details(raw)).toEqual(paths.map((path) => ({ path, reason: expect.stringContaining('between 1970-01-01T00:00:00Z and 9999-01-01T00:00:00Z') })));
  });

  it('accepts the last `to` date, 9998-12-31, whatever the interval widens it to', () => {
    expect(parsed({ from: '9998-11-01', to: '9998-12-31', interval: 'week' })).toMatchObject({ to: at('9999-01-01T00:00:00Z') });
  });

  it('refuses `from` after or equal to `to`', () => {
    expect(details({ from: '2026-11-30', to: '2026-11-01' })).toEqual([{ path: 'from', reason: 'must be before "to" (2026-11-01, up to 2026-11-02T00:00:00Z)' }]);
    expect(details({ from: '2026-11-01T00:00:00Z', to: '2026-11-01T00:00:00Z' })).toEqual([{ path: 'from', reason: 'must be before "to" (2026-11-01T00:00:00Z)' }]);
    // `to` defaults to now
    expect(details({ from: '2026-12-01' })).toEqual([{ path: 'from', reason: 'must be before "to" (now, 2026-11-23T10:19:24Z)' }]);
  });

  it('refuses too many points: more than 31 days by hour, more than 2 years otherwise', () => {
    expect(details({ interval: 'hour', from: '2026-10-01', to: '2026-11-01' })).toEqual([
      { path: 'from', reason: 'too many points: the range is at most 31 days with interval=hour (744 points); 2026-10-01T00:00:00Z to 2026-11-02T00:00:00Z is 32 days' },
    ]);
    expect(details({ interval: 'month', from: '2024-11-22', to: '2026-11-23' })).toEqual([
      { path: 'from', reason: 'too many points: the range is at most 731 days (2 years); 2024-11-22T00:00:00Z to 2026-11-24T00:00:00Z is 732 days' },
    ]);
  });

  it('names every bad parameter at once', () => {
    expect(details({ interval: 'quarter', groupBy: 'country', sort: 'asc' }).map((d) => d.path).sort()).toEqual(['groupBy', 'interval', 'sort']);
  });
});
