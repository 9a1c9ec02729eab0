// integration, on dynalite: the every-minute runs over the responses' sparse indexes (pending sentiments, unrouted
// detractors) find an empty index with one read of at most one item, and query its write shards only when it holds
// something; what they find then is what they found before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '../../shared/aws/dynamodb.js';
import type { Clock } from '../../shared/clock.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { RESPONSE_INDEX_SHARDS } from '../../shared/response/response-indexes.js';
import { startTestDynamo } from '../support/dynamo.js';
import { storedResponse } from '../support/fixtures.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
const clock: Clock = { now: () => new Date('2026-11-20T12:00:00.000Z') };

beforeAll(async () => {
  dynamo = await startTestDynamo('sparse-index-probe');
});
afterAll(async () => {
  await dynamo?.close();
});

/** the store over the real client, with the reads it sends counted by kind */
function countedStore() {
  const reads = { scans: 0, queries: 0 };
  const scanned: (string | undefined)[] = [];
  const db = {
    send: (command: unknown) => {
      if (command instanceof ScanCommand) {
        reads.scans += 1;
        scanned.push(command.input.IndexName);
      }
      if (command instanceof QueryCommand) reads.queries += 1;
      return dynamo.db.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
  return { store: createDynamoResponseStore(db, 'responses', clock, { legacyIndex: false }), reads, scanned };
}

describe('the sparse indexes of the every-minute runs', () => {
  it('are found empty with one read each, no shard queried, in a table of scored responses', async () => {
    // Prepare: responses that are in neither sparse index (scored, no detractor), so a read of the table would find them
    const { store: writer } = countedStore();
    for (const id of ['scored-1', 'scored-2', 'scored-3']) {
      await writer.putIfAbsent(storedResponse({ id, comment: 'fine', sentiment: { status: 'scored', label: 'POSITIVE', scores: { positive: 0.9, negative: 0.02, neutral: 0.07, mixed: 0.01 }, language: 'en' }, expiresAt: 4_000_000_000 }));
    }
    const { store, reads, scanned } = countedStore();

    // Act
    const found = [await store.listPendingSentiment(100, clock.now()), await store.listSettling(100), await store.listUnrouted(100)];

    // Assess
    expect(found).toEqual([[], [], []]);
    expect(reads).toEqual({ scans: 3, queries: 0 });
    expect(scanned).toEqual(['pendingSentiment', 'pendingSentiment', 'unrouted']);
  });

  it('holding one pending sentiment and one unrouted detractor, have every shard queried and give what they hold', async () => {
    // Prepare
    const { store: writer } = countedStore();
    await writer.putIfAbsent(storedResponse({ id: 'pending-1', comment: 'late', sentiment: { status: 'pending' }, expiresAt: 4_000_000_000 }));
    const detractor = storedResponse({ id: 'detractor-1', answers: { nps: 1 }, sentiment: null, expiresAt: 4_000_000_000 });
    await writer.putIfAbsent(detractor);
    await writer.markDetractor(detractor, [{ rule: 'nps', question: 'nps', score: 1, atMost: 6 }]);
    const { store, reads } = countedStore();

    // Act
    const pending = await store.listPendingSentiment(100, clock.now());
    const afterPending = { ...reads };
    const unrouted = await store.listUnrouted(100);

    // Assess
    expect(pending.map((r) => r.id)).toEqual(['pending-1']);
    expect(afterPending).toEqual({ scans: 1, queries: RESPONSE_INDEX_SHARDS });
    expect(unrouted.map((r) => r.id)).toEqual(['detractor-1']);
    expect(reads).toEqual({ scans: 2, queries: 2 * RESPONSE_INDEX_SHARDS });
  });
});
