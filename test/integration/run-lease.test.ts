// integration: the run lease that keeps two runs of a scheduled function from overlapping (shared/run-lease.ts), against
// real dynalite: its conditional put and delete, the use that wraps a run, and the handlers' wrapper, which takes the
// lease's length from the invocation's own Lambda context.
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GetCommand } from '../../shared/aws/dynamodb.js';
import { createDynamoRunLeases } from '../../shared/dynamo-run-lease.js';
import { LEASE_CLOCK_MARGIN_MS, runUnderLease, type RunLeases } from '../../shared/run-lease.js';
import { tableEnvName } from '../../infra/topology.js';
import { startTestDynamo } from '../support/dynamo.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let leases: RunLeases;

beforeAll(async () => {
  dynamo = await startTestDynamo('run-lease');
  leases = createDynamoRunLeases(dynamo.db, 'runLeases');
});
afterAll(async () => {
  await dynamo?.close();
});

const T0 = new Date('2026-12-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const itemOf = async (name: string) => (await dynamo.db.send(new GetCommand({ TableName: 'runLeases', Key: { leaseId: `lease#${name}` }, ConsistentRead: true }))).Item;

describe('DynamoDB run leases', () => {
  it('let exactly one of many concurrent runs take a free lease', async () => {
    // Prepare
    const holders = Array.from({ length: 8 }, (_, i) => `run-${i}`);

    // Act
    const won = await Promise.all(holders.map((holder) => leases.acquire({ name: 'race', holder, until: at(60_000) }, T0)));

    // Assess
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = holders[won.indexOf(true)];
    expect(await itemOf('race')).toEqual({ leaseId: 'lease#race', holder: winner, leaseUntil: at(60_000).getTime() });
  });

  it('refuse a held lease until it expires, then let another run take it over (a run killed at its timeout)', async () => {
    // Prepare: the first holder never gives it back
    expect(await leases.acquire({ name: 'killed', holder: 'first', until: at(120_000) }, T0)).toBe(true);

    // Act
    const whileHeld = await leases.acquire({ name: 'killed', holder: 'second', until: at(180_000) }, at(119_999));
    const atExpiry = await leases.acquire({ name: 'killed', holder: 'second', until: at(180_000) }, at(120_000));
    const afterExpiry = await leases.acquire({ name: 'killed', holder: 'second', until: at(240_000) }, at(120_001));

    // Assess
    expect([whileHeld, atExpiry, afterExpiry]).toEqual([false, false, true]);
    expect(await itemOf('killed')).toMatchObject({ holder: 'second', leaseUntil: at(240_000).getTime() });
  });

  it('give a lease back only to its holder: a release by another run, or by one whose lease was taken over, deletes nothing', async () => {
    // Prepare
    await leases.acquire({ name: 'mine', holder: 'old', until: at(1_000) }, T0);
    await leases.acquire({ name: 'mine', holder: 'new', until: at(60_000) }, at(2_000));

    // Act
    await leases.release('mine', 'old');
    await leases.release('mine', 'someone-else');
    const stillHeld = await itemOf('mine');
    await leases.release('mine', 'new');

    // Assess
    expect(stillHeld).toMatchObject({ holder: 'new' });
    expect(await itemOf('mine')).toBeUndefined();
    expect(await leases.acquire({ name: 'mine', holder: 'next', until: at(60_000) }, at(3_000))).toBe(true);
  });

  it('let the holder take its own lease again (a put the SDK retried after its answer was lost)', async () => {
    expect(await leases.acquire({ name: 'retried', holder: 'run', until: at(60_000) }, T0)).toBe(true);
    expect(await leases.acquire({ name: 'retried', holder: 'run', until: at(60_000) }, T0)).toBe(true);
    expect(await leases.acquire({ name: 'retried', holder: 'other', until: at(60_000) }, T0)).toBe(false);
  });

  it('keep one lease per name: holding one does not hold another', async () => {
    expect(await leases.acquire({ name: 'a', holder: 'run', until: at(60_000) }, T0)).toBe(true);
    expect(await leases.acquire({ name: 'b', holder: 'run', until: at(60_000) }, T0)).toBe(true);
  });
});

describe('a run under a lease', () => {
  it('runs and gives the lease back', async () => {
    // Act
    const outcome = await runUnderLease(leases, { name: 'ok', holder: 'run', until: at(60_000) }, T0, async () => {
      expect(await itemOf('ok')).toMatchObject({ holder: 'run' });
      return 42;
    });

    // Assess
    expect(outcome).toEqual({ ran: true, result: 42 });
    expect(await itemOf('ok')).toBeUndefined();
  });

  it('that throws still gives the lease back, and its own error is the one reported', async () => {
    // Act
    const failing = runUnderLease(leases, { name: 'throws', holder: 'run', until: at(60_000) }, T0, async () => {
      throw new Error('rollup failed for 1 survey(s)');
    });

    // Assess
    await expect(failing).rejects.toThrow('rollup failed for 1 survey(s)');
    expect(await itemOf('throws')).toBeUndefined();
    expect(await leases.acquire({ name: 'throws', holder: 'next', until: at(60_000) }, T0)).toBe(true);
  });

  it('does not run while another run holds the lease, and leaves that lease alone', async () => {
    // Prepare
    await leases.acquire({ name: 'busy', holder: 'first', until: at(60_000) }, T0);
    const work = vi.fn(async () => 'done');

    // Act
    const outcome = await runUnderLease(leases, { name: 'busy', holder: 'second', until: at(120_000) }, at(30_000), work);

    // Assess
    expect(outcome).toEqual({ ran: false });
    expect(work).not.toHaveBeenCalled();
    expect(await itemOf('busy')).toMatchObject({ holder: 'first' });
  });

  it('reports a done run as done when its lease cannot be given back (the lease expires by itself; Lambda would retry a failed run)', async () => {
    // Prepare: the release fails (Secrets Manager, DynamoDB throttling: any fault after the work is done)
    const failingRelease: RunLeases = { acquire: (terms, now) => leases.acquire(terms, now), release: async () => Promise.reject(new Error('ProvisionedThroughputExceededException')) };
    const seen: unknown[] = [];

    // Act
    const outcome = await runUnderLease(failingRelease, { name: 'unreleased', holder: 'run', until: at(60_000) }, T0, async () => 'rolled up', (error) => seen.push(error));

    // Assess: the run's result, the failure handed to the caller's log, and the lease still held until it expires
    expect(outcome).toEqual({ ran: true, result: 'rolled up' });
    expect(seen).toHaveLength(1);
    expect(await leases.acquire({ name: 'unreleased', holder: 'next', until: at(120_000) }, at(30_000))).toBe(false);
    expect(await leases.acquire({ name: 'unreleased', holder: 'next', until: at(120_000) }, at(60_001))).toBe(true);
  });
});

describe('the scheduled handlers\' wrapper (functions/commons/one-run-at-a-time.ts)', () => {
  const contextOf = (requestId: string, remainingMs: number) => ({ awsRequestId: requestId, getRemainingTimeInMillis: () => remainingMs }) as Context;

  it('runs one of two overlapping invocations, skips the other with a log line naming only the lease, and holds the lease until the invocation\'s deadline plus the margin', async () => {
    // Prepare
    process.env[tableEnvName('runLeases')] = 'runLeases';
    const { oneRunAtATime } = await import('../../functions/commons/one-run-at-a-time.js');
    const { logger } = await import('../../functions/commons/powertools.js');
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    let release!: () => void;
    const running = new Promise<void>((resolve) => (release = resolve));
    let leaseDuringRun: Record<string, unknown> | undefined;
    let startedAt = 0;
    const handler = oneRunAtATime('rollup', dynamo.db, async (event: { comment: string }) => {
      leaseDuringRun ??= await itemOf('rollup');
      await running;
      return { rolledUp: event.comment.length };
    });

    // Act
    startedAt = Date.now();
    const first = handler({ comment: 'a customer comment' }, contextOf('request-1', 120_000));
    while (!leaseDuringRun) await new Promise((resolve) => setTimeout(resolve, 5));
    // a duplicate delivery of the same event: Lambda gives it the same request id
    const second = await handler({ comment: 'a customer comment' }, contextOf('request-1', 120_000));
    release();
    const firstResult = await first;
    const third = await handler({ comment: 'x' }, contextOf('request-3', 120_000));

    // Assess
    expect(firstResult).toEqual({ rolledUp: 18 });
    expect(second).toEqual({ skipped: 'previous run still in progress' });
    expect(third).toEqual({ rolledUp: 1 });
    expect(String(leaseDuringRun!.holder)).toMatch(/^request-1:[0-9a-f-]{36}$/);
    const until = Number(leaseDuringRun!.leaseUntil);
    expect(until).toBeGreaterThanOrEqual(startedAt + 120_000 + LEASE_CLOCK_MARGIN_MS);
    expect(until).toBeLessThanOrEqual(Date.now() + 120_000 + LEASE_CLOCK_MARGIN_MS);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('run skipped: the previous run still holds the lease', { lease: 'rollup' });
    expect(JSON.stringify(warn.mock.calls)).not.toContain('customer');
    expect(await itemOf('rollup')).toBeUndefined();
  });
});
