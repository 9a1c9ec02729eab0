// build: the CX console's files, built in memory by esbuild. The local runtime serves them under /console/, the CDK
// app deploys them to S3 behind CloudFront (built during synth, so synth needs no Docker and no network), and the
// size-budget test and `npm run bench` measure them.
//   - index.html   the page (no inline script or style: the Content-Security-Policy allows 'self' only)
//   - console.js   the app (framework-free TypeScript + uPlot for the trend chart)
//   - console.css  its styles and uPlot's
//   - config.json  written by whoever serves it: { "apiUrl": "" } locally (same origin), the HTTP API's URL in the cloud
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, buildSync, type BuildOptions } from 'esbuild';
import { browserBundleOptions } from '../web-widget/build.js';

const here = dirname(fileURLToPath(import.meta.url));

/** gzip budget in bytes of what a first visit fetches (console.js + console.css), enforced by test/unit/console-size.test.ts */
export const CONSOLE_BUDGET = 45 * 1024;

const common = browserBundleOptions;
const scriptOptions: BuildOptions = { ...common, entryPoints: [join(here, 'src', 'main.ts')], format: 'iife' };
const styleOptions: BuildOptions = { ...common, entryPoints: [join(here, 'src', 'styles.css')] };

export interface ConsoleFiles {
  'index.html': string;
  'console.js': string;
  'console.css': string;
}

/** the page: relative asset URLs, so it works under /console/ locally and at the root of the CloudFront site */
export const consoleHtml = () => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>CX console</title>
<link rel="stylesheet" href="console.css">
<script src="console.js" defer></script>
</head>
<body>
<div id="app"><p>Loading…</p><noscript>The CX console needs JavaScript.</noscript></div>
</body>
</html>
`;

const textOf = (result: { outputFiles?: { text: string }[] }) => result.outputFiles?.[0]?.text ?? '';

export async function buildConsole(): Promise<ConsoleFiles> {
  const [script, style] = await Promise.all([build(scriptOptions), build(styleOptions)]);
  return { 'index.html': consoleHtml(), 'console.js': textOf(script), 'console.css': textOf(style) };
}

/** the same, synchronously: CDK constructs are built synchronously during synth */
export function buildConsoleSync(): ConsoleFiles {
  return { 'index.html': consoleHtml(), 'console.js': textOf(buildSync(scriptOptions)), 'console.css': textOf(buildSync(styleOptions)) };
}

export interface ConsoleSize {
  name: string;
  minified: number;
  gzip: number;
  budget?: number;
}

export async function consoleSizes(): Promise<ConsoleSize[]> {
  const files = await buildConsole();
  const size = (name: string, text: string, budget?: number) => ({ name, minified: Buffer.byteLength(text), gzip: gzipSync(text, { level: 9 }).length, budget });
  return [
    size('console.js', files['console.js']),
    size('console.css', files['console.css']),
    size('index.html', files['index.html']),
    size('console.js + console.css (first visit)', files['console.js'] + files['console.css'], CONSOLE_BUDGET),
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const { name, minified, gzip, budget } of await consoleSizes()) {
    console.log(`  ${name.padEnd(40)} ${(minified / 1024).toFixed(1).padStart(6)} KB minified ${(gzip / 1024).toFixed(2).padStart(6)} KB gzip${budget ? ` (budget ${budget / 1024} KB)` : ''}`);
  }
}
