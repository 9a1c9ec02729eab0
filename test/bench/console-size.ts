// bench part: the CX console's bundle sizes (esbuild, as the local runtime serves and the CDK app deploys them), and
// its gzip budget. Cheap (one esbuild run); `npm run bench` prints it with the other bundles, and it runs alone with
// `npx tsx test/bench/console-size.ts`.
import { fileURLToPath } from 'node:url';
import { consoleSizes } from '../../web-console/build.js';

export async function consoleSizeRows(): Promise<string> {
  const rows = ['CX console bundles (esbuild; budget checked by test/unit/console-size.test.ts)'];
  for (const { name, minified, gzip, budget } of await consoleSizes()) {
    const verdict = budget === undefined ? '' : `  budget ${(budget / 1024).toFixed(0)} KB gzip: ${gzip <= budget ? 'ok' : 'OVER'}`;
    rows.push(`  ${name.padEnd(40)} ${(minified / 1024).toFixed(1).padStart(5)} KB minified  ${(gzip / 1024).toFixed(2).padStart(5)} KB gzip${verdict}`);
  }
  return rows.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) console.log(await consoleSizeRows());
