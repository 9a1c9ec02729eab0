// configuration: the public base URL that minted email survey links point at. In the cloud it is configuration only
// (EMAIL_SURVEY_BASE_URL, which the stack sets to the edge URL): the request's Host and X-Forwarded-* are whatever
// the caller sent, so a link built from them could point anywhere, or be a `javascript:` URL. Only the local runtime,
// on a loopback address, may take its own origin from the request, and then always as plain http.
// A configured base is https, or plain http on a loopback host: no customer can open such a link, so it never leaves
// the machine it names; it is how the deployed runner (infra/deployed), which stands in for the edge on 127.0.0.1,
// gets links its user can open. The CDK app itself takes only https (infra/cdk/app.ts).
import { ApiError } from '../../shared/errors.js';
import { header, type HttpEvent } from './http.js';

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/;
const isLoopbackOrigin = (base: string) => {
  const url = URL.parse(base);
  // the origin alone, as written: no user@, path, query or fragment that the parsed URL would hide
  return url !== null && url.protocol === 'http:' && LOOPBACK_HOST.test(url.host) && url.origin === base;
};

/** the base URL of a minted link, for the request that mints it */
export type LinkBase = (event: HttpEvent) => string;

/**
 * `configured` (EMAIL_SURVEY_BASE_URL, already checked by publicBaseUrlSchema) wins; without it, the cloud (`cloud`:
 * the function runs with its cloud configuration) cannot start, and locally the request's own origin is used only when
 * its Host is a loopback address, always as http (X-Forwarded-Proto is never read).
 */
export function linkBaseOf({ configured, cloud }: { configured: string | undefined; cloud: boolean }): LinkBase {
  if (configured && cloud && !configured.startsWith('https://') && !isLoopbackOrigin(configured)) {
    throw new Error('missing or invalid environment: EMAIL_SURVEY_BASE_URL (https only in the cloud, or http on a loopback host)');
  }
  if (configured) return () => configured;
  if (cloud) throw new Error('missing or invalid environment: EMAIL_SURVEY_BASE_URL (required in the cloud: links are never built from request headers there)');
  return (event) => {
    const host = header(event, 'host') ?? '';
    if (!LOOPBACK_HOST.test(host)) {
      throw new ApiError(400, 'email survey links need a base URL', [
        { path: 'host', reason: 'links take the request\'s own origin only on a loopback address; set EMAIL_SURVEY_BASE_URL' },
      ]);
    }
    return `http://${host}`;
  };
}
