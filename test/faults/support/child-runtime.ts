// fault suite support: the local runtime as `npm start` runs it, in a child process that can be killed (SIGKILL) and
// restarted on the same data folder, with its output captured for the log scan.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildRuntime {
  child: ChildProcess;
  url: string;
  dynamoEndpoint: string;
  queueEndpoint: string;
  /** everything the process printed (stdout and stderr) */
  output: () => string;
  /** what it printed after `ready` (the banner above it shows the admin token masked) */
  outputAfterReady: () => string;
  exited: Promise<number | null>;
}

export const FAULTS_ADMIN_TOKEN = 'faults-admin-token-0123456789';

export function startChildRuntime(dataDir: string, env: Record<string, string> = {}): Promise<ChildRuntime> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      FEEDBACK_ADMIN_TOKEN: FAULTS_ADMIN_TOKEN,
      // the rate limiter (another change) must not throttle a load generator
      RATE_LIMIT_PER_MINUTE: '0',
      LOCAL_SCHEDULE_EVERY_MS: '500',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let readyAt = -1;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "ready" within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (readyAt >= 0) return;
      const ready = /^ready$/m.exec(output);
      const url = /demo page\s+(http:\/\/\S+)\//.exec(output)?.[1];
      const dynamo = /DynamoDB \(dynalite\) (http:\/\/\S+)/.exec(output)?.[1];
      const sqs = /SQS \(fauxqs\) http:\/\/[^:]+:(\d+)/.exec(output)?.[1];
      if (ready && url && dynamo && sqs) {
        readyAt = ready.index + ready[0].length;
        clearTimeout(timer);
        resolve({
          child,
          url,
          dynamoEndpoint: dynamo,
          queueEndpoint: `http://127.0.0.1:${sqs}`,
          output: () => output,
          outputAfterReady: () => output.slice(readyAt),
          exited,
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      if (readyAt < 0) reject(new Error(`exited with ${code} before ready:\n${output}`));
    });
  });
}

export async function stopChild(runtime: ChildRuntime, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (runtime.child.exitCode !== null || runtime.child.signalCode !== null) return runtime.child.exitCode;
  runtime.child.kill(signal);
  return runtime.exited;
}

/** one SQS JSON-protocol call to the child's fauxqs (the queue URL names the queue; the host is 127.0.0.1) */
export async function sqsCall<T = any>(runtime: ChildRuntime, action: string, body: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${runtime.queueEndpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${action} answered ${response.status}`);
  return (await response.json()) as T;
}

export const queueUrlOf = (runtime: ChildRuntime, name: string) => `http://sqs.us-east-1.localhost:${new URL(runtime.queueEndpoint).port}/000000000000/${name}`;
