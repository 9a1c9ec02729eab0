// fault suite: Amazon Comprehend failing for days, and refusing single documents, under the rescore schedule.
// The Comprehend adapter runs on a client mocked with aws-sdk-client-mock (throttling, 5xx, network faults and
// per-document ErrorList entries are what dynalite cannot produce); the responses live in a real dynalite, and a
// fake clock stands in for the every-minute schedule.
import {
  BatchDetectSentimentCommand,
  ComprehendClient,
  InternalServerException,
  TooManyRequestsException,
} from '../../shared/aws/comprehend.js';
import type { BatchDetectSentimentCommandInput } from '@aws-sdk/client-comprehend';
import { mockAws } from '../support/aws-mock.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../shared/clock.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import type { ResponseStore, StoredResponse } from '../../shared/response/stored-response.js';
import type { DirtyBuckets } from '../../shared/rollup/dirty-buckets.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { createComprehendSentimentAnalyzer } from '../../shared/sentiment/comprehend-analyzer.js';
import { MAX_REJECTIONS, makeRescorePending } from '../../shared/sentiment/rescore-pending.js';
import { rescoreDelayMinutes } from '../../shared/sentiment/rescore-schedule.js';
import { oneAttemptCalls } from '../support/comprehend-calls.js';
import { startTestDynamo } from '../support/dynamo.js';
import { storedResponse } from '../support/fixtures.js';

const MINUTE = 60_000;
const comprehend = mockAws(ComprehendClient);
let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let store: ResponseStore;
let dirty: DirtyBuckets;
let now: number;
const clock: Clock = { now: () => new Date(now) };

beforeAll(async () => {
  dynamo = await startTestDynamo('comprehend-outage');
  store = createDynamoResponseStore(dynamo.db, 'responses', clock);
  dirty = createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets');
});
afterAll(async () => {
  await dynamo?.close();
});
beforeEach(() => {
  comprehend.reset();
  now = Date.parse('2026-11-23T10:00:00.000Z');
});

/** Comprehend answering: every document NEGATIVE, except those `refuse` names by text (an ErrorList entry each) */
function answering(refuse: Record<string, string> = {}) {
  return ({ TextList = [] }: BatchDetectSentimentCommandInput) => ({
    ResultList: TextList.flatMap((text, Index) =>
      refuse[text] ? [] : [{ Index, Sentiment: 'NEGATIVE' as const, SentimentScore: { Positive: 0.02, Negative: 0.95, Neutral: 0.02, Mixed: 0.01 } }],
    ),
    ErrorList: TextList.flatMap((text, Index) => (refuse[text] ? [{ Index, ErrorCode: refuse[text], ErrorMessage: 'refused' }] : [])),
  });
}

/** a response the process step stored while Comprehend was failing */
async function storePending(id: string, comment: string): Promise<void> {
  const response = storedResponse({ id, surveyId: 'comprehend-outage', receivedAt: new Date(now).toISOString(), locale: 'en', comment, sentiment: { status: 'pending' } });
  expect(await store.putIfAbsent(response)).toBe('stored');
}

const sentimentOf = async (id: string) => {
  const { items } = await store.listBySurvey({ surveyId: 'comprehend-outage', limit: 100, now: clock.now() });
  return items.find((r: StoredResponse) => r.id === id)?.sentiment;
};
const textsSent = () => comprehend.commandCalls(BatchDetectSentimentCommand).flatMap((call) => call.args[0].input.TextList ?? []);

describe('Comprehend down for three days', () => {
  it('keeps the comment pending through hundreds of runs, trying it less and less often, and scores it once Comprehend is back', async () => {
    // Prepare: every call fails, by turns throttled, a 5xx and a lost connection
    const faults = [
      () => new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }),
      () => new InternalServerException({ message: 'Internal error', $metadata: { httpStatusCode: 500 } }),
      () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    ];
    const attemptsAt: number[] = [];
    comprehend.on(BatchDetectSentimentCommand).callsFake(() => {
      attemptsAt.push(now);
      throw faults[attemptsAt.length % faults.length]!();
    });
    const rescore = makeRescorePending({ store, sentiment: createComprehendSentimentAnalyzer(new ComprehendClient({ region: 'us-east-1' }), oneAttemptCalls()), dirty, clock });
    const start = now;
    await storePending('long-outage', 'The parcel never arrived.');

    // Act: the schedule every minute for the first 5 hours, then (to keep the test short) every 10 minutes to day 3
    let runs = 0;
    for (; now < start + 5 * 60 * MINUTE; now += MINUTE, runs += 1) await rescore(100);
    for (; now < start + 3 * 24 * 60 * MINUTE; now += 10 * MINUTE, runs += 1) await rescore(100);
    const duringOutage = await sentimentOf('long-outage');
    comprehend.reset();
    comprehend.on(BatchDetectSentimentCommand).callsFake(answering());
    for (let more = 0; more < 24 * 6 && (await sentimentOf('long-outage'))?.status === 'pending'; more += 1, now += 10 * MINUTE) await rescore(100);

    // Assess: far more than 10 runs and failed attempts, never given up on
    expect(runs).toBeGreaterThan(500);
    expect(attemptsAt.length).toBeGreaterThan(10);
    expect(duringOutage).toMatchObject({ status: 'pending', language: 'en', attempts: attemptsAt.length });
    // the waits between attempts follow the schedule: 1, 2, 4 … 128 minutes while the runs are a minute apart, and
    // never shorter than the schedule after that (runs 10 minutes apart round them up)
    const waits = attemptsAt.slice(1).map((at, i) => (at - attemptsAt[i]!) / MINUTE);
    expect(waits.slice(0, 8)).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
    waits.forEach((wait, i) => expect(wait).toBeGreaterThanOrEqual(rescoreDelayMinutes(i + 1)));
    expect(waits.at(-1)).toBe(24 * 60);
    expect(await sentimentOf('long-outage')).toMatchObject({ status: 'scored', label: 'NEGATIVE', language: 'en' });
    expect(await store.listPendingSentiment(100)).toEqual([]);
    // the late score reaches the aggregates: the response's minute is marked dirty for the rollup
    expect((await dirty.list(100)).map((mark) => `${mark.surveyId}#${mark.bucket}`)).toContain('comprehend-outage#2026-11-23T10:00');
  }, 300_000); // some 700 runs, each querying every shard of the pending index twice (pending, settling) in dynalite

  it('skips a comment whose next attempt is not yet due, while a newer pending comment is scored', async () => {
    // Prepare: the first comment fails once (due again in a minute); then Comprehend recovers and a second arrives
    comprehend.on(BatchDetectSentimentCommand).rejects(new InternalServerException({ message: 'Internal error', $metadata: { httpStatusCode: 500 } }));
    const rescore = makeRescorePending({ store, sentiment: createComprehendSentimentAnalyzer(new ComprehendClient({ region: 'us-east-1' }), oneAttemptCalls()), dirty, clock });
    await storePending('waits', 'Waiting for the backoff.');
    await rescore(100);
    comprehend.reset();
    comprehend.on(BatchDetectSentimentCommand).callsFake(answering());
    now += 30_000;
    await storePending('fresh', 'Stored after the fault.');

    // Act: a run before the first comment is due, and one after
    const early = await rescore(100);
    const sentEarly = textsSent();
    const waiting = await sentimentOf('waits');
    now += 30_000;
    const due = await rescore(100);

    // Assess
    expect(early).toEqual({ settled: 1, stillPending: 0 });
    expect(sentEarly).toEqual(['Stored after the fault.']);
    expect(waiting).toEqual({ status: 'pending', language: 'en', attempts: 1, nextAttemptAt: '2026-11-23T10:01:00.000Z' });
    expect(due).toEqual({ settled: 1, stillPending: 0 });
    expect(textsSent()).toEqual(['Stored after the fault.', 'Waiting for the backoff.']);
    expect(await sentimentOf('waits')).toMatchObject({ status: 'scored', label: 'NEGATIVE' });
  });
});

describe('Comprehend refusing one document of a batch', () => {
  it('stores that comment unscored with Comprehend\'s reason after a few refusals, scores the others, and keeps retrying a per-document service fault', async () => {
    // Prepare
    comprehend.on(BatchDetectSentimentCommand).callsFake(
      answering({ 'Refused every time.': 'InvalidRequestException', 'Hit by a server fault.': 'InternalServerException' }),
    );
    const rescore = makeRescorePending({ store, sentiment: createComprehendSentimentAnalyzer(new ComprehendClient({ region: 'us-east-1' }), oneAttemptCalls()), dirty, clock });
    await storePending('refused', 'Refused every time.');
    await storePending('fine-1', 'Slow delivery.');
    await storePending('item-fault', 'Hit by a server fault.');
    await storePending('fine-2', 'Rude staff.');

    // Act: the first run, then a run whenever the next attempt is due
    const first = await rescore(100);
    const afterFirst = await sentimentOf('refused');
    for (let run = 1; run < MAX_REJECTIONS; run += 1) {
      now += rescoreDelayMinutes(run) * MINUTE;
      await rescore(100);
    }

    // Assess
    expect(first).toEqual({ settled: 2, stillPending: 2 });
    expect(await sentimentOf('fine-1')).toMatchObject({ status: 'scored', label: 'NEGATIVE' });
    expect(await sentimentOf('fine-2')).toMatchObject({ status: 'scored', label: 'NEGATIVE' });
    expect(afterFirst).toEqual({ status: 'pending', language: 'en', attempts: 1, rejections: 1, nextAttemptAt: '2026-11-23T10:01:00.000Z' });
    expect(await sentimentOf('refused')).toEqual({ status: 'unscored', language: 'en', reason: 'comprehend-item:InvalidRequestException' });
    expect(await sentimentOf('item-fault')).toMatchObject({ status: 'pending', attempts: MAX_REJECTIONS });
    expect((await store.listPendingSentiment(100)).map((r) => r.id)).toEqual(['item-fault']);
  });
});
