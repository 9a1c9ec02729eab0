// fault suite: `npm start` killed with SIGKILL at random points while a load generator submits responses with random
// duplicate idempotency keys and random redeliveries, restarted on the same data folder each time. Afterwards every
// acknowledged response is stored exactly once and every rollup aggregate equals a direct computation.
// Short form in `npm test` (200 responses, 2 kills); `npm run test:faults` runs the full form (5,000, 5 kills).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, DynamoDBDocumentClient, ScanCommand } from '../../shared/aws/dynamodb.js';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { histogramOf } from '../../shared/metrics/histogram-of.js';
import type { StoredResponse } from '../../shared/response/stored-response.js';
import { dayKeyOf, hourKeyOf, minuteKeyOf } from '../../shared/rollup/bucket.js';
import { surveySchema } from '../../shared/survey/schema.js';
import { FAULTS_ADMIN_TOKEN, queueUrlOf, sqsCall, startChildRuntime, stopChild, type ChildRuntime } from './support/child-runtime.js';
import { recordSummary } from './support/summary.js';

const FULL = Boolean(process.env.FAULTS_FULL);
const RESPONSES = Number(process.env.FAULTS_RESPONSES ?? (FULL ? 5_000 : 200));
const KILLS = FULL ? 5 : 2;
const CLIENTS = 16;
const seed = Number(process.env.FAULTS_SEED ?? Date.now() % 1_000_000);

// a small seeded generator (mulberry32), so a failing run can be replayed with FAULTS_SEED
function random(seedValue: number) {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SURVEY = surveySchema.parse({
  id: 'crash',
  title: 'crash',
  channels: ['web', 'api'],
  questions: [{ id: 'nps', type: 'nps' }, { id: 'csat', type: 'csat' }, { id: 'comment', type: 'text' }],
  texts: { en: { title: 'crash', questions: {} } },
});

const dataDir = mkdtempSync(join(tmpdir(), 'feedback-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function scanAll(db: DynamoDBDocumentClient, table: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let startKey: Record<string, any> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

describe(`the local runtime killed with SIGKILL ${KILLS} times while ${RESPONSES} responses stream in`, () => {
  it('stores every acknowledged response exactly once, and its rollups equal a direct computation', async () => {
    // Prepare
    const rand = random(seed);
    let runtime: ChildRuntime = await startChildRuntime(dataDir);
    const put = await fetch(`${runtime.url}/v1/surveys/crash`, { method: 'PUT', headers: { authorization: `Bearer ${FAULTS_ADMIN_TOKEN}` }, body: JSON.stringify(SURVEY) });
    expect(put.status).toBe(200);
    const payloads = Array.from({ length: RESPONSES }, (_, i) => ({
      surveyId: 'crash',
      idempotencyKey: `crash-${seed}-${i}`,
      channel: rand() < 0.5 ? 'web' : 'api',
      answers: { nps: Math.floor(rand() * 11), ...(rand() < 0.8 ? { csat: 1 + Math.floor(rand() * 5) } : {}) },
      ...(rand() < 0.5 ? { comment: rand() < 0.5 ? 'Great service, quick and friendly.' : 'Terrible, the parcel was late and broken.' } : {}),
    }));
    const acknowledged = new Map<string, string>(); // key → id
    const serverErrorSamples: string[] = [];
    // the runtimes' error logs (by error name only: logs carry no payloads), to explain any 5xx
    const errorNames = new Set<string>();
    const collectErrors = (child: ChildRuntime) => {
      for (const match of child.outputAfterReady().matchAll(/"errorName":"([^"]+)"/g)) errorNames.add(match[1]!);
    };
    const stats = { tried: 0, serverErrors: 0, duplicateAcks: 0, replayed: 0, networkErrors: 0 };
    // each redelivered response's storedAt when it was sent again: a redelivery that was not suppressed rewrites it
    const redelivered: { id: string; storedAt: string }[] = [];
    let up: Promise<void> = Promise.resolve();
    const jobs: { index: number; duplicate: boolean }[] = payloads.map((_, index) => ({ index, duplicate: false }));
    let running = true;

    const submit = async (job: { index: number; duplicate: boolean }) => {
      for (;;) {
        await up;
        stats.tried += 1;
        try {
          const response = await fetch(`${runtime.url}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payloads[job.index]) });
          if (response.status >= 500 && response.status !== 503) {
            stats.serverErrors += 1;
            if (serverErrorSamples.length < 3) serverErrorSamples.push(`${response.status} ${(await response.text()).slice(0, 120)}`);
            await sleep(20);
            continue;
          }
          if (response.status === 202) {
            const { id } = (await response.json()) as { id: string };
            const key = payloads[job.index]!.idempotencyKey;
            if (acknowledged.has(key)) {
              stats.duplicateAcks += 1;
              expect(acknowledged.get(key)).toBe(id);
            }
            acknowledged.set(key, id);
            // a random duplicate: the same key sent again later (a client retry after a lost answer)
            if (!job.duplicate && rand() < 0.15) jobs.push({ index: job.index, duplicate: true });
            return;
          }
          await response.body?.cancel();
        } catch {
          // killed mid-request: not acknowledged, so the client retries with the same key (as the widget's outbox does)
          stats.networkErrors += 1;
        }
        await sleep(20);
      }
    };
    const client = async () => {
      while (jobs.length > 0) await submit(jobs.splice(Math.floor(rand() * Math.min(jobs.length, 50)), 1)[0]!);
    };

    // random redeliveries: stored responses sent to the queue again, as SQS may deliver a message twice
    const db = () => DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
    const redeliver = async () => {
      while (running) {
        await sleep(200 + rand() * 300);
        try {
          await up;
          const client = db();
          const { Items = [] } = await client.send(new ScanCommand({ TableName: 'responses', Limit: 20 }));
          client.destroy();
          const picked = Items.filter(() => rand() < 0.3).slice(0, 10);
          if (picked.length === 0) continue;
          const Entries = picked.map((item, i) => {
            const { responseId, receivedKey, surveyShard, storedAt, sentiment, followUp, redaction, sentimentPending, routingPending, expiryShard, expiryKey, ...queued } = item;
            return { Id: String(i), MessageBody: JSON.stringify({ ...queued, id: responseId }) };
          });
          await sqsCall(runtime, 'SendMessageBatch', { QueueUrl: queueUrlOf(runtime, 'responses'), Entries });
          redelivered.push(...picked.map((item) => ({ id: item.responseId as string, storedAt: item.storedAt as string })));
        } catch {
          // the runtime was killed meanwhile
        }
      }
    };

    // Act: the load, with SIGKILLs at random acknowledgement counts, each followed by a restart on the same data
    const killAt = Array.from({ length: KILLS }, () => Math.floor(RESPONSES * (0.1 + 0.8 * rand()))).sort((a, b) => a - b);
    const killer = async () => {
      for (const threshold of killAt) {
        while (acknowledged.size < threshold && running) await sleep(5);
        await sleep(rand() * 50);
        let restarted!: () => void;
        up = new Promise((resolve) => (restarted = resolve));
        await stopChild(runtime, 'SIGKILL');
        collectErrors(runtime);
        runtime = await startChildRuntime(dataDir);
        stats.replayed += Number(/(\d+) message\(s\) replayed/.exec(runtime.output())?.[1] ?? 0);
        marks.push(`restart ${Date.now() - t0} ms`);
        restarted();
      }
    };
    const t0 = Date.now();
    const marks: string[] = [];
    const redelivering = redeliver();
    const killing = killer();
    await Promise.all(Array.from({ length: CLIENTS }, client));
    await killing;
    running = false;
    await redelivering;

    marks.push(`load done ${Date.now() - t0} ms`);
    // drain: everything acknowledged stored, every message (redeliveries too) consumed, every dirty minute rolled up
    // (the schedules run every 500 ms)
    const reader = db();
    let stored: StoredResponse[] = [];
    for (let waited = 0; waited < 120_000; waited += 250) {
      stored = (await scanAll(reader, 'responses')).filter((item) => item.surveyId === 'crash').map((item) => ({ ...item, id: item.responseId }) as StoredResponse);
      const dirty = (await scanAll(reader, 'dirtyBuckets')).filter((item) => item.surveyId === 'crash');
      const { Attributes = {} } = await sqsCall(runtime, 'GetQueueAttributes', { QueueUrl: queueUrlOf(runtime, 'responses'), AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] });
      const inQueue = Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
      if (stored.length >= acknowledged.size && dirty.length === 0 && inQueue === 0) break;
      await sleep(250);
    }
    const aggregates = (await scanAll(reader, 'aggregates')).filter((item) => item.surveyId === 'crash');
    const dlq = await sqsCall(runtime, 'GetQueueAttributes', { QueueUrl: queueUrlOf(runtime, 'responses-dlq'), AttributeNames: ['ApproximateNumberOfMessages'] });
    reader.destroy();
    marks.push(`drained ${Date.now() - t0} ms`);
    await stopChild(runtime, 'SIGTERM');
    collectErrors(runtime);

    // Assess
    const storedIds = stored.map((r) => r.id);
    const ackedIds = new Set(acknowledged.values());
    const lost = [...ackedIds].filter((id) => !storedIds.includes(id));
    // suppressed: a repeated key answered with its first id (asserted where it is counted), and a redelivery that
    // left its stored response as it was. Journal replays are the queue's own unconsumed messages, not duplicates.
    const storedAtOf = new Map(stored.map((r) => [r.id, r.storedAt]));
    const rewritten = redelivered.filter(({ id, storedAt }) => storedAtOf.get(id) !== storedAt);
    recordSummary(inject('faultsSummaryFile'), {
      suite: `crash/restart (${KILLS} × SIGKILL)`,
      tried: stats.tried,
      acknowledged: acknowledged.size,
      stored: stored.length,
      duplicatesSuppressed: stats.duplicateAcks + redelivered.length - rewritten.length,
      replayedFromJournal: stats.replayed,
      lost: lost.length,
      serverErrors: stats.serverErrors,
      note: `seed ${seed}; duplicates suppressed = ${stats.duplicateAcks} repeated keys answered with their first id + ${redelivered.length - rewritten.length} of ${redelivered.length} redelivered messages leaving their response untouched; ${stats.networkErrors} requests cut by a kill and retried${process.env.FAULTS_TIMING ? `; ${marks.join(', ')}` : ''}${serverErrorSamples.length ? `; 5xx: ${serverErrorSamples.join(' | ')}; errors logged: ${[...errorNames].join(', ')}` : ''}`,
    });
    expect(acknowledged.size).toBe(RESPONSES);
    expect(lost).toEqual([]);
    expect(rewritten).toEqual([]);
    expect(new Set(storedIds).size).toBe(storedIds.length);
    expect(storedIds.length).toBe(ackedIds.size);
    expect(stats.serverErrors).toBe(0);
    expect(Number(dlq.Attributes?.ApproximateNumberOfMessages ?? 0)).toBe(0);
    // rollups: each minute's, hour's and day's aggregate is the histogram of exactly its stored responses
    const histogramOfItem = (item: Record<string, any>) => (JSON.parse(item.histograms as string) as { total: unknown }).total;
    const keyOf = { minute: minuteKeyOf, hour: hourKeyOf, day: dayKeyOf };
    for (const item of aggregates) {
      const [period, start] = (item.bucket as string).split('#') as [keyof typeof keyOf, string];
      const members = stored.filter((r) => keyOf[period](r.receivedAt) === start);
      expect(histogramOfItem(item), `${item.bucket}`).toEqual(JSON.parse(JSON.stringify(histogramOf(members, SURVEY))));
    }
    const days = new Set(stored.map((r) => dayKeyOf(r.receivedAt)));
    expect(aggregates.filter((item) => (item.bucket as string).startsWith('day#')).length).toBe(days.size);
  }, FULL ? 900_000 : 180_000);
});
