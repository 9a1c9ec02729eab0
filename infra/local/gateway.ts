// local runtime: an HTTP server that turns requests into API Gateway v2 (HTTP API) events for the same handlers
// the cloud runs, routed by the topology's routes. Static pages (demo, widget) are served beside the API.
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * An HTTP API's request payload quota, 10 MB ("Amazon API Gateway quotas", HTTP APIs), which AWS does not raise: past
 * it API Gateway answers 413 itself, with no CORS headers. Under it the body reaches the function, within Lambda's 6 MB
 * event quota (infra/lambda-quotas.ts), and the function's own, far lower limits answer (a 413 with its CORS headers,
 * which the widget can read). Both local gateways take the same, so that a body over a function's limit gets the
 * function's answer here too.
 */
export const HTTP_API_MAX_BODY_BYTES = 10 * 1024 * 1024;

export type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
export type StaticPage = (request: IncomingMessage) => { contentType: string; body: string | Buffer; status?: number; headers?: Record<string, string> } | undefined;

/** the Content-Type of a static file the gateways serve (the console's, the widget's), by its name */
export const contentTypeOf = (name: string): string =>
  `${name.endsWith('.js') ? 'text/javascript' : name.endsWith('.css') ? 'text/css' : name.endsWith('.json') ? 'application/json' : 'text/html'}; charset=utf-8`;

/** what the gateway routes by: the topology's routes locally, the template's API Gateway routes in the deployed runner */
export interface GatewayRoute {
  method: string;
  path: string;
}

interface CompiledRoute<R extends GatewayRoute> {
  route: R;
  pattern: RegExp;
  params: string[];
}

function compile<R extends GatewayRoute>(route: R): CompiledRoute<R> {
  const params: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}|\{(\w+)\}/g, (_match, a: string, b: string) => {
    params.push(a ?? b);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), params };
}

/**
 * the body, or 'too-large' past `maxBytes`: from there nothing more is kept (what was is let go), and the rest is read
 * only to be dropped, so the client, still sending, can read the answer
 */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else chunks = [];
    });
    request.on('end', () => resolve(size > maxBytes ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * whether HTTP APIs hand a body of this type to the function as text: only text/*, application/json, application/xml
 * and application/javascript; any other type, a missing one and application/x-www-form-urlencoded (an HTML form's)
 * included, arrives base64-encoded with isBase64Encoded (the split observed on a payload 2.0 Lambda integration, which
 * API Gateway's guide does not list: github.com/ministackorg/ministack/pull/766, "verified the split against real AWS")
 */
function isTextual(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type.startsWith('text/') || ['application/json', 'application/xml', 'application/javascript'].includes(type);
}

function toHttpApiEvent(request: IncomingMessage, url: URL, body: Buffer, routeKey: string, pathParameters: Record<string, string>): APIGatewayProxyEventV2 {
  // payload 2.0 as API Gateway builds it (developerguide/http-api-develop-integrations-lambda.html): names lower-cased
  // (node:http's are), a repeated header's values joined with commas (node:http would keep only the first of some, e.g.
  // Authorization, and join others with ", "), and the Cookie headers not among them but split into `cookies`
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (values === undefined) continue;
    if (name === 'cookie') cookies.push(...values.flatMap((value) => value.split(';')).map((cookie) => cookie.trim()).filter(Boolean));
    else headers[name] = values.join(',');
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  // a textual body that is not valid UTF-8 travels as bytes (base64) too, so the handler's strict decoder refuses it
  // (400) instead of a lossy decode turning the bad bytes into U+FFFD and the request into a valid one
  const asText = body.length > 0 && isTextual(headers['content-type']) && isUtf8(body);
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length ? { cookies } : {}),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: Object.keys(pathParameters).length ? pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length ? body.toString(asText ? 'utf8' : 'base64') : undefined,
    isBase64Encoded: body.length > 0 && !asText,
  };
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  // each of the answer's `cookies` is a Set-Cookie header of its own (one list would break at an Expires date's comma)
  response.writeHead(result.statusCode ?? 200, result.cookies?.length ? { ...headers, 'set-cookie': result.cookies } : headers);
  response.end(result.body === undefined ? undefined : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}

const jsonError = (statusCode: number, error: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({ error, details: [] }),
});

export interface GatewayOptions<R extends GatewayRoute> {
  routes: R[];
  handlerFor: (route: R) => Promise<HttpHandler>;
  staticPage?: StaticPage;
  /**
   * the answer when no route matches (`methodKnown`: another method of the path has one); default 404 / 405 with the
   * API's JSON error. API Gateway itself answers 404 {"message":"Not Found"} for both.
   */
  noRoute?: (methodKnown: boolean) => APIGatewayProxyStructuredResultV2;
  /** the answer when the integration fails (the handler threw); default 500 with the API's JSON error */
  integrationFailed?: () => APIGatewayProxyStructuredResultV2;
  /** the largest request body handed to a function (default HTTP_API_MAX_BODY_BYTES, an HTTP API's) */
  maxBodyBytes?: number;
  /** the answer to a body past `maxBodyBytes`; default 413 with the API's JSON error */
  bodyTooLarge?: () => APIGatewayProxyStructuredResultV2;
  /** a server already listening, whose origin had to be known before the routes were (default: a new one) */
  server?: Server;
}

export interface Gateway {
  server: Server;
  /** stop intake: new requests get 503 (not acknowledged, so clients retry elsewhere or later) and connections close */
  close(): Promise<void>;
}

export function createGateway<R extends GatewayRoute>({
  routes,
  handlerFor,
  staticPage = () => undefined,
  noRoute = (methodKnown) => (methodKnown ? jsonError(405, 'method not allowed') : jsonError(404, 'not found')),
  integrationFailed = () => jsonError(500, 'internal error'),
  maxBodyBytes = HTTP_API_MAX_BODY_BYTES,
  bodyTooLarge = () => jsonError(413, 'request body too large'),
  server = createServer(),
}: GatewayOptions<R>): Gateway {
  const compiled = routes.map((route) => compile(route));
  let closing = false;
  server.on('request', async (request: IncomingMessage, response: ServerResponse) => {
    if (closing) {
      response.writeHead(503, { 'content-type': 'application/json; charset=utf-8', connection: 'close', 'retry-after': '5' });
      response.end(JSON.stringify({ error: 'shutting down', details: [] }));
      return;
    }
    try {
      const url = new URL(request.url ?? '/', 'http://local');
      // routed on the decoded path, as HTTP APIs route: "/v1/customers/a%2Fb" is "/v1/customers/a/b", which no route
      // matches, so a value holding "/" cannot travel in a path segment here either
      let path: string;
      try {
        path = decodeURIComponent(url.pathname);
      } catch {
        send(response, jsonError(400, 'malformed path'));
        return;
      }
      const method = request.method ?? 'GET';
      let match: CompiledRoute<R> | undefined;
      let pathKnown = false;
      for (const candidate of compiled) {
        if (!candidate.pattern.test(path)) continue;
        pathKnown = true;
        if (candidate.route.method === method) {
          match = candidate;
          break;
        }
      }
      if (!match) {
        const page = method === 'GET' || method === 'HEAD' ? staticPage(request) : undefined;
        if (page) {
          response.writeHead(page.status ?? 200, { 'content-type': page.contentType, 'cache-control': 'no-cache', ...page.headers });
          response.end(method === 'HEAD' ? undefined : page.body);
          return;
        }
        send(response, noRoute(pathKnown));
        return;
      }
      const body = await readBody(request, maxBodyBytes);
      if (body === 'too-large') {
        send(response, bodyTooLarge());
        return;
      }
      const values = match.pattern.exec(path)?.slice(1) ?? [];
      const pathParameters: Record<string, string> = Object.fromEntries(match.params.map((name, i) => [name, values[i] ?? '']));
      const routeKey = `${match.route.method} ${match.route.path}`;
      const handler = await handlerFor(match.route);
      send(response, await handler(toHttpApiEvent(request, url, body, routeKey, pathParameters)));
    } catch {
      // a handler that throws past its middleware: what API Gateway answers for a failed integration
      if (!response.headersSent) send(response, integrationFailed());
      else response.end();
    }
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
