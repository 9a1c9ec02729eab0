// test support: the deploy-faithful runner (infra/deployed) on the stack as `cdk deploy` would ship it, synthesized
// into a temporary folder with a known admin token. Schedules run only when triggered, and a failed queue message
// comes back after 1 s (not its queue's minutes), so a redrive to the DLQ is seen in seconds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDeployedRunner, type DeployedRunnerOptions } from '../../infra/deployed/runner.js';
import { synthesizeAssembly } from '../../infra/deployed/synth.js';
import { ADMIN_TOKEN } from './local-runtime.js';

/**
 * `functionOverrides`: a test's departures from the template (a shorter Timeout, an extra variable); `context`: values
 * synth gets as `-c name=value` (a deployment's settings, in the template)
 */
export async function startTestDeployedRunner({ context, ...options }: Pick<DeployedRunnerOptions, 'functionOverrides'> & { context?: Record<string, unknown> } = {}) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // the assembly (tens of MB of bundles) and the engines' data, removed by close() or when starting fails
  const dir = mkdtempSync(join(tmpdir(), 'feedback-deployed-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  try {
    const assemblyDir = synthesizeAssembly(join(dir, 'cdk.out'), context);
    const runner = await startDeployedRunner({ assemblyDir, dataDir: join(dir, 'data'), schedules: 'manual', failedMessageRetrySeconds: 1, secrets: { AdminToken: ADMIN_TOKEN }, ...options });
    return {
      runner,
      async close() {
        await runner.stop();
        removeDir();
      },
    };
  } catch (error) {
    removeDir();
    throw error;
  }
}
