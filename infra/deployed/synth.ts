// deploy-faithful runner: the cloud assembly `cdk synth` would write, synthesized in this process (the CDK app with
// cdk.json's context, bundles built by esbuild exactly as `cdk deploy` builds them, cdk-nag run). For the runner's
// start script and the tests; the CLI's `npx cdk synth` writes the same thing to cdk.out.
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { createFeedbackApp } from '../cdk/app.js';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context?: Record<string, unknown> };

/** synthesizes into `outdir` (context values added to cdk.json's, as `-c name=value` adds them) and returns it */
export function synthesizeAssembly(outdir: string, context: Record<string, unknown> = {}): string {
  // the asset and construct-path metadata the CDK CLI asks every app for (which bundle is which function's)
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:enable-path-metadata': true, ...cdkJson.context, ...context } });
  createFeedbackApp(app);
  app.synth();
  return outdir;
}
