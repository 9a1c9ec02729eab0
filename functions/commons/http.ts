// shared by the HTTP handlers: JSON in and out (CSV out too), client errors as `{ error, details }`, never a leaked 5xx.
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ApiError, invalidRequest } from '../../shared/errors.js';
import { inexactNumbers } from '../../shared/json-number-text.js';
import { unstorableParts } from '../../shared/storable-value.js';
import { logger, requestIdOf } from './powertools.js';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** a text response, e.g. CSV; with `filename` it is offered as a download (the name is reduced to safe characters) */
export function text(statusCode: number, body: string, { contentType, filename, extraHeaders }: { contentType: string; filename?: string; extraHeaders?: Record<string, string> }): HttpResult {
  const headers: Record<string, string> = { 'content-type': contentType, 'cache-control': 'no-store', ...extraHeaders };
  if (filename) headers['content-disposition'] = `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`;
  return { statusCode, headers, body };
}

/**
 * A server-rendered page (/s/ email survey, /r/ re-survey): never cached, never framed, not indexed, no referrer, and a
 * CSP that allows inline styles, forms and fetches to this origin only, and script only with the page's `nonce`.
 */
export function htmlPage(statusCode: number, body: string, { nonce }: { nonce?: string } = {}): HttpResult {
  const script = nonce ? `'nonce-${nonce}'` : "'none'";
  return {
    statusCode,
    body,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'x-robots-tag': 'noindex, nofollow',
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; script-src ${script}; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    },
  };
}

/** a CSV document as a download */
export const csv = (statusCode: number, body: string, filename: string, extraHeaders?: Record<string, string>) =>
  text(statusCode, body, { contentType: 'text/csv; charset=utf-8', filename, extraHeaders });

export function header(event: HttpEvent, name: string): string | undefined {
  // API Gateway v2 lower-cases header names; the local gateway does the same
  return event.headers?.[name.toLowerCase()];
}

/**
 * the body as text, however API Gateway handed it over: base64-encoded (isBase64Encoded) when its Content-Type is not a
 * text type, an HTML form's or a missing one included. For a cheap look only; readJsonBody is the strict reading.
 */
export function bodyTextOf(event: HttpEvent): string {
  return event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
}

/** refuses bytes that are not UTF-8 instead of turning them into U+FFFD (stateless between calls: no `stream`) */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** the body parsed as JSON, refusing anything over `maxBytes` before parsing it and anything the database cannot store */
export function readJsonBody(event: HttpEvent, maxBytes: number): unknown {
  const raw = event.body ?? '';
  // a text body arrived as UTF-8 and is already decoded; only a base64 one still has bytes to check
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : undefined;
  const size = bytes ? bytes.length : Buffer.byteLength(raw, 'utf8');
  if (size > maxBytes) {
    throw new ApiError(413, 'request body too large', [{ path: '', reason: `at most ${maxBytes} bytes` }]);
  }
  if (size === 0) throw new ApiError(400, 'invalid request', [{ path: '', reason: 'a JSON body is required' }]);
  let text: string;
  let body: unknown;
  try {
    // a leading byte order mark is dropped, as the decoder drops it from bytes
    text = bytes ? strictUtf8.decode(bytes) : raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid request', [{ path: '', reason: 'malformed JSON (or not UTF-8)' }]);
  }
  // what the API accepts, the database must store as it is, and as it was written: refused here, never acknowledged
  // and lost later, nor stored as another number than the text said (1e-400 as 0)
  const unstorable = [...unstorableParts(body), ...inexactNumbers(text)];
  if (unstorable.length > 0) throw invalidRequest(unstorable);
  return body;
}

/**
 * Maps an ApiError to its status with `{ error, details }`; anything else is logged (by type, never by payload)
 * and answered 500 with no internals, only the request's id. `headersFor` adds per-request headers such as CORS to error answers too.
 */
export function httpErrors(headersFor: (event: HttpEvent, status: number) => Record<string, string> = () => ({})): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    onError: async (request) => {
      const { error, event } = request;
      if (error instanceof ApiError) {
        // a 429 says when to come back (rate limits: functions/commons/rate-limit.ts)
        const retryAfter: Record<string, string> = error.status === 429 && typeof error.extra?.retryAfterSeconds === 'number' ? { 'retry-after': String(error.extra.retryAfterSeconds) } : {};
        request.response = json(error.status, { error: error.message, details: error.details, ...error.extra }, { ...headersFor(event, error.status), ...retryAfter });
        return;
      }
      // the request's id (also the log lines' correlation_id and the access log's requestId) is all a client can
      // quote to have its failure found: no internals
      const requestId = requestIdOf(event);
      logger.error('unhandled error', { errorName: error?.name, routeKey: event.routeKey });
      request.response = json(500, { error: 'internal error', details: [], ...(requestId ? { requestId } : {}) }, headersFor(event, 500));
    },
  };
}
