// integration: an aggregate item stays under DynamoDB's 400 KB item limit (dynalite enforces it too), whatever
// touchpoints and locales the anonymous POST /v1/responses is sent. A minute of 200 responses with 100 touchpoints and
// 100 locales, on a survey of 30 questions with 40-character ids, is 658 KB of histograms unfolded: the rollup folds
// its smallest segment values into "(other)", stores it, and the metrics report of the period is exact in total.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '../../shared/aws/dynamodb.js';
import type { Clock } from '../../shared/clock.js';
import { itemBytesOf, MAX_ITEM_BYTES } from '../../shared/dynamo-item-size.js';
import { histogramOf } from '../../shared/metrics/histogram-of.js';
import { metricsOf } from '../../shared/metrics/indices.js';
import { makeMetricsReport } from '../../shared/metrics/report-metrics.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import type { ResponseStore, StoredResponse } from '../../shared/response/stored-response.js';
import type { AggregateStore } from '../../shared/rollup/aggregate-store.js';
import { MAX_AGGREGATE_ITEM_BYTES, minuteKeyOf } from '../../shared/rollup/bucket.js';
import type { DirtyBuckets } from '../../shared/rollup/dirty-buckets.js';
import { createDynamoAggregateStore } from '../../shared/rollup/dynamo-aggregate-store.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { makeRollUp } from '../../shared/rollup/roll-up.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import type { Survey } from '../../shared/survey/schema.js';
import type { SurveyStore } from '../../shared/survey/survey-store.js';
import { startTestDynamo } from '../support/dynamo.js';
import { storedResponse, surveyWith } from '../support/fixtures.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let responses: ResponseStore;
let aggregates: AggregateStore;
let dirty: DirtyBuckets;
let surveys: SurveyStore;

const clock: Clock = { now: () => new Date('2026-11-23T12:00:00.000Z') };
/** the item at most: the budget the fold keeps, and what the rollup adds after it (fromMinutes, expiresAt) */
const STORED_AT_MOST = MAX_AGGREGATE_ITEM_BYTES + 40;

beforeAll(async () => {
  dynamo = await startTestDynamo('rollup-item-size');
  const { db } = dynamo;
  responses = createDynamoResponseStore(db, 'responses');
  aggregates = createDynamoAggregateStore(db, 'aggregates');
  dirty = createDynamoDirtyBuckets(db, 'dirtyBuckets');
  surveys = createDynamoSurveyStore(db, 'surveys');
});
afterAll(async () => {
  await dynamo?.close();
});

/** the largest survey the schema allows: 30 questions, 40-character ids, each a 0–10 scale */
const widestSurvey = (id: string): Survey =>
  surveyWith(
    Array.from({ length: 30 }, (_, q) => ({ id: `q${String(q).padStart(2, '0')}-`.padEnd(40, 'x'), type: 'rating' as const, dimension: `d${q}`, max: 10 as const, weight: 1 })),
    { id },
  );

/** `count` responses of one minute, each answering every question; touchpoint and locale cycle through `values` each */
function responsesOf(survey: Survey, minute: string, count: number, values: number, prefix: string): StoredResponse[] {
  return Array.from({ length: count }, (_, i) =>
    storedResponse({
      id: `${prefix}-${i}`,
      surveyId: survey.id,
      receivedAt: `${minute}:${String(i % 60).padStart(2, '0')}.000Z`,
      expiresAt: Math.floor(clock.now().getTime() / 1000) + 86_400 * 30,
      storedAt: `${minute}:59.000Z`,
      channel: 'api',
      touchpoint: `${prefix}-tp-${i % values}`,
      locale: `en-${prefix}${i % values}`,
      answers: Object.fromEntries(survey.questions.map((q, n) => [q.id, (i + n) % 11])),
    }),
  );
}

/** stores responses and marks their minutes, as the process step does */
async function store(stored: readonly StoredResponse[]) {
  for (const response of stored) {
    await responses.putIfAbsent(response);
    await dirty.mark(response.surveyId, minuteKeyOf(response.receivedAt), clock.now());
  }
}

const rollUp = () => makeRollUp({ responses, aggregates, dirty, surveys, clock, settleSeconds: 0 })();

/** the stored item's size as DynamoDB counts it */
async function storedItemBytes(surveyId: string, bucket: string): Promise<number> {
  const { Item } = await dynamo.db.send(new GetCommand({ TableName: 'aggregates', Key: { surveyId, bucket } }));
  if (!Item) throw new Error(`no aggregate item ${bucket}`);
  return itemBytesOf(Item);
}

describe('an aggregate item', () => {
  it('is stored for a minute of 100 touchpoints and 100 locales on the widest survey, and its report totals are exact', async () => {
    // Prepare: 200 responses in one minute, 100 touchpoints and 100 locales (658 KB of histograms unfolded)
    const survey = widestSurvey('wide');
    await surveys.put(survey);
    const submitted = responsesOf(survey, '2026-11-23T09:15', 200, 100, 'a');
    await store(submitted);

    // Act
    const run = await rollUp();
    const report = await makeMetricsReport({ surveys, aggregates, clock })('wide', { from: '2026-11-23', to: '2026-11-23', groupBy: 'touchpoint' });

    // Assess: nothing failed, every mark cleared, each item under the limit, and the totals those of the responses
    expect(run.failed).toEqual([]);
    expect(run).toMatchObject({ minutesRecomputed: 1, hoursRecomputed: 1, daysRecomputed: 1, cleared: 1, left: 0 });
    for (const bucket of ['minute#2026-11-23T09:15', 'hour#2026-11-23T09', 'day#2026-11-23']) {
      expect(await storedItemBytes('wide', bucket)).toBeLessThanOrEqual(STORED_AT_MOST);
    }
    expect(report.totals.metrics).toEqual(metricsOf(histogramOf(submitted, survey), survey));
    expect(report.totals.metrics.responses).toBe(200);
    const grouped = report.groups ?? [];
    expect(grouped.reduce((sum, group) => sum + group.totals.metrics.responses, 0)).toBe(200);
    // the minute folded touchpoints before its hour merged it: every touchpoint group may be short, and says so
    expect(grouped.map((group) => group.key)).toContain('(other)');
    expect(grouped.every((group) => group.approximate && group.reason?.includes('300 KB'))).toBe(true);
  });

  it('is stored for an hour whose minutes each fit but whose merge would not, folded after the merge', async () => {
    // Prepare: three minutes of 45 touchpoints and 45 locales each (270 KB each); merged, 135 of each
    const survey = widestSurvey('merged');
    await surveys.put(survey);
    const submitted = ['b', 'c', 'd'].flatMap((prefix, i) => responsesOf(survey, `2026-11-23T10:1${i}`, 45, 45, prefix));
    await store(submitted);

    // Act
    const run = await rollUp();
    const [minutes, [hour], report] = await Promise.all([
      aggregates.list('merged', 'minute', '2026-11-23T10:00', '2026-11-23T10:59'),
      aggregates.list('merged', 'hour', '2026-11-23T10', '2026-11-23T10'),
      makeMetricsReport({ surveys, aggregates, clock })('merged', { from: '2026-11-23T10:00:00Z', to: '2026-11-23T11:00:00Z', interval: 'hour', groupBy: 'locale' }),
    ]);

    // Assess: no minute folded, the hour did, whole values (listed locales exact), and its totals are the responses'
    expect(run.failed).toEqual([]);
    expect(minutes.map((minute) => minute.segments.locale['(other)'])).toEqual([undefined, undefined, undefined]);
    expect(await storedItemBytes('merged', 'hour#2026-11-23T10')).toBeLessThanOrEqual(STORED_AT_MOST);
    expect(hour?.segments.locale['(other)']?.responses).toBeGreaterThan(0);
    expect(hour?.partial).toEqual([]);
    expect(report.totals.metrics).toEqual(metricsOf(histogramOf(submitted, survey), survey));
    expect(report.groups?.filter((group) => group.approximate).map((group) => group.key)).toEqual(['(other)']);
  });
});

describe('the item measure', () => {
  it('agrees with the engine on the 400 KB limit: an item of exactly 400 KB is stored, one byte more is refused', async () => {
    // Prepare: a number, a boolean and a map beside the keys, a string filling the rest
    const itemOf = (fill: number) => ({ surveyId: 'limit', bucket: 'day#2026-11-23', expiresAt: 1_785_000_000, fromMinutes: true, nested: { a: [1, 'b'] }, histograms: 'x'.repeat(fill) });
    const fill = MAX_ITEM_BYTES - itemBytesOf(itemOf(0));

    // Act
    const put = (bytes: number) => dynamo.db.send(new PutCommand({ TableName: 'aggregates', Item: itemOf(bytes) }));

    // Assess
    expect(itemBytesOf(itemOf(fill))).toBe(MAX_ITEM_BYTES);
    await expect(put(fill)).resolves.toBeDefined();
    await expect(put(fill + 1)).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
