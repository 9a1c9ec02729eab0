// faults the local engines cannot produce: DynamoDB answering a BatchGetItem with some keys unprocessed (throttling),
// which dynalite never does. The erasure check of the process step (and the other batch reads, through
// shared/dynamo-batch-get.ts) asks again for what is left, pausing between asks, and gives up after a bounded number of
// attempts instead of spinning for the function's whole timeout.
import { BatchGetCommand, DynamoDBDocumentClient } from '../../shared/aws/dynamodb.js';
import { mockAws } from '../support/aws-mock.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { customerRefHashOf } from '../../shared/audit/audit-entry.js';
import { createDynamoErasureMarkers } from '../../shared/privacy/dynamo-erasure-markers.js';

const db = mockAws(DynamoDBDocumentClient);
const markers = createDynamoErasureMarkers(new DynamoDBDocumentClient({} as never), 'erasures');
const ERASED_AT = '2026-12-07T12:00:00.000Z';

beforeEach(() => {
  db.reset();
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** answers each batch with the first `processed` keys found erased, the rest unprocessed */
const answeringWith = (processed: (call: number) => number) => {
  let call = 0;
  db.on(BatchGetCommand).callsFake(({ RequestItems }: { RequestItems: Record<string, { Keys: { customerRefHash: string }[] }> }) => {
    const keys = RequestItems.erasures!.Keys;
    const done = processed(call++);
    return {
      Responses: { erasures: keys.slice(0, done).map(({ customerRefHash }) => ({ customerRefHash, erasedAt: ERASED_AT })) },
      UnprocessedKeys: keys.length > done ? { erasures: { Keys: keys.slice(done) } } : {},
    };
  });
};

describe('erasure markers: unprocessed keys', () => {
  it('asks again for the keys left unprocessed, after a pause, until every one is read (strongly consistent each time)', async () => {
    // Prepare: 150 refs, two batches; each ask processes 40 keys
    const refs = Array.from({ length: 150 }, (_, i) => `cust-${i}`);
    answeringWith(() => 40);

    // Act
    const reading = markers.erasedAt(refs);
    await vi.runAllTimersAsync();
    const found = await reading;

    // Assess
    expect(found.size).toBe(150);
    expect(found.get('cust-149')).toBe(ERASED_AT);
    const calls = db.commandCalls(BatchGetCommand).map(({ args: [command] }) => command.input.RequestItems!.erasures!);
    // 100 keys: 40, 40, 20; then 50: 40, 10
    expect(calls.map((request) => request.Keys!.length)).toEqual([100, 60, 20, 50, 10]);
    expect(calls.every((request) => request.ConsistentRead === true)).toBe(true);
    expect(new Set(calls.flatMap((request) => request.Keys!.map((key) => key.customerRefHash))).size).toBe(150);
    expect(calls[0]!.Keys![0]).toEqual({ customerRefHash: customerRefHashOf('cust-0') });
  });

  it('fails after 10 attempts when keys stay unprocessed, rather than asking for ever', async () => {
    // Prepare
    answeringWith(() => 0);

    // Act
    const reading = markers.erasedAt(['cust-1']).catch((error: Error) => error);
    await vi.runAllTimersAsync();
    const outcome = await reading;

    // Assess: the batch fails (the process step then fails its records, which the queue redelivers)
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toBe('erasures: a batch read kept returning unprocessed keys');
    expect(db.commandCalls(BatchGetCommand)).toHaveLength(10);
  });
});
