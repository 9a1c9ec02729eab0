// build: the CX console's files, built in memory by esbuild. The local runtime serves them under /console/, the CDK
// app deploys them to S3 behind CloudFront (built during synth, so synth needs no Docker and no network), and the
// size-budget test and `npm run bench` measure them.
//   - index.html       the page (no inline script or style: the Content-Security-Policy allows 'self' only)
//   - console.js       the app's shell (an ES module: sign-in, navigation, the survey and range pickers)
//   - chunk-<hash>.js  each view, and what views share, loaded when a view is first shown (esbuild code splitting):
//                      the overview brings uPlot for its trend chart, the follow-up queue its tools; no visit fetches
//                      the views it does not open; and each language's words, fetched only by a session in it
//   - console.css      its styles and uPlot's
//   - config.json      written by whoever serves it: { "apiUrl": "" } locally (same origin), the HTTP API's URL in the cloud
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, buildSync, type BuildOptions, type BuildResult, type Metafile } from 'esbuild';
import { browserBundleOptions } from '../web-widget/build.js';
import { VIEWS } from './src/state.js';
import type { Language } from './src/strings.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * gzip budget in bytes of what a first visit fetches: the page's script and styles, the chunks of the view it opens and
 * those of its language's words (each file gzipped on its own, as served), for whichever view and language that is;
 * enforced by test/unit/console-size.test.ts
 */
export const CONSOLE_BUDGET = 45 * 1024;

const common = browserBundleOptions;
const OUT_DIR = join(here, 'out');
const scriptOptions: BuildOptions = {
  ...common,
  entryPoints: [join(here, 'src', 'main.ts')],
  format: 'esm',
  splitting: true,
  outdir: OUT_DIR,
  entryNames: 'console',
  chunkNames: 'chunk-[hash]',
  metafile: true,
};
const styleOptions: BuildOptions = { ...common, entryPoints: [join(here, 'src', 'styles.css')] };

/** the files by name (index.html, console.js, console.css and the chunks), and which chunks each view needs */
export interface ConsoleFiles extends Record<string, string> {
  'index.html': string;
  'console.js': string;
  'console.css': string;
}

/** the view modules main.ts imports when a view is shown */
export const CONSOLE_VIEWS = VIEWS;

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
<script type="module" src="console.js"></script>
</head>
<body>
<div id="app"><p>Loading…</p><noscript>The CX console needs JavaScript.</noscript></div>
</body>
</html>
`;

const textOf = (result: { outputFiles?: { text: string }[] }) => result.outputFiles?.[0]?.text ?? '';
const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

function filesOf(script: BuildResult, style: { outputFiles?: { text: string }[] }): ConsoleFiles {
  const scripts = Object.fromEntries((script.outputFiles ?? []).map((file) => [nameOf(file.path), file.text]));
  return { ...scripts, 'index.html': consoleHtml(), 'console.js': scripts['console.js'] ?? '', 'console.css': textOf(style) };
}

export async function buildConsole(): Promise<ConsoleFiles> {
  const [script, style] = await Promise.all([build(scriptOptions), build(styleOptions)]);
  return filesOf(script, style);
}

/** the same, synchronously: CDK constructs are built synchronously during synth */
export function buildConsoleSync(): ConsoleFiles {
  return filesOf(buildSync(scriptOptions), buildSync(styleOptions));
}

/** the console's languages, and the module each one's words load from (a chunk of its own) */
export const CONSOLE_LANGUAGES = { en: 'src/strings-en.ts', 'zh-CN': 'src/strings-zh.ts' } as const satisfies Record<Language, string>;

/** the script files a first visit to `view` in `language` fetches: console.js, its static imports, the view's and the language's chunks, and theirs */
function scriptsOfVisit(metafile: Metafile, view: (typeof CONSOLE_VIEWS)[number], language: Language): string[] {
  const outputs = Object.entries(metafile.outputs);
  const entryOf = (suffix: string) => outputs.find(([, output]) => output.entryPoint?.endsWith(suffix))?.[0];
  const needed = new Set<string>();
  const visit = (path: string | undefined) => {
    if (!path || needed.has(path)) return;
    needed.add(path);
    for (const imported of metafile.outputs[path]?.imports ?? []) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entryOf('src/main.ts'));
  visit(entryOf(`src/views/${view}.ts`));
  const words = entryOf(CONSOLE_LANGUAGES[language]);
  // words that were no chunk of their own would be measured short
  if (!words) throw new Error(`no chunk loads ${CONSOLE_LANGUAGES[language]}`);
  visit(words);
  return [...needed].map(nameOf);
}

export interface ConsoleSize {
  name: string;
  minified: number;
  gzip: number;
  budget?: number;
}

export async function consoleSizes(): Promise<ConsoleSize[]> {
  const [script, style] = await Promise.all([build(scriptOptions), build(styleOptions)]);
  const files = filesOf(script, style);
  const gzipOf = (name: string) => gzipSync(files[name] ?? '', { level: 9 }).length;
  const size = (name: string, budget?: number) => ({ name, minified: Buffer.byteLength(files[name] ?? ''), gzip: gzipOf(name), budget });
  const languages = Object.keys(CONSOLE_LANGUAGES) as Language[];
  const visits = languages.flatMap((language) => CONSOLE_VIEWS.map((view) => {
    const names = [...scriptsOfVisit(script.metafile!, view, language), 'console.css'];
    return {
      name: `first visit: ${view}, ${language} (${names.length} files)`,
      minified: names.reduce((sum, name) => sum + Buffer.byteLength(files[name] ?? ''), 0),
      gzip: names.reduce((sum, name) => sum + gzipOf(name), 0),
      budget: CONSOLE_BUDGET,
    };
  }));
  const scripts = Object.keys(files).filter((name) => name.endsWith('.js')).sort((a, b) => (a === 'console.js' ? -1 : b === 'console.js' ? 1 : a.localeCompare(b)));
  return [...scripts.map((name) => size(name)), size('console.css'), size('index.html'), ...visits];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const { name, minified, gzip, budget } of await consoleSizes()) {
    console.log(`  ${name.padEnd(40)} ${(minified / 1024).toFixed(1).padStart(6)} KB minified ${(gzip / 1024).toFixed(2).padStart(6)} KB gzip${budget ? ` (budget ${budget / 1024} KB)` : ''}`);
  }
}
