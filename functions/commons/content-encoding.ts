// shared by the HTTP handlers whose answers grow with stored data (pages of responses, CSV downloads, exports, task
// lists): such an answer goes out gzip-compressed when the request accepts gzip. API Gateway HTTP APIs never compress,
// and CloudFront compresses only under a cache policy with gzip or Brotli support on, which the API's CachingDisabled
// policy has off, so without this a 5 MB page travels as 5 MB.
//
// Through the edge: with both of those off CloudFront treats Accept-Encoding as any other viewer header, which the
// AllViewerExceptHostHeader origin request policy forwards to the origin ("If both of these fields are false, then
// CloudFront treats the Accept-Encoding header the same as any other HTTP header in the viewer request": CloudFront API
// Reference, ParametersInCacheKeyAndForwardedToOrigin, docs.aws.amazon.com/cloudfront/latest/APIReference/
// API_ParametersInCacheKeyAndForwardedToOrigin.html); and an origin answer with a Content-Encoding goes on to the viewer
// as it is, never compressed again (CloudFront Developer Guide, "Serve compressed files", How CloudFront compression
// works, step 4: docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/ServingCompressedFiles.html).
//
// Lambda's answer quota: a page is sized to MAX_ANSWER_BODY_BYTES of answer (shared/answer-size.ts). A compressed body
// travels as base64, a third larger than its bytes, so it is kept only when that base64 is smaller than the body it
// replaces; an incompressible body goes out as it was, and no answer grows past what its page was sized for.
import { gzipSync } from 'node:zlib';
import type { MiddlewareObj, Request } from '@middy/core';
import Negotiator from 'negotiator';
import { header, type HttpEvent, type HttpResult } from './http.js';

/** a body smaller than this goes out as it is: the saving would not pay for the work and the headers */
export const MIN_COMPRESSED_BODY_BYTES = 1024;

/** what a compressed answer carries besides its body: `"content-encoding":"gzip",` and `"isBase64Encoded":true,` */
const COMPRESSED_ENVELOPE_BYTES = 64;

/** statuses whose answers are left alone: interim, accepted-for-later, empty, partial and redirects */
const UNTOUCHED_STATUS = (status: number) => status < 200 || status === 202 || status === 204 || status === 205 || status === 206 || (status >= 300 && status < 400);

/** types worth compressing: text of any kind (JSON, CSV, HTML); anything else is most likely compressed already */
const TEXTUAL_TYPE = /^(text\/|application\/([\w.+-]*\+)?(json|xml|javascript|csv)\b)/i;

/** negotiator 1.x's `encoding(available, { preferred })`: @types/negotiator still describes 0.6, without the option */
type EncodingNegotiator = { encoding(available: readonly string[], options: { preferred: readonly string[] }): string | undefined };

/**
 * The coding an answer may go out in, from the request's Accept-Encoding (RFC 9110 §12.5.3, as negotiator reads it:
 * q-values, `*`, and an unlisted identity as acceptable as the least of the listed codings): gzip when the header
 * accepts it at least as much as the body as it is; otherwise none. No header means none: a client that says nothing
 * gets the body as it is.
 */
export function negotiatedEncoding(acceptEncoding: string | undefined): 'gzip' | 'identity' {
  if (acceptEncoding === undefined) return 'identity';
  // x-gzip is gzip under its old name (RFC 9110 §8.4.1.3), which negotiator does not know
  const negotiator = new Negotiator({ headers: { 'accept-encoding': acceptEncoding.replace(/\bx-gzip\b/gi, 'gzip') } }) as unknown as EncodingNegotiator;
  return negotiator.encoding(['gzip', 'identity'], { preferred: ['gzip', 'identity'] }) === 'gzip' ? 'gzip' : 'identity';
}

const headerName = (headers: NonNullable<HttpResult['headers']>, name: string) => Object.keys(headers).find((key) => key.toLowerCase() === name);

/** `headers` with accept-encoding among the Vary ones: what this answer is depends on what the request accepts */
function varyingOnEncoding(headers: NonNullable<HttpResult['headers']>): NonNullable<HttpResult['headers']> {
  const name = headerName(headers, 'vary') ?? 'vary';
  const current = String(headers[name] ?? '').trim();
  const listed = current.split(',').map((value) => value.trim().toLowerCase());
  if (listed.includes('accept-encoding') || listed.includes('*')) return headers;
  return { ...headers, [name]: current ? `${current}, accept-encoding` : 'accept-encoding' };
}

/** whether `result` is an answer this module may compress: text, not yet encoded, of a status that carries a whole body */
function compressible(result: HttpResult): result is HttpResult & { body: string } {
  const headers = result.headers ?? {};
  const contentType = headerName(headers, 'content-type');
  return (
    typeof result.body === 'string' &&
    !result.isBase64Encoded &&
    !UNTOUCHED_STATUS(result.statusCode ?? 200) &&
    headerName(headers, 'content-encoding') === undefined &&
    contentType !== undefined &&
    TEXTUAL_TYPE.test(String(headers[contentType]))
  );
}

/**
 * `result` as it goes out to a request that sent `acceptEncoding`: gzip-compressed (base64, `isBase64Encoded`, as API
 * Gateway expects) when the request accepts gzip and compressing makes the answer smaller; `Vary: accept-encoding` on
 * every answer large enough to be compressed, whichever way it went, so that no cache hands one client's form to another.
 */
export function compressedAnswer(result: HttpResult, acceptEncoding: string | undefined): HttpResult {
  if (!compressible(result)) return result;
  const body = Buffer.from(result.body, 'utf8');
  if (body.length < MIN_COMPRESSED_BODY_BYTES) return result;
  const headers = varyingOnEncoding(result.headers ?? {});
  if (negotiatedEncoding(acceptEncoding) !== 'gzip') return { ...result, headers };
  const encoded = gzipSync(body).toString('base64');
  if (encoded.length + COMPRESSED_ENVELOPE_BYTES >= body.length) return { ...result, headers };
  // a length given for the body as it was would be wrong for the compressed one (API Gateway sets its own)
  const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-length'));
  return { ...result, headers: { ...kept, 'content-encoding': 'gzip' }, body: encoded, isBase64Encoded: true };
}

/**
 * Compresses the handler's answer, errors' answers included. Use it right after originVerify() (which stays first
 * after logContext(), to refuse before anything runs), before CORS and httpErrors: middy runs `after` and `onError`
 * hooks last-used first, so this one then sees the answer as it goes out.
 */
export function compressAnswers(): MiddlewareObj<HttpEvent, HttpResult> {
  const compress = async (request: Request<HttpEvent, HttpResult>) => {
    if (request.response) request.response = compressedAnswer(request.response, header(request.event, 'accept-encoding'));
  };
  return { after: compress, onError: compress };
}
