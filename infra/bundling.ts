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
 * The AWS SDK is bundled, not left to the Lambda runtime's built-in copy: what runs in AWS is then the pinned version
 * the tests ran (the deploy-faithful runner, infra/deployed, loads these very bundles). Nothing is external.
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
 * Packages replaced in the bundles by the part a Lambda function can reach (each file in infra/lambda-bundle says what
 * it drops): the SDK's default credential chain by its first link, the environment variables, where Lambda always
 * puts the role's credentials; the SDK's event-stream codecs, which no operation the functions call uses; DynamoDB's
 * endpoint-discovery cache, which no command of the pinned client reads. Absolute
 * paths, as esbuild resolves an alias's replacement from its working directory.
 */
const replaced = (file: string) => fileURLToPath(new URL(`./lambda-bundle/${file}`, import.meta.url));
const alias = {
  '@aws-sdk/credential-provider-node': replaced('credentials.ts'),
  '@smithy/core/event-streams': replaced('no-event-streams.ts'),
  '@aws-sdk/middleware-endpoint-discovery': replaced('no-endpoint-discovery.ts'),
};

/** Bundling for every cloud function. Local esbuild only: synth must work on a laptop without Docker. */
export const lambdaBundling: BundlingOptions = {
  target,
  // CommonJS keeps the default `index.handler` lookup and the plain `index.js` asset name
  format: 'cjs' as OutputFormat,
  minify: true,
  // linked maps + NODE_OPTIONS=--enable-source-maps give TypeScript line numbers in stack traces; the sources
  // themselves are not needed for that, so they stay out of the asset
  sourceMap: true,
  sourcesContent: false,
  externalModules: external,
  mainFields,
  define,
  esbuildArgs: { '--alias': Object.entries(alias).map(([name, path]) => `${name}=${path}`) },
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
    alias: { ...alias },
  };
}
