// `npm run bench`: figures for this machine, printed, never asserted (machines are noisy). Talks only to 127.0.0.1.
// BENCH_CASES picks the sections, a comma list of their names (default: all, in this order):
//   bundles      the minified size of each function bundle, built exactly as the CDK app builds it (and the widget's and
//                the CX console's bundles: test/bench/console-size.ts)
//   ingest       sustained requests/s and p50/p99 at a fixed concurrency, against the local runtime and against a bare
//                node:http server that only parses the JSON and answers 202 (the ceiling), in the same run, in
//                alternating rounds (BENCH_INGEST_ROUNDS, default 3), each run after the same warm-up; the median of the
//                rounds' ratios. Then 202 → stored p50/p99 at a paced rate, and under the saturating load once its
//                backlog has drained; and the DynamoDB items the runtime's rollup read per stored response during that
//                load and drain, against the minimum (each response once plus one mark per minute), summed from the
//                runtime's log (test/bench/rollup-log.ts)
//   rollup       the rollup's cost for 1,000 new responses with 0, 100,000 and 1,000,000 stored (test/bench/rollup.ts)
//   hot-hour     the rollup through a hot hour (1,000 responses a minute, a run every minute) against the minimum
//   sentiment    the local sentiment scorer's accuracy on a public labelled set
//   invitations  email survey links: the invite CLI on 10,000 and 100,000 CSV rows, time and peak memory
//                (test/bench/invitations.ts)
//   cold-start   each function's cold start in the deploy-faithful runner against a floor bundle of the same AWS
//                clients, and against one of the SDK v3 clients for the same services (test/bench/cold-start.ts)
//   followup-day the scripted follow-up day: 100 detractors, three leads, the day's follow-up metrics as tables
//                (test/bench/followup-day.ts; deterministic, a virtual clock on dynalite)
//   answers      gzip on a full page: a 5 MB page of GET /v1/surveys/{id}/responses and a 5,000-row CSV download,
//                the time to compress each in the function and their size on the wire and in Lambda's answer
//                (test/bench/compressed-answers.ts)
// e.g. BENCH_CASES=ingest npm run bench (about 10 minutes, most of it the backlog's drain).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { esbuildOptionsFor } from '../../infra/bundling.js';
import { topology } from '../../infra/topology.js';
import { widgetSizes } from '../../web-widget/build.js';
import { benchColdStarts } from './cold-start.js';
import { benchInvitations } from './invitations.js';
import { minuteKeyOf } from '../../shared/rollup/bucket.js';
import { benchHotHour, benchRollup } from './rollup.js';
import { itemsReadOf, rollupReadsIn } from './rollup-log.js';
import { benchCompressedAnswers } from './compressed-answers.js';
import { consoleSizeRows } from './console-size.js';
import { dayReport, runFollowUpDay } from './followup-day.js';

const CASES = ['bundles', 'ingest', 'rollup', 'hot-hour', 'sentiment', 'invitations', 'cold-start', 'followup-day', 'answers'] as const;
type BenchCase = (typeof CASES)[number];
const isBenchCase = (name: string): name is BenchCase => (CASES as readonly string[]).includes(name);

/** the sections BENCH_CASES names (all when unset); an unknown name is an error that lists the valid ones */
function benchCases(value: string | undefined): Set<BenchCase> | { error: string } {
  if (value === undefined) return new Set(CASES);
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !isBenchCase(name));
  if (names.length === 0 || unknown.length > 0) {
    const what = names.length === 0 ? 'names no case' : `unknown case${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `"${name}"`).join(', ')}`;
    return { error: `BENCH_CASES ${what}; valid cases: ${CASES.join(', ')}` };
  }
  return new Set(names.filter(isBenchCase));
}

const CONCURRENCY = 32;
const LOAD_SECONDS = 8;
const INGEST_ROUNDS = Number(process.env.BENCH_INGEST_ROUNDS ?? 3);
const WARMUP_SECONDS = 3;
/** warm-up submissions are numbered apart from the measured ones (and the paced ones, from 1,000,000) */
const WARMUP_FIRST_INDEX = 2_000_000;
const MAX_REQUESTS = 200_000;
const TOKEN = 'bench-admin-token-00000000';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** a child resolved once it prints `ready`; `output()` is all it has printed to stdout (a few lines a minute after the banner) */
function startChild(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  let resolved = false;
  child.stdout?.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      if (resolved) return;
      const url = ready.exec(output)?.[1];
      if (url && (!output.includes('feedback platform') || /^ready$/m.test(output))) {
        resolved = true;
        resolve({ child, url, output: () => output });
      }
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

const stop = (child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
/** a runtime whose backlog is of no further interest: gone at once, so its back end cannot drain beside the next run */
const kill = (child: ChildProcess) => stop(child, 'SIGKILL');

function post(agent: Agent, url: URL, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { agent, host: url.hostname, port: url.port, path: '/v1/responses', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const submission = (i: number) =>
  JSON.stringify({
    surveyId: 'demo',
    idempotencyKey: `bench-${process.pid}-${i}`,
    channel: 'web',
    answers: { nps: i % 11, csat: 1 + (i % 5), ces: 1 + (i % 7), product: 1 + (i % 5), service: 1 + ((i + 2) % 5), price: 1 + ((i + 4) % 5) },
    comment: i % 3 === 0 ? 'Delivery was quick and the support team was friendly.' : i % 3 === 1 ? 'The item arrived broken and nobody answered my emails.' : undefined,
  });

/** `seconds` of load at CONCURRENCY; submission numbers (so idempotency keys) start at `firstIndex` */
async function load(base: string, seconds: number, firstIndex = 0) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const url = new URL(base);
  const latencies: number[] = [];
  let next = firstIndex;
  let errors = 0;
  const ends = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < ends && next < firstIndex + MAX_REQUESTS) {
      const i = next++;
      const started = performance.now();
      const { status } = await post(agent, url, submission(i));
      if (status === 202) latencies.push(performance.now() - started);
      else errors += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), accepted: latencies.length, errors };
}

async function listAll(base: string): Promise<{ id: string; receivedAt: string; storedAt: string }[]> {
  const items: { id: string; receivedAt: string; storedAt: string }[] = [];
  let cursor: string | null = null;
  do {
    const response = await fetch(`${base}/v1/surveys/demo/responses?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const page = (await response.json()) as { items: typeof items; cursor: string | null };
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}

/** lists every stored response until `expected` are there; every 2 s, as listing 20,000 items itself takes the back end's time */
async function waitForBacklog(base: string, expected: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let items = await listAll(base);
  while (items.length < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    items = await listAll(base);
  }
  return items;
}

/** the responses the metrics count for the demo survey: stored responses the rollup has rolled up */
async function rolledUpCount(base: string): Promise<number> {
  const response = await fetch(`${base}/v1/surveys/demo/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const report = (await response.json()) as { totals?: { metrics?: { responses?: number } } };
  return report.totals?.metrics?.responses ?? 0;
}

/**
 * The rollup's items read since the runtime started, once it has rolled up every stored response: the metrics count
 * them all, and a run has logged since the last one was stored (its line follows its writes by a moment). A run every
 * minute, so `timeoutMs` bounds the wait; on timeout, the figures so far.
 */
async function rollupReadsOnceCaughtUp(base: string, output: () => string, stored: { storedAt: string }[], timeoutMs: number) {
  const lastStoredAt = stored.reduce((last, { storedAt }) => Math.max(last, Date.parse(storedAt)), 0);
  const deadline = Date.now() + timeoutMs;
  const started = Date.now();
  const caughtUp = async () => {
    const reads = rollupReadsIn(output());
    return reads.responses >= stored.length && Date.parse(reads.lastRunAt ?? '') >= lastStoredAt && (await rolledUpCount(base)) >= stored.length;
  };
  let complete = await caughtUp();
  while (!complete && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    complete = await caughtUp();
  }
  if (complete) await new Promise((resolve) => setTimeout(resolve, 1000));
  return { reads: rollupReadsIn(output()), complete, waitedSeconds: (Date.now() - started) / 1000 };
}

async function pacedLatency(base: string, count: number, perSecond: number) {
  const url = new URL(base);
  const agent = new Agent({ keepAlive: true });
  const acknowledgedAt = new Map<string, number>();
  for (let i = 0; i < count; i += 1) {
    const sent = Date.now();
    const { status, text } = await post(agent, url, submission(1_000_000 + i));
    if (status === 202) acknowledgedAt.set((JSON.parse(text) as { id: string }).id, Date.now());
    const wait = sent + 1000 / perSecond - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  agent.destroy();
  const deadline = Date.now() + 30_000;
  let lags: number[] = [];
  while (Date.now() < deadline) {
    const stored = (await listAll(base)).filter((item) => acknowledgedAt.has(item.id));
    lags = stored.map((item) => Date.parse(item.storedAt) - (acknowledgedAt.get(item.id) ?? 0));
    if (stored.length === acknowledgedAt.size) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  lags.sort((a, b) => a - b);
  return { count: lags.length, p50: percentile(lags, 50), p99: percentile(lags, 99) };
}

async function bundleSizes() {
  const rows: string[] = [];
  for (const [name, fn] of Object.entries(topology.functions)) {
    const result = await build({ ...esbuildOptionsFor(fn.entry, join(tmpdir(), `${name}.js`)), write: false, sourcemap: false });
    const js = result.outputFiles.find((file) => file.path.endsWith('.js'));
    const bytes = js?.contents.length ?? 0;
    rows.push(`  ${name.padEnd(10)} ${(bytes / 1024).toFixed(1).padStart(7)} KB minified  ${(gzipSync(js?.contents ?? new Uint8Array()).length / 1024).toFixed(1).padStart(6)} KB gzip`);
  }
  rows.push('widget bundles (esbuild, served as the script tag fetches them; budgets checked by test/unit/widget-size.test.ts)');
  for (const { name, minified, gzip, budget } of await widgetSizes()) {
    const verdict = budget === undefined ? '' : `  budget ${(budget / 1024).toFixed(0)} KB gzip: ${gzip <= budget ? 'ok' : 'OVER'}`;
    rows.push(`  ${name.padEnd(40)} ${(minified / 1024).toFixed(1).padStart(5)} KB minified  ${(gzip / 1024).toFixed(2).padStart(5)} KB gzip${verdict}`);
  }
  // CX console
  rows.push(await consoleSizeRows());
  return rows.join('\n');
}

/** one round: a fresh ceiling and a fresh runtime (own data folder), each loaded alike; the runtime is left running */
async function ingestRound(dataDir: string) {
  // each server gets the same unmeasured warm-up at full load first (the runtime has also served the 300 paced requests
  // by then): the figure is the sustained rate, once the JIT has compiled the hot paths (the ceiling's few lines need
  // none; the runtime's thousands do)
  const ceiling = await startChild(['test/bench/ceiling-server.ts'], {}, /listening (http:\/\/\S+)/);
  await load(ceiling.url, WARMUP_SECONDS, WARMUP_FIRST_INDEX);
  const ceilingLoad = await load(ceiling.url, LOAD_SECONDS);
  await stop(ceiling.child);
  // LOG_LEVEL INFO: each rollup run logs its items read (summed below); INFO lines come per scheduled run, none per request
  const runtime = await startChild(['infra/local/start.ts'], { PORT: '0', DATA_DIR: dataDir, FEEDBACK_ADMIN_TOKEN: TOKEN, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'INFO' }, /demo page\s+(http:\/\/\S+)\//);
  // the first responses after a start, one by one as a site's visitors send them; then the saturating load
  const paced = await pacedLatency(runtime.url, 300, 100);
  const warmup = await load(runtime.url, WARMUP_SECONDS, WARMUP_FIRST_INDEX);
  const ours = await load(runtime.url, LOAD_SECONDS);
  return { ceilingLoad, runtime, paced, warmup, ours };
}

/** the middle value; with an even count, the mean of the two middle ones */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

/** ingest and 202 → stored, then the rollup's reads during that load and its drain */
async function benchIngest() {
  // Ingest, in alternating rounds: one 8 s run of the ceiling swung from 5,700 to 9,400 req/s on this machine, so the
  // figure is the median of the rounds' ratios. A round's runtime is killed (not drained) before the next round's
  // ceiling runs, so its back end never works beside the ceiling; the last round's is drained for the 202 → stored figures.
  const rounds: Awaited<ReturnType<typeof ingestRound>>[] = [];
  let dataDir = mkdtempSync(join(tmpdir(), 'feedback-bench-'));
  let last = await ingestRound(dataDir);
  rounds.push(last);
  while (rounds.length < INGEST_ROUNDS) {
    await kill(last.runtime.child);
    rmSync(dataDir, { recursive: true, force: true });
    dataDir = mkdtempSync(join(tmpdir(), 'feedback-bench-'));
    last = await ingestRound(dataDir);
    rounds.push(last);
  }
  const { runtime, ours, paced, warmup } = last;
  const acknowledged = warmup.accepted + ours.accepted + paced.count;
  const drainStarted = Date.now();
  // a saturating burst's backlog drains at the back end's pace (≈300–700 stored/s): up to 10 minutes
  const stored = await waitForBacklog(runtime.url, acknowledged, 600_000);
  const drainSeconds = (Date.now() - drainStarted) / 1000;
  const loadedLags = stored
    .filter((item) => item.id)
    .map((item) => Date.parse(item.storedAt) - Date.parse(item.receivedAt))
    .sort((a, b) => a - b);
  // the rollup's reads while the load and drain went on, once its next run(s) have rolled up every stored response
  const rollup = await rollupReadsOnceCaughtUp(runtime.url, runtime.output, stored, 180_000);
  await stop(runtime.child);
  rmSync(dataDir, { recursive: true, force: true });

  const row = (label: string, run: { rps: number; p50: number; p99: number }) =>
    `${label.padEnd(28)}${run.rps.toFixed(0).padStart(6)} req/s   p50 ${ms(run.p50)}   p99 ${ms(run.p99)}`;
  const ceilingMedian = median(rounds.map((r) => r.ceilingLoad.rps));
  const oursMedian = median(rounds.map((r) => r.ours.rps));
  // each round's two runs are neighbours in time, so the ratio is taken within a round, then the median of those
  const ratioMedian = median(rounds.map((r) => r.ours.rps / r.ceilingLoad.rps));
  console.log(`\ningest, POST /v1/responses (target: ours ≥ 0.5 × ceiling)`);
  rounds.forEach((r, i) => {
    console.log(`  round ${i + 1}`);
    console.log(`    ${row('ceiling (bare node:http)', r.ceilingLoad)}`);
    console.log(`    ${row('local runtime', r.ours)}   (${r.ours.errors} non-202)   ratio ${(r.ours.rps / r.ceilingLoad.rps).toFixed(2)}`);
  });
  console.log(`  median of ${INGEST_ROUNDS} rounds: ceiling ${ceilingMedian.toFixed(0)} req/s, local runtime ${oursMedian.toFixed(0)} req/s
  ratio ours / ceiling       ${ratioMedian.toFixed(2)}   (the median of the rounds' ratios)

202 → stored (target: p99 < 1 s locally)
  paced, 100 req/s × 300, right after each start   ${rounds.map((r) => `p50 ${ms(r.paced.p50)} p99 ${ms(r.paced.p99)} (${r.paced.count} stored)`).join('; ')}
  under the saturating load (last round)  p50 ${ms(percentile(loadedLags, 50))}   p99 ${ms(percentile(loadedLags, 99))}   (receipt → stored; queue drained ${drainSeconds.toFixed(1)} s after the load stopped)
  stored / acknowledged      ${stored.length} / ${acknowledged}`);
  // the minimum, as benchHotHour counts it: each stored response read once, plus one mark per minute that received any
  const minutes = new Set(stored.map((item) => minuteKeyOf(item.receivedAt))).size;
  const minimum = stored.length + minutes;
  const read = itemsReadOf(rollup.reads);
  const { runs, marks, responses, aggregates } = rollup.reads;
  const caughtUp = rollup.complete ? `rolled up ${rollup.waitedSeconds.toFixed(0)} s after the drain` : `NOT all rolled up ${rollup.waitedSeconds.toFixed(0)} s after the drain: the figures so far`;
  console.log(
    `  rollup during the load and drain: ${runs} runs, ${read} items read (${marks} marks + ${responses} responses + ${aggregates} aggregates) for ${stored.length} stored responses: ` +
      `${read}/${stored.length} = ${(read / stored.length).toFixed(2)}x items per response; minimum ${stored.length} + ${minutes} minute marks = ${minimum}, ×${(read / minimum).toFixed(2)} the minimum   (${caughtUp})`,
  );
}

async function main() {
  const cases = benchCases(process.env.BENCH_CASES);
  if ('error' in cases) {
    console.error(cases.error);
    process.exit(2);
  }
  console.log(`bench on ${process.platform}/${process.arch}, node ${process.version}, concurrency ${CONCURRENCY}, ${LOAD_SECONDS} s per load run after ${WARMUP_SECONDS} s of warm-up, ${INGEST_ROUNDS} rounds; cases ${[...cases].join(', ')}\n`);

  if (cases.has('bundles')) {
    console.log('function bundles (esbuild, as the CDK app builds them, everything they run included; target: each < 250 KB minified)');
    console.log(await bundleSizes());
  }

  if (cases.has('ingest')) await benchIngest();

  if (cases.has('rollup')) {
    console.log('\nrollup: 1,000 new responses against a growing history (target: cost with 1,000,000 stored ≤ 1.5 × with none)');
    const rollup = await benchRollup();
    rollup.close();
  }
  if (cases.has('hot-hour')) {
    console.log('\nrollup, hot hour: each response read once (target: items read ≤ 1.5 × the minimum, run time flat across the hour)');
    const hotHour = await benchHotHour();
    hotHour.close();
  }

  if (cases.has('sentiment')) {
    try {
      const { measureSentimentAccuracy } = (await import('./sentiment-accuracy.js')) as { measureSentimentAccuracy?: () => Promise<unknown> | unknown };
      if (measureSentimentAccuracy) {
        console.log('\nlocal sentiment scorer on the UCI labelled sentences (test split)');
        console.log(await measureSentimentAccuracy());
      }
    } catch (error) {
      console.log(`\nsentiment accuracy: not measured (${error instanceof Error ? error.message : error})`);
    }
  }

  // email survey links
  if (cases.has('invitations')) {
    console.log('\ninvite CLI: streamed CSV → invitations in chunks of 500 → links.csv (memory must stay flat)');
    console.log(await benchInvitations());
  }

  if (cases.has('cold-start')) {
    console.log('\ncold starts: a fresh sandbox loads the bundle and answers its first invocation (target: ≤ 1.5 × a floor bundle of the same SDK clients)');
    console.log(await benchColdStarts());
  }

  if (cases.has('followup-day')) {
    console.log('\nfollow-up day: 100 detractors 08:00–18:00 UTC, round-robin among three leads who work differently (virtual clock)');
    console.log(dayReport(await runFollowUpDay()));
  }

  if (cases.has('answers')) {
    console.log('\ncompressed answers: a full page gzip-compressed in the function, as a client that accepts gzip gets it (target: well under the function\'s 10 s)');
    console.log(benchCompressedAnswers());
  }
}

await main();
