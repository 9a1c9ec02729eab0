// fault suite: the public endpoints (and admin routes without a token) fuzzed with generated bad requests: wrong
// types, huge strings, deep JSON, invalid UTF-8, header abuse, path traversal in ids. Zero 5xx, zero stored.
// Raw bytes over a socket, so that nothing in a client library tidies the abuse up. Seeded (FAULTS_SEED), printed.
// Short form in `npm test` (1,000 requests); `npm run test:faults` sends 10,000.
import { connect } from 'node:net';
import { DynamoDBClient, ScanCommand } from '../../shared/aws/dynamodb.js';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestRuntime } from '../support/local-runtime.js';
import { recordSummary } from './support/summary.js';

const FULL = Boolean(process.env.FAULTS_FULL);
const REQUESTS = FULL ? 10_000 : 1_000;
const CONCURRENCY = 8;
const seed = Number(process.env.FAULTS_SEED ?? Date.now() % 1_000_000);

let test: Awaited<ReturnType<typeof startTestRuntime>>;
beforeAll(async () => {
  test = await startTestRuntime();
});
afterAll(async () => {
  await test?.close();
});

/** one raw HTTP/1.1 exchange; the status code, or 0 when the server closed without answering (a refused frame) */
function exchange(port: number, bytes: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let head = '';
    let settled = false;
    const done = (status: number) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(status);
    };
    const status = () => Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
    socket.setTimeout(10_000, () => done(-1));
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (status()) done(status());
    });
    // a reset while the request is still being written (the server answered early, e.g. 413, and closed): whatever
    // status arrived before it counts; none means the server refused the frame without answering
    socket.on('error', () => undefined);
    socket.on('close', () => done(status()));
    socket.end(bytes);
  });
}

const valid = { surveyId: 'demo', channel: 'web', answers: { nps: 9 }, comment: 'fine' };

// what makes a submission wrong, whatever else the generator does to it (so a generated request is never valid)
const wrongValue = fc.constantFrom<unknown>('9', 9.5, -1, 11, null, [], {}, true, '', 'x'.repeat(100_000), { $gt: 0 });
const wrongSubmission = fc.oneof(
  fc.record({ value: wrongValue }).map(({ value }) => ({ ...valid, answers: { nps: value } })),
  fc.record({ value: fc.jsonValue() }).map(({ value }) => ({ ...valid, surveyId: ['x', value] })),
  fc.record({ value: fc.jsonValue(), key: fc.string({ minLength: 1, maxLength: 20 }) }).map(({ value, key }) => ({ ...valid, [`extra-${key}`]: value })),
  fc.record({ value: wrongValue }).map(({ value }) => ({ ...valid, channel: value === 'web' ? 'fax' : value })),
  fc.record({ n: fc.integer({ min: 21, max: 500 }) }).map(({ n }) => ({ ...valid, metadata: Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v'])) })),
  fc.constant({ ...valid, comment: 'x'.repeat(5_001) }),
  fc.constant({ ...valid, answers: {}, comment: '   ' }),
  fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
);

const deepJson = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);
const invalidUtf8 = [Buffer.from([0xc3, 0x28]), Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf0, 0x28, 0x8c, 0x28]), Buffer.from([0x00])];

const traversal = fc.constantFrom(
  '..%2F..%2Fetc%2Fpasswd', '..', '%2e%2e', '..%5c..%5cwindows', '%00', 'demo%00', 'demo%2F..%2Fdemo', '%2F', '%25', 'DEMO', 'demo;drop',
  '%F0%9F%92%A9', '%C3%28', '%ED%A0%80', 'a'.repeat(5_000), '%', '%zz', '$(reboot)', '{id}', 'demo%20', '~', 'con', '__proto__', 'constructor',
);

interface RawRequest {
  method: string;
  path: string;
  headers: [string, string][];
  body?: Buffer;
}

const withBody = (method: string, path: string, body: Buffer, contentType = 'application/json'): RawRequest => ({
  method,
  path,
  headers: [['content-type', contentType], ['content-length', String(body.length)]],
  body,
});

const requestArbitrary: fc.Arbitrary<RawRequest> = fc.oneof(
  // wrong types and values in an otherwise well-formed submission
  wrongSubmission.map((body) => withBody('POST', '/v1/responses', Buffer.from(JSON.stringify(body)))),
  // huge strings and bodies (past the 16 KB limit; in the full form up to 2 MB, which the gateway hands to ingest, as
  // API Gateway does under its 10 MB)
  fc.integer({ min: 16 * 1024, max: FULL ? 2 * 1024 * 1024 : 256 * 1024 }).map((size) => withBody('POST', '/v1/responses', Buffer.from(JSON.stringify({ ...valid, comment: 'y'.repeat(size) })))),
  // deep JSON
  fc.integer({ min: 100, max: FULL ? 200_000 : 20_000 }).chain((depth) => fc.constantFrom(deepJson(depth, '[', ']'), deepJson(depth, '{"a":', '}'), `{"surveyId":"demo","answers":${deepJson(depth, '[', ']')}}`)).map((text) => withBody('POST', '/v1/responses', Buffer.from(text))),
  // invalid UTF-8 inside JSON strings, keys and outside them
  fc.tuple(fc.constantFrom(...invalidUtf8), fc.constantFrom('comment', 'key', 'raw')).map(([bad, where]) => {
    const text = JSON.stringify({ ...valid, comment: 'BAD' });
    const [before, after] = where === 'comment' ? text.split('BAD') : where === 'key' ? text.split('surveyId') : ['', ''];
    const body = where === 'raw' ? Buffer.concat([bad, Buffer.from(text)]) : Buffer.concat([Buffer.from(before!), bad, Buffer.from(after!)]);
    return withBody('POST', '/v1/responses', body);
  }),
  // not JSON at all, and wrong content types
  fc.tuple(fc.string({ maxLength: 200 }), fc.constantFrom('application/json', 'text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', '', 'application/json; charset=utf-16', '*/*'))
    .map(([text, type]) => withBody('POST', '/v1/responses', Buffer.from(`{${text}`), type)),
  // header abuse: huge, duplicated, contradictory
  fc.constantFrom<RawRequest>(
    { ...withBody('POST', '/v1/responses', Buffer.from(JSON.stringify({ ...valid, answers: { nps: 99 } }))), headers: [['content-type', 'application/json'], ['content-type', 'text/html'], ['content-length', '60']] },
    { method: 'POST', path: '/v1/responses', headers: [['content-type', 'application/json'], ['x-huge', 'h'.repeat(70_000)], ['content-length', '2']], body: Buffer.from('{}') },
    { method: 'POST', path: '/v1/responses', headers: [['content-type', 'application/json'], ['content-length', '2'], ['content-length', '3']], body: Buffer.from('{}') },
    { method: 'POST', path: '/v1/responses', headers: [['content-type', 'application/json'], ['transfer-encoding', 'chunked'], ['content-length', '2']], body: Buffer.from('2\r\n{}\r\n0\r\n\r\n') },
    { method: 'POST', path: '/v1/responses', headers: [['content-type', 'application/json'], ['content-length', '-1']], body: Buffer.from('{}') },
    { method: 'POST', path: '/v1/responses', headers: [['content-type', 'application/json'], ['origin', 'https://evil.example'], ['content-length', '2']], body: Buffer.from('{}') },
    { method: 'POST', path: '/v1/responses', headers: Array.from({ length: 3_000 }, (_, i): [string, string] => [`x-h${i}`, 'v']), body: Buffer.from('') },
    { method: 'GET', path: '/v1/surveys/demo/public', headers: [['if-none-match', '"'.repeat(8_000)], ['accept', '\u0000']] },
    { method: 'GET', path: '/v1/surveys/demo/responses', headers: [['authorization', `Bearer ${'A'.repeat(9_000)}`]] },
    { method: 'GET', path: '/v1/surveys/demo/responses', headers: [['authorization', 'Basic YWRtaW46YWRtaW4=']] },
    { method: 'GET', path: '/v1/surveys/demo/responses', headers: [['authorization', 'Bearer'], ['authorization', 'Bearer x']] },
    { method: 'OPTIONS', path: '/v1/responses', headers: [['origin', 'null'], ['access-control-request-method', 'DELETE'.repeat(1_000)]] },
    { method: 'BREW', path: '/v1/responses', headers: [] },
    { method: 'POST', path: '/v1/responses?surveyId=demo&'.padEnd(20_000, 'a'), headers: [['content-length', '0']] },
  ),
  // path traversal and strange ids on every public route, and admin routes without (or with a wrong) token
  fc.tuple(traversal, fc.constantFrom('public', 'r', 'r-post', 'admin-get', 'admin-put', 'metrics', 'followups', 'resolve'), fc.boolean()).map(([id, route, wrongToken]): RawRequest => {
    const auth: [string, string][] = wrongToken ? [['authorization', `Bearer ${id}`]] : [];
    switch (route) {
      case 'public':
        return { method: 'GET', path: `/v1/surveys/${id}/public`, headers: [] };
      case 'r':
        return { method: 'GET', path: `/r/${id}`, headers: [] };
      case 'r-post':
        return withBody('POST', `/r/${id}`, Buffer.from('answer=5&answer=6&x=%ZZ'), 'application/x-www-form-urlencoded');
      case 'admin-get':
        return { method: 'GET', path: `/v1/surveys/${id}/responses?limit=${id}&cursor=${id}`, headers: auth };
      case 'admin-put':
        return { ...withBody('PUT', `/v1/surveys/${id}`, Buffer.from(JSON.stringify({ title: id }))), headers: [...withBody('PUT', '', Buffer.from(JSON.stringify({ title: id }))).headers, ...auth] };
      case 'metrics':
        return { method: 'GET', path: `/v1/surveys/${id}/metrics?from=${id}&interval=${id}`, headers: auth };
      case 'followups':
        return { method: 'GET', path: `/v1/followups/${id}`, headers: auth };
      default:
        return { ...withBody('POST', `/v1/followups/${id}/resolve`, Buffer.from('{"reason":1}')), headers: [['content-type', 'application/json'], ['content-length', '12'], ...auth] };
    }
  }),
);

function encode({ method, path, headers, body }: RawRequest): Buffer {
  const lines = [`${method} ${path} HTTP/1.1`, 'host: 127.0.0.1', 'connection: close', ...headers.map(([name, value]) => `${name}: ${value}`)];
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body ?? Buffer.alloc(0)]);
}

async function storedCount(): Promise<number> {
  const client = new DynamoDBClient({ endpoint: test.runtime.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const { Count = 0 } = await client.send(new ScanCommand({ TableName: 'responses', Select: 'COUNT' }));
  client.destroy();
  return Count;
}

describe(`${REQUESTS} generated bad requests against the public endpoints and unauthenticated admin routes`, () => {
  it('get no 5xx and store nothing', async () => {
    // Prepare
    const requests = fc.sample(requestArbitrary, { seed, numRuns: REQUESTS });
    const port = new URL(test.runtime.url).port;
    const before = await storedCount();
    const statuses = new Map<number, number>();
    const serverErrors: string[] = [];

    // Act
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
          const request = requests[next++]!;
          const status = await exchange(Number(port), encode(request));
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status >= 500 || status === -1) serverErrors.push(`${status} ${request.method} ${request.path.slice(0, 80)}`);
        }
      }),
    );
    // anything accepted by mistake would be on the queue now: let the consumer store it before counting
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const backlog = await test.runtime.backlog();
    const after = await storedCount();

    // Assess
    const acknowledged = statuses.get(202) ?? 0;
    recordSummary(inject('faultsSummaryFile'), {
      suite: 'fuzz (bad requests)',
      tried: REQUESTS,
      acknowledged,
      stored: after - before,
      // no request carries an idempotency key twice and nothing is redelivered: no duplicate to suppress (—)
      lost: Math.max(0, acknowledged - (after - before)),
      serverErrors: serverErrors.length,
      note: `seed ${seed}; statuses ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s === 0 ? 'closed' : s}×${n}`).join(' ')}`,
    });
    expect(serverErrors).toEqual([]);
    expect(statuses.get(202) ?? 0).toBe(0);
    expect(backlog).toBe(0);
    expect(after).toBe(before);
  }, FULL ? 600_000 : 120_000);
});
