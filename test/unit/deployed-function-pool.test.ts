// unit: the deploy-faithful runner's Lambda sandboxes (infra/deployed/function-pool.ts) on a small bundle written
// here: its own environment only, a fresh sandbox after a recycle (the cold-start bench), the template's Timeout
// enforced (the sandbox is killed and the next invocation starts a new one), reserved concurrency honoured (a
// synchronous invocation past it is throttled, an asynchronous one waits; without one, past the local sandbox limit
// any invocation waits), a bundle that cannot load failing its
// invocations as Lambda's init errors do, and Lambda's REPORT line after each invocation and its error log line with the
// function's stack after a failed one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { FunctionResource } from '../../infra/deployed/cloud-assembly.js';
import { createFunctionPool, lambdaNodeFlags, parseReportLine, UNRESERVED_LOCAL_CONCURRENCY, type FunctionPool } from '../../infra/deployed/function-pool.js';
import { MAX_EVENT_BYTES, MAX_PAYLOAD_BYTES } from '../../infra/lambda-quotas.js';

const BUNDLE = `
let invocations = 0;
exports.handler = async (event) => {
  invocations += 1;
  // at least sleepMs by the clock the sandbox times Duration with: a timer may fire a fraction of a millisecond early
  const until = performance.now() + (event.sleepMs ?? 0);
  while (performance.now() < until) await new Promise((resolve) => setTimeout(resolve, until - performance.now()));
  return { pid: process.pid, invocations, greeting: process.env.GREETING, leaked: process.env.RUNNER_SECRET ?? null };
};`;

// every bundle of this file under one folder, removed after it
const assetsRoot = mkdtempSync(join(tmpdir(), 'feedback-pool-'));
afterAll(() => rmSync(assetsRoot, { recursive: true, force: true }));

function functionWith(source: string, settings: Partial<FunctionResource> = {}): FunctionResource {
  const assetDir = mkdtempSync(join(assetsRoot, 'asset-'));
  writeFileSync(join(assetDir, 'index.js'), source);
  return {
    logicalId: 'Fn1',
    name: 'Api-Fn1',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:Api-Fn1',
    assetDir,
    handler: 'index.handler',
    runtime: 'nodejs22.x',
    timeoutSeconds: 5,
    memoryMb: 128,
    environment: {},
    roleArn: 'arn:aws:iam::000000000000:role/Api-Role',
    displayName: 'Fn',
    ...settings,
  };
}

const pools: FunctionPool[] = [];
const poolOf = (fn: FunctionResource, onLog: (line: string) => void = () => undefined) => {
  const pool = createFunctionPool(fn, { environment: { GREETING: 'hello', LAMBDA_TASK_ROOT: fn.assetDir, _HANDLER: fn.handler }, onLog });
  pools.push(pool);
  return pool;
};
afterEach(() => {
  for (const pool of pools.splice(0)) pool.stop();
});

describe('the deployed runner’s sandboxes', () => {
  it('run the bundle with the given environment only, reusing a warm sandbox', async () => {
    // Prepare
    process.env.RUNNER_SECRET = 'must not reach the function';
    const pool = poolOf(functionWith(BUNDLE));

    // Act
    const first = (await pool.invoke({})) as { pid: number; invocations: number; greeting: string; leaked: string | null };
    const second = (await pool.invoke({})) as typeof first;

    // Assess
    expect(first).toMatchObject({ greeting: 'hello', leaked: null, invocations: 1 });
    expect(second).toMatchObject({ pid: first.pid, invocations: 2 });
    expect(pool.coldStarts()).toBe(1);
    delete process.env.RUNNER_SECRET;
  });

  it('start a fresh sandbox (a cold start) for the next invocation once the idle ones are recycled', async () => {
    // Prepare
    const pool = poolOf(functionWith(BUNDLE));
    const warm = (await pool.invoke({})) as { pid: number; invocations: number };

    // Act
    pool.recycle();
    const next = (await pool.invoke({})) as typeof warm;

    // Assess
    expect(next.pid).not.toBe(warm.pid);
    expect(next.invocations).toBe(1);
    expect(pool.coldStarts()).toBe(2);
  });

  it('kill a sandbox that outlives its Timeout, and start a new one for the next invocation', async () => {
    // Prepare
    const lines: string[] = [];
    const pool = poolOf(functionWith(BUNDLE, { timeoutSeconds: 1 }), (line) => lines.push(line));

    // Act
    const timedOut = await pool.invoke({ sleepMs: 5_000 }).catch((error: Error) => error);
    const next = (await pool.invoke({})) as { invocations: number };

    // Assess: the killed invocation's REPORT line says so, as Lambda's does; each sandbox's first has its Init Duration
    expect(timedOut).toMatchObject({ name: 'Sandbox.Timedout', message: 'Task timed out after 1.00 seconds' });
    expect(next.invocations).toBe(1);
    expect(pool.coldStarts()).toBe(2);
    const [killed, after] = lines.filter((line) => line.startsWith('REPORT ')).map((line) => parseReportLine(line)!);
    expect(killed).toMatchObject({ status: 'timeout', initDurationMs: expect.any(Number) });
    expect(killed!.durationMs).toBeGreaterThanOrEqual(1_000);
    expect(after).toMatchObject({ initDurationMs: expect.any(Number) });
    expect(after!.status).toBeUndefined();
  });

  it('end the invocations under way when their sandboxes crash, leave idle ones alone, and start a new one next', async () => {
    // Prepare: one sandbox mid-invocation, one idle
    const lines: string[] = [];
    const pool = poolOf(functionWith(BUNDLE), (line) => lines.push(line));
    const warm = ((await Promise.all([pool.invoke({}), pool.invoke({})])) as { pid: number }[]).map((reply) => reply.pid);
    const running = pool.invoke({ sleepMs: 5_000 }).catch((error: Error) => error);
    await new Promise((resolve) => setImmediate(resolve));

    // Act
    pool.crash();
    const crashed = await running;
    const next = ((await Promise.all([pool.invoke({}), pool.invoke({})])) as { pid: number }[]).map((reply) => reply.pid);

    // Assess: the crashed one fails as Lambda reports a dead runtime; the idle sandbox and a new one take the next two
    expect(crashed).toMatchObject({ name: 'Runtime.ExitError' });
    expect(lines.some((line) => parseReportLine(line)?.status === 'error')).toBe(true);
    expect(next.filter((pid) => warm.includes(pid))).toHaveLength(1);
    expect(pool.coldStarts()).toBe(3);
  });

  it('throttle a synchronous invocation past the reserved concurrency, and queue an asynchronous one', async () => {
    // Prepare
    const pool = poolOf(functionWith(BUNDLE, { reservedConcurrency: 1 }));
    // its one sandbox is taken as soon as the call is made (before the sandbox has even started)
    const busy = pool.invoke({ sleepMs: 1_000 }, 'async');

    // Act
    const throttled = await pool.invoke({}, 'sync').catch((error: Error) => error);
    const queued = pool.invoke({}, 'async');
    const results = (await Promise.all([busy, queued])) as { pid: number }[];

    // Assess: one sandbox served both, one after the other
    expect(throttled).toMatchObject({ name: 'TooManyRequestsException' });
    expect(results[0]!.pid).toBe(results[1]!.pid);
    expect(pool.coldStarts()).toBe(1);
  });

  it('queue a synchronous invocation past the local sandbox limit of a function that reserves no concurrency, as the account pool serves it', async () => {
    // Prepare: the console's Overview asks for five things at once; Lambda throttles none of them
    const pool = poolOf(functionWith(BUNDLE));
    const calls = UNRESERVED_LOCAL_CONCURRENCY + 1;

    // Act
    const results = await Promise.all(Array.from({ length: calls }, () => pool.invoke({ sleepMs: 300 }, 'sync').catch((error: Error) => error)));

    // Assess: every one answered, the last by a sandbox freed by another (no more sandboxes than the local limit)
    expect(results.filter((result) => result instanceof Error)).toEqual([]);
    expect(new Set(results.map((result) => (result as { pid: number }).pid)).size).toBe(UNRESERVED_LOCAL_CONCURRENCY);
    expect(pool.coldStarts()).toBe(UNRESERVED_LOCAL_CONCURRENCY);
  });

  it('fail every invocation of a bundle that cannot load, with the module error', async () => {
    // Prepare: what a bundle with a dependency left out of it does in /var/task
    const pool = poolOf(functionWith(`require('a-package-left-external'); exports.handler = async () => 'never';`));

    // Act
    const failed = await pool.invoke({}).catch((error: Error) => error);

    // Assess
    expect(failed).toMatchObject({ name: 'Runtime.ImportModuleError', message: expect.stringContaining("Cannot find module 'a-package-left-external'") });
  });

  it("log Lambda's REPORT line after each invocation, with the Init Duration on a sandbox's first only", async () => {
    // Prepare: a handler module that takes a while to load, and an invocation that takes a while
    const lines: string[] = [];
    const pool = poolOf(functionWith(`const until = Date.now() + 150; while (Date.now() < until);\n${BUNDLE}`, { memoryMb: 256 }), (line) => lines.push(line));

    // Act
    await pool.invoke({ sleepMs: 100 });
    await pool.invoke({});

    // Assess
    const reports = lines.filter((line) => line.startsWith('REPORT '));
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatch(/^REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms$/);
    expect(reports[1]).not.toContain('Init Duration');
    const [cold, warm] = reports.map((line) => parseReportLine(line)!);
    expect(cold!.initDurationMs).toBeGreaterThanOrEqual(150);
    expect(cold!.durationMs).toBeGreaterThanOrEqual(100);
    expect(warm!.durationMs).toBeLessThan(cold!.durationMs);
    expect(warm!.initDurationMs).toBeUndefined();
  });

  it("log a failed invocation's error with its own properties and the function's stack, as Lambda's runtime logs it", async () => {
    // Prepare: an error carrying properties of its own, as an AWS client's does (what they hold reaches the log)
    const lines: string[] = [];
    const pool = poolOf(functionWith(`exports.handler = async () => {\n  throw Object.assign(new RangeError('out of range'), { code: 'E_RANGE', $metadata: { attempts: 3 } });\n};`), (line) => lines.push(line));

    // Act
    const failed = await pool.invoke({}).catch((error: Error) => error);

    // Assess: the handler's frame, line 2 of its module
    expect(failed).toMatchObject({ name: 'RangeError', message: 'out of range' });
    const errorAt = lines.findIndex((line) => line.startsWith('ERROR\tInvoke Error'));
    const [, what, json] = lines[errorAt]!.split('\t');
    // then the invocation's REPORT line, as Lambda logs them
    expect(lines.findIndex((line) => line.startsWith('REPORT '))).toBeGreaterThan(errorAt);
    expect(what).toBe('Invoke Error');
    const logged = JSON.parse(json!) as { errorType: string; errorMessage: string; stack: string[] };
    expect(logged).toMatchObject({ errorType: 'RangeError', errorMessage: 'out of range', code: 'E_RANGE', $metadata: { attempts: 3 } });
    expect(logged.stack[0]).toBe('RangeError: out of range');
    expect(logged.stack[1]).toMatch(/index\.js:2:\d+\)$/);
  });

  it("fail an answer past Lambda's payload quota after the handler returned, and take one exactly at it", async () => {
    // Prepare: a handler that answers a string of the asked length (its JSON: two quotes more)
    const lines: string[] = [];
    const pool = poolOf(functionWith(`exports.handler = async (event) => 'x'.repeat(event.length);`), (line) => lines.push(line));

    // Act
    const atQuota = await pool.invoke({ length: MAX_PAYLOAD_BYTES - 2 });
    const pastQuota = await pool.invoke({ length: MAX_PAYLOAD_BYTES - 1 }).catch((error: Error) => error);

    // Assess: Lambda's error, logged as an invocation's, and the sandbox still serves
    expect((atQuota as string).length).toBe(MAX_PAYLOAD_BYTES - 2);
    expect(pastQuota).toMatchObject({ errorType: 'Function.ResponseSizeTooLarge', message: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).' });
    const logged = lines.find((line) => line.startsWith('ERROR\tInvoke Error'));
    expect(JSON.parse(logged!.split('\t')[2]!)).toEqual({ errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).' });
    expect(await pool.invoke({ length: 2 })).toBe('xx');
    expect(pool.coldStarts()).toBe(1);
  });

  it("start node as Lambda's runtime does, with a heap sized from the function's memory, so outgrowing it fails the invocation", async () => {
    // Prepare: a 128 MB function that keeps what it allocates when asked to
    const pool = poolOf(
      functionWith(
        `const kept = [];
exports.handler = async (event) => {
  if (event.grow) for (let i = 0; i < 64; i++) kept.push(new Array(1 << 20).fill(i));
  return { execArgv: process.execArgv, gc: typeof globalThis.gc, heapLimitMb: Math.round(require('v8').getHeapStatistics().heap_size_limit / 2 ** 20) };
};`,
        { memoryMb: 128 },
      ),
    );

    // Act
    const started = (await pool.invoke({})) as { execArgv: string[]; gc: string; heapLimitMb: number };
    const grown = await pool.invoke({ grow: true }).catch((error: Error) => error);

    // Assess: a tenth of 128 MB for the young generation in two semi-spaces of 6 MB, the other 116 MB for the old one;
    // 64 arrays of a million numbers (512 MB) do not fit, and the sandbox dies as a Lambda sandbox does
    expect(started.execArgv).toEqual(['--expose-gc', '--max-http-header-size', '81920', '--max-semi-space-size=6', '--max-old-space-size=116']);
    expect(lambdaNodeFlags(1024)).toEqual(['--expose-gc', '--max-http-header-size', '81920', '--max-semi-space-size=51', '--max-old-space-size=922']);
    expect(started.gc).toBe('function');
    expect(started.heapLimitMb).toBeLessThan(200);
    expect(grown).toMatchObject({ errorType: 'Runtime.ExitError' });
  });

  it('answer null for a handler result that has no JSON, as undefined does', async () => {
    const pool = poolOf(functionWith(`exports.handler = async (event) => (event.kind === 'function' ? () => 1 : undefined);`));
    expect([await pool.invoke({ kind: 'function' }), await pool.invoke({ kind: 'nothing' })]).toEqual([null, null]);
  });

  it("refuse an event past Lambda's payload quota without invoking the function", async () => {
    // Prepare: an event whose JSON is one byte over ({"body":"…"}: 11 bytes around the text)
    const lines: string[] = [];
    const pool = poolOf(functionWith(BUNDLE), (line) => lines.push(line));

    // Act
    const refused = await pool.invoke({ body: 'x'.repeat(MAX_EVENT_BYTES - 10) }).catch((error: Error) => error);
    const atQuota = await pool.invoke({ body: 'x'.repeat(MAX_EVENT_BYTES - 11) });

    // Assess: no sandbox for the refused one, so no REPORT line of it
    expect(refused).toMatchObject({ errorType: 'RequestEntityTooLargeException', message: `Request must be smaller than 6291456 bytes for the InvokeFunction operation (${MAX_EVENT_BYTES + 1} bytes)` });
    expect(atQuota).toMatchObject({ invocations: 1 });
    expect(lines.filter((line) => line.startsWith('REPORT '))).toHaveLength(1);
  });
});
