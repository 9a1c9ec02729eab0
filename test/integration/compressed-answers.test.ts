// integration, on the local runtime: a large answer (a page of GET /v1/surveys/{id}/responses, the CSV download)
// arrives gzip-compressed when the request accepts gzip, decodes to exactly the answer a request without
// Accept-Encoding gets as it is, and says it varies on Accept-Encoding; node's fetch (the CLI's) reads it unchanged.
// Read with node:http, which, unlike fetch, hands over the bytes as they travelled.
import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { testDocumentClient } from '../support/dynamo.js';
import { storedResponse } from '../support/fixtures.js';
import { ADMIN_TOKEN, request, startTestRuntime } from '../support/local-runtime.js';

const STORED = 150;
let env: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  env = await startTestRuntime();
  const db = testDocumentClient(env.runtime.dynamoEndpoint);
  const store = createDynamoResponseStore(db, 'responses');
  for (let i = 0; i < STORED; i++) {
    const receivedAt = new Date(Date.now() - (i + 1) * 60_000).toISOString();
    await store.putIfAbsent(storedResponse({ id: `r-${String(i).padStart(3, '0')}`, surveyId: 'demo', receivedAt, storedAt: receivedAt, answers: { nps: i % 11 }, comment: `Order ${i}: the parcel came late, "again", and support never wrote back.` }));
  }
  db.destroy();
});
afterAll(async () => {
  await env?.close();
});

/** GET `path` as the admin, the answer's bytes as they travelled */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const call = httpRequest(`${env.runtime.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, bytes: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    call.on('error', reject);
    call.end();
  });
}

describe('a large answer', () => {
  it('arrives gzip-compressed when asked, decoding to exactly the page a request without Accept-Encoding gets', async () => {
    // Act
    const path = '/v1/surveys/demo/responses?limit=200';
    const compressed = await rawGet(path, { 'accept-encoding': 'gzip, deflate, br' });
    const plain = await rawGet(path);
    const refused = await rawGet(path, { 'accept-encoding': 'gzip;q=0, identity' });
    const viaFetch = await request(env.runtime, 'GET', path, { admin: true });

    // Assess
    expect(plain.headers['content-encoding']).toBeUndefined();
    const page = JSON.parse(plain.bytes.toString('utf8')) as { items: { id: string }[] };
    expect(page.items).toHaveLength(STORED);
    expect(compressed).toMatchObject({ status: 200, headers: { 'content-encoding': 'gzip', 'content-type': 'application/json; charset=utf-8', vary: 'accept-encoding' } });
    expect(compressed.bytes.length).toBeLessThan(plain.bytes.length / 4);
    expect(gunzipSync(compressed.bytes).equals(plain.bytes)).toBe(true);
    expect(plain.headers.vary).toBe('accept-encoding');
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.bytes.equals(plain.bytes)).toBe(true);
    expect(viaFetch).toMatchObject({ status: 200, body: page });
  });

  it('as a CSV download, keeps its file name and row count beside the compressed body', async () => {
    // Act
    const path = '/v1/surveys/demo/responses.csv';
    const compressed = await rawGet(path, { 'accept-encoding': 'gzip' });
    const plain = await rawGet(path);

    // Assess
    expect(compressed.headers).toMatchObject({ 'content-encoding': 'gzip', 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="demo-responses.csv"', 'x-rows': String(STORED) });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes.toString('utf8').split('\n').filter(Boolean)).toHaveLength(STORED + 1);
    expect(gunzipSync(compressed.bytes).equals(plain.bytes)).toBe(true);
  });

  it('is left alone when small: a 404 goes out as it is', async () => {
    // Act
    const small = await rawGet('/v1/surveys/missing', { 'accept-encoding': 'gzip' });

    // Assess
    expect(small.status).toBe(404);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.bytes.toString('utf8'))).toMatchObject({ error: expect.any(String) });
  });
});
