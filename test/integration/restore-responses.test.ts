// integration: bringing back lost responses from a point-in-time restore (shared/response/restore-responses.ts). The
// restored table is a second table with the live one's schema, seeded as the platform stores items; real dynalite, the
// real erasure markers, dirty buckets and rollup.
import { DeleteCommand, GetCommand, PutCommand, ScanCommand } from '../../shared/aws/dynamodb.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../shared/clock.js';
import { createDynamoErasureMarkers } from '../../shared/privacy/dynamo-erasure-markers.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { createDynamoLiveResponses, createDynamoRestoredTable } from '../../shared/response/dynamo-restored-responses.js';
import { pendingValueOf, PENDING, surveyShardOf } from '../../shared/response/response-indexes.js';
import { makeRestoreResponses, RESTORE_ITEMS_PER_SECOND, RESTORE_WINDOW_SECONDS, type RestoreOutcome } from '../../shared/response/restore-responses.js';
import { createDynamoAggregateStore } from '../../shared/rollup/dynamo-aggregate-store.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import type { DirtyBuckets } from '../../shared/rollup/dirty-buckets.js';
import { makeRollUp } from '../../shared/rollup/roll-up.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { CLI_TEST_TIMEOUT_MS, runCli } from '../support/cli.js';
import { createTableLike, startTestDynamo } from '../support/dynamo.js';
import { storedResponse, surveyWith } from '../support/fixtures.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
const clock: Clock = { now: () => new Date() };
const START = Date.now();
/** an instant in the hour 30 hours before the test's start, at `minute` */
const at = (minute: number, offsetMs = 0) => new Date(Math.floor(START / 3_600_000) * 3_600_000 - 30 * 3_600_000 + minute * 60_000 + 5_000 + offsetMs).toISOString();
const LATER = Math.floor(START / 1000) + 30 * 86_400;
const RESTORED_AT = new Date(START - 3_600_000);

const restoreFrom = (restoredTable: string, dirty: DirtyBuckets = createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets')) =>
  makeRestoreResponses({
    restored: createDynamoRestoredTable(dynamo.db, restoredTable),
    live: createDynamoLiveResponses(dynamo.db, 'responses'),
    erasures: createDynamoErasureMarkers(dynamo.db, 'erasures'),
    dirty,
    clock,
  });
const itemOf = async (table: string, responseId: string) => (await dynamo.db.send(new GetCommand({ TableName: table, Key: { responseId } }))).Item;
const allItems = async (table: string) => (await dynamo.db.send(new ScanCommand({ TableName: table }))).Items ?? [];
const marked = async (surveyId: string) =>
  (await allItems('dirtyBuckets'))
    .filter((item) => item.surveyId === surveyId)
    .map((item) => item.bucket as string)
    .sort();
const counts = (outcome: RestoreOutcome) => ('counts' in outcome ? outcome.counts : outcome);

beforeAll(async () => {
  dynamo = await startTestDynamo('restore-responses');
  for (const table of ['restored', 'crash-restored', 'rollup-restored', 'race-restored', 'cli-restored']) await createTableLike(dynamo.client, 'responses', table);
});
afterAll(async () => {
  await dynamo?.close();
});

describe('restoring responses from a point-in-time restore', () => {
  const surveyId = 'restore';
  const detractor = { reasons: [{ rule: 'nps' as const, question: 'nps', score: 2, atMost: 6 }] };

  beforeAll(async () => {
    // Prepare: the restored table holds one item of each case, stored as the platform stores them
    const restored = createDynamoResponseStore(dynamo.db, 'restored');
    const live = createDynamoResponseStore(dynamo.db, 'responses');
    const markers = createDynamoErasureMarkers(dynamo.db, 'erasures');
    const response = (id: string, minute: number, fields = {}) => storedResponse({ id, surveyId, receivedAt: at(minute), storedAt: at(minute, 1000), expiresAt: LATER, answers: { nps: 2 }, ...fields });
    // lost: a detractor not yet routed, its sentiment still to be scored
    await restored.putIfAbsent(response('lost', 1, { comment: 'slow delivery', sentiment: { status: 'pending' }, followUp: detractor, customerRef: 'kept@example.com' }));
    // stored again since the restore point, with other content
    await restored.putIfAbsent(response('changed', 2, { comment: 'as it was' }));
    await live.putIfAbsent(response('changed', 2, { comment: 'as it is now', storedAt: at(2, 2000) }));
    await restored.putIfAbsent(response('expired', 3, { expiresAt: Math.floor(START / 1000) - 60 }));
    await restored.putIfAbsent(response('erased-after', 4, { customerRef: 'gone@example.com' }));
    await markers.mark('gone@example.com', new Date(at(4, 3_600_000)));
    await restored.putIfAbsent(response('erased-before', 5, { customerRef: 'back@example.com' }));
    await markers.mark('back@example.com', new Date(at(5, -86_400_000)));
    // an erasure had begun on it at the restore point (responsesHolder): its surveyId moved aside
    const { surveyId: _s, surveyShard: _shard, ...beingErased } = { ...response('being-erased', 6, { customerRef: 'leaving@example.com' }), responseId: 'being-erased', receivedKey: `${at(6)}#being-erased`, surveyShard: '' };
    await dynamo.db.send(new PutCommand({ TableName: 'restored', Item: { ...beingErased, erasingSurveyId: surveyId } }));
    await dynamo.db.send(new PutCommand({ TableName: 'restored', Item: { responseId: '#index-shards', createdAt: at(0), found: 0 } }));
    // stored before the sharded indexes and the expiry index: unsharded values, no surveyShard, no expiry attributes
    await dynamo.db.send(
      new PutCommand({
        TableName: 'restored',
        Item: { ...response('legacy', 7, { comment: 'fine', sentiment: { status: 'pending' } }), responseId: 'legacy', receivedKey: `${at(7)}#legacy`, sentimentPending: PENDING },
      }),
    );
    // redacted under older rules, which let an e-mail address through
    await restored.putIfAbsent(response('old-rules', 8, { comment: 'write to jane.doe@example.com', redaction: { status: 'redacted' }, sentiment: { status: 'unscored', language: 'en', reason: 'x' } }));
  });

  it('a dry run counts what it would copy and writes nothing', async () => {
    // Act
    const outcome = await restoreFrom('restored')({ restoredAt: RESTORED_AT, dryRun: true });

    // Assess
    expect(counts(outcome)).toEqual({ read: 9, copied: 4, alreadyPresent: 1, expired: 1, erased: 2, system: 1 });
    expect((await allItems('responses')).map((item) => item.responseId)).toEqual(['changed']);
    expect(await marked(surveyId)).toEqual([]);
  });

  it('copies the lost responses as stored, keeps what changed since, and leaves out the expired, the erased and system items', async () => {
    // Act
    const outcome = await restoreFrom('restored')({ restoredAt: RESTORED_AT, dryRun: false });

    // Assess: the counts, and exactly which items the live table holds
    expect(counts(outcome)).toEqual({ read: 9, copied: 4, alreadyPresent: 1, expired: 1, erased: 2, system: 1 });
    expect((await allItems('responses')).map((item) => item.responseId).sort()).toEqual(['changed', 'erased-before', 'legacy', 'lost', 'old-rules']);
    expect((await itemOf('responses', 'changed'))?.comment).toBe('as it is now');
    // the item as stored, its index attributes included, with when it was restored
    const lost = await itemOf('responses', 'lost');
    expect(lost).toEqual({ ...(await itemOf('restored', 'lost')), restoredAt: expect.any(String) });
    expect(lost).toMatchObject({ sentimentPending: pendingValueOf(PENDING, 'lost'), routingPending: pendingValueOf(PENDING, 'lost'), surveyShard: surveyShardOf(surveyId, 'lost') });
  });

  it('gives a copy the index attributes and redaction of this version where it was stored before them', async () => {
    const legacy = await itemOf('responses', 'legacy');
    expect(legacy).toMatchObject({ surveyShard: surveyShardOf(surveyId, 'legacy'), sentimentPending: pendingValueOf(PENDING, 'legacy'), expiryKey: expect.stringMatching(/#legacy$/) });
    const oldRules = await itemOf('responses', 'old-rules');
    expect(oldRules?.comment).not.toContain('jane.doe@example.com');
    expect(oldRules?.redaction).toEqual({ status: 'redacted', found: { EMAIL: 1 } });
  });

  it('hands the copies to the rescore, the follow-up router and the survey listing as before', async () => {
    const store = createDynamoResponseStore(dynamo.db, 'responses');
    expect((await store.listUnrouted(10)).map((r) => r.id)).toEqual(['lost']);
    expect((await store.listPendingSentiment(10)).map((r) => r.id).sort()).toEqual(['legacy', 'lost']);
    const listed = (await store.listBySurvey({ surveyId, limit: 10, now: clock.now() })).items;
    expect(listed.map((r) => r.id).sort()).toEqual(['changed', 'erased-before', 'legacy', 'lost', 'old-rules']);
    // what a restore added is no part of the response as read
    expect(listed.find((r) => r.id === 'lost')).not.toHaveProperty('restoredAt');
  });

  it('marks the minutes of the copied responses only, for the rollup', async () => {
    expect(await marked(surveyId)).toEqual([at(1), at(5), at(7), at(8)].map((instant) => instant.slice(0, 16)));
  });

  it('copies nothing when run again', async () => {
    // Prepare
    const before = await allItems('responses');

    // Act
    const outcome = await restoreFrom('restored')({ restoredAt: RESTORED_AT, dryRun: false });

    // Assess
    expect(counts(outcome)).toEqual({ read: 9, copied: 0, alreadyPresent: 5, expired: 1, erased: 2, system: 1 });
    expect(await allItems('responses')).toEqual(before);
  });

  it('refuses a restore point older than the erasure markers vouch for, and writes nothing', async () => {
    // Prepare
    const tooOld = new Date(START - RESTORE_WINDOW_SECONDS * 1000 - 60_000);
    await dynamo.db.send(new DeleteCommand({ TableName: 'responses', Key: { responseId: 'lost' } }));

    // Act
    const outcome = await restoreFrom('restored')({ restoredAt: tooOld, dryRun: false });

    // Assess
    expect(outcome).toEqual({ refused: expect.stringMatching(/older than .*an erasure is remembered for 30 days/) });
    expect(await itemOf('responses', 'lost')).toBeUndefined();
  });
});

describe('a response stored in the live table while a restore runs', () => {
  it('is kept as stored then, never overwritten by the copy', async () => {
    // Prepare: the live table lacks it when asked, and a redelivery stores it just after (before the copy)
    await createDynamoResponseStore(dynamo.db, 'race-restored').putIfAbsent(storedResponse({ id: 'raced', surveyId: 'race', receivedAt: at(11), expiresAt: LATER, comment: 'as restored' }));
    const live = createDynamoLiveResponses(dynamo.db, 'responses');
    const racing = {
      ...live,
      async holding(ids: readonly string[]) {
        const held = await live.holding(ids);
        await createDynamoResponseStore(dynamo.db, 'responses').putIfAbsent(storedResponse({ id: 'raced', surveyId: 'race', receivedAt: at(11), expiresAt: LATER, comment: 'stored meanwhile' }));
        return held;
      },
    };
    const restore = makeRestoreResponses({
      restored: createDynamoRestoredTable(dynamo.db, 'race-restored'),
      live: racing,
      erasures: createDynamoErasureMarkers(dynamo.db, 'erasures'),
      dirty: createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets'),
      clock,
    });

    // Act
    const outcome = await restore({ restoredAt: RESTORED_AT, dryRun: false });

    // Assess
    expect(counts(outcome)).toMatchObject({ copied: 0, alreadyPresent: 1 });
    expect((await itemOf('responses', 'raced'))?.comment).toBe('stored meanwhile');
  });
});

describe('the pace of a restore', () => {
  it('copies RESTORE_ITEMS_PER_SECOND at most: it waits before each group of 25 until its time has come', async () => {
    // Prepare: 60 lost responses, and a clock that does not move, so every wait is the whole of the pace's
    await createTableLike(dynamo.client, 'responses', 'paced-restored');
    const restoredStore = createDynamoResponseStore(dynamo.db, 'paced-restored');
    for (let i = 0; i < 60; i++) await restoredStore.putIfAbsent(storedResponse({ id: `paced-${i}`, surveyId: 'paced', receivedAt: at(20), expiresAt: LATER }));
    const stopped = new Date();
    const pauses: number[] = [];
    const restore = makeRestoreResponses({
      restored: createDynamoRestoredTable(dynamo.db, 'paced-restored'),
      live: createDynamoLiveResponses(dynamo.db, 'responses'),
      erasures: createDynamoErasureMarkers(dynamo.db, 'erasures'),
      dirty: createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets'),
      clock: { now: () => stopped },
      pause: async (ms) => {
        pauses.push(ms);
      },
    });

    // Act
    const outcome = await restore({ restoredAt: RESTORED_AT, dryRun: false });

    // Assess: groups of 25, 25 and 10: the second due 25 items in, the third 50 (at 200 a second: 125 and 250 ms)
    expect(counts(outcome)).toMatchObject({ copied: 60 });
    expect(pauses).toEqual([25, 50].map((items) => (items / RESTORE_ITEMS_PER_SECOND) * 1000));
  });
});

describe('a customer erased while a restore runs', () => {
  it('loses the copy again: the restore looks for the marker once more after its put, as the process step does', async () => {
    // Prepare: the erasure comes between the restore's marker read and its put, writes its marker and finds nothing
    await createDynamoResponseStore(dynamo.db, 'race-restored').putIfAbsent(
      storedResponse({ id: 'erased-meanwhile', surveyId: 'erasing', receivedAt: at(12), expiresAt: LATER, customerRef: 'leaving-now@example.com' }),
    );
    const live = createDynamoLiveResponses(dynamo.db, 'responses');
    const erasing = {
      ...live,
      async copyIfAbsent(item: Parameters<typeof live.copyIfAbsent>[0], when: Date) {
        if (item.responseId === 'erased-meanwhile') await createDynamoErasureMarkers(dynamo.db, 'erasures').mark('leaving-now@example.com', new Date());
        return live.copyIfAbsent(item, when);
      },
    };
    const restore = makeRestoreResponses({
      restored: createDynamoRestoredTable(dynamo.db, 'race-restored'),
      live: erasing,
      erasures: createDynamoErasureMarkers(dynamo.db, 'erasures'),
      dirty: createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets'),
      clock,
    });

    // Act
    const outcome = await restore({ restoredAt: RESTORED_AT, dryRun: false });

    // Assess: not in the live table, counted as erased, and its minute marked so the rollup drops it if counted
    expect(counts(outcome)).toMatchObject({ erased: 1 });
    expect(await itemOf('responses', 'erased-meanwhile')).toBeUndefined();
    expect(await marked('erasing')).toHaveLength(1);
  });
});

describe('a restore that stops between a copy and its mark', () => {
  it('marks the minute on the next run, which finds the copy already there', async () => {
    // Prepare: the mark fails once, after the put
    await createDynamoResponseStore(dynamo.db, 'crash-restored').putIfAbsent(storedResponse({ id: 'crash', surveyId: 'crash', receivedAt: at(9), expiresAt: LATER, answers: { nps: 9 } }));
    const dirty = createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets');
    const failing: DirtyBuckets = {
      ...dirty,
      mark: async () => {
        throw new Error('throttled');
      },
    };

    // Act
    const first = await restoreFrom('crash-restored', failing)({ restoredAt: RESTORED_AT, dryRun: false }).catch((error: Error) => error.message);
    const second = await restoreFrom('crash-restored')({ restoredAt: RESTORED_AT, dryRun: false });

    // Assess
    expect(first).toBe('throttled');
    expect(await itemOf('responses', 'crash')).toBeDefined();
    expect(counts(second)).toMatchObject({ copied: 0, alreadyPresent: 1 });
    expect(await marked('crash')).toEqual([at(9).slice(0, 16)]);
  });
});

describe('a restored response and the metrics', () => {
  it('is counted again by the rollup once copied back', async () => {
    // Prepare: two responses of one minute stored and rolled up; the restore holds both; one is then deleted by
    // mistake and the rollup recomputes the minute (another response of it was re-marked) without it
    const surveys = createDynamoSurveyStore(dynamo.db, 'surveys');
    const aggregates = createDynamoAggregateStore(dynamo.db, 'aggregates');
    const dirty = createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets');
    const live = createDynamoResponseStore(dynamo.db, 'responses');
    const rollUp = makeRollUp({ responses: live, aggregates, dirty, surveys, clock, settleSeconds: 0 });
    await surveys.put(surveyWith([{ id: 'nps', type: 'nps' }], { id: 'counted' }));
    const hour = at(10).slice(0, 13);
    const hourCount = async () => (await aggregates.list('counted', 'hour', hour, hour))[0]?.total.responses;
    for (const id of ['kept', 'deleted']) {
      const response = storedResponse({ id, surveyId: 'counted', receivedAt: at(10), expiresAt: LATER, answers: { nps: 9 } });
      await live.putIfAbsent(response);
      await createDynamoResponseStore(dynamo.db, 'rollup-restored').putIfAbsent(response);
    }
    await dirty.mark('counted', at(10).slice(0, 16), clock.now());
    await rollUp();
    const before = await hourCount();
    await dynamo.db.send(new DeleteCommand({ TableName: 'responses', Key: { responseId: 'deleted' } }));
    await dirty.mark('counted', at(10).slice(0, 16), clock.now());
    await rollUp();
    const afterLoss = await hourCount();

    // Act
    await restoreFrom('rollup-restored')({ restoredAt: RESTORED_AT, dryRun: false });
    await rollUp();

    // Assess
    expect({ before, afterLoss, afterRestore: await hourCount() }).toEqual({ before: 2, afterLoss: 1, afterRestore: 2 });
  });
});

describe('`npm run cli -- responses restore`', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('asks for --restored-at where the table is no restore, dry-runs, copies, and prints counts, never content', async () => {
    // Prepare: dynalite's tables have no RestoreSummary, as a table that is no restore
    await createDynamoResponseStore(dynamo.db, 'cli-restored').putIfAbsent(
      storedResponse({ id: 'cli-lost', surveyId: 'cli', receivedAt: at(12), expiresAt: LATER, comment: 'private words', customerRef: 'cli@example.com' }),
    );
    const env = { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };
    const tables = ['--restored', 'cli-restored', '--responses', 'responses', '--erasures', 'erasures', '--dirty-buckets', 'dirtyBuckets'];
    const cli = (...args: string[]) => runCli('http://127.0.0.1:9', ['responses', 'restore', ...tables, ...args], undefined, env);

    // Act
    const noPoint = await cli();
    const tooOld = await cli('--restored-at', new Date(START - RESTORE_WINDOW_SECONDS * 1000 - 3_600_000).toISOString());
    const dryRun = await cli('--restored-at', RESTORED_AT.toISOString(), '--dry-run');
    const liveAfterDryRun = await itemOf('responses', 'cli-lost');
    const run = await cli('--restored-at', RESTORED_AT.toISOString());

    // Assess
    expect(noPoint).toMatchObject({ code: 2, stdout: '' });
    expect(noPoint.stderr).toMatch(/^responses restore: --restored-at is missing: cli-restored is not a point-in-time restore/);
    expect(tooOld).toMatchObject({ code: 1, stdout: '' });
    expect(tooOld.stderr).toMatch(/^responses restore: refused: the restore point .* is older than/);
    expect(dryRun).toMatchObject({ code: 0, stderr: '' });
    expect(dryRun.stdout).toMatch(/dry run: nothing written\n1 items read\n {2}to copy +1\n/);
    expect(liveAfterDryRun).toBeUndefined();
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/\n {2}copied +1\n/);
    expect(await itemOf('responses', 'cli-lost')).toMatchObject({ comment: 'private words' });
    for (const output of [noPoint, tooOld, dryRun, run]) expect(`${output.stdout}${output.stderr}`).not.toMatch(/private words|cli@example.com/);
  });
});
