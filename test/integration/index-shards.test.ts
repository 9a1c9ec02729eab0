// integration, on dynalite: the responses table's write-sharded indexes (shared/response/response-indexes.ts). One
// survey's responses spread over every bySurveyShard partition and read back as one list, newest first, with exact
// pages; a redelivery stays one item on one shard; the rescore and the follow-up router find pending items on every
// shard; items stored by the previous version (no shard) stay listed and found through the upgrade's backfill; and a
// deployment without the legacy index (the default; only an upgrade deploys it) reads the shards from its first request.
import { PutCommand, ScanCommand } from '../../shared/aws/dynamodb.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../shared/clock.js';
import { ApiError } from '../../shared/errors.js';
import { makeRouteDetractors, type RoutedDetractor } from '../../shared/followups/route-detractors.js';
import { createIndexShardBackfill } from '../../shared/response/dynamo-index-backfill.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { RESPONSE_INDEX_SHARDS } from '../../shared/response/response-indexes.js';
import type { ResponseStore, StoredResponse } from '../../shared/response/stored-response.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import type { SentimentAnalyzer } from '../../shared/sentiment/port.js';
import { makeRescorePending } from '../../shared/sentiment/rescore-pending.js';
import { storedResponse } from '../support/fixtures.js';
import { startTestDynamo } from '../support/dynamo.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let now = Date.parse('2026-11-20T12:00:00.000Z');
const clock: Clock = { now: () => new Date(now) };
const MINUTE = 60_000;

/** a table whose upgrade backfill is done (a fresh one: a first pass, then a clean one 15 minutes later) */
async function backfillDone(db: typeof dynamo.db): Promise<void> {
  const backfill = createIndexShardBackfill(db, 'responses', clock);
  await backfill.run(() => true);
  now += 15 * MINUTE;
  expect(await backfill.run(() => true)).toEqual({ changed: 0, done: true });
}

beforeAll(async () => {
  dynamo = await startTestDynamo('index-shards');
  await backfillDone(dynamo.db);
});
afterAll(async () => {
  await dynamo?.close();
});

/** a store as a function's cold start makes it (it checks the backfill's state afresh) */
const freshStore = (): ResponseStore => createDynamoResponseStore(dynamo.db, 'responses', clock);

async function rawItems(surveyId: string, db = dynamo.db): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: 'responses', ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []).filter((item) => item.surveyId === surveyId));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** every page of a listing, with the ids in the order read */
async function readAll(store: ResponseStore, query: { surveyId: string; limit: number; from?: string; to?: string }) {
  const ids: string[] = [];
  const sizes: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listBySurvey({ ...query, now: clock.now(), ...(cursor ? { cursor } : {}) });
    ids.push(...page.items.map((r) => r.id));
    sizes.push(page.items.length);
    cursor = page.cursor ?? undefined;
  } while (cursor && sizes.length < 500);
  return { ids, sizes };
}

/** newest first, as the index sorts: receivedAt, then id */
const newestFirst = (responses: StoredResponse[]) =>
  [...responses].sort((a, b) => (a.receivedAt === b.receivedAt ? (a.id < b.id ? 1 : -1) : a.receivedAt < b.receivedAt ? 1 : -1)).map((r) => r.id);

/** what the previous version stored: no surveyShard, unsharded sparse values */
async function putAsPreviousVersion(db: typeof dynamo.db, response: StoredResponse, extra: Record<string, unknown> = {}) {
  await db.send(
    new PutCommand({
      TableName: 'responses',
      Item: { ...response, responseId: response.id, receivedKey: `${response.receivedAt}#${response.id}`, ...extra },
    }),
  );
}

describe('one survey over the index shards', () => {
  const hot: StoredResponse[] = [];

  beforeAll(async () => {
    const store = freshStore();
    // 203 responses, several in the same millisecond (the id breaks the tie), and another survey's beside them
    for (let i = 0; i < 203; i += 1) {
      const response = storedResponse({ id: `hot-${String(i).padStart(3, '0')}`, surveyId: 'hot', receivedAt: new Date(Date.UTC(2026, 10, 20, 9, 0, Math.floor(i / 3))).toISOString() });
      hot.push(response);
      await store.putIfAbsent(response);
    }
    for (let i = 0; i < 20; i += 1) await store.putIfAbsent(storedResponse({ id: `other-${i}`, surveyId: 'other', receivedAt: new Date(Date.UTC(2026, 10, 20, 9, 0, i)).toISOString() }));
  });

  it('spreads its items over every shard, each carrying the shard its id names', async () => {
    // Act
    const shards = new Set((await rawItems('hot')).map((item) => item.surveyShard));

    // Assess
    expect([...shards].sort()).toEqual(Array.from({ length: RESPONSE_INDEX_SHARDS }, (_, n) => `hot#${n}`));
  });

  it.each([1, 7, 50, 202, 203, 1000])('lists them newest first in pages of %i, each item exactly once, every page but the last full', async (limit) => {
    // Act
    const { ids, sizes } = await readAll(freshStore(), { surveyId: 'hot', limit });

    // Assess
    expect(ids).toEqual(newestFirst(hot));
    expect(sizes.slice(0, -1).every((size) => size === limit)).toBe(true);
    expect(sizes.at(-1)).toBeGreaterThan(0);
  });

  it('keeps from and to (both inclusive) across page boundaries', async () => {
    // Prepare
    const from = '2026-11-20T09:00:10.000Z';
    const to = '2026-11-20T09:00:40.000Z';

    // Act
    const { ids } = await readAll(freshStore(), { surveyId: 'hot', limit: 4, from, to });

    // Assess
    expect(ids).toEqual(newestFirst(hot.filter((r) => r.receivedAt >= from && r.receivedAt <= to)));
  });

  it('refuses a cursor it did not issue with a 400 naming the cursor, and one of another survey', async () => {
    // Prepare
    const store = freshStore();
    const { cursor } = await store.listBySurvey({ surveyId: 'hot', limit: 5, now: clock.now() });

    // Act
    const forged = await store.listBySurvey({ surveyId: 'hot', limit: 5, now: clock.now(), cursor: 'bm90IGEgY3Vyc29y' }).catch((error: unknown) => error);
    const elsewhere = await store.listBySurvey({ surveyId: 'other', limit: 5, now: clock.now(), cursor: cursor! }).catch((error: unknown) => error);

    // Assess
    for (const error of [forged, elsewhere]) {
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 400, details: [{ path: 'cursor' }] });
    }
  });

  it('ends a listing whose cursor lies before its `from` with an empty last page', async () => {
    // Prepare: a cursor deep into the unbounded listing (its items are older than `from` below)
    const store = freshStore();
    const { cursor } = await store.listBySurvey({ surveyId: 'hot', limit: 150, now: clock.now() });

    // Act
    const page = await store.listBySurvey({ surveyId: 'hot', limit: 5, now: clock.now(), from: '2026-11-20T09:00:50.000Z', cursor: cursor! });

    // Assess
    expect(page).toEqual({ items: [], cursor: null });
  });

  it('with a filter, returns exactly the matching items across pages and reads at most the scan bound a page', async () => {
    // Prepare: every third response matches
    const store = freshStore();
    const where = (r: StoredResponse) => Number(r.id.slice(-3)) % 3 === 0;
    const ids: string[] = [];
    const scanned: number[] = [];
    let cursor: string | undefined;

    // Act: pages of 4, at most 30 items read each
    do {
      const page = await store.listBySurvey({ surveyId: 'hot', limit: 4, now: clock.now(), where, maxScanned: 30, ...(cursor ? { cursor } : {}) });
      ids.push(...page.items.map((r) => r.id));
      scanned.push(page.scanned!);
      cursor = page.cursor ?? undefined;
    } while (cursor && scanned.length < 500);

    // Assess
    expect(ids).toEqual(newestFirst(hot.filter(where)));
    expect(Math.max(...scanned)).toBeLessThanOrEqual(30);
  });

  it('keeps a redelivered response one item, on the same shard', async () => {
    // Prepare
    const store = freshStore();
    const response = storedResponse({ id: 'redelivered', surveyId: 'redelivery', receivedAt: '2026-11-20T09:30:00.000Z' });

    // Act
    const first = await store.putIfAbsent(response);
    const again = await store.putIfAbsent({ ...response, storedAt: '2026-11-20T09:31:00.000Z' });
    const again2 = await freshStore().putIfAbsent(response);

    // Assess
    expect([first, again, again2]).toEqual(['stored', 'duplicate', 'duplicate']);
    const items = await rawItems('redelivery');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ storedAt: response.storedAt });
    expect((await readAll(store, { surveyId: 'redelivery', limit: 10 })).ids).toEqual(['redelivered']);
  });
});

describe('the sparse indexes over their shards', () => {
  const outage: SentimentAnalyzer = { analyze: async (requests) => requests.map(({ id }) => ({ id, status: 'failed', reason: 'outage' })) };
  const recovered: SentimentAnalyzer = {
    analyze: async (requests) =>
      requests.map(({ id }) => ({ id, status: 'scored', language: 'en', label: 'NEGATIVE', scores: { positive: 0.05, negative: 0.9, neutral: 0.04, mixed: 0.01 } })),
  };

  it('the rescore finds pending sentiments on every shard, oldest first, and scores each once', async () => {
    // Prepare: 40 responses left pending by an outage, over every shard
    const store = freshStore();
    const dirty = createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets');
    const pending = Array.from({ length: 40 }, (_, i) =>
      storedResponse({ id: `pending-${i}`, surveyId: 'pending', comment: `broken again ${i}`, sentiment: { status: 'pending' }, receivedAt: new Date(Date.UTC(2026, 10, 20, 8, i)).toISOString() }),
    );
    for (const response of pending) await store.putIfAbsent(response);
    expect(new Set((await rawItems('pending')).map((item) => item.sentimentPending)).size).toBe(RESPONSE_INDEX_SHARDS);

    // Act: the oldest first, then pages of 6 until none is left
    const oldest = (await store.listPendingSentiment(5)).map((r) => r.id);
    const stillDown = await makeRescorePending({ store, sentiment: outage, dirty, clock })(100);
    now += 5 * MINUTE;
    const runs: number[] = [];
    for (let run = 0; run < 20 && (await store.listPendingSentiment(1)).length > 0; run += 1) runs.push((await makeRescorePending({ store, sentiment: recovered, dirty, clock })(6)).settled);

    // Assess
    expect(oldest).toEqual(pending.slice(0, 5).map((r) => r.id));
    expect(stillDown).toEqual({ settled: 0, stillPending: 40 });
    expect(runs.reduce((a, b) => a + b, 0)).toBe(40);
    expect(runs.slice(0, -1).every((settled) => settled === 6)).toBe(true);
    const { ids } = await readAll(store, { surveyId: 'pending', limit: 100 });
    const scored = (await store.listBySurvey({ surveyId: 'pending', limit: 100, now: clock.now() })).items.filter((r) => r.sentiment?.status === 'scored');
    expect(scored).toHaveLength(40);
    expect(ids).toHaveLength(40);
    expect(await store.listSettling(100)).toEqual([]);
    expect((await rawItems('pending')).some((item) => item.sentimentPending !== undefined)).toBe(false);
  });

  it('the follow-up router finds unrouted detractors on every shard and routes each once', async () => {
    // Prepare: 30 detractors over every shard
    const store = freshStore();
    const detractors = Array.from({ length: 30 }, (_, i) =>
      storedResponse({ id: `detractor-${i}`, surveyId: 'detractors', answers: { nps: 2 }, followUp: { reasons: [{ rule: 'nps', question: 'nps', score: 2, atMost: 6 }] }, receivedAt: new Date(Date.UTC(2026, 10, 20, 7, i)).toISOString() }),
    );
    for (const response of detractors) await store.putIfAbsent(response);
    expect(new Set((await rawItems('detractors')).map((item) => item.routingPending)).size).toBe(RESPONSE_INDEX_SHARDS);
    const sent: RoutedDetractor[] = [];

    // Act: batches of 4, so the router pages through the shards several times
    const { routed } = await makeRouteDetractors({ responses: store, queue: { send: async (message) => void sent.push(message) }, clock, batchSize: 4 })();

    // Assess
    expect(routed).toBe(30);
    expect(sent.map((m) => m.response.responseId).sort()).toEqual(detractors.map((r) => r.id).sort());
    expect(await store.listUnrouted(100)).toEqual([]);
  });
});

describe('the upgrade from the unsharded indexes', () => {
  let upgrading: Awaited<ReturnType<typeof startTestDynamo>>;
  const legacy = Array.from({ length: 24 }, (_, i) =>
    storedResponse({ id: `legacy-${String(i).padStart(2, '0')}`, surveyId: 'upgrade', receivedAt: new Date(Date.UTC(2026, 10, 19, 10, i)).toISOString() }),
  );
  const current = Array.from({ length: 24 }, (_, i) =>
    storedResponse({ id: `current-${String(i).padStart(2, '0')}`, surveyId: 'upgrade', receivedAt: new Date(Date.UTC(2026, 10, 19, 10, i, 30)).toISOString() }),
  );
  const all = [...legacy, ...current];

  beforeAll(async () => {
    // a table of its own, as the previous version left it: these stored, one pending a sentiment, one settling, one a
    // detractor to route
    upgrading = await startTestDynamo('index-upgrade');
    for (const response of legacy.slice(3)) await putAsPreviousVersion(upgrading.db, response);
    await putAsPreviousVersion(upgrading.db, { ...legacy[0]!, comment: 'slow', sentiment: { status: 'pending' } }, { sentimentPending: 'pending' });
    await putAsPreviousVersion(
      upgrading.db,
      { ...legacy[1]!, comment: 'fine', sentiment: { status: 'scored', label: 'POSITIVE', language: 'en', scores: { positive: 1, negative: 0, neutral: 0, mixed: 0 } } },
      { sentimentPending: 'settling' },
    );
    await putAsPreviousVersion(upgrading.db, { ...legacy[2]!, followUp: { reasons: [{ rule: 'nps', question: 'nps', score: 2, atMost: 6 }] } }, { routingPending: 'pending' });
    // then this version, deployed, stores more
    const store = createDynamoResponseStore(upgrading.db, 'responses', clock);
    for (const response of current) await store.putIfAbsent(response);
  });
  afterAll(async () => {
    await upgrading?.close();
  });

  async function expectEverythingFound() {
    const store = createDynamoResponseStore(upgrading.db, 'responses', clock);
    expect((await readAll(store, { surveyId: 'upgrade', limit: 5 })).ids).toEqual(newestFirst(all));
    expect((await store.listPendingSentiment(100)).map((r) => r.id)).toEqual([legacy[0]!.id]);
    expect((await store.listSettling(100)).map((r) => r.id)).toEqual([legacy[1]!.id]);
    expect((await store.listUnrouted(100)).map((r) => r.id)).toEqual([legacy[2]!.id]);
  }

  it('lists and finds the previous version’s items beside the new ones before the backfill', async () => {
    await expectEverythingFound();
  });

  it('the backfill shards them in passes, is done only after a clean pass begun 10 minutes after the first, and everything stays found', async () => {
    // Prepare
    const backfill = createIndexShardBackfill(upgrading.db, 'responses', clock);
    const always = () => true;

    // Act: the first run (a pass that changed items), a listing while half-done, then runs 15 minutes apart
    const first = await backfill.run(always);
    await expectEverythingFound();
    now += 15 * MINUTE;
    const second = await backfill.run(always);
    now += 15 * MINUTE;
    const third = await backfill.run(always);

    // Assess
    expect(first).toEqual({ changed: 24, done: false });
    expect(second).toEqual({ changed: 0, done: true });
    expect(third).toEqual({ changed: 0, done: true });
    const items = await rawItems('upgrade', upgrading.db);
    expect(items.every((item) => typeof item.surveyShard === 'string')).toBe(true);
    expect(items.map((item) => item.sentimentPending ?? item.routingPending).filter(Boolean).every((value) => /^(pending|settling)#[0-7]$/.test(String(value)))).toBe(true);
    expect(await backfill.isDone()).toBe(true);
    await expectEverythingFound();
  });

  it('goes on where it stopped when its time runs out', async () => {
    // Prepare: a table of its own state, three pages' worth of the previous version's items
    const table = await startTestDynamo('index-backfill');
    try {
      for (let i = 0; i < 1_200; i += 1) {
        const response = storedResponse({ id: `old-${i}`, surveyId: 'big', receivedAt: new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString() });
        await table.db.send(new PutCommand({ TableName: 'responses', Item: { ...response, responseId: response.id, receivedKey: `${response.receivedAt}#${response.id}` } }));
      }
      const backfill = createIndexShardBackfill(table.db, 'responses', clock);
      let pages = 0;

      // Act: time for one page a run
      const runs: number[] = [];
      for (let run = 0; run < 3; run += 1) {
        pages = 0;
        runs.push((await backfill.run(() => (pages += 1) === 1)).changed);
      }

      // Assess: a page (500 items read, the state item among them once it exists) a run, and every item once
      expect(runs[0]).toBe(500);
      expect(runs.every((changed) => changed > 0 && changed <= 500)).toBe(true);
      expect(runs.reduce((a, b) => a + b, 0)).toBe(1_200);
    } finally {
      await table.close();
    }
  });
});

describe('a deployment without the legacy bySurvey index (the default)', () => {
  let fresh: Awaited<ReturnType<typeof startTestDynamo>>;
  const responses = Array.from({ length: 30 }, (_, i) =>
    storedResponse({ id: `fresh-${String(i).padStart(2, '0')}`, surveyId: 'fresh', receivedAt: new Date(Date.UTC(2026, 10, 20, 8, i)).toISOString() }),
  );

  beforeAll(async () => {
    // a new table: no backfill has run, so nothing says the shards are complete; no bySurvey index to fall back on
    fresh = await startTestDynamo('index-fresh', { legacyIndexes: false });
    const store = createDynamoResponseStore(fresh.db, 'responses', clock, { legacyIndex: false });
    for (const response of responses.slice(3)) await store.putIfAbsent(response);
    await store.putIfAbsent({ ...responses[0]!, comment: 'slow', sentiment: { status: 'pending' } });
    await store.putIfAbsent({ ...responses[1]!, followUp: { reasons: [{ rule: 'nps', question: 'nps', score: 2, atMost: 6 }] } });
    await store.putIfAbsent(responses[2]!);
  });
  afterAll(async () => {
    await fresh?.close();
  });

  it('lists and finds everything through the shards at once, before any backfill run', async () => {
    // Act
    const store = createDynamoResponseStore(fresh.db, 'responses', clock, { legacyIndex: false });

    // Assess
    expect((await readAll(store, { surveyId: 'fresh', limit: 7 })).ids).toEqual(newestFirst(responses));
    expect((await store.listPendingSentiment(100)).map((r) => r.id)).toEqual([responses[0]!.id]);
    expect((await store.listUnrouted(100)).map((r) => r.id)).toEqual([responses[1]!.id]);
  });

  it('would fail with the legacy reads a table with that index needs: the option is what keeps the store off it', async () => {
    const legacyReader = createDynamoResponseStore(fresh.db, 'responses', clock, { legacyIndex: true });
    await expect(legacyReader.listBySurvey({ surveyId: 'fresh', limit: 5, now: clock.now() })).rejects.toThrow(/index/i);
  });
});
