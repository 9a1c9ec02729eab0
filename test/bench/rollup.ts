// bench: the rollup's cost, in two cases, each on its own dynalite; talks only to 127.0.0.1.
// History: 1,000 new responses with 0, 100,000 and 1,000,000 responses already stored (and already rolled up). Cost
// must follow the new responses, not the history: time and DynamoDB items read are printed per history size, with
// their ratio to the empty case. Then the metrics report's latency for a 90-day daily series over that history.
//   BENCH_ROLLUP_HISTORY=0,100000,1000000 (default) picks the history sizes.
// Hot hour: one survey receives 1,000 responses a minute for an hour while the rollup runs every minute (a test
// clock); items read per run and in total against the minimum (each response read once, plus each minute's mark),
// and the time of each run, which must stay flat across the hour.
//   BENCH_HOT_HOUR_RATE=1000 (responses a minute), BENCH_HOT_HOUR_SETTLE=10 (the rollup's settleSeconds, the deployed
//   default; 0 is the local runtime's).
// Alone: BENCH_ROLLUP_CASES=hot-hour npx tsx test/bench/rollup.ts (default: history,hot-hour).
// the pinned SDK runs on Node 20; its notice about future releases is noise here
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, BatchWriteCommand, DynamoDBDocumentClient } from '../../shared/aws/dynamodb.js';
import { startDynamoEngine } from '../../infra/local/engines.js';
import type { Clock } from '../../shared/clock.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { makeProcessResponses } from '../../shared/response/process-responses.js';
import { coalescingDirtyBuckets } from '../../shared/rollup/coalescing-dirty-buckets.js';
import type { StoredResponse } from '../../shared/response/stored-response.js';
import { roundNumbers } from '../../shared/metrics/report.js';
import { makeMetricsReport } from '../../shared/metrics/report-metrics.js';
import { aggregateOf, mergeAggregates } from '../../shared/rollup/aggregate-of.js';
import { dayKeyOf, hourKeyOf, type BucketAggregate } from '../../shared/rollup/bucket.js';
import { createDynamoAggregateStore } from '../../shared/rollup/dynamo-aggregate-store.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { makeRollUp, type RollUpResult } from '../../shared/rollup/roll-up.js';
import type { SentimentAnalyzer } from '../../shared/sentiment/port.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { surveySchema } from '../../shared/survey/schema.js';
import { surveyShardOf } from '../../shared/response/response-indexes.js';

const NEW_RESPONSES = 1000;
const HISTORY_DAYS = 90;
const CHANNELS = ['web', 'email', 'api'];

const survey = surveySchema.parse(demoSurvey([]));
const labels = ['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED'] as const;

function responseNumber(i: number, receivedAt: string, prefix: string): StoredResponse {
  return {
    id: `${prefix}${i}`,
    surveyId: survey.id,
    receivedAt,
    expiresAt: 4_000_000_000,
    storedAt: receivedAt,
    channel: CHANNELS[i % 3] as string,
    touchpoint: i % 4 ? 'checkout' : 'delivery',
    answers: { nps: i % 11, csat: 1 + (i % 5), ces: 1 + (i % 7), product: 1 + (i % 5), service: 1 + ((i + 1) % 5), price: 1 + ((i + 2) % 5) },
    comment: i % 2 ? 'a comment' : undefined,
    sentiment: i % 2 ? { status: 'scored', label: labels[i % 4] as (typeof labels)[number], scores: { positive: 0.25, negative: 0.25, neutral: 0.25, mixed: 0.25 }, language: 'en' } : null,
  };
}

const sentiment: SentimentAnalyzer = { analyze: async (requests) => requests.map(({ id }) => ({ id, status: 'scored', language: 'en', label: 'POSITIVE', scores: { positive: 1, negative: 0, neutral: 0, mixed: 0 } })) };

/** a fresh dynalite with the app's tables, the stores over it, and the bench survey */
async function benchStores(name: string) {
  const dataDir = mkdtempSync(join(tmpdir(), `feedback-bench-${name}-`));
  const engine = await startDynamoEngine(dataDir);
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: engine.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  const surveys = createDynamoSurveyStore(db, 'surveys');
  await surveys.put(survey);
  return {
    db,
    responses: createDynamoResponseStore(db, 'responses'),
    aggregates: createDynamoAggregateStore(db, 'aggregates'),
    dirty: createDynamoDirtyBuckets(db, 'dirtyBuckets'),
    surveys,
    async stop() {
      db.destroy();
      await engine.stop();
    },
    close: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

const itemsReadBy = ({ itemsRead }: RollUpResult) => itemsRead.marks + itemsRead.responses + itemsRead.aggregates;

export async function benchRollup(print: (line: string) => void = console.log) {
  const sizes = (process.env.BENCH_ROLLUP_HISTORY ?? '0,100000,1000000').split(',').map(Number);
  const { db, responses, aggregates, dirty, surveys, stop, close } = await benchStores('rollup');
  // "now" is a fixed day after the history; each scenario's new responses land in its own hours of that day
  const today = Date.UTC(2026, 10, 23);
  const clock: Clock = { now: () => new Date(today + 20 * 3_600_000) };
  const rollUp = makeRollUp({ responses, aggregates, dirty, surveys, clock, settleSeconds: 0 });

  /** history: responses spread over the 90 days before today, written directly, with their aggregates */
  let stored = 0;
  // one spacing for every size, so growing the history only appends to what is stored
  const spacing = (HISTORY_DAYS * 86_400_000) / Math.max(...sizes, 1);
  async function growHistoryTo(target: number) {
    const started = performance.now();
    let next = stored;
    const byHour = new Map<string, StoredResponse[]>();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < target) {
          const start = next;
          next = Math.min(next + 25, target);
          const batch = Array.from({ length: next - start }, (_, k) => {
            const i = start + k;
            const response = responseNumber(i, new Date(today - HISTORY_DAYS * 86_400_000 + i * spacing).toISOString(), 'h');
            return response;
          });
          await db.send(new BatchWriteCommand({ RequestItems: { responses: batch.map((r) => ({ PutRequest: { Item: { ...r, responseId: r.id, receivedKey: `${r.receivedAt}#${r.id}`, surveyShard: surveyShardOf(r.surveyId, r.id) } } })) } }));
        }
      }),
    );
    // the history's aggregates, as earlier rollups would have left them (computed here, in memory, from the same data)
    for (let i = 0; i < target; i += 1) {
      const response = responseNumber(i, new Date(today - HISTORY_DAYS * 86_400_000 + i * spacing).toISOString(), 'h');
      const hour = hourKeyOf(response.receivedAt);
      const members = byHour.get(hour);
      if (members) members.push(response);
      else byHour.set(hour, [response]);
    }
    const hours: BucketAggregate[] = [...byHour].map(([hour, members]) => aggregateOf(survey.id, 'hour', hour, members, survey));
    for (const hour of hours) await aggregates.put(hour);
    const days = new Map<string, BucketAggregate[]>();
    for (const hour of hours) days.set(dayKeyOf(hour.start), [...(days.get(dayKeyOf(hour.start)) ?? []), hour]);
    for (const [day, parts] of days) await aggregates.put(mergeAggregates(survey.id, 'day', day, parts));
    stored = target;
    return (performance.now() - started) / 1000;
  }

  /** 1,000 new responses through the real process step (stored, bucket marked) in `hours` of today */
  async function arrive(tag: string, firstHour: number) {
    const messages = Array.from({ length: NEW_RESPONSES }, (_, i) => {
      const receivedAt = new Date(today + (firstHour + (i % 2)) * 3_600_000 + i * 1000).toISOString();
      const { sentiment: _s, storedAt: _t, ...queued } = responseNumber(i, receivedAt, `${tag}-`);
      return { messageId: `${tag}-${i}`, body: JSON.stringify(queued) };
    });
    const process = makeProcessResponses({ store: responses, sentiment, dirty, clock });
    for (let i = 0; i < messages.length; i += 25) {
      const batch = await process(messages.slice(i, i + 25));
      for (const { messageId } of messages.slice(i, i + 25)) await batch.store(messageId);
    }
  }

  // warm-up (JIT, connections), not reported
  await arrive('warm-up', 18);
  await rollUp();

  const rows: { history: number; seconds: number; result: RollUpResult }[] = [];
  for (const [scenario, size] of sizes.entries()) {
    if (size > stored) {
      const seconds = await growHistoryTo(size);
      print(`  (seeded ${size.toLocaleString('en')} stored responses in ${seconds.toFixed(0)} s)`);
    }
    await arrive(`new${scenario}`, scenario * 2);
    const started = performance.now();
    const result = await rollUp();
    rows.push({ history: size, seconds: (performance.now() - started) / 1000, result });
  }

  const base = rows[0];
  print(`  ${'already stored'.padStart(14)}  ${'rollup time'.padStart(11)}  ${'items read'.padStart(10)}  (marks + responses + aggregates)        ratio to ${base?.history.toLocaleString('en')} stored`);
  for (const { history, seconds, result } of rows) {
    const read = itemsReadBy(result);
    const baseRead = base ? itemsReadBy(base.result) : read;
    print(
      `  ${history.toLocaleString('en').padStart(14)}  ${`${(seconds * 1000).toFixed(0)} ms`.padStart(11)}  ${String(read).padStart(10)}  (${result.itemsRead.marks} + ${result.itemsRead.responses} + ${result.itemsRead.aggregates})`.padEnd(80) +
        `time ×${(seconds / (base?.seconds ?? seconds)).toFixed(2)}, items ×${(read / baseRead).toFixed(2)}`,
    );
  }
  // the metrics API's work for a 90-day daily series over that history: read the day aggregates (series, previous range
  // and rolling windows), merge, compute, round and serialise; the same use case the admin handler calls
  const metricsReport = makeMetricsReport({ surveys, aggregates, clock });
  const from = new Date(today - 89 * 86_400_000).toISOString().slice(0, 10);
  const to = new Date(today).toISOString().slice(0, 10);
  for (const groupBy of [undefined, 'channel']) {
    const timings: number[] = [];
    let bytes = 0;
    for (let run = 0; run < 21; run += 1) {
      const started = performance.now();
      const report = await metricsReport(survey.id, { from, to, interval: 'day', ...(groupBy ? { groupBy } : {}) });
      bytes = JSON.stringify(roundNumbers(report)).length;
      if (run > 0) timings.push(performance.now() - started); // the first run warms up
    }
    timings.sort((a, b) => a - b);
    const at = (p: number) => timings[Math.min(timings.length - 1, Math.floor((p / 100) * timings.length))] ?? NaN;
    print(`  metrics report, 90 daily points${groupBy ? `, by ${groupBy}` : ''}: p50 ${at(50).toFixed(0)} ms, p99 ${at(99).toFixed(0)} ms (${timings.length} runs, ${(bytes / 1024).toFixed(0)} KB JSON)`);
  }

  await stop();
  return { rows, close };
}

/** responses a batch of the process step carries (the queue's batch size) */
const PROCESS_BATCH = 25;

export async function benchHotHour(print: (line: string) => void = console.log) {
  const perMinute = Number(process.env.BENCH_HOT_HOUR_RATE ?? 1000);
  const settleSeconds = Number(process.env.BENCH_HOT_HOUR_SETTLE ?? 10);
  const { responses, aggregates, dirty, surveys, stop, close } = await benchStores('hot-hour');
  const hourStart = Date.UTC(2026, 10, 23, 10);
  let now = hourStart;
  const clock: Clock = { now: () => new Date(now) };
  const rollUp = makeRollUp({ responses, aggregates, dirty, surveys, clock, settleSeconds });
  // the process function's own wiring: a batch's marks of one bucket go out as one write
  const processResponses = makeProcessResponses({ store: responses, sentiment, dirty: coalescingDirtyBuckets(dirty), clock });
  const total = perMinute * 60;
  const spacing = 60_000 / perMinute;

  /** the responses received before `until` and not yet stored go through the process step, in receipt order */
  let arrived = 0;
  async function arriveUntil(until: number) {
    while (arrived < total && hourStart + arrived * spacing < until) {
      const batch = Array.from({ length: Math.min(PROCESS_BATCH, total - arrived) }, (_, k) => arrived + k).filter((i) => hourStart + i * spacing < until);
      const messages = batch.map((i) => {
        const { sentiment: _s, storedAt: _t, ...queued } = responseNumber(i, new Date(hourStart + i * spacing).toISOString(), 'hot-');
        return { messageId: `hot-${i}`, body: JSON.stringify(queued) };
      });
      // processed as it arrives: stored and marked at the receipt of the batch's last response
      now = hourStart + (batch.at(-1) as number) * spacing;
      const processed = await processResponses(messages);
      await Promise.all(messages.map(({ messageId }) => processed.store(messageId)));
      arrived += batch.length;
    }
  }

  // a run every minute, half a minute into it, while responses keep arriving; the last one after the hour ends
  const runs: { run: number; seconds: number; read: number; result: RollUpResult; rolledUp: number }[] = [];
  for (let run = 1; run <= 60; run += 1) {
    const at = hourStart + run * 60_000 + 30_000;
    await arriveUntil(Math.min(at, hourStart + 3_600_000));
    now = at;
    const started = performance.now();
    const result = await rollUp();
    const seconds = (performance.now() - started) / 1000;
    // how much of the hour the metrics show after the run (not counted as the rollup's reads)
    const [hour] = await aggregates.list(survey.id, 'hour', hourKeyOf(new Date(hourStart)), hourKeyOf(new Date(hourStart)));
    runs.push({ run, seconds, read: itemsReadBy(result), result, rolledUp: hour?.total.responses ?? 0 });
  }

  const minimum = total + 60;
  const read = runs.reduce((sum, { read }) => sum + read, 0);
  const sum = (pick: (r: RollUpResult) => number) => runs.reduce((s, { result }) => s + pick(result), 0);
  print(`  ${perMinute.toLocaleString('en')} responses a minute for one survey, 60 runs a minute apart, settleSeconds ${settleSeconds}`);
  print(`  ${'run'.padStart(5)}  ${'items read'.padStart(10)}  (marks + responses + aggregates)  ${'time'.padStart(8)}  rolled up / arrived`);
  for (const { run, seconds, read, result, rolledUp } of runs.filter(({ run }) => run <= 3 || run === 30 || run >= 58)) {
    const { marks, responses: r, aggregates: a } = result.itemsRead;
    const arrivedBy = Math.min(total, Math.ceil((run * 60_000 + 30_000) / spacing));
    print(`  ${String(run).padStart(5)}  ${String(read).padStart(10)}  (${marks} + ${r} + ${a})`.padEnd(58) + `${`${(seconds * 1000).toFixed(0)} ms`.padStart(8)}  ${rolledUp.toLocaleString('en')} / ${arrivedBy.toLocaleString('en')}`);
  }
  const times = runs.map(({ seconds }) => seconds * 1000);
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? NaN;
  print(`  total items read ${read.toLocaleString('en')} (${sum((r) => r.itemsRead.marks)} marks + ${sum((r) => r.itemsRead.responses).toLocaleString('en')} responses + ${sum((r) => r.itemsRead.aggregates)} aggregates)`);
  print(`  minimum ${minimum.toLocaleString('en')} (each of the ${total.toLocaleString('en')} responses once + one mark per minute)   ratio ×${(read / minimum).toFixed(2)}`);
  print(`  run time: first ${times[0]?.toFixed(0)} ms, median ${median.toFixed(0)} ms, last ${times.at(-1)?.toFixed(0)} ms`);
  await stop();
  return { runs, read, minimum, close };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cases = (process.env.BENCH_ROLLUP_CASES ?? 'history,hot-hour').split(',');
  if (cases.includes('history')) (await benchRollup()).close();
  if (cases.includes('hot-hour')) (await benchHotHour()).close();
}
