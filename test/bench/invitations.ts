// bench: the CLI's `invite` on a generated CSV of 10,000 and 100,000 rows (1 in 1,000 broken) against the local
// runtime (a child process, as `npm start` runs it), to show the time and that memory stays flat: peak RSS and heap
// of this process, which runs only the CLI's streaming code, sampled every 50 ms. Talks only to 127.0.0.1.
//   npx tsx test/bench/invitations.ts            (alone; about 3 minutes)
//   BENCH_INVITE_ROWS=10000,100000 (default) picks the file sizes.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inviteFromCsv } from '../../cli/invite.js';
import { BENCH_TOKEN, startRuntimeChild } from './local-runtime-child.js';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('customerRef,email,name,locale,touchpoint,plan\n');
  for (let i = 1; i <= rows; i++) {
    const line = i % 1000 === 0 ? `cust-${i},broken-address,"Row, ${i}",en,checkout,pro\n` : `cust-${i},cust${i}@example.com,"Customer, ${i}",${i % 3 ? 'en' : 'zh-CN'},checkout,${i % 2 ? 'pro' : 'basic'}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}


export async function benchInvitations(sizes = (process.env.BENCH_INVITE_ROWS ?? '10000,100000').split(',').map(Number)): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'feedback-bench-invite-'));
  const runtime = await startRuntimeChild(join(dataDir, 'runtime'));
  const lines: string[] = [];
  try {
    for (const rows of sizes) {
      const csv = join(dataDir, `recipients-${rows}.csv`);
      await writeCsv(csv, rows);
      global.gc?.();
      const peak = { rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed };
      const baseline = { ...peak };
      const sampler = setInterval(() => {
        const { rss, heapUsed } = process.memoryUsage();
        peak.rss = Math.max(peak.rss, rss);
        peak.heap = Math.max(peak.heap, heapUsed);
      }, 50);
      const started = performance.now();
      const summary = await inviteFromCsv({ endpoint: runtime.url, token: BENCH_TOKEN, surveyId: 'demo', campaign: `bench-${rows}`, csvPath: csv, outPath: join(dataDir, `links-${rows}.csv`) });
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      // the campaign's report (admin API), which reads every invitation of the campaign
      const reportStarted = performance.now();
      const report = await fetch(`${runtime.url}/v1/surveys/demo/campaigns/bench-${rows}`, { headers: { authorization: `Bearer ${BENCH_TOKEN}` } });
      const reported = (await report.json()) as { invitations?: number };
      const reportSeconds = (performance.now() - reportStarted) / 1000;
      lines.push(
        `  ${rows.toLocaleString('en-US').padStart(7)} rows (${mb(statSync(csv).size)})  ${seconds.toFixed(1).padStart(6)} s  ${(summary.invited / seconds).toFixed(0).padStart(5)} links/s  ` +
          `${summary.invited.toLocaleString('en-US')} invited, ${summary.skipped} skipped  peak RSS ${mb(peak.rss)} (+${mb(peak.rss - baseline.rss)})  peak heap ${mb(peak.heap)} (+${mb(peak.heap - baseline.heap)})  ` +
          `campaign report ${report.status} in ${reportSeconds.toFixed(1)} s (${reported.invitations?.toLocaleString('en-US') ?? '?'} invitations)`,
      );
    }
  } finally {
    runtime.child.kill('SIGTERM');
    await once(runtime.child, 'exit');
    rmSync(dataDir, { recursive: true, force: true });
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log('invite CLI: streamed CSV → POST /v1/surveys/demo/invitations in chunks of 500 → links.csv (memory must stay flat)');
  console.log(await benchInvitations());
}
