// build: the widget's bundles, built in memory by esbuild. The local runtime serves them (/widget.js, /widget-full.js),
// the size-budget test and `npm run bench` measure them, and `npm run build:widget` writes them to web-widget/dist
// together with the npm package's ES modules and type declarations.
//   - loader (widget.js): what the script tag fetches first; display rules, API; fetches the rest only when needed
//   - full (widget-full.js): the survey UI, retry queue, strings and styles
//   - package (dist/esm): the npm entry; the same core, the UI as a dynamic import the site's bundler splits off
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, buildSync, type BuildOptions } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const source = (file: string) => join(here, 'src', file);

/** gzip budgets in bytes, enforced by test/unit/widget-size.test.ts and printed by `npm run bench` */
export const WIDGET_BUDGETS = { loader: 2 * 1024, full: 8 * 1024 } as const;

/** esbuild options of every browser bundle (the widget's, the CX console's): minified, in memory */
export const browserBundleOptions: BuildOptions = {
  bundle: true,
  minify: true,
  write: false,
  legalComments: 'none',
  // browsers of the last few years (custom elements, Shadow DOM, optional chaining)
  target: 'es2020',
  charset: 'utf8',
};
const common = browserBundleOptions;

async function bundle(entry: string): Promise<string> {
  const result = await build({ ...common, entryPoints: [source(entry)], format: 'iife' });
  return result.outputFiles?.[0]?.text ?? '';
}

export interface WidgetBundles {
  /** /widget.js */
  loader: string;
  /** /widget-full.js, fetched by the loader when the widget opens */
  full: string;
}

export async function buildWidget(): Promise<WidgetBundles> {
  const [loader, full] = await Promise.all([bundle('loader.ts'), bundle('full.ts')]);
  return { loader, full };
}

export interface BundleSize {
  name: string;
  minified: number;
  gzip: number;
  budget?: number;
}

export async function widgetSizes(): Promise<BundleSize[]> {
  const { loader, full } = await buildWidget();
  const size = (name: string, text: string, budget?: number) => ({ name, minified: Buffer.byteLength(text), gzip: gzipSync(text, { level: 9 }).length, budget });
  return [size('widget.js (loader)', loader, WIDGET_BUDGETS.loader), size('widget-full.js', full, WIDGET_BUDGETS.full), size('both, as an opening widget fetches them', loader + full)];
}

/** the npm package: dist/widget.js + dist/widget-full.js (for self-hosting the tag) and dist/esm (the import) */
export async function buildWidgetPackage(outDir = join(here, 'dist')): Promise<string[]> {
  const written: string[] = [];
  const write = (file: string, text: string) => {
    const path = join(outDir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    written.push(file);
  };
  const { loader, full } = await buildWidget();
  write('widget.js', loader);
  write('widget-full.js', full);
  const esm = await build({ ...common, entryPoints: [source('index.ts')], format: 'esm', splitting: true, outdir: join(outDir, 'esm'), chunkNames: '[name]-[hash]' });
  for (const file of esm.outputFiles ?? []) write(join('esm', file.path.slice(join(outDir, 'esm').length + 1)), file.text);
  // declarations: the public types need no compiler run beyond one file each (isolated declarations)
  const ts = await import('typescript');
  for (const file of ['index.ts', 'types.ts']) {
    const { outputText } = ts.transpileDeclaration(readFileSync(source(file), 'utf8'), { fileName: file, compilerOptions: { module: ts.ModuleKind.ESNext } });
    write(join('esm', file.replace(/\.ts$/, '.d.ts')), outputText);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await buildWidgetPackage();
  console.log(`web-widget/dist: ${files.join(', ')}`);
  for (const { name, minified, gzip, budget } of await widgetSizes()) {
    console.log(`  ${name.padEnd(40)} ${(minified / 1024).toFixed(1).padStart(6)} KB minified ${(gzip / 1024).toFixed(2).padStart(6)} KB gzip${budget ? ` (budget ${budget / 1024} KB)` : ''}`);
  }
}

/** CX console hosting: the same bundles, built synchronously (CDK constructs are built synchronously during synth) */
export function buildWidgetSync(): WidgetBundles {
  const bundleSync = (entry: string) => buildSync({ ...common, entryPoints: [source(entry)], format: 'iife' }).outputFiles?.[0]?.text ?? '';
  return { loader: bundleSync('loader.ts'), full: bundleSync('full.ts') };
}
