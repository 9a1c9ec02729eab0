// infra: how a function entry becomes a Lambda bundle. One set of esbuild settings, offered in the two shapes that
// consume it: the CDK NodejsFunction (infra/cdk) and esbuild itself (the bundle-size benchmark), so what the benchmark
// measures is what gets deployed.
//
// Type-only imports: the benchmark loads this file without paying for aws-cdk-lib.
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';
import type { BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/** must match the Lambda runtime (Node.js 22), or esbuild may down-level syntax the runtime already has */
const target = 'node22';

/**
 * Nothing is external: what runs in AWS is the pinned code the tests ran (the deploy-faithful runner, infra/deployed,
 * loads these very bundles), not the Lambda runtime's built-in AWS SDK. The functions call AWS through shared/aws,
 * which bundles the SDK's signer and DynamoDB marshaller but none of its generated clients.
 */
const external: string[] = [];

/** ESM builds first: the SDK's and Powertools' `module` entries tree-shake, their CommonJS `main` ones do not */
const mainFields = ['module', 'main'];

/**
 * Cloud bundles always score with Comprehend. Replacing the lookup with a constant lets esbuild drop the local scorer
 * (and its lexicons) as dead code; the local runtime, which does not bundle, still reads the real variable.
 */
const define = { 'process.env.SENTIMENT_PROVIDER': JSON.stringify('comprehend') };

/**
 * Injected into every bundle, ahead of its own modules: source-mapped-stacks.ts, TypeScript positions in stack traces
 * from the bundle's source map, read when a stack is formatted rather than at every cold start
 * (NODE_OPTIONS=--enable-source-maps). esbuild's `inject` passes a path, where a `banner` would pass the module's code
 * through the command line CDK builds (PowerShell on Windows); the price is a call to it at the top of each module.
 */
const inject = [fileURLToPath(new URL('./source-mapped-stacks.ts', import.meta.url))];

/**
 * Modules a bundle gets in place of the ones its dependencies import: node:stream/web, which @middy/core imports for
 * streamed responses and which loads all of Node's web streams at every cold start, becomes web-streams-on-demand.ts,
 * Node's own ReadableStream reached when first used.
 */
const alias = { 'node:stream/web': fileURLToPath(new URL('./web-streams-on-demand.ts', import.meta.url)) };

/** Bundling for every cloud function. Local esbuild only: synth must work on a laptop without Docker. */
export const lambdaBundling: BundlingOptions = {
  target,
  // CommonJS keeps the default `index.handler` lookup and the plain `index.js` asset name
  format: 'cjs' as OutputFormat,
  minify: true,
  // linked maps give TypeScript line numbers in stack traces (source-mapped-stacks.ts reads them); the sources
  // themselves are not needed for that, so they stay out of the asset
  sourceMap: true,
  sourcesContent: false,
  inject,
  esbuildArgs: { '--alias': Object.entries(alias).map(([module, path]) => `${module}=${path}`) },
  externalModules: external,
  mainFields,
  define,
  forceDockerBundling: false,
};

/**
 * The same build as {@link lambdaBundling}, as esbuild BuildOptions for one entry (what NodejsFunction runs:
 * `esbuild --bundle --platform=node --outfile=… <the options above>`). Spread in `write: false`, `metafile: true`
 * etc. to measure rather than write.
 */
export function esbuildOptionsFor(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target,
    format: 'cjs',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external: [...external],
    mainFields: [...mainFields],
    define: { ...define },
    inject: [...inject],
    alias: { ...alias },
  };
}
