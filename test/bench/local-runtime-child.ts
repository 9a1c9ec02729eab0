// bench support: `npm start` as a child process on a free port with its own data folder, resolved once it prints
// `ready`; the benches load it over HTTP as a user would. Extra environment (e.g. LOCAL_QUEUE_JOURNAL) per bench.
import { spawn, type ChildProcess } from 'node:child_process';

export const BENCH_TOKEN = 'bench-admin-token-00000000';

export function startRuntimeChild(dataDir: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    // rate limits off: a bench pushes thousands of requests a second from one address
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, FEEDBACK_ADMIN_TOKEN: BENCH_TOKEN, RATE_LIMIT_PER_MINUTE: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /demo page\s+(http:\/\/\S+)\//.exec(output)?.[1];
      if (url && /^ready$/m.test(output)) resolve({ child, url });
    });
    child.once('exit', (code) => reject(new Error(`the local runtime exited with ${code}`)));
  });
}

/** SIGTERM drains the queues first (minutes after a saturating load); SIGKILL where the data folder is thrown away */
export const stopRuntimeChild = (child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') =>
  new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill(signal)));
