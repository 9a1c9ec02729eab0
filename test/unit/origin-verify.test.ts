// unit: the edge-only guard of the HTTP functions. CloudFront adds the origin verify secret as a header; a request
// without it (someone calling the execute-api endpoint directly) is refused before the handler runs. Secrets Manager
// is played by aws-sdk-client-mock, answering by staging label as it does (AWSCURRENT, and AWSPREVIOUS once a value was
// replaced); test/deployed/flows.test.ts changes the value through the deploy-faithful runner's own Secrets Manager.
import { readFileSync } from 'node:fs';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '../../shared/aws/secrets-manager.js';
import middy from '@middy/core';
import { mockAws } from '../support/aws-mock.js';
import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { httpErrors, json, type HttpEvent, type HttpResult } from '../../functions/commons/http.js';
import { ORIGIN_VERIFY_HEADER, originVerify } from '../../functions/commons/origin-verify.js';
import { REREAD_ON_MISMATCH_MS, SECRET_TTL_MS, secretsEqual } from '../../functions/commons/secret.js';
import { topology } from '../../infra/topology.js';
import fixture from '../events/http/post-response.json' with { type: 'json' };

const secretsManager = mockAws(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:OriginVerifySecret-AbCdEf';
const SECRET = 'Xq7v2mKp9sLr4tWz8yBn3cFh6jDg1aEe0uIo5RkTqP2wVx9M';

/** the secret's values by staging label, as Secrets Manager keeps them: a new value moves the current one to AWSPREVIOUS */
let stages: Record<string, string>;
const putSecretValue = (value: string) => {
  stages = { AWSCURRENT: value, AWSPREVIOUS: stages.AWSCURRENT! };
};
/** reads of one staging label (AWSCURRENT when the call names none) */
const readsOf = (stage: string) => secretsManager.commandCalls(GetSecretValueCommand).filter(({ args: [command] }) => (command.input.VersionStage ?? 'AWSCURRENT') === stage).length;

beforeEach(() => {
  secretsManager.reset();
  stages = { AWSCURRENT: SECRET };
  secretsManager.on(GetSecretValueCommand).callsFake(async ({ SecretId, VersionStage = 'AWSCURRENT' }: { SecretId: string; VersionStage?: string }) => {
    const value = SecretId === ARN ? stages[VersionStage] : undefined;
    if (value === undefined) throw new ResourceNotFoundException({ message: `Secrets Manager can't find the specified secret value for staging label: ${VersionStage}` });
    return { SecretString: value };
  });
  Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
});

/** a handler wrapped as the HTTP functions are; `ran` counts the calls that got through */
function guarded(env: NodeJS.ProcessEnv, clock = { now: 1_767_225_600_000 }) {
  const calls = { ran: 0 };
  const handler = middy(async (): Promise<HttpResult> => {
    calls.ran += 1;
    return json(202, { id: 'r-1' });
  })
    .use(originVerify(env, () => clock.now))
    .use(httpErrors());
  return { calls, clock, invoke: (event: HttpEvent) => handler(event, {} as Context) };
}
const eventWith = (headers: Record<string, string>): HttpEvent => {
  const event = structuredClone(fixture) as unknown as HttpEvent;
  event.headers = { ...event.headers, ...headers };
  return event;
};

describe('Middleware: origin verify', () => {
  it('refuses a request without the header with a 403 JSON error, and the handler never runs', async () => {
    // Prepare
    const { calls, invoke } = guarded({ ORIGIN_VERIFY_SECRET_ARN: ARN });

    // Act
    const result = await invoke(eventWith({}));

    // Assess
    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body!)).toEqual({ error: 'forbidden', details: [{ path: '', reason: expect.stringContaining('edge URL') }] });
    expect(calls.ran).toBe(0);
  });

  it('refuses a wrong value, however close to the right one', async () => {
    const { calls, invoke } = guarded({ ORIGIN_VERIFY_SECRET_ARN: ARN });
    for (const wrong of ['', SECRET.slice(0, -1), `${SECRET}x`, SECRET.toLowerCase(), ` ${SECRET}`, 'x']) {
      expect((await invoke(eventWith({ [ORIGIN_VERIFY_HEADER]: wrong }))).statusCode, JSON.stringify(wrong)).toBe(403);
    }
    expect(calls.ran).toBe(0);
  });

  it('lets the right value through, reading the secret once per container', async () => {
    // Prepare
    const { calls, invoke } = guarded({ ORIGIN_VERIFY_SECRET_ARN: ARN });

    // Act
    const results = await Promise.all([1, 2, 3].map(() => invoke(eventWith({ [ORIGIN_VERIFY_HEADER]: SECRET }))));

    // Assess
    expect(results.map((result) => result.statusCode)).toEqual([202, 202, 202]);
    expect(calls.ran).toBe(3);
    expect([readsOf('AWSCURRENT'), readsOf('AWSPREVIOUS')]).toEqual([1, 1]);
  });

  it('reads the secret while the function initialises, before the first request', async () => {
    // Act
    guarded({ ORIGIN_VERIFY_SECRET_ARN: ARN });
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    expect([readsOf('AWSCURRENT'), readsOf('AWSPREVIOUS')]).toEqual([1, 1]);
  });

  it('forgets an early read that failed, without an unhandled rejection: the first request reads again and passes', async () => {
    // Prepare: Secrets Manager throttles the read of the current value at init, then answers
    let throttled = false;
    secretsManager.on(GetSecretValueCommand, { SecretId: ARN, VersionStage: undefined }).callsFake(async () => {
      if (!throttled) {
        throttled = true;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      }
      return { SecretString: SECRET };
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { calls, invoke } = guarded({ ORIGIN_VERIFY_SECRET_ARN: ARN });
      await new Promise((resolve) => setTimeout(resolve, 20));

      // Act
      const result = await invoke(eventWith({ [ORIGIN_VERIFY_HEADER]: SECRET }));

      // Assess
      expect(result.statusCode).toBe(202);
      expect(calls.ran).toBe(1);
      expect(readsOf('AWSCURRENT')).toBe(2);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('accepts the value a change replaced as well as the new one: CloudFront sends the old one until the distribution is redeployed everywhere', async () => {
    // Prepare: the operator puts a new value; this container starts after it
    putSecretValue('new-value-0123456789abcdefghijklmnopqrstuvwxyzABCD');
    const { calls, invoke } = guarded({ ORIGIN_VERIFY_SECRET_ARN: ARN });

    // Act
    const statuses = [];
    for (const value of [SECRET, stages.AWSCURRENT!, 'neither-of-them']) statuses.push((await invoke(eventWith({ [ORIGIN_VERIFY_HEADER]: value }))).statusCode);

    // Assess
    expect(statuses).toEqual([202, 202, 403]);
    expect(calls.ran).toBe(2);
  });

  it('takes up a new value in a warm container: a header that matches neither value has them read again, at most every 30 s', async () => {
    // Prepare: a container that read the secret before it changed
    const { calls, clock, invoke } = guarded({ ORIGIN_VERIFY_SECRET_ARN: ARN });
    expect((await invoke(eventWith({ [ORIGIN_VERIFY_HEADER]: SECRET }))).statusCode).toBe(202);
    putSecretValue('new-value-0123456789abcdefghijklmnopqrstuvwxyzABCD');
    const redeployed = eventWith({ [ORIGIN_VERIFY_HEADER]: stages.AWSCURRENT! });

    // Act: the edge sends the new value 10 s after the read, then 31 s after it
    clock.now += 10_000;
    const early = await invoke(redeployed);
    clock.now += REREAD_ON_MISMATCH_MS - 10_000 + 1_000;
    const later = await invoke(redeployed);

    // Assess: refused while the read is fresh (no call to Secrets Manager for it), taken once it may be read again
    expect([early.statusCode, later.statusCode]).toEqual([403, 202]);
    expect(calls.ran).toBe(2);
    expect(readsOf('AWSCURRENT')).toBe(2);
  });

  it('reads no more than every 30 s however many wrong headers arrive, and again every 5 minutes regardless', async () => {
    // Prepare
    const { clock, invoke } = guarded({ ORIGIN_VERIFY_SECRET_ARN: ARN });
    await invoke(eventWith({ [ORIGIN_VERIFY_HEADER]: SECRET }));

    // Act: 100 wrong headers a second for 2 minutes
    for (let second = 0; second < 120; second += 1) {
      clock.now += 1_000;
      await Promise.all(Array.from({ length: 100 }, () => invoke(eventWith({ [ORIGIN_VERIFY_HEADER]: 'wrong' }))));
    }
    const underAttack = readsOf('AWSCURRENT');
    clock.now += SECRET_TTL_MS;
    await invoke(eventWith({ [ORIGIN_VERIFY_HEADER]: SECRET }));

    // Assess: the read at init, then one per 30 s of wrong headers; then the one the TTL makes
    expect(underAttack).toBe(1 + 120_000 / REREAD_ON_MISMATCH_MS);
    expect(readsOf('AWSCURRENT')).toBe(underAttack + 1);
  });

  it('keeps the values it has when reading them again fails: a throttled refresh refuses nothing, and the next one is due later', async () => {
    // Prepare: a warm container past its 5 minutes, and Secrets Manager throttling every read from now on
    const { calls, clock, invoke } = guarded({ ORIGIN_VERIFY_SECRET_ARN: ARN });
    expect((await invoke(eventWith({ [ORIGIN_VERIFY_HEADER]: SECRET }))).statusCode).toBe(202);
    secretsManager.on(GetSecretValueCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    clock.now += SECRET_TTL_MS;

    // Act
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await invoke(eventWith({ [ORIGIN_VERIFY_HEADER]: SECRET }))).statusCode);

    // Assess: served from the values read before; one failed read of each stage, not one per request
    expect(statuses).toEqual([202, 202, 202]);
    expect(calls.ran).toBe(4);
    expect([readsOf('AWSCURRENT'), readsOf('AWSPREVIOUS')]).toEqual([2, 2]);
  });

  it('refuses nothing the current value accepts when only the previous value cannot be read', async () => {
    // Prepare: the first read of AWSPREVIOUS is throttled
    secretsManager.on(GetSecretValueCommand, { SecretId: ARN, VersionStage: 'AWSPREVIOUS' }).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const { invoke } = guarded({ ORIGIN_VERIFY_SECRET_ARN: ARN });

    // Act
    const result = await invoke(eventWith({ [ORIGIN_VERIFY_HEADER]: SECRET }));

    // Assess
    expect(result.statusCode).toBe(202);
  });

  it('checks nothing without ORIGIN_VERIFY_SECRET_ARN (the local runtime has no edge), and reads no secret', async () => {
    const { calls, invoke } = guarded({});
    expect((await invoke(eventWith({}))).statusCode).toBe(202);
    expect(calls.ran).toBe(1);
    expect(secretsManager.calls()).toHaveLength(0);
  });

  it('fails at cold start on an ORIGIN_VERIFY_SECRET_ARN that is not an ARN', () => {
    expect(() => originVerify({ ORIGIN_VERIFY_SECRET_ARN: 'OriginVerifySecret' })).toThrow(/ORIGIN_VERIFY_SECRET_ARN/);
  });

  it('compares in constant time: values of any length are compared as equal-length digests, without throwing', () => {
    expect(secretsEqual(SECRET, SECRET)).toBe(true);
    for (const other of ['', 'x', SECRET.slice(1), `${SECRET}${SECRET}`]) expect(secretsEqual(other, SECRET)).toBe(false);
  });

  it('guards every function that has an HTTP route, as the first middleware after the logger', () => {
    const routed = [...new Set(topology.routes.map((route) => route.function))];
    for (const name of routed) {
      const source = readFileSync(new URL(`../../${topology.functions[name].entry}`, import.meta.url), 'utf8');
      expect(source, name).toMatch(/export const handler = middy\(\w+\)\.use\(logContext\(\)\)\.use\(originVerify\(\)\)/);
    }
  });
});
