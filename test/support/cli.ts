// test support: `npm run cli` as a user runs it (a new Node process that loads the TypeScript through tsx), against a
// running local runtime over HTTP.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ADMIN_TOKEN } from './local-runtime.js';

/**
 * a hang guard, not a budget, for tests that start the CLI several times: each start costs about 0.4 s of CPU, and on
 * a 2-core machine shared with a CPU-bound job, under `nice`, one start has taken 20 s
 */
export const CLI_TEST_TIMEOUT_MS = 300_000;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * runs the CLI with `args` against `endpoint`, authenticated with `token`, with `env` added to the environment; never
 * rejects: a failure is its exit code
 */
export const runCli = (endpoint: string, args: string[], token = ADMIN_TOKEN, env: Record<string, string> = {}): Promise<CliResult> =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    env: { ...process.env, FEEDBACK_ENDPOINT: endpoint, FEEDBACK_ADMIN_TOKEN: token, ...env },
    // invite reports every skipped row of a large CSV on stderr
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number | null; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
