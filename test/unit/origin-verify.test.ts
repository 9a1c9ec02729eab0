// unit: the edge-only guard of the HTTP functions. CloudFront adds the origin verify secret as a header; a request
// without it (someone calling the execute-api endpoint directly) is refused before the handler runs. Secrets Manager
// has no local engine, so its answers are played by aws-sdk-client-mock.
import { readFileSync } from 'node:fs';
import { GetSecretValueCommand, SecretsManagerClient } from '../../shared/aws/secrets-manager.js';
import middy from '@middy/core';
import { mockAws } from '../support/aws-mock.js';
import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { httpErrors, json, type HttpEvent, type HttpResult } from '../../functions/commons/http.js';
import { ORIGIN_VERIFY_HEADER, originVerify } from '../../functions/commons/origin-verify.js';
import { secretsEqual } from '../../functions/commons/secret.js';
import { topology } from '../../infra/topology.js';
import fixture from '../events/http/post-response.json' with { type: 'json' };

const secretsManager = mockAws(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:OriginVerifySecret-AbCdEf';
const SECRET = 'Xq7v2mKp9sLr4tWz8yBn3cFh6jDg1aEe0uIo5RkTqP2wVx9M';

beforeEach(() => {
  secretsManager.reset();
  secretsManager.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: SECRET });
  Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
});

/** a handler wrapped as the HTTP functions are; `ran` counts the calls that got through */
function guarded(env: NodeJS.ProcessEnv) {
  const calls = { ran: 0 };
  const handler = middy(async (): Promise<HttpResult> => {
    calls.ran += 1;
    return json(202, { id: 'r-1' });
  })
    .use(originVerify(env))
    .use(httpErrors());
  return { calls, invoke: (event: HttpEvent) => handler(event, {} as Context) };
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
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('reads the secret while the function initialises, before the first request', async () => {
    // Act
    guarded({ ORIGIN_VERIFY_SECRET_ARN: ARN });
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('forgets an early read that failed, without an unhandled rejection: the first request reads again and passes', async () => {
    // Prepare: Secrets Manager throttles the read at init, then answers
    secretsManager.on(GetSecretValueCommand, { SecretId: ARN }).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })).resolves({ SecretString: SECRET });
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
      expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
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
      expect(source, name).toMatch(/export const handler = middy\(\w+\)\.use\(injectLambdaContext\(logger\)\)\.use\(originVerify\(\)\)/);
    }
  });
});
