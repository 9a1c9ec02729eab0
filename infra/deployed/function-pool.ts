// deploy-faithful runner: what Lambda does with one function. Sandboxes are child processes (sandbox.cjs), each with
// exactly the function's environment and node started as Lambda's runtime starts it (lambdaNodeFlags), started on
// demand (a cold start) and reused one invocation at a time. The template's Timeout is enforced (the sandbox is
// killed, as Lambda kills it, and the next invocation starts a new one), and its reserved concurrency caps the
// sandboxes: a synchronous invocation past the cap is throttled, an asynchronous one (schedules, queue batches) waits
// for a free sandbox. A function that reserves none draws on the account's pool, which a few requests at once never
// exhaust: here it gets a few sandboxes only, and an invocation past them waits for one instead of being throttled.
// An event or an answer past Lambda's payload quota fails the invocation, as in Lambda. Each invocation ends with
// Lambda's REPORT line in the function's log (its duration, the sandbox's memory, and on a cold start its Init
// Duration); a failed one logs its error with the function's stack, as Lambda's runtime logs it.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { MAX_EVENT_BYTES, pastAnswerQuota, RESPONSE_TOO_LARGE } from '../lambda-quotas.js';
import type { FunctionResource } from './cloud-assembly.js';

const SANDBOX = new URL('./sandbox.cjs', import.meta.url);

/**
 * sandboxes per function when the template reserves none (the account's pool is far larger; a laptop is not): a limit of
 * this machine, not Lambda's, so an invocation past it waits for a free sandbox and is never throttled
 */
export const UNRESERVED_LOCAL_CONCURRENCY = 4;


export class InvocationError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
    /** the function's own stack, as its sandbox formatted it (the bundle's, mapped to its sources), line by line */
    readonly trace?: string[],
    /** the error's own enumerable properties, as JSON (Lambda's runtime logs them with it) */
    readonly properties?: Record<string, unknown>,
  ) {
    super(message);
    this.name = errorType;
  }
}

export interface PoolOptions {
  /** the environment of every sandbox: the template's variables, the runtime's own, the local endpoint */
  environment: Record<string, string>;
  /** each line a sandbox writes (its logs), with the function's name */
  onLog: (line: string) => void;
  /** a sandbox that could not start (the bundle did not load, its configuration was refused at cold start) */
  onInitError?: (error: InvocationError) => void;
}

interface Sandbox {
  child: ChildProcess;
  busy: boolean;
  /** its Init Duration, until its first invocation's REPORT line gives it */
  initDurationMs?: number;
  /** the last invocation's figures, for its REPORT line (logged after the invocation's error, as Lambda orders them) */
  report?: InvocationReport;
  pending?: { id: string; resolve: (value: unknown) => void; reject: (error: Error) => void };
}

/** an error as a sandbox sends it (sandbox.cjs) */
interface SandboxError {
  name: string;
  message: string;
  properties?: Record<string, unknown>;
  stack?: string;
}

/** a stack as the lines of an error log line, when the sandbox sent one as text */
const linesOf = (stack: unknown) => (typeof stack === 'string' ? stack.split('\n') : undefined);

/** what a sandbox measures of an invocation (sandbox.cjs); for one it did not finish, the runner's duration and why */
interface InvocationReport {
  durationMs: number;
  maxMemoryUsedMb?: number;
  status?: 'timeout' | 'error';
}

/**
 * the line Lambda logs after each invocation, Init Duration on a sandbox's first (its cold start): the sandbox's start
 * to its handler module loaded; and a `Status` for one the sandbox did not finish (a timeout, or the sandbox died), whose
 * memory is not known. Billed Duration is left out: how AWS bills the init phase is not the runner's to say
 */
export function reportLine(requestId: string, memoryMb: number, { durationMs, maxMemoryUsedMb, status }: InvocationReport, initDurationMs?: number): string {
  const memory = maxMemoryUsedMb === undefined ? '' : `\tMax Memory Used: ${Math.round(maxMemoryUsedMb)} MB`;
  const init = initDurationMs === undefined ? '' : `\tInit Duration: ${initDurationMs.toFixed(2)} ms`;
  const ended = status === undefined ? '' : `\tStatus: ${status}`;
  return `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tMemory Size: ${memoryMb} MB${memory}${init}${ended}`;
}

/** a REPORT line's figures (reportLine), or undefined for any other line */
export function parseReportLine(line: string): { requestId: string; durationMs: number; initDurationMs?: number; status?: string } | undefined {
  const match = /^REPORT RequestId: (\S+)\tDuration: ([\d.]+) ms\t/.exec(line);
  if (!match) return undefined;
  const init = /\tInit Duration: ([\d.]+) ms/.exec(line)?.[1];
  const status = /\tStatus: (\w+)/.exec(line)?.[1];
  return { requestId: match[1]!, durationMs: Number(match[2]), ...(init ? { initDurationMs: Number(init) } : {}), ...(status ? { status } : {}) };
}

/**
 * the flags Lambda's Node.js runtime starts node with (the bootstrap of AWS's Lambda base images): a heap sized from
 * the function's memory (a tenth of it for the young generation, in two semi-spaces, the rest for the old one), so a
 * function that outgrows its memory fails here as there, and its garbage collector runs as there
 */
export function lambdaNodeFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return ['--expose-gc', '--max-http-header-size', '81920', `--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`];
}

export function createFunctionPool(fn: FunctionResource, { environment, onLog, onInitError }: PoolOptions) {
  const cap = fn.reservedConcurrency ?? UNRESERVED_LOCAL_CONCURRENCY;
  const sandboxes = new Set<Sandbox>();
  const waiting: { resolve: (sandbox: Sandbox) => void; reject: (error: Error) => void }[] = [];
  let coldStarts = 0;
  let stopped = false;

  /** as Lambda's runtime logs a failed init or invocation (to CloudWatch there, to the function's log lines here) */
  const logError = (what: string, error: InvocationError) =>
    onLog(`ERROR\t${what}\t${JSON.stringify({ errorType: error.errorType, errorMessage: error.message, ...error.properties, ...(error.trace ? { stack: error.trace } : {}) })}`);

  const retire = (sandbox: Sandbox) => {
    sandboxes.delete(sandbox);
    if (sandbox.child.exitCode === null) sandbox.child.kill('SIGKILL');
  };

  function start(): Promise<Sandbox> {
    coldStarts += 1;
    const child = fork(SANDBOX, [], { env: environment, cwd: fn.assetDir, execArgv: lambdaNodeFlags(fn.memoryMb), stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    for (const stream of [child.stdout, child.stderr]) if (stream) createInterface({ input: stream }).on('line', onLog);
    const sandbox: Sandbox = { child, busy: true };
    sandboxes.add(sandbox);
    return new Promise<Sandbox>((resolve, reject) => {
      const failed = (error: InvocationError) => {
        retire(sandbox);
        logError('Init Error', error);
        onInitError?.(error);
        reject(error);
      };
      child.once('exit', (code) => failed(new InvocationError('Runtime.ExitError', `the sandbox exited (${code}) during init`)));
      child.once('message', (message: { type: string; error?: SandboxError; initDurationMs?: number }) => {
        child.removeAllListeners('exit');
        // Lambda reports any failure while the handler module loads as Runtime.ImportModuleError
        if (message.type !== 'ready') return failed(new InvocationError('Runtime.ImportModuleError', `${message.error?.name ?? 'Error'}: ${message.error?.message ?? 'init failed'}`, linesOf(message.error?.stack)));
        sandbox.initDurationMs = message.initDurationMs;
        child.on('message', (reply: { type: string; id: string; payload?: string; error?: SandboxError; report?: InvocationReport }) => {
          const pending = sandbox.pending;
          if (!pending || pending.id !== reply.id) return;
          sandbox.pending = undefined;
          sandbox.report = reply.report;
          const payload = reply.payload ?? 'null';
          if (reply.type !== 'result') pending.reject(new InvocationError(reply.error?.name ?? 'Error', reply.error?.message ?? 'failed', linesOf(reply.error?.stack), reply.error?.properties));
          // the answer as its JSON: past the quota Lambda fails the invocation (the runtime's post of it is refused)
          else if (pastAnswerQuota(payload)) pending.reject(new InvocationError(RESPONSE_TOO_LARGE.errorType, RESPONSE_TOO_LARGE.errorMessage));
          else pending.resolve(JSON.parse(payload));
        });
        child.on('exit', (code) => {
          sandboxes.delete(sandbox);
          sandbox.pending?.reject(new InvocationError('Runtime.ExitError', `the sandbox exited (${code}) during the invocation`));
          sandbox.pending = undefined;
        });
        resolve(sandbox);
      });
    });
  }

  async function acquire(mode: 'sync' | 'async'): Promise<Sandbox> {
    if (stopped) throw new InvocationError('ResourceNotFoundException', `${fn.name} is stopped`);
    const idle = [...sandboxes].find((sandbox) => !sandbox.busy);
    if (idle) {
      idle.busy = true;
      return idle;
    }
    if (sandboxes.size < cap) return start();
    // only a reserved concurrency throttles: the console's five requests at once would otherwise meet a 503 (without
    // its CORS headers) that the account's pool never gives them
    if (mode === 'sync' && fn.reservedConcurrency !== undefined) throw new InvocationError('TooManyRequestsException', `Rate Exceeded: ${fn.name} is at its concurrency of ${cap}`);
    return new Promise<Sandbox>((resolve, reject) => waiting.push({ resolve, reject }));
  }

  function release(sandbox: Sandbox): void {
    const next = waiting.shift();
    // one that died or timed out is replaced by a new one (a cold start) for the next waiting invocation
    if (!sandboxes.has(sandbox)) {
      if (next) start().then(next.resolve, next.reject);
      return;
    }
    if (next) next.resolve(sandbox);
    else sandbox.busy = false;
  }

  async function invoke(event: unknown, mode: 'sync' | 'async' = 'sync'): Promise<unknown> {
    const eventBytes = Buffer.byteLength(JSON.stringify(event ?? null));
    if (eventBytes > MAX_EVENT_BYTES) {
      throw new InvocationError('RequestEntityTooLargeException', `Request must be smaller than ${MAX_EVENT_BYTES} bytes for the InvokeFunction operation (${eventBytes} bytes)`);
    }
    const sandbox = await acquire(mode);
    const id = randomUUID();
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    const started = performance.now();
    try {
      return await new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          sandbox.pending = undefined;
          retire(sandbox);
          reject(new InvocationError('Sandbox.Timedout', `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`));
        }, fn.timeoutSeconds * 1000);
        sandbox.pending = {
          id,
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        sandbox.child.send({ id, event, requestId: id, deadline, functionArn: fn.arn });
      });
    } catch (error) {
      if (error instanceof InvocationError) logError('Invoke Error', error);
      // a sandbox killed at its Timeout, or one that died, sent no figures: the duration as the runner saw it
      sandbox.report ??= { durationMs: performance.now() - started, status: error instanceof InvocationError && error.errorType === 'Sandbox.Timedout' ? 'timeout' : 'error' };
      throw error;
    } finally {
      if (sandbox.report) onLog(reportLine(id, fn.memoryMb, sandbox.report, sandbox.initDurationMs));
      sandbox.report = undefined;
      sandbox.initDurationMs = undefined;
      release(sandbox);
    }
  }

  return {
    function: fn,
    invoke,
    /** sandboxes started so far (each a cold start) */
    coldStarts: () => coldStarts,
    /**
     * kills the sandboxes that are mid-invocation, as a crash or an out-of-memory kill ends them: each invocation
     * fails with Runtime.ExitError, and the next starts a new sandbox (tests: fault-plan.ts)
     */
    crash(): void {
      for (const sandbox of sandboxes) if (sandbox.pending) sandbox.child.kill('SIGKILL');
    },
    /** retires the idle sandboxes, as Lambda does after a while without traffic: the next invocation is a cold start */
    recycle(): void {
      for (const sandbox of [...sandboxes]) if (!sandbox.busy) retire(sandbox);
    },
    stop(): void {
      stopped = true;
      for (const sandbox of [...sandboxes]) retire(sandbox);
      // an invocation still waiting for a sandbox gets none now
      for (const next of waiting.splice(0)) next.reject(new InvocationError('ResourceNotFoundException', `${fn.name} is stopped`));
    },
  };
}

export type FunctionPool = ReturnType<typeof createFunctionPool>;
