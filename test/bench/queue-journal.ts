// bench part (runs alone: `npx tsx test/bench/queue-journal.ts`): what the local queue's write-ahead journal costs
// ingest. The same load as `npm run bench` step 1 (32 concurrent POST /v1/responses for a few seconds) against
// `npm start` with LOCAL_QUEUE_JOURNAL=off, write and fsync, each on a fresh data folder. Figures, never assertions.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRuntimeChild, stopRuntimeChild } from './local-runtime-child.js';

const CONCURRENCY = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);



function post(agent: Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { agent, host: url.hostname, port: url.port, path: '/v1/responses', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => (res.resume(), res.on('end', () => resolve(res.statusCode ?? 0))),
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function load(base: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const url = new URL(base);
  const latencies: number[] = [];
  let next = 0;
  const ends = performance.now() + SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < ends) {
      const i = next++;
      const body = JSON.stringify({ surveyId: 'demo', idempotencyKey: `journal-bench-${i}`, channel: 'web', answers: { nps: i % 11 }, comment: i % 2 ? 'Quick delivery, friendly support.' : undefined });
      const started = performance.now();
      if ((await post(agent, url, body)) === 202) latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { rps: latencies.length / elapsed, p50: at(50), p99: at(99) };
}

console.log(`ingest with and without the queue journal: ${CONCURRENCY} concurrent, ${SECONDS} s per run, ${ROUNDS} rounds (node ${process.version})`);
for (let round = 1; round <= ROUNDS; round += 1) {
  for (const journal of ['off', 'write', 'fsync']) {
    const dataDir = mkdtempSync(join(tmpdir(), 'feedback-journal-bench-'));
    const runtime = await startRuntimeChild(dataDir, { LOCAL_QUEUE_JOURNAL: journal });
    const result = await load(runtime.url);
    // the load leaves a backlog a graceful stop would drain for minutes; this data folder is thrown away
    await stopRuntimeChild(runtime.child, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    console.log(`  round ${round}  LOCAL_QUEUE_JOURNAL=${journal.padEnd(5)}  ${result.rps.toFixed(0).padStart(6)} req/s   p50 ${result.p50.toFixed(1)} ms   p99 ${result.p99.toFixed(1)} ms`);
  }
}
