// test support: the deploy-faithful runner (infra/deployed) on the stack as `cdk deploy` would ship it, synthesized
// once per test process into a temporary folder, with a known admin token. Schedules run only when triggered, and a
// failed queue message comes back after 1 s (not its queue's minutes), so a redrive to the DLQ is seen in seconds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDeployedRunner } from '../../infra/deployed/runner.js';
import { synthesizeAssembly } from '../../infra/deployed/synth.js';
import { ADMIN_TOKEN } from './local-runtime.js';

let assembly: string | undefined;

/** the synthesized assembly of this process (bundling all functions takes a while on two shared cores) */
export function testAssembly(): string {
  if (!assembly) {
    const dir = mkdtempSync(join(tmpdir(), 'feedback-assembly-'));
    // tens of MB of bundles: gone with the test process
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    assembly = synthesizeAssembly(dir);
  }
  return assembly;
}

export async function startTestDeployedRunner() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dataDir = mkdtempSync(join(tmpdir(), 'feedback-deployed-'));
  const runner = await startDeployedRunner({ assemblyDir: testAssembly(), dataDir, schedules: 'manual', failedMessageRetrySeconds: 1, secrets: { AdminToken: ADMIN_TOKEN } });
  return {
    runner,
    async close() {
      await runner.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
