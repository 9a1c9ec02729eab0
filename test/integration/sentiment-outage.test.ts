// integration: a sentiment provider outage never loses a response; the rescore schedule scores it afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../shared/clock.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { makeProcessResponses } from '../../shared/response/process-responses.js';
import type { ResponseStore } from '../../shared/response/stored-response.js';
import type { DirtyBuckets } from '../../shared/rollup/dirty-buckets.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import type { SentimentAnalyzer } from '../../shared/sentiment/port.js';
import { MAX_RESCORE_ATTEMPTS, makeRescorePending } from '../../shared/sentiment/rescore-pending.js';
import { startTestDynamo } from '../support/dynamo.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let store: ResponseStore;
let dirty: DirtyBuckets;

beforeAll(async () => {
  dynamo = await startTestDynamo('outage');
  const { db } = dynamo;
  store = createDynamoResponseStore(db, 'responses');
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

function message(id: string, comment?: string) {
  const body = { id, surveyId: 'outage', receivedAt: new Date().toISOString(), expiresAt: Math.floor(Date.now() / 1000) + 3600, channel: 'web', answers: { nps: 3 }, comment };
  return { messageId: `m-${id}`, body: JSON.stringify(body) };
}

const all = async () => (await store.listBySurvey({ surveyId: 'outage', limit: 200, now: new Date() })).items;

describe('a sentiment outage', () => {
  it('stores every response pending, and the rescore after recovery scores each of them exactly once', async () => {
    // Prepare
    const messages = Array.from({ length: 30 }, (_, i) => message(`outage-${i}`, `comment number ${i}: it broke again`));

    // Act: the outage
    const batch = await makeProcessResponses({ store, sentiment: outage, dirty, clock: systemClock })(messages);
    for (const { messageId } of messages) await batch.store(messageId);
    const duringOutage = await all();
    for (const mark of await dirty.list(100)) await dirty.clear(mark); // as if the rollup had run during the outage
    const stillDown = await makeRescorePending({ store, sentiment: outage, dirty, clock: systemClock })(100);

    // Act: the recovery
    const afterRecovery = await makeRescorePending({ store, sentiment: recovered, dirty, clock: systemClock })(100);
    const again = await makeRescorePending({ store, sentiment: recovered, dirty, clock: systemClock })(100);

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

  it('gives up on a comment the provider keeps rejecting, storing it unscored rather than retrying forever', async () => {
    // Prepare
    const batch = await makeProcessResponses({ store, sentiment: outage, dirty, clock: systemClock })([message('hopeless', '$$$$$$')]);
    await batch.store('m-hopeless');
    const rescore = makeRescorePending({ store, sentiment: outage, dirty, clock: systemClock });

    // Act
    for (let attempt = 0; attempt < MAX_RESCORE_ATTEMPTS; attempt += 1) await rescore(100);

    // Assess
    const hopeless = (await all()).find((r) => r.id === 'hopeless');
    expect(hopeless?.sentiment).toEqual({ status: 'unscored', language: 'und', reason: 'provider-failed' });
    expect(await store.listPendingSentiment(100)).toEqual([]);
  });
});
