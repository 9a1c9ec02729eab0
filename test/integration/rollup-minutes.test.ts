// integration: the rollup per minute against real dynalite. A minute is read again only when a response re-marks it
// (redelivered or late), and exactly; hours marked by an older process step, and hours an older rollup computed from
// their responses, are rebuilt whole from one read, also across a crash in the middle of the rebuild.
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../shared/clock.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { makeProcessResponses } from '../../shared/response/process-responses.js';
import type { ResponseStore, StoredResponse } from '../../shared/response/stored-response.js';
import { aggregateOf, mergeAggregates } from '../../shared/rollup/aggregate-of.js';
import type { AggregateStore } from '../../shared/rollup/aggregate-store.js';
import type { DirtyBuckets } from '../../shared/rollup/dirty-buckets.js';
import { createDynamoAggregateStore } from '../../shared/rollup/dynamo-aggregate-store.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { makeRollUp } from '../../shared/rollup/roll-up.js';
import type { SentimentAnalyzer } from '../../shared/sentiment/port.js';
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

const clock: Clock = { now: () => new Date() };
const noComments: SentimentAnalyzer = { analyze: async () => [] };

beforeAll(async () => {
  dynamo = await startTestDynamo('rollup-minutes');
  responses = createDynamoResponseStore(dynamo.db, 'responses');
  aggregates = createDynamoAggregateStore(dynamo.db, 'aggregates');
  dirty = createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets');
  surveys = createDynamoSurveyStore(dynamo.db, 'surveys');
});
afterAll(async () => {
  await dynamo?.close();
});

async function surveyNamed(id: string): Promise<Survey> {
  const survey = surveyWith([{ id: 'nps', type: 'nps' }], { id });
  await surveys.put(survey);
  return survey;
}

const responseAt = (surveyId: string, id: string, receivedAt: string, nps: number): StoredResponse =>
  storedResponse({ id, surveyId, receivedAt, channel: nps > 5 ? 'web' : 'email', answers: { nps }, expiresAt: Math.floor(Date.now() / 1000) + 86_400 * 365 });

/** delivers responses through the real process step (stored, then their minute marked), as the SQS consumer does */
async function deliver(...delivered: StoredResponse[]) {
  const messages = delivered.map(({ sentiment: _s, storedAt: _t, ...queued }) => ({ messageId: randomUUID(), body: JSON.stringify(queued) }));
  const batch = await makeProcessResponses({ store: responses, sentiment: noComments, dirty, clock })(messages);
  for (const { messageId } of messages) await batch.store(messageId);
}

/** what an older process step left: the response stored, and its hour (not its minute) marked in the old item shape */
async function storeAsOlderProcess(...stored: StoredResponse[]) {
  for (const response of stored) {
    await responses.putIfAbsent(response);
    const hour = response.receivedAt.slice(0, 13);
    const item = { bucketId: `${response.surveyId}#${hour}`, surveyId: response.surveyId, hour, token: randomUUID(), markedAt: new Date().toISOString() };
    await dynamo.db.send(new PutCommand({ TableName: 'dirtyBuckets', Item: item }));
  }
}

const rollUpWith = (stores: Partial<{ aggregates: AggregateStore }> = {}) =>
  makeRollUp({ responses, aggregates: stores.aggregates ?? aggregates, dirty, surveys, clock, settleSeconds: 0 });

async function aggregateAt(surveyId: string, period: 'minute' | 'hour' | 'day', start: string) {
  const [aggregate] = await aggregates.list(surveyId, period, start, start);
  if (!aggregate) throw new Error(`no ${period} aggregate ${start} for ${surveyId}`);
  return aggregate;
}

/** the hour's and the day's aggregates must be those of the distinct responses, as if computed from them directly */
async function expectExact(survey: Survey, hour: string, members: readonly StoredResponse[]) {
  const expected = aggregateOf(survey.id, 'hour', hour, members, survey);
  const stored = await aggregateAt(survey.id, 'hour', hour);
  expect({ total: stored.total, segments: stored.segments }).toEqual({ total: expected.total, segments: expected.segments });
  expect((await aggregateAt(survey.id, 'day', hour.slice(0, 10))).total).toEqual(expected.total);
}

describe('the rollup per minute', () => {
  it('reads a redelivered response’s minute again, alone, and counts the response once', async () => {
    // Prepare: four responses in three minutes of one hour, rolled up
    const survey = await surveyNamed('redelivered');
    const stored = [
      responseAt('redelivered', 'r1', '2026-11-10T09:01:10.000Z', 10),
      responseAt('redelivered', 'r2', '2026-11-10T09:02:20.000Z', 3),
      responseAt('redelivered', 'r3', '2026-11-10T09:02:40.000Z', 9),
      responseAt('redelivered', 'r4', '2026-11-10T09:03:00.000Z', 7),
    ];
    await deliver(...stored);
    const first = await rollUpWith()();

    // Act: SQS delivers r2 again
    await deliver(stored[1] as StoredResponse);
    const again = await rollUpWith()();

    // Assess
    expect(first).toMatchObject({ minutesRecomputed: 3, hoursRecomputed: 1, cleared: 3, itemsRead: { responses: 4 } });
    expect(again).toMatchObject({ minutesRecomputed: 1, hoursRecomputed: 1, daysRecomputed: 1, cleared: 1 });
    expect(again.itemsRead).toEqual({ marks: 1, responses: 2, aggregates: 1 + 3 + 1 });
    await expectExact(survey, '2026-11-10T09', stored);
    // a minute is kept a day beyond the point where its hour leaves the survey's retention (365 days)
    expect((await aggregateAt('redelivered', 'minute', '2026-11-10T09:02')).expiresAt).toBe(Date.parse('2026-11-10T09:00:00Z') / 1000 + 366 * 86_400);
  });

  it('reads a late response’s old minute, alone, once the rest of its hour is rolled up', async () => {
    // Prepare: one response in each of the hour's 60 minutes, rolled up
    const survey = await surveyNamed('late');
    const onTime = Array.from({ length: 60 }, (_, m) => responseAt('late', `l${m}`, `2026-11-11T14:${String(m).padStart(2, '0')}:30.000Z`, m % 11));
    await deliver(...onTime);
    await rollUpWith()();

    // Act: a response received at 14:07 is processed long after (a queue backlog)
    const late = responseAt('late', 'late-one', '2026-11-11T14:07:59.000Z', 0);
    await deliver(late);
    const run = await rollUpWith()();

    // Assess: the minute's two responses are read, not the hour's 61
    expect(run).toMatchObject({ minutesRecomputed: 1, hoursRecomputed: 1, itemsRead: { marks: 1, responses: 2 } });
    expect((await aggregateAt('late', 'minute', '2026-11-11T14:07')).total.responses).toBe(2);
    await expectExact(survey, '2026-11-11T14', [...onTime, late]);
  });

  it('rebuilds all the minutes of an hour marked by an older process step, from one read of the hour', async () => {
    // Prepare: responses stored and their hour marked as the process step did before marks were per minute
    const survey = await surveyNamed('old-mark');
    const stored = [
      responseAt('old-mark', 'o1', '2026-11-12T08:05:00.000Z', 10),
      responseAt('old-mark', 'o2', '2026-11-12T08:05:30.000Z', 2),
      responseAt('old-mark', 'o3', '2026-11-12T08:41:00.000Z', 8),
    ];
    await storeAsOlderProcess(...stored);
    const listed = await dirty.list(100);

    // Act: the old mark, then a new response of the same hour marking its minute
    const run = await rollUpWith()();
    const newer = responseAt('old-mark', 'o4', '2026-11-12T08:59:00.000Z', 9);
    await deliver(newer);
    const next = await rollUpWith()();

    // Assess: the old mark reads as the hour; its minutes are written, and a later minute merges with them
    expect(listed.filter((mark) => mark.surveyId === 'old-mark').map((mark) => mark.bucket)).toEqual(['2026-11-12T08']);
    expect(run).toMatchObject({ minutesRecomputed: 2, hoursRecomputed: 1, hoursRebuilt: 1, cleared: 1, itemsRead: { responses: 3 } });
    expect((await aggregateAt('old-mark', 'hour', '2026-11-12T08')).fromMinutes).toBe(true);
    expect(next).toMatchObject({ minutesRecomputed: 1, itemsRead: { responses: 1 } });
    expect(next.hoursRebuilt).toBeUndefined();
    await expectExact(survey, '2026-11-12T08', [...stored, newer]);
    expect(await dirty.list(100)).toEqual([]);
  });

  it('rebuilds an hour the older rollup computed from its responses when a new minute mark reaches it', async () => {
    // Prepare: the hour and day as the older rollup left them (no minute aggregates), its marks long cleared
    const survey = await surveyNamed('old-hour');
    const stored = Array.from({ length: 5 }, (_, i) => responseAt('old-hour', `h${i}`, `2026-11-13T20:1${i}:00.000Z`, 2 * i));
    for (const response of stored) await responses.putIfAbsent(response);
    const oldHour = aggregateOf('old-hour', 'hour', '2026-11-13T20', stored, survey);
    await aggregates.put(oldHour);
    await aggregates.put(mergeAggregates('old-hour', 'day', '2026-11-13', [oldHour]));

    // Act: a late response of that hour marks its minute only
    const late = responseAt('old-hour', 'h-late', '2026-11-13T20:50:00.000Z', 10);
    await deliver(late);
    const run = await rollUpWith()();

    // Assess: merging the one minute alone would have forgotten the hour's other five responses
    expect(run).toMatchObject({ minutesRecomputed: 6, hoursRebuilt: 1, itemsRead: { responses: 6 } });
    await expectExact(survey, '2026-11-13T20', [...stored, late]);
  });

  it('counts exactly when the rollup dies after rebuilding some minutes of an old hour, before its hour write', async () => {
    // Prepare: an hour of the older rollup, and a new response in it
    const survey = await surveyNamed('rebuild-crash');
    const stored = Array.from({ length: 4 }, (_, i) => responseAt('rebuild-crash', `c${i}`, `2026-11-14T03:0${i}:00.000Z`, 9));
    for (const response of stored) await responses.putIfAbsent(response);
    await aggregates.put(aggregateOf('rebuild-crash', 'hour', '2026-11-14T03', stored, survey));
    const newer = responseAt('rebuild-crash', 'c-new', '2026-11-14T03:30:00.000Z', 1);
    await deliver(newer);
    let minutePuts = 0;
    const dying: AggregateStore = {
      ...aggregates,
      put: async (aggregate) => {
        if (aggregate.period === 'minute' && ++minutePuts > 2) throw new Error('killed in the middle of the rebuild');
        await aggregates.put(aggregate);
      },
    };

    // Act: a run that dies with two of five minutes written, then a clean run
    const dead = await rollUpWith({ aggregates: dying })();
    const clean = await rollUpWith()();

    // Assess: the hour was still the older rollup's, so the clean run rebuilt it rather than merge two minutes
    expect(dead.failed).toHaveLength(1);
    expect(clean).toMatchObject({ hoursRebuilt: 1, minutesRecomputed: 5, cleared: 1 });
    await expectExact(survey, '2026-11-14T03', [...stored, newer]);
  });
});
