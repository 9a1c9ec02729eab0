// integration: a customer erased while one of their responses waits in the queue: the process step drops it (it was
// received before the erasure), and stores what the customer sends afterwards. Real dynalite; no sentiment (no comment).
import { ScanCommand } from '../../shared/aws/dynamodb.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoErasureMarkers } from '../../shared/privacy/dynamo-erasure-markers.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { makeProcessResponses } from '../../shared/response/process-responses.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import type { SentimentAnalyzer } from '../../shared/sentiment/port.js';
import { startTestDynamo } from '../support/dynamo.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;

beforeAll(async () => {
  dynamo = await startTestDynamo('erasure-race');
});
afterAll(async () => {
  await dynamo?.close();
});

const ERASED_AT = new Date('2026-11-23T10:00:00.000Z');
const clock = { now: () => new Date('2026-11-23T10:00:05.000Z') };
const noSentiment: SentimentAnalyzer = { analyze: async () => [] };

function message(id: string, receivedAt: string, customerRef?: string) {
  const body = { id, surveyId: 'race', receivedAt, expiresAt: 1_900_000_000, channel: 'email', answers: { nps: 8 }, customerRef };
  return { messageId: `m-${id}`, body: JSON.stringify(body) };
}

describe('a queued response of an erased customer', () => {
  it('is dropped when received before the erasure; later ones, and other customers\', are stored', async () => {
    // Prepare
    const { db } = dynamo;
    const store = createDynamoResponseStore(db, 'responses');
    const erasures = createDynamoErasureMarkers(db, 'erasures');
    await erasures.mark('jane@example.com', ERASED_AT);
    const messages = [
      message('before', '2026-11-23T09:59:59.000Z', 'jane@example.com'),
      message('same-instant', '2026-11-23T10:00:00.000Z', 'jane@example.com'),
      message('after', '2026-11-23T10:00:01.000Z', 'jane@example.com'),
      message('someone-else', '2026-11-23T09:59:59.000Z', 'john@example.com'),
      message('anonymous', '2026-11-23T09:59:59.000Z'),
    ];

    // Act
    const batch = await makeProcessResponses({ store, sentiment: noSentiment, dirty: createDynamoDirtyBuckets(db, 'dirtyBuckets'), clock, erasures })(messages);
    const outcomes = [];
    for (const { messageId } of messages) outcomes.push(await batch.store(messageId));
    const stored = (await store.listBySurvey({ surveyId: 'race', limit: 10, now: clock.now() })).items.map((r) => r.id).sort();

    // Assess
    expect(outcomes).toEqual(['erased', 'erased', 'stored', 'stored', 'stored']);
    expect(stored).toEqual(['after', 'anonymous', 'someone-else']);
  });

  it('leaves a marker that names the customer only by hash, kept 30 days (two lives of a queued message)', async () => {
    const { Items = [] } = await dynamo.db.send(new ScanCommand({ TableName: 'erasures' }));
    expect(Items).toHaveLength(1);
    expect(JSON.stringify(Items)).not.toContain('jane');
    expect(Items[0]).toMatchObject({ erasedAt: ERASED_AT.toISOString(), expiresAt: Math.floor(ERASED_AT.getTime() / 1000) + 30 * 86_400 });
  });

  it('is deleted again when the erasure runs while it is being stored: after the batch\'s lookup, its search before the put', async () => {
    // Prepare: the put of "late" waits for an erasure of its customer to write its marker and search (finding nothing
    // yet: the response is not stored), as an erasure running between the batch's lookup and this put would
    const { db } = dynamo;
    const store = createDynamoResponseStore(db, 'responses');
    const erasures = createDynamoErasureMarkers(db, 'erasures');
    const erasure = { found: -1 };
    const racing = {
      ...store,
      async putIfAbsent(response: Parameters<typeof store.putIfAbsent>[0]) {
        if (response.id === 'late') {
          await erasures.mark('late@example.com', new Date('2026-11-23T10:00:03.000Z'));
          erasure.found = (await store.listByCustomer('late@example.com', 10)).length;
        }
        return store.putIfAbsent(response);
      },
    };
    const messages = [message('late', '2026-11-23T10:00:02.000Z', 'late@example.com'), message('on-time', '2026-11-23T10:00:02.000Z', 'other@example.com')];

    // Act
    const batch = await makeProcessResponses({ store: racing, sentiment: noSentiment, dirty: createDynamoDirtyBuckets(db, 'dirtyBuckets'), clock, erasures })(messages);
    const outcomes = [];
    for (const { messageId } of messages) outcomes.push(await batch.store(messageId));
    const stored = (await store.listBySurvey({ surveyId: 'race', limit: 10, now: clock.now() })).items.map((r) => r.id);

    // Assess: the erasure's search came before the put, and the response is gone all the same
    expect(erasure.found).toBe(0);
    expect(outcomes).toEqual(['erased', 'stored']);
    expect(stored).not.toContain('late');
    expect(stored).toContain('on-time');
    expect(await store.listByCustomer('late@example.com', 10)).toEqual([]);
  });

  it('is deleted on redelivery when the attempt that stored it failed before its second look', async () => {
    // Prepare: the erasure lands between the put and the second look, and that look fails (a throttled table, say)
    const { db } = dynamo;
    const store = createDynamoResponseStore(db, 'responses');
    const erasures = createDynamoErasureMarkers(db, 'erasures');
    let lookups = 0;
    const failingSecondLook = {
      ...erasures,
      async erasedAt(refs: readonly string[]) {
        lookups += 1;
        if (lookups === 2) {
          await erasures.mark('retried@example.com', new Date('2026-11-23T10:00:03.000Z'));
          throw new Error('erasures: a batch read kept returning unprocessed keys');
        }
        return erasures.erasedAt(refs);
      },
    };
    const messages = [message('retried', '2026-11-23T10:00:02.000Z', 'retried@example.com')];
    const process = (markers: typeof erasures) => makeProcessResponses({ store, sentiment: noSentiment, dirty: createDynamoDirtyBuckets(db, 'dirtyBuckets'), clock, erasures: markers })(messages);

    // Act: the first attempt stores it and fails; the queue redelivers it
    const first = await (await process(failingSecondLook)).store('m-retried').catch((error: Error) => error.name);
    const storedMeanwhile = (await store.listByCustomer('retried@example.com', 10)).length;
    const redelivered = await (await process(erasures)).store('m-retried');

    // Assess
    expect(first).toBe('RecordNotStoredError');
    expect(storedMeanwhile).toBe(1);
    expect(redelivered).toBe('erased');
    expect(await store.listByCustomer('retried@example.com', 10)).toEqual([]);
  });
});
