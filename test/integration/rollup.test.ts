// integration: the rollup against real dynalite. Exact counts under redelivery, duplicates, crashes between any two
// writes (of the process step and of the rollup itself), and responses stored while a bucket is being recomputed.
// Per minute: a minute is read again only when a response re-marks it (redelivered or late), and exactly; hours marked
// by an older process step, and hours an older rollup computed from their responses, are rebuilt whole from one read,
// also across a crash in the middle of the rebuild.
import { randomUUID } from 'node:crypto';
import { PutCommand } from '../../shared/aws/dynamodb.js';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../shared/clock.js';
import { emptyHistogram } from '../../shared/metrics/histogram.js';
import { histogramOf } from '../../shared/metrics/histogram-of.js';
import { metricsOf } from '../../shared/metrics/indices.js';
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
import { startTestDynamo } from '../support/dynamo.js';
import { storedResponse, surveyWith } from '../support/fixtures.js';
import type { Survey } from '../../shared/survey/schema.js';
import type { SurveyStore } from '../../shared/survey/survey-store.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let responses: ResponseStore;
let aggregates: AggregateStore;
let dirty: DirtyBuckets;
let surveys: SurveyStore;

const clock: Clock = { now: () => new Date() };
// the comment decides the label, so a test can predict every sentiment count
const sentiment: SentimentAnalyzer = {
  analyze: async (requests) =>
    requests.map(({ id, text }) =>
      text.includes('bad')
        ? { id, status: 'scored', language: 'en', label: 'NEGATIVE', scores: { positive: 0.05, negative: 0.9, neutral: 0.04, mixed: 0.01 } }
        : { id, status: 'scored', language: 'en', label: 'POSITIVE', scores: { positive: 0.9, negative: 0.05, neutral: 0.04, mixed: 0.01 } },
    ),
};

const surveyNamed = (id: string): Survey =>
  surveyWith(
    [
      { id: 'nps', type: 'nps' },
      { id: 'csat', type: 'csat' },
      { id: 'ces', type: 'ces' },
      { id: 'product', type: 'rating', dimension: 'product-quality', max: 5, weight: 2 },
      { id: 'price', type: 'rating', dimension: 'price', max: 10, weight: 1 },
      { id: 'comment', type: 'text' },
    ],
    { id },
  );

beforeAll(async () => {
  dynamo = await startTestDynamo('rollup');
  const { db } = dynamo;
  responses = createDynamoResponseStore(db, 'responses');
  aggregates = createDynamoAggregateStore(db, 'aggregates');
  dirty = createDynamoDirtyBuckets(db, 'dirtyBuckets');
  surveys = createDynamoSurveyStore(db, 'surveys');
});
afterAll(async () => {
  await dynamo?.close();
});

interface Submitted {
  id: string;
  surveyId: string;
  receivedAt: string;
  channel: string;
  touchpoint?: string;
  answers: Record<string, number>;
  comment?: string;
}

const messageOf = (r: Submitted) => ({
  messageId: `m-${r.id}-${Math.random()}`,
  body: JSON.stringify({ ...r, expiresAt: Math.floor(Date.now() / 1000) + 86_400 * 365 }),
});

/** delivers messages through the real process step, as the SQS consumer does */
async function deliver(messages: { messageId: string; body: string }[], dirtyBuckets: DirtyBuckets = dirty) {
  const batch = await makeProcessResponses({ store: responses, sentiment, dirty: dirtyBuckets, clock })(messages);
  const failed: string[] = [];
  for (const { messageId } of messages) await batch.store(messageId).catch(() => failed.push(messageId));
  return failed;
}

const rollUpWith = (stores: Partial<{ aggregates: AggregateStore; dirty: DirtyBuckets }> = {}) =>
  makeRollUp({ responses, aggregates: stores.aggregates ?? aggregates, dirty: stores.dirty ?? dirty, surveys, clock, settleSeconds: 0 });

/** everything the aggregates say about a survey on one day, merged */
async function dayTotal(survey: Survey, day: string) {
  const [aggregate] = await aggregates.list(survey.id, 'day', day, day);
  if (!aggregate) throw new Error(`no aggregate for ${survey.id} on ${day}`);
  return aggregate;
}

/** the metrics straight from the distinct submitted responses: what the rollup must agree with */
const direct = (survey: Survey, submitted: Submitted[]) =>
  metricsOf(
    histogramOf(
      submitted.map((r) => ({ ...r, expiresAt: 0, storedAt: '', sentiment: r.comment ? { status: 'scored' as const, label: r.comment.includes('bad') ? ('NEGATIVE' as const) : ('POSITIVE' as const), scores: { positive: 0, negative: 0, neutral: 0, mixed: 0 }, language: 'en' } : null })) as StoredResponse[],
      survey,
    ),
    survey,
  );

describe('the rollup', () => {
  it('aggregates a day per hour and per segment, exactly, and clears what it recomputed', async () => {
    // Prepare: 4 responses over two hours, two channels, one skipped question and one duplicate delivery
    const survey = surveyNamed('worked');
    await surveys.put(survey);
    const submitted: Submitted[] = [
      { id: 'w1', surveyId: 'worked', receivedAt: '2026-11-02T09:10:00.000Z', channel: 'web', touchpoint: 'checkout', answers: { nps: 10, csat: 5, product: 5 }, comment: 'great' },
      { id: 'w2', surveyId: 'worked', receivedAt: '2026-11-02T09:50:00.000Z', channel: 'email', answers: { nps: 3, csat: 2, ces: 2, product: 1, price: 4 }, comment: 'bad' },
      { id: 'w3', surveyId: 'worked', receivedAt: '2026-11-02T10:05:00.000Z', channel: 'web', touchpoint: 'checkout', answers: { nps: 8, ces: 6 } },
      { id: 'w4', surveyId: 'worked', receivedAt: '2026-11-02T10:30:00.000Z', channel: 'web', answers: { nps: 9, csat: 4, price: 10 } },
    ];
    await deliver([...submitted.map(messageOf), messageOf(submitted[1] as Submitted)]);

    // Act
    const first = await rollUpWith()();
    const second = await rollUpWith()();

    // Assess: hours, the day, and the segments
    const hours = await aggregates.list('worked', 'hour', '2026-11-02T00', '2026-11-02T23');
    const day = await dayTotal(survey, '2026-11-02');
    expect(first).toMatchObject({ surveys: ['worked'], minutesRecomputed: 4, hoursRecomputed: 2, daysRecomputed: 1, cleared: 4, left: 0 });
    // 4 minute marks; 4 distinct responses, each read once; 2 + 2 minute aggregates merged into their hours, 2 hours into the day
    expect(first.itemsRead).toEqual({ marks: 4, responses: 4, aggregates: 6 });
    expect(second).toMatchObject({ minutesRecomputed: 0, hoursRecomputed: 0, cleared: 0, itemsRead: { marks: 0, responses: 0, aggregates: 0 } });
    expect(hours.map((hour) => [hour.start, hour.total.responses])).toEqual([['2026-11-02T09', 2], ['2026-11-02T10', 2]]);
    const metrics = metricsOf(day.total, survey);
    expect(metrics).toEqual(direct(survey, submitted));
    // NPS: promoters 10, 9; passive 8; detractor 3 → (2 − 1) / 4 = +25
    expect(metrics.nps?.score).toBe(25);
    expect(metrics.nps?.answers).toBe(4);
    // CSAT: 5, 2, 4 (w3 skipped it) → 2 of 3 satisfied
    expect(metrics.csat?.answers).toBe(3);
    expect(metrics.csat?.percentage).toBeCloseTo(66.667, 2);
    expect(metrics.sentiment?.counts).toMatchObject({ POSITIVE: 1, NEGATIVE: 1 });
    expect(Object.keys(day.segments.channel).sort()).toEqual(['email', 'web']);
    expect(day.segments.channel.web?.responses).toBe(3);
    expect(day.segments.touchpoint).toMatchObject({ checkout: { responses: 2 }, '(none)': { responses: 2 } });
    expect(metricsOf(day.segments.channel.email ?? emptyHistogram(), survey).nps?.score).toBe(-100);
  });

  it('counts a response once when the process step dies between its put and its mark, and the message is redelivered', async () => {
    // Prepare
    const survey = surveyNamed('crash-process');
    await surveys.put(survey);
    const submitted: Submitted[] = Array.from({ length: 12 }, (_, i) => ({
      id: `cp${i}`,
      surveyId: 'crash-process',
      receivedAt: `2026-11-03T1${i % 3}:00:0${i % 10}.000Z`,
      channel: 'web',
      answers: { nps: i % 11, csat: 1 + (i % 5) },
    }));
    const dying: DirtyBuckets = { ...dirty, mark: async () => { throw new Error('killed between the two writes'); } };

    // Act: the first delivery stores every response and dies before each mark; the queue redelivers them all
    const failedFirst = await deliver(submitted.map(messageOf), dying);
    const afterCrash = await rollUpWith()();
    const failedAgain = await deliver(submitted.map(messageOf));
    await rollUpWith()();

    // Assess
    expect(failedFirst).toHaveLength(12);
    expect(afterCrash.hoursRecomputed).toBe(0);
    expect(failedAgain).toEqual([]);
    const day = await dayTotal(survey, '2026-11-03');
    expect(day.total.responses).toBe(12);
    expect(metricsOf(day.total, survey)).toEqual(direct(survey, submitted));
  });

  it('counts exactly when the rollup dies between any two of its writes, and runs again', async () => {
    // Prepare
    const survey = surveyNamed('crash-rollup');
    await surveys.put(survey);
    const submitted: Submitted[] = Array.from({ length: 9 }, (_, i) => ({
      id: `cr${i}`,
      surveyId: 'crash-rollup',
      receivedAt: `2026-11-04T0${i % 3}:30:00.000Z`,
      channel: i % 2 ? 'web' : 'api',
      answers: { nps: 10 - i, ces: 1 + (i % 7) },
    }));
    await deliver(submitted.map(messageOf));
    // every write of a run, in order: per hour a minute put and the hour put (3 × 2), 1 day put, 3 mark clears; die
    // before the n-th, for each n
    const results = [];
    for (let dieAt = 1; dieAt <= 10; dieAt += 1) {
      let writes = 0;
      const beforeWrite = () => {
        writes += 1;
        if (writes === dieAt) throw new Error(`killed before write ${dieAt}`);
      };
      const dyingAggregates: AggregateStore = { ...aggregates, put: async (a) => (beforeWrite(), aggregates.put(a)) };
      const dyingDirty: DirtyBuckets = { ...dirty, clear: async (m) => (beforeWrite(), dirty.clear(m)) };

      // Act: a run that dies, then a clean run
      const dead = await rollUpWith({ aggregates: dyingAggregates, dirty: dyingDirty })();
      await rollUpWith()();
      results.push({ dieAt, failed: dead.failed.length, responses: (await dayTotal(survey, '2026-11-04')).total.responses });
      // re-dirty everything for the next crash point, as new deliveries would
      await deliver(submitted.map(messageOf));
    }
    await rollUpWith()();

    // Assess
    expect(results.every((r) => r.failed === 1 && r.responses === 9)).toBe(true);
    expect(metricsOf((await dayTotal(survey, '2026-11-04')).total, survey)).toEqual(direct(survey, submitted));
  });

  it('leaves a bucket dirty when a response lands in it while it is being recomputed', async () => {
    // Prepare
    const survey = surveyNamed('concurrent');
    await surveys.put(survey);
    const early: Submitted = { id: 'c1', surveyId: 'concurrent', receivedAt: '2026-11-05T12:00:00.000Z', channel: 'web', answers: { nps: 10 } };
    const late: Submitted = { id: 'c2', surveyId: 'concurrent', receivedAt: '2026-11-05T12:00:59.000Z', channel: 'web', answers: { nps: 0 } };
    await deliver([messageOf(early)]);
    // the late response is stored (and marks the same minute) just after the rollup wrote the hour's aggregate
    let injected = false;
    const racing: AggregateStore = {
      ...aggregates,
      put: async (a) => {
        await aggregates.put(a);
        if (!injected && a.period === 'hour') {
          injected = true;
          await deliver([messageOf(late)]);
        }
      },
    };

    // Act
    const racedRun = await rollUpWith({ aggregates: racing })();
    const afterRace = (await dayTotal(survey, '2026-11-05')).total.responses;
    const nextRun = await rollUpWith()();

    // Assess
    expect(racedRun).toMatchObject({ cleared: 0, left: 1 });
    expect(afterRace).toBe(1);
    expect(nextRun).toMatchObject({ minutesRecomputed: 1, hoursRecomputed: 1, cleared: 1 });
    expect(metricsOf((await dayTotal(survey, '2026-11-05')).total, survey).nps).toMatchObject({ answers: 2, score: 0 });
  });

  it('equals the metrics of the distinct responses for any responses, buckets, duplicates and rollup timings', async () => {
    const answer = (max: number, min = 0) => fc.option(fc.integer({ min, max }), { nil: undefined });
    const response = fc.record({
      hour: fc.integer({ min: 0, max: 3 }),
      channel: fc.constantFrom('web', 'email', 'api'),
      touchpoint: fc.option(fc.constantFrom('checkout', 'delivery'), { nil: undefined }),
      nps: answer(10),
      csat: answer(5, 1),
      ces: answer(7, 1),
      product: answer(5, 1),
      price: answer(10, 1),
      comment: fc.option(fc.constantFrom('great', 'bad', 'bad but ok'), { nil: undefined }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(response, { minLength: 1, maxLength: 25 }),
        // each delivery: which response (index, may repeat: duplicates) and whether a rollup runs after it
        fc.array(fc.tuple(fc.nat(), fc.boolean()), { minLength: 1, maxLength: 40 }),
        async (drawn, deliveries) => {
          run += 1;
          const surveyId = `prop-${run}`;
          const survey = surveyNamed(surveyId);
          await surveys.put(survey);
          const submitted: Submitted[] = drawn.map((r, i) => ({
            id: `${surveyId}-${i}`,
            surveyId,
            receivedAt: `2026-11-06T0${r.hour}:${String(i % 60).padStart(2, '0')}:00.000Z`,
            channel: r.channel,
            touchpoint: r.touchpoint,
            answers: Object.fromEntries(Object.entries({ nps: r.nps, csat: r.csat, ces: r.ces, product: r.product, price: r.price }).filter(([, v]) => v !== undefined)) as Record<string, number>,
            comment: r.comment,
          }));
          // every response at least once, plus the random redeliveries, with rollups interleaved
          for (const [index, rollUpAfter] of [...submitted.map((_, i) => [i, false] as [number, boolean]), ...deliveries]) {
            await deliver([messageOf(submitted[index % submitted.length] as Submitted)]);
            if (rollUpAfter) await rollUpWith()();
          }
          await rollUpWith()();

          const day = await dayTotal(survey, '2026-11-06');
          const hours = await aggregates.list(surveyId, 'hour', '2026-11-06T00', '2026-11-06T23');
          const merged = mergeAggregates(surveyId, 'day', '2026-11-06', hours);
          expect(metricsOf(day.total, survey)).toEqual(direct(survey, submitted));
          expect(merged.total).toEqual(day.total);
          for (const channel of ['web', 'email', 'api']) {
            const members = submitted.filter((r) => r.channel === channel);
            if (members.length) expect(metricsOf(day.segments.channel[channel] ?? emptyHistogram(), survey)).toEqual(direct(survey, members));
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

async function npsSurvey(id: string): Promise<Survey> {
  const survey = surveyWith([{ id: 'nps', type: 'nps' }], { id });
  await surveys.put(survey);
  return survey;
}

const responseAt = (surveyId: string, id: string, receivedAt: string, nps: number): StoredResponse =>
  storedResponse({ id, surveyId, receivedAt, channel: nps > 5 ? 'web' : 'email', answers: { nps }, expiresAt: Math.floor(Date.now() / 1000) + 86_400 * 365 });

/** delivers stored-shaped responses through the real process step (stored, then their minute marked) */
async function deliverStored(...delivered: StoredResponse[]) {
  const messages = delivered.map(({ sentiment: _s, storedAt: _t, ...queued }) => ({ messageId: randomUUID(), body: JSON.stringify(queued) }));
  const batch = await makeProcessResponses({ store: responses, sentiment, dirty, clock })(messages);
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
    const survey = await npsSurvey('redelivered');
    const stored = [
      responseAt('redelivered', 'r1', '2026-11-10T09:01:10.000Z', 10),
      responseAt('redelivered', 'r2', '2026-11-10T09:02:20.000Z', 3),
      responseAt('redelivered', 'r3', '2026-11-10T09:02:40.000Z', 9),
      responseAt('redelivered', 'r4', '2026-11-10T09:03:00.000Z', 7),
    ];
    await deliverStored(...stored);
    const first = await rollUpWith()();

    // Act: SQS delivers r2 again
    await deliverStored(stored[1] as StoredResponse);
    const again = await rollUpWith()();

    // Assess
    expect(first).toMatchObject({ minutesRecomputed: 3, hoursRecomputed: 1, cleared: 3, itemsRead: { responses: 4 } });
    expect(again).toMatchObject({ minutesRecomputed: 1, hoursRecomputed: 1, daysRecomputed: 1, cleared: 1 });
    expect(again.itemsRead).toEqual({ marks: 1, responses: 2, aggregates: 1 + 3 + 1 });
    await expectExact(survey, '2026-11-10T09', stored);
    // a minute is kept a day beyond the point where its hour leaves the survey's retention (365 days), and beyond
    // the first expiry of the responses it counts (r2 and r3)
    const firstExpiry = Math.min(stored[1]!.expiresAt, stored[2]!.expiresAt);
    expect((await aggregateAt('redelivered', 'minute', '2026-11-10T09:02')).expiresAt).toBe(Math.max(Date.parse('2026-11-10T09:00:00Z') / 1000 + 366 * 86_400, firstExpiry + 86_400));
  });

  it('reads a late response’s old minute, alone, once the rest of its hour is rolled up', async () => {
    // Prepare: one response in each of the hour's 60 minutes, rolled up
    const survey = await npsSurvey('late');
    const onTime = Array.from({ length: 60 }, (_, m) => responseAt('late', `l${m}`, `2026-11-11T14:${String(m).padStart(2, '0')}:30.000Z`, m % 11));
    await deliverStored(...onTime);
    await rollUpWith()();

    // Act: a response received at 14:07 is processed long after (a queue backlog)
    const late = responseAt('late', 'late-one', '2026-11-11T14:07:59.000Z', 0);
    await deliverStored(late);
    const run = await rollUpWith()();

    // Assess: the minute's two responses are read, not the hour's 61
    expect(run).toMatchObject({ minutesRecomputed: 1, hoursRecomputed: 1, itemsRead: { marks: 1, responses: 2 } });
    expect((await aggregateAt('late', 'minute', '2026-11-11T14:07')).total.responses).toBe(2);
    await expectExact(survey, '2026-11-11T14', [...onTime, late]);
  });

  it('rebuilds all the minutes of an hour marked by an older process step, from one read of the hour', async () => {
    // Prepare: responses stored and their hour marked as the process step did before marks were per minute
    const survey = await npsSurvey('old-mark');
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
    await deliverStored(newer);
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
    const survey = await npsSurvey('old-hour');
    const stored = Array.from({ length: 5 }, (_, i) => responseAt('old-hour', `h${i}`, `2026-11-13T20:1${i}:00.000Z`, 2 * i));
    for (const response of stored) await responses.putIfAbsent(response);
    const oldHour = aggregateOf('old-hour', 'hour', '2026-11-13T20', stored, survey);
    await aggregates.put(oldHour);
    await aggregates.put(mergeAggregates('old-hour', 'day', '2026-11-13', [oldHour]));

    // Act: a late response of that hour marks its minute only
    const late = responseAt('old-hour', 'h-late', '2026-11-13T20:50:00.000Z', 10);
    await deliverStored(late);
    const run = await rollUpWith()();

    // Assess: merging the one minute alone would have forgotten the hour's other five responses
    expect(run).toMatchObject({ minutesRecomputed: 6, hoursRebuilt: 1, itemsRead: { responses: 6 } });
    await expectExact(survey, '2026-11-13T20', [...stored, late]);
  });

  it('counts exactly when the rollup dies after rebuilding some minutes of an old hour, before its hour write', async () => {
    // Prepare: an hour of the older rollup, and a new response in it
    const survey = await npsSurvey('rebuild-crash');
    const stored = Array.from({ length: 4 }, (_, i) => responseAt('rebuild-crash', `rc${i}`, `2026-11-14T03:0${i}:00.000Z`, 9));
    for (const response of stored) await responses.putIfAbsent(response);
    await aggregates.put(aggregateOf('rebuild-crash', 'hour', '2026-11-14T03', stored, survey));
    const newer = responseAt('rebuild-crash', 'rc-new', '2026-11-14T03:30:00.000Z', 1);
    await deliverStored(newer);
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
