// integration: a sentiment provider outage never loses a response; the rescore schedule scores it afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../shared/clock.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { makeProcessResponses } from '../../shared/response/process-responses.js';
import type { ResponseStore } from '../../shared/response/stored-response.js';
import type { DirtyBuckets } from '../../shared/rollup/dirty-buckets.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { createLocalSentimentAnalyzer } from '../../shared/sentiment/local-analyzer.js';
import type { SentimentAnalyzer } from '../../shared/sentiment/port.js';
import { MAX_REJECTIONS, makeRescorePending } from '../../shared/sentiment/rescore-pending.js';
import { startTestDynamo } from '../support/dynamo.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let store: ResponseStore;
let dirty: DirtyBuckets;
// the rescore schedule's minutes pass on this clock
let now = Date.now();
const clock: Clock = { now: () => new Date(now) };
const MINUTE = 60_000;

beforeAll(async () => {
  dynamo = await startTestDynamo('outage');
  const { db } = dynamo;
  store = createDynamoResponseStore(db, 'responses', clock);
  dirty = createDynamoDirtyBuckets(db, 'dirtyBuckets');
});
afterAll(async () => {
  await dynamo?.close();
});

// the provider's behaviour is what these tests vary: an outage, then a recovery
const outage: SentimentAnalyzer = { analyze: async (requests) => requests.map(({ id }) => ({ id, status: 'failed', reason: 'outage' })) };
const recovered: SentimentAnalyzer = {
  analyze: async (requests) =>
    requests.map(({ id }) => ({ id, status: 'scored', language: 'en', label: 'NEGATIVE', scores: { positive: 0.05, negative: 0.9, neutral: 0.04, mixed: 0.01 } })),
};

function message(id: string, comment?: string, locale?: string) {
  const body = { id, surveyId: 'outage', receivedAt: new Date(now).toISOString(), expiresAt: Math.floor(now / 1000) + 30 * 86_400, channel: 'web', answers: { nps: 3 }, comment, locale };
  return { messageId: `m-${id}`, body: JSON.stringify(body) };
}

const all = async () => (await store.listBySurvey({ surveyId: 'outage', limit: 200, now: clock.now() })).items;

describe('a sentiment outage', () => {
  it('stores every response pending, and the rescore after recovery scores each of them exactly once', async () => {
    // Prepare
    const messages = Array.from({ length: 30 }, (_, i) => message(`outage-${i}`, `comment number ${i}: it broke again`));

    // Act: the outage
    const batch = await makeProcessResponses({ store, sentiment: outage, dirty, clock })(messages);
    for (const { messageId } of messages) await batch.store(messageId);
    const duringOutage = await all();
    for (const mark of await dirty.list(100)) await dirty.clear(mark); // as if the rollup had run during the outage
    const stillDown = await makeRescorePending({ store, sentiment: outage, dirty, clock })(100);

    // Act: the recovery, once the failed attempt's wait (a minute) has passed
    now += MINUTE;
    const afterRecovery = await makeRescorePending({ store, sentiment: recovered, dirty, clock })(100);
    const again = await makeRescorePending({ store, sentiment: recovered, dirty, clock })(100);

    // Assess
    expect(duringOutage).toHaveLength(30);
    expect(duringOutage.every((r) => r.sentiment?.status === 'pending')).toBe(true);
    expect(stillDown).toEqual({ settled: 0, stillPending: 30 });
    expect(afterRecovery).toEqual({ settled: 30, stillPending: 0 });
    expect(again).toEqual({ settled: 0, stillPending: 0 });
    // the scored sentiment must reach the aggregates: the rescore marked the responses' hour dirty again
    expect((await dirty.list(100)).map((mark) => mark.surveyId)).toContain('outage');
    expect((await all()).every((r) => r.sentiment?.status === 'scored' && r.sentiment.label === 'NEGATIVE')).toBe(true);
    expect(await store.listPendingSentiment(100)).toEqual([]);
  });

  it('never gives up on a comment while the provider is down, however long the outage, and scores it after the recovery', async () => {
    // Prepare
    const batch = await makeProcessResponses({ store, sentiment: outage, dirty, clock })([message('patient', 'still waiting for my refund')]);
    await batch.store('m-patient');
    let calls = 0;
    const counting: SentimentAnalyzer = { analyze: async (requests) => ((calls += requests.length), outage.analyze(requests)) };

    // Act: a run every 10 minutes for two days, then the provider recovers
    for (let run = 0; run < 2 * 24 * 6; run += 1, now += 10 * MINUTE) await makeRescorePending({ store, sentiment: counting, dirty, clock })(100);
    const afterTwoDays = (await all()).find((r) => r.id === 'patient')?.sentiment;
    now += 24 * 60 * MINUTE;
    const recovery = await makeRescorePending({ store, sentiment: recovered, dirty, clock })(100);

    // Assess: far more than 10 failed attempts, but far fewer than runs (the waits grow)
    expect(calls).toBeGreaterThan(10);
    expect(calls).toBeLessThan(30);
    expect(afterTwoDays).toMatchObject({ status: 'pending', attempts: calls });
    expect(recovery).toEqual({ settled: 1, stillPending: 0 });
    expect((await all()).find((r) => r.id === 'patient')?.sentiment).toMatchObject({ status: 'scored', label: 'NEGATIVE' });
  });

  it('rescores a comment in the language it is written in, not its locale\'s, when their scripts differ', async () => {
    // Prepare: answered in Russian to a survey shown in English, then in English to one shown in Chinese, both pending
    const messages = [message('ru-under-en', 'Доставка была очень медленной, никто не ответил.', 'en-GB'), message('en-under-zh', 'The parcel arrived late and the box was broken. Terrible service.', 'zh-CN')];
    const batch = await makeProcessResponses({ store, sentiment: outage, dirty, clock })(messages);
    for (const { messageId } of messages) await batch.store(messageId);

    // Act: the rescore, by the local analyzer, once the failed attempt's wait has passed
    now += MINUTE;
    await makeRescorePending({ store, sentiment: createLocalSentimentAnalyzer(), dirty, clock })(100);

    // Assess
    const byId = new Map((await all()).map((r) => [r.id, r]));
    expect(byId.get('ru-under-en')).toMatchObject({ locale: 'en-GB', sentiment: { status: 'unscored', language: 'ru' } });
    expect(byId.get('en-under-zh')).toMatchObject({ locale: 'zh-CN', sentiment: { status: 'scored', label: 'NEGATIVE', language: 'en' } });
  });

  it('stores a comment the provider refuses itself unscored, with the provider\'s reason, after a few refusals', async () => {
    // Prepare
    let refusals = 0;
    const refusing: SentimentAnalyzer = {
      analyze: async (requests) =>
        requests.map(({ id }) => ((refusals += 1), { id, status: 'failed', reason: 'comprehend-item:InvalidRequestException', rejected: true })),
    };
    const batch = await makeProcessResponses({ store, sentiment: outage, dirty, clock })([message('hopeless', '$$$$$$')]);
    await batch.store('m-hopeless');
    const rescore = makeRescorePending({ store, sentiment: refusing, dirty, clock });

    // Act: a run every minute for a day: the refusals come as the backoff allows
    for (let run = 0; run < 24 * 60 && (await store.listPendingSentiment(1)).length > 0; run += 1, now += MINUTE) await rescore(100);

    // Assess
    const hopeless = (await all()).find((r) => r.id === 'hopeless');
    expect(hopeless?.sentiment).toEqual({ status: 'unscored', language: 'und', reason: 'comprehend-item:InvalidRequestException' });
    expect(await store.listPendingSentiment(100)).toEqual([]);
    expect(refusals).toBe(MAX_REJECTIONS);
  });
});
