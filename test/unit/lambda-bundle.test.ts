// unit: what infra/bundling.ts puts in a Lambda bundle: the functions' own AWS client (shared/aws) with none of the
// SDK's generated clients, within the size budget; of zod, only what the function's schemas use
// (shared/validation.ts); a client that signs with the role's credentials Lambda puts in the environment; and stack
// traces with TypeScript positions, from a source map read only once a stack is formatted (source-mapped-stacks.ts);
// and Node's web streams loaded only when one is used (web-streams-on-demand.ts).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { esbuildOptionsFor } from '../../infra/bundling.js';
import { topology, type FunctionName } from '../../infra/topology.js';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const work = mkdtempSync(join(tmpdir(), 'feedback-lambda-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** the budget for a function's bundle, minified, everything it needs included */
const BUNDLE_BUDGET_BYTES = 250 * 1024;
/**
 * esbuild puts a call to the injected module (bundling.ts: source-mapped-stacks.ts) at the top of every module it
 * bundles, a few bytes minified: a module that leaves no more than this in the bundle brings nothing of its own
 */
const INJECTED_CALL_BYTES = 16;

/** bundles `contents` as the CDK app bundles a function, and runs it in a fresh node with only `env` */
async function runBundled(contents: string, env: Record<string, string>): Promise<string> {
  const outfile = join(work, `probe-${Math.random().toString(36).slice(2)}.cjs`);
  const { entryPoints: _, ...options } = esbuildOptionsFor('probe.ts', outfile);
  await build({ ...options, stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'probe.ts' }, logLevel: 'silent' });
  const { stdout } = await promisify(execFile)(process.execPath, [outfile], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  return stdout;
}

/** a DynamoDB endpoint on the loopback that answers every request with `{}` and keeps the headers it was sent */
async function recordingEndpoint(): Promise<{ url: string; received: IncomingHttpHeaders[]; close(): void }> {
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    received.push(request.headers);
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}'));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close: () => server.close() };
}

const getItemProbe = `
import { DynamoDBClient, DynamoDBDocumentClient, GetCommand } from './shared/aws/dynamodb.js';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1', endpoint: process.env.PROBE_ENDPOINT, maxAttempts: 1 }));
db.send(new GetCommand({ TableName: 't', Key: { id: 'k' } })).then(
  () => console.log(JSON.stringify({ sent: true })),
  (error) => console.log(JSON.stringify({ error: error.name, message: error.message })),
).finally(() => db.destroy());
`;

describe('a Lambda bundle', () => {
  it("holds none of the SDK's generated clients, and every function's bundle is under 250 KB", async () => {
    // Act
    const sizes: Partial<Record<FunctionName, number>> = {};
    const sdkParts = new Set<string>();
    const builtins = new Set<string>();
    const streamImporters = new Set<string>();
    for (const [name, { entry }] of Object.entries(topology.functions) as [FunctionName, { entry: string }][]) {
      const result = await build({ ...esbuildOptionsFor(entry, join(work, `${name}.js`)), write: false, metafile: true });
      const [, output] = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith(`${name}.js`))!;
      sizes[name] = output.bytes;
      for (const { path } of output.imports) builtins.add(path);
      for (const [path, input] of Object.entries(result.metafile.inputs)) {
        for (const imported of input.imports) {
          if (imported.path.endsWith('infra/web-streams-on-demand.ts')) streamImporters.add(`${path.replace(/.*node_modules\//, '')} ${imported.kind}`);
        }
      }
      for (const path of Object.keys(output.inputs)) {
        const sdkPackage = /node_modules\/(@aws-sdk\/[^/]+|@smithy\/[^/]+)\//.exec(path)?.[1];
        if (sdkPackage && output.inputs[path]!.bytesInOutput > INJECTED_CALL_BYTES) sdkParts.add(sdkPackage);
      }
    }

    // Assess: the signer, the marshaller and the SDK's error classification, nothing else of it
    expect([...sdkParts].sort()).toEqual(['@aws-sdk/util-dynamodb', '@smithy/core', '@smithy/signature-v4', '@smithy/types']);
    const over = Object.entries(sizes).filter(([, bytes]) => bytes! >= BUNDLE_BUDGET_BYTES);
    expect(over).toEqual([]);
    // @middy/core's import of node:stream/web is web-streams-on-demand.ts in every bundle
    expect(builtins.size).toBeGreaterThan(0);
    expect([...builtins].filter((path) => path.includes('stream/web'))).toEqual([]);
    // and the one importer it was written for, by an ES import of ReadableStream (a require would get undefined names)
    expect([...streamImporters]).toEqual(['@middy/core/index.js import-statement']);
  });

  it("holds zod's functional API with its English messages only: neither classic zod nor any other locale", async () => {
    // Act: the function with the most schemas (submissions, surveys, query strings, its environment)
    const result = await build({ ...esbuildOptionsFor(topology.functions.ingest.entry, join(work, 'ingest-zod.js')), write: false, metafile: true });
    const output = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('ingest-zod.js'))?.[1];
    const zodParts = Object.entries(output?.inputs ?? {}).filter(([path, { bytesInOutput }]) => path.includes('node_modules/zod/') && bytesInOutput > INJECTED_CALL_BYTES);

    // Assess: a budget, too: classic zod brought 99 KB, and a zod namespace kept whole (its regexes: 7 KB) breaks it
    expect(zodParts.filter(([path]) => path.includes('/classic/'))).toEqual([]);
    expect(zodParts.filter(([path]) => path.includes('/locales/')).map(([path]) => path.replace(/.*\//, ''))).toEqual(['en.js']);
    expect(zodParts.reduce((sum, [, { bytesInOutput }]) => sum + bytesInOutput, 0)).toBeLessThan(40 * 1024);
  });

  it("signs with the role's credentials that Lambda puts in the environment", async () => {
    // Prepare
    const endpoint = await recordingEndpoint();

    try {
      // Act
      const output = await runBundled(getItemProbe, { PROBE_ENDPOINT: endpoint.url, AWS_ACCESS_KEY_ID: 'ASIAROLEKEY', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'session' });

      // Assess
      expect(JSON.parse(output)).toEqual({ sent: true });
      expect(endpoint.received).toHaveLength(1);
      expect(endpoint.received[0]!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIAROLEKEY\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=[^,]*x-amz-security-token[^,]*, Signature=[0-9a-f]{64}$/);
      expect(endpoint.received[0]!['x-amz-security-token']).toBe('session');
      expect(endpoint.received[0]!['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    } finally {
      endpoint.close();
    }
  });

  it('fails naming the missing variables, sending nothing, when the environment holds no credentials', async () => {
    // Prepare
    const endpoint = await recordingEndpoint();

    try {
      // Act: a profile would satisfy the SDK's full chain; a Lambda bundle does not look there
      const output = await runBundled(getItemProbe, { PROBE_ENDPOINT: endpoint.url, AWS_PROFILE: 'default', HOME: work });

      // Assess
      expect(JSON.parse(output)).toMatchObject({ message: expect.stringMatching(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/) });
      expect(endpoint.received).toEqual([]);
    } finally {
      endpoint.close();
    }
  });

  it('writes TypeScript positions into an error stack, reading its source map only when a stack is formatted', async () => {
    // Prepare: a probe that counts the reads of its map while it loads, creates errors and formats two stacks
    const probe = `
const fs = require('node:fs') as { readFileSync: (...args: unknown[]) => unknown };
const mapReads: string[] = [];
const readFileSync = fs.readFileSync;
fs.readFileSync = (path: string, ...rest: unknown[]) => {
  if (String(path).endsWith('.map')) mapReads.push(String(path));
  return readFileSync(path, ...rest);
};
function failing(): never {
  throw new TypeError('probe failure');
}
let caught: Error | undefined;
try {
  failing();
} catch (error) {
  caught = error as Error;
}
const readsBeforeAnyStack = mapReads.length;
const stack = caught!.stack;
const second = new Error('again').stack;
let nodeError = '';
try {
  Buffer.alloc(-1);
} catch (error) {
  nodeError = (error as Error).stack!.split('\\n')[0]!;
}
console.log(JSON.stringify({ readsBeforeAnyStack, reads: mapReads.length, stack, second, nodeError }));
`;

    // Act: as Lambda starts the function, without NODE_OPTIONS
    const output = JSON.parse(await runBundled(probe, {})) as { readsBeforeAnyStack: number; reads: number; stack: string; second: string; nodeError: string };

    // Assess: the throw on the probe's line 10, column 9, and the second error on line 20; the map read once, at the
    // first stack
    expect(output.stack.split('\n')[0]).toBe('TypeError: probe failure');
    expect(output.stack.split('\n')[1]).toMatch(/^    at \S+ \((\S+\/)?probe\.ts:10:9\)$/);
    expect(output.second.split('\n')[1]).toMatch(/^    at \S+ \((\S+\/)?probe\.ts:20:16\)$/);
    expect(output.readsBeforeAnyStack).toBe(0);
    expect(output.reads).toBe(1);
    // a Node error's first line keeps its code, as Node writes it
    expect(output.nodeError).toMatch(/^RangeError \[ERR_OUT_OF_RANGE\]: /);
  });

  it("loads Node's web streams only when a bundle uses one, and then gives it Node's own ReadableStream", async () => {
    // Prepare: a probe that imports what @middy/core imports, as every function does, then uses a stream
    const probe = `
import middy from '@middy/core';
import { ReadableStream } from 'node:stream/web';
const webStreamsLoaded = () => process.moduleLoadList.some((name) => name.includes('internal/webstreams/readablestream'));
const handler = middy(async () => 'answered');
const loadedAtInit = webStreamsLoaded();
(async () => {
  const answer = await handler({}, {} as never);
  const loadedAfterAnInvocation = webStreamsLoaded();
  const stream = new ReadableStream<string>({ start: (controller) => { controller.enqueue('a'); controller.enqueue('b'); controller.close(); } });
  const read: string[] = [];
  for await (const chunk of stream) read.push(chunk);
  let called = '';
  try { (ReadableStream as unknown as () => unknown)(); } catch (error) { called = (error as Error).name; }
  class Counting extends ReadableStream<string> {
    counted() { return 'counted'; }
  }
  const sub = new Counting();
  console.log(JSON.stringify({
    loadedAtInit, answer, loadedAfterAnInvocation, read, loadedAfterUse: webStreamsLoaded(),
    ours: stream instanceof ReadableStream, nodes: stream instanceof globalThis.ReadableStream, sameClass: Object.getPrototypeOf(stream) === globalThis.ReadableStream.prototype,
    plainObject: ({}) instanceof ReadableStream, fromIterable: ReadableStream.from(['x']) instanceof globalThis.ReadableStream, called,
    subclass: [sub instanceof Counting, sub instanceof ReadableStream, sub.counted()],
  }));
})();
`;

    // Act
    const output = JSON.parse(await runBundled(probe, {}));

    // Assess: nothing of web streams until the probe makes one; that one is Node's, and `instanceof` (middy's only
    // use) tells a stream from anything else
    expect(output).toEqual({
      loadedAtInit: false,
      answer: 'answered',
      loadedAfterAnInvocation: false,
      read: ['a', 'b'],
      loadedAfterUse: true,
      ours: true,
      nodes: true,
      sameClass: true,
      plainObject: false,
      fromIterable: true,
      called: 'TypeError',
      subclass: [true, true, 'counted'],
    });
  });
});
