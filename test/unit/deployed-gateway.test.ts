// unit: the deploy-faithful runner's API Gateway on a small hand-written assembly: it stops waiting for a function at
// the integration's timeout (HTTP API's 30 s at most; 500 ms here, from the template) and answers 503, while the
// function runs on to its end, as in AWS; a function that answers in time is answered as usual, a compressed answer
// (base64, isBase64Encoded) as its bytes under the function's headers; and the event is payload 2.0 as API Gateway
// builds it (bodies base64 unless of a text type, cookies apart, repeated headers joined with commas) behind the
// distribution's hops (CloudFront's server as the source, the X-Forwarded-For chain, its origin header). A body is
// API Gateway's up to its 10 MB quota: a larger one gets its 413, a smaller one reaches the function, or Lambda's 6 MB
// event quota.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_SERVER_ADDRESS, startDeployedRunner, type DeployedRunner } from '../../infra/deployed/runner.js';
import { handWrittenAssembly, removeHandWrittenAssemblies } from '../support/hand-written-assembly.js';
import { eventually } from '../support/local-runtime.js';

let runner: DeployedRunner;
const dataDir = mkdtempSync(join(tmpdir(), 'feedback-gateway-'));

beforeAll(async () => {
  const dir = handWrittenAssembly();
  const api = JSON.parse(readFileSync(join(dir, 'Api.template.json'), 'utf8'));
  api.Resources.Integration9.Properties.TimeoutInMillis = 500;
  // the same function on a POST route, which answers with the event it was given when its id is "echo"
  // behind a distribution, as the stack's API is: it adds its origin's custom header to what it forwards
  api.Resources.Edge15 = {
    Type: 'AWS::CloudFront::Distribution',
    Properties: { DistributionConfig: { Origins: [{ Id: 'api', DomainName: 'api8.example', CustomOriginConfig: { OriginProtocolPolicy: 'https-only' }, OriginCustomHeaders: [{ HeaderName: 'X-Origin-Verify', HeaderValue: 'from-the-edge' }] }] } },
  };
  api.Resources.Route14 = { Type: 'AWS::ApiGatewayV2::Route', Properties: { ...api.Resources.Route10.Properties, RouteKey: 'POST /orders/{id}' } };
  writeFileSync(join(dir, 'Api.template.json'), JSON.stringify(api));
  writeFileSync(
    join(dir, 'asset.fn', 'index.js'),
    `exports.handler = async (event) => {
  if (event.pathParameters?.id === 'echo') return { statusCode: 200, headers: { 'content-type': 'application/json' }, cookies: ['a=1; Path=/', 'b=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT'], body: JSON.stringify(event) };
  const ms = Number(event.queryStringParameters?.sleep ?? 0);
  await new Promise((resolve) => setTimeout(resolve, ms));
  const body = 'slept ' + ms;
  if (event.headers['accept-encoding'] === 'gzip') {
    return { statusCode: 200, headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip', vary: 'accept-encoding' }, body: require('node:zlib').gzipSync(body).toString('base64'), isBase64Encoded: true };
  }
  return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body };
};`,
  );
  runner = await startDeployedRunner({ assemblyDir: dir, dataDir, schedules: 'manual' });
});
afterAll(async () => {
  await runner?.stop();
  removeHandWrittenAssemblies();
  rmSync(dataDir, { recursive: true, force: true });
});

const reports = () => runner.logsOf('Orders').filter((line) => line.startsWith('REPORT '));

describe("the deployed runner's API Gateway", () => {
  it('answers 503 at the integration timeout while the function runs on to its end', async () => {
    // Act: a function that takes 2 s, behind an integration that waits 500 ms
    const late = await fetch(`${runner.url}/orders/1?sleep=2000`);
    const reportsWhenAnswered = reports().length;

    // Assess: API Gateway's answer, before the invocation ended; then the invocation's REPORT line, without an error
    expect(late.status).toBe(503);
    expect(await late.json()).toEqual({ message: 'Service Unavailable' });
    expect(reportsWhenAnswered).toBe(0);
    const [report] = await eventually(async () => (reports().length > 0 ? reports() : undefined), 30_000, 'the invocation to end');
    expect(report).not.toContain('Status:');
    // (the assembly's role reads no queue and invokes nothing: only its route is wired)
    expect(runner.problems.filter((problem) => problem.startsWith('route'))).toEqual([]);
  });

  it('answers a function that ends within the timeout as it answered', async () => {
    const reply = await fetch(`${runner.url}/orders/2?sleep=0`);
    expect([reply.status, await reply.text()]).toEqual([200, 'slept 0']);
  });

  it("carries a compressed answer as API Gateway does: the base64 body's bytes, under the function's headers", async () => {
    // Act: node:http, which hands over the bytes as they travelled (fetch would decode them)
    const reply = await new Promise<{ headers: IncomingHttpHeaders; bytes: Buffer }>((resolve, reject) => {
      httpGet(`${runner.url}/orders/3?sleep=0`, { headers: { 'accept-encoding': 'gzip' } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve({ headers: response.headers, bytes: Buffer.concat(chunks) }));
      }).on('error', reject);
    });

    // Assess
    expect(reply.headers).toMatchObject({ 'content-type': 'text/plain', 'content-encoding': 'gzip', vary: 'accept-encoding' });
    expect(gunzipSync(reply.bytes).toString('utf8')).toBe('slept 0');
  });

  describe('the event it hands the function (payload 2.0)', () => {
    /** the event the function was given for a request (headers as sent, repeats too), and the answer's Set-Cookie headers */
    const echoed = (init: { headers?: [string, string][]; body?: string } = {}) =>
      new Promise<{ event: Record<string, any>; setCookies: string[] }>((resolve, reject) => {
        const url = new URL('/orders/echo', runner.url);
        // a list of name-value pairs, so that a header may repeat (node:http then adds no Host of its own)
        const headers = [['host', url.host], ...(init.headers ?? [])].flat();
        const request = httpRequest(url, { method: 'POST', headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
            try {
              resolve({ event: JSON.parse(Buffer.concat(chunks).toString('utf8')), setCookies: response.headers['set-cookie'] ?? [] });
            } catch {
              reject(new Error(`not an echoed event: ${response.statusCode} ${Buffer.concat(chunks).toString('utf8')}`));
            }
          });
        });
        request.on('error', reject).end(init.body);
      });

    it('hands a body of a text type over as text, and any other (an HTML form\'s, or none) base64-encoded', async () => {
      // Act
      const json = await echoed({ headers: [['content-type', 'application/json; charset=utf-8']], body: '{"a":1}' });
      const plain = await echoed({ headers: [['content-type', 'text/plain']], body: '{"a":1}' });
      const form = await echoed({ headers: [['content-type', 'application/x-www-form-urlencoded']], body: 'answer=9' });
      const none = await echoed({ body: '{"a":1}' });

      // Assess
      expect([json.event.body, json.event.isBase64Encoded]).toEqual(['{"a":1}', false]);
      expect([plain.event.body, plain.event.isBase64Encoded]).toEqual(['{"a":1}', false]);
      expect([form.event.body, form.event.isBase64Encoded]).toEqual([Buffer.from('answer=9').toString('base64'), true]);
      expect([none.event.body, none.event.isBase64Encoded]).toEqual([Buffer.from('{"a":1}').toString('base64'), true]);
    });

    it('takes the cookies out of the headers into `cookies`, and joins a repeated header\'s values with commas', async () => {
      // Act
      const { event, setCookies } = await echoed({
        headers: [['cookie', 'a=1; b=2'], ['authorization', 'Bearer one'], ['authorization', 'Bearer two'], ['x-tag', 'x'], ['x-tag', 'y']],
      });

      // Assess
      expect(event.cookies).toEqual(['a=1', 'b=2']);
      expect(event.headers.cookie).toBeUndefined();
      expect(event.headers.authorization).toBe('Bearer one,Bearer two');
      expect(event.headers['x-tag']).toBe('x,y');
      // and each of the answer's cookies is a Set-Cookie header of its own
      expect(setCookies).toEqual(['a=1; Path=/', 'b=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT']);
    });

    it("comes from CloudFront's server, not the viewer: sourceIp and the X-Forwarded-For chain are the edge's", async () => {
      // Act: a viewer that claims an address of its own in X-Forwarded-For
      const { event } = await echoed({ headers: [['x-forwarded-for', '203.0.113.9'], ['x-origin-verify', 'forged']] });

      // Assess: CloudFront appended the viewer (here 127.0.0.1) and API Gateway the edge server it saw, which is the
      // event's sourceIp; the origin's custom header replaced the forged one
      expect(event.requestContext.http.sourceIp).toBe(EDGE_SERVER_ADDRESS);
      expect(event.headers['x-forwarded-for']).toBe(`203.0.113.9,127.0.0.1,${EDGE_SERVER_ADDRESS}`);
      expect(event.headers).toMatchObject({ 'x-forwarded-proto': 'https', 'x-forwarded-port': '443', 'x-origin-verify': 'from-the-edge' });
      expect(event.headers.via).toMatch(/^2\.0 \w+\.cloudfront\.net \(CloudFront\)$/);
      expect(event.headers['x-amz-cf-id']).toBeTruthy();
    });
  });

  describe('the request body limit: an HTTP API\'s 10 MB, then Lambda\'s 6 MB event', () => {
    const MB = 1024 * 1024;
    const post = async (bytes: number) => {
      const reply = await fetch(`${runner.url}/orders/echo`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: Buffer.alloc(bytes, 'a') });
      return { status: reply.status, body: (await reply.json()) as Record<string, any> };
    };

    it('hands a 2 MB body to the function, whose own limits answer it', async () => {
      // Act
      const reply = await post(2 * MB);

      // Assess: the function was given all of it
      expect(reply.status).toBe(200);
      expect(reply.body.body).toHaveLength(2 * MB);
      expect(reply.body.isBase64Encoded).toBe(false);
    });

    it("answers a body over 10 MB with API Gateway's own 413, without invoking the function", async () => {
      // Prepare
      const invocationsBefore = reports().length;

      // Act
      const reply = await post(11 * MB);

      // Assess
      expect(reply).toEqual({ status: 413, body: { message: 'Request Entity Too Large' } });
      expect(reports()).toHaveLength(invocationsBefore);
    });

    it("answers a body API Gateway takes but whose event is past Lambda's 6 MB as a failed integration, 500", async () => {
      // Prepare
      const invocationsBefore = reports().length;

      // Act: 7 MB, under API Gateway's quota, over Lambda's (Invoke refuses the event before any sandbox runs)
      const reply = await post(7 * MB);

      // Assess
      expect(reply).toEqual({ status: 500, body: { message: 'Internal Server Error' } });
      expect(reports()).toHaveLength(invocationsBefore);
    });
  });
});
