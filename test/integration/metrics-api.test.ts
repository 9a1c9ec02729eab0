// integration: the metrics report over HTTP (JSON and CSV) and through `npm run cli -- report`, against the real local
// runtime. Aggregates are seeded straight into dynalite's aggregates table, as the rollup would leave them.
import { DynamoDBClient, DynamoDBDocumentClient } from '../../shared/aws/dynamodb.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredResponse } from '../../shared/response/stored-response.js';
import { aggregateOf } from '../../shared/rollup/aggregate-of.js';
import { createDynamoAggregateStore } from '../../shared/rollup/dynamo-aggregate-store.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { surveySchema } from '../../shared/survey/schema.js';
import { runCli } from '../support/cli.js';
import { ADMIN_TOKEN, request, startTestRuntime } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startTestRuntime>>;
let db: DynamoDBDocumentClient;

const survey = surveySchema.parse(demoSurvey([]));
let nextId = 0;
const responseOf = (channel: 'web' | 'email', answers: Record<string, number>): StoredResponse => ({
  id: `seed-${++nextId}`,
  surveyId: 'demo',
  receivedAt: '2025-11-03T09:00:00.000Z',
  expiresAt: 0,
  storedAt: '2025-11-03T09:00:01.000Z',
  channel,
  answers,
  sentiment: null,
});

// the week of Monday 2025-11-03 (and the Sunday before it), by day; and two hours of its Monday
const days = {
  '2025-11-02': [responseOf('web', { nps: 0 })],
  '2025-11-03': [responseOf('web', { nps: 10, csat: 5 }), responseOf('web', { nps: 10, csat: 4 }), responseOf('email', { nps: 0, csat: 1 })],
  '2025-11-05': [responseOf('web', { nps: 9 })],
};
const hours = {
  '2025-11-03T09': [responseOf('web', { nps: 10 })],
  '2025-11-03T11': [responseOf('email', { nps: 3 })],
};

beforeAll(async () => {
  env = await startTestRuntime();
  db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: env.runtime.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  const aggregates = createDynamoAggregateStore(db, 'aggregates');
  for (const [start, responses] of Object.entries(days)) await aggregates.put(aggregateOf('demo', 'day', start, responses, survey));
  for (const [start, responses] of Object.entries(hours)) await aggregates.put(aggregateOf('demo', 'hour', start, responses, survey));
});
afterAll(async () => {
  db?.destroy();
  await env?.close();
});

const WEEK = 'from=2025-11-03&to=2025-11-09';

const fetchText = async (path: string, token: string | null = ADMIN_TOKEN) => {
  const response = await fetch(`${env.runtime.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

describe('GET /v1/surveys/{id}/metrics', () => {
  it('answers a daily report with gaps, trends, groups, rolling windows and rounded figures', async () => {
    // Act
    const reply = await request(env.runtime, 'GET', `/v1/surveys/demo/metrics?${WEEK}&groupBy=channel`, { admin: true });

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const report = reply.body;
    expect(report).toMatchObject({ surveyId: 'demo', from: '2025-11-03T00:00:00Z', to: '2025-11-10T00:00:00Z', interval: 'day', groupBy: 'channel', timeZone: 'UTC' });
    expect(report.series.map((p: any) => p.metrics.responses)).toEqual([3, 0, 1, 0, 0, 0, 0]);
    // Monday: 2 promoters, 1 detractor → 33.3333 (rounded to 4 decimals); vs Sunday's detractor (−100): +133.3333
    expect(report.series[0].metrics.nps).toMatchObject({ score: 33.3333, promoters: 2, detractors: 1 });
    expect(report.series[0].trend.nps.change).toBe(133.3333);
    // 3 answers against 1: the API says why it is not significant, and the rule's figures
    expect(report.series[0].trend.nps).toMatchObject({
      significant: false,
      reason: 'sample below 30',
      answers: { current: 3, previous: 1 },
      minimumSample: 30,
    });
    expect(report.series[0].trend.nps.marginOfError).toBeGreaterThan(0);
    expect(report.series[1].metrics.nps).toBeNull();
    // the week: 3 promoters of 4 → 50; CSAT 2 of 3 satisfied → 66.6667%
    expect(report.totals.metrics.nps.score).toBe(50);
    expect(report.totals.metrics.csat.percentage).toBe(66.6667);
    expect(report.totals.comparedWith).toEqual({ from: '2025-10-27T00:00:00Z', to: '2025-11-03T00:00:00Z' });
    expect(report.groups.map((g: any) => [g.key, g.totals.metrics.responses, g.approximate])).toEqual([['web', 3, false], ['email', 1, false]]);
    expect(report.rolling.days7).toMatchObject({ from: '2025-11-03T00:00:00Z', to: '2025-11-10T00:00:00Z', metrics: { responses: 4 } });
    expect(report.rolling.days90.metrics.responses).toBe(5);
    // one read of 180 days holds the three seeded days
    expect(report.aggregatesRead).toEqual({ hour: 0, day: 3 });
  });

  it('answers a weekly report, Monday to Monday', async () => {
    const reply = await request(env.runtime, 'GET', `/v1/surveys/demo/metrics?${WEEK}&interval=week`, { admin: true });
    expect(reply.status).toBe(200);
    expect(reply.body.series.map((p: any) => [p.start, p.end, p.metrics.responses])).toEqual([['2025-11-03T00:00:00Z', '2025-11-10T00:00:00Z', 4]]);
    expect(reply.body.series[0].trend.nps.change).toBe(150);
  });

  it('answers an hourly report from hour aggregates', async () => {
    const reply = await request(env.runtime, 'GET', '/v1/surveys/demo/metrics?interval=hour&from=2025-11-03T08:00:00Z&to=2025-11-03T12:00:00Z', { admin: true });
    expect(reply.status).toBe(200);
    expect(reply.body.series.map((p: any) => [p.start.slice(11, 13), p.metrics.nps?.score ?? null])).toEqual([['08', null], ['09', 100], ['10', null], ['11', -100]]);
    // hours 04 … 11 (the range and the 4 hours before it); days for the rolling windows ending 2025-11-04
    expect(reply.body.aggregatesRead).toEqual({ hour: 2, day: 2 });
  });

  it.each([
    ['from=yesterday', 'from'],
    ['to=2025-02-30', 'to'],
    ['to=2025-11-09T00:00:00', 'to'],
    ['interval=quarter', 'interval'],
    ['groupBy=country', 'groupBy'],
    ['limit=5', 'limit'],
    ['from=2025-11-09&to=2025-11-03', 'from'],
    ['interval=hour&from=2025-10-01&to=2025-11-30', 'from'],
    ['interval=month&from=2020-01-01&to=2025-11-30', 'from'],
    ['groupBy=channel&from=2025-01-01&to=2025-11-30', 'groupBy'],
  ])('answers 400 for %s, naming %s', async (query, path) => {
    const reply = await request(env.runtime, 'GET', `/v1/surveys/demo/metrics?${query}`, { admin: true });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ error: 'invalid request', details: [{ path, reason: expect.any(String) }] });
  });

  it('answers 401 without the admin token, and 404 for an unknown survey', async () => {
    expect((await fetchText('/v1/surveys/demo/metrics', null)).status).toBe(401);
    expect((await fetchText('/v1/surveys/demo/metrics.csv', 'wrong-token-0000000000')).status).toBe(401);
    const missing = await request(env.runtime, 'GET', '/v1/surveys/nope/metrics', { admin: true });
    expect(missing).toMatchObject({ status: 404, body: { error: 'survey not found' } });
  });
});

describe('GET /v1/surveys/{id}/metrics.csv', () => {
  it('answers a CSV download: a row per group and interval, total rows, empty cells for nulls', async () => {
    // Act
    const reply = await fetchText(`/v1/surveys/demo/metrics.csv?${WEEK}&groupBy=channel`);

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(reply.headers.get('content-disposition')).toBe('attachment; filename="demo-metrics-day.csv"');
    const lines = reply.text.trimEnd().split('\r\n');
    const header = lines[0]!.split(',');
    expect(header).toEqual(expect.arrayContaining(['group', 'start', 'end', 'responses', 'nps', 'nps_margin', 'csat_pct', 'csi', 'csi_product-quality', 'csi_service-quality', 'csi_price', 'sentiment_net']));
    // (all): 7 days + total; web: 7 + total; email: 7 + total
    expect(lines).toHaveLength(1 + 3 * 8);
    const row = (line: string) => Object.fromEntries(line.split(',').map((cell, i) => [header[i], cell]));
    expect(row(lines[1]!)).toMatchObject({ group: '(all)', start: '2025-11-03T00:00:00Z', responses: '3', nps: '33.33', csat_pct: '66.67', ces_mean: '' });
    expect(row(lines[8]!)).toMatchObject({ group: '(all)', start: '2025-11-03T00:00:00Z', end: '2025-11-10T00:00:00Z', responses: '4', nps: '50' });
    expect(row(lines[17]!)).toMatchObject({ group: 'email', responses: '1', nps: '-100', nps_detractors: '1' });
  });

  it('answers errors as JSON, like every route', async () => {
    const reply = await fetchText('/v1/surveys/demo/metrics.csv?interval=fortnight');
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text)).toMatchObject({ details: [{ path: 'interval' }] });
  });
});

describe('npm run cli -- report', () => {
  const cli = (args: string[]) => runCli(env.runtime.url, args);

  it('prints one aligned block per group, then all responses and the rolling windows', async () => {
    // Act
    const result = await cli(['report', 'demo', '--interval', 'day', '--group-by', 'channel', '--from', '2025-11-03', '--to', '2025-11-09']);

    // Assess
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('survey demo · by day · 2025-11-03 … 2025-11-10 (UTC, end excluded) · grouped by channel');
    const titles = lines.filter((line) => /^\S/.test(line)).slice(1, -1);
    expect(titles).toEqual(['channel web', 'channel email', 'all responses', 'follow-ups opened in the range: 0 · first contact median – · SLA met –']);
    // the all-responses block: Monday +33 ±68 (adjusted Wald from 3 answers), up 133 on Sunday's −100 (1 answer): ▲
    // without the * of significance, 3 and 1 answers being under the minimum sample of 30; then a gap
    const all = lines.slice(lines.indexOf('all responses'));
    expect(all[2]).toMatch(/^ {2}2025-11-03 +3 +\+33 ±68 +▲ /);
    expect(all[3]).toMatch(/^ {2}2025-11-04 +0 +– /);
    expect(all[9]).toMatch(/^ {2}total +4 +\+50 ±\d+ /);
    // every row of a block ends its responses column at the same place: 2 + 10 (the dates) + 2 + 9 ("responses")
    expect(all.slice(1, 10).every((line) => line[22] !== ' ' && line[23] === ' ')).toBe(true);
    expect(result.stdout).toMatch(/\n {2}7 days through 2025-11-09 +4 /);
  });

  it('prints the CSV with --csv', async () => {
    const result = await cli(['report', 'demo', '--from', '2025-11-03', '--to', '2025-11-09', '--csv']);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('group,start,end,responses,nps,')).toBe(true);
  });

  it('prints the API\'s error with its details and exits non-zero', async () => {
    const result = await cli(['report', 'demo', '--interval', 'quarter', '--group-by', 'country']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('400 invalid request');
    expect(result.stderr).toContain('interval: one of hour, day, week, month');
    expect(result.stderr).toContain('groupBy: one of channel, touchpoint, journeyStage, locale');
  });
});
