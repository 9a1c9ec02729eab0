// deploy-faithful runner: the CX console's distribution, as CloudFront serves it, on an origin of its own (a second
// port). Its files are what the template's bucket deployment puts in the bucket, with its Cache-Control; every answer
// carries the distribution's response headers policy (CSP, nosniff, no framing…); `/` is the root object. The runner's
// http origin stands for the distribution's https one, and the runner's API URL for the API's edge URL, wherever the
// templates name them (cloud-assembly.ts resolves them so: the functions' CONSOLE_ORIGINS and CONSOLE_URL, and the
// console's own config.json and CSP connect-src), as the runner's URL stands for CloudFront's in front of the API.
// It listens before the templates are read, so that they can be resolved to its origin; it answers once `serve` has
// been given the site.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contentTypeOf } from '../local/gateway.js';
import type { ConsoleSite } from './cloud-assembly.js';
import { localOrigin } from './local-origin.js';

/** what S3 answers, through an origin access control allowed only s3:GetObject, for a key that does not exist */
const ACCESS_DENIED = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';

interface Served {
  files: Map<string, { body: Buffer; headers: Record<string, string> }>;
  rootObject?: string;
  headers: Record<string, string>;
}

export async function startConsoleSite({ port, host }: { port: number; host: string }) {
  let served: Served | undefined;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const answer = (response: ServerResponse, status: number, headers: Record<string, string>, body?: Buffer | string) => {
    response.writeHead(status, headers);
    response.end(body);
  };
  const server = createServer(async (request, response) => {
    await ready;
    if (!served) return answer(response, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'the templates have no console distribution');
    const { files, rootObject, headers } = served;
    // the distribution allows GET and HEAD only; CloudFront refuses the others itself
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(response, 403, { 'content-type': 'text/plain; charset=utf-8', ...headers }, 'This distribution is not configured to allow the HTTP request method that was used for this request.');
    let key: string;
    try {
      key = decodeURIComponent(new URL(request.url ?? '/', 'http://local').pathname).slice(1);
    } catch {
      return answer(response, 400, { 'content-type': 'text/plain; charset=utf-8', ...headers }, 'Bad Request');
    }
    const file = files.get(key === '' && rootObject ? rootObject : key);
    if (!file) return answer(response, 403, { 'content-type': 'application/xml', ...headers }, request.method === 'HEAD' ? undefined : ACCESS_DENIED);
    answer(response, 200, { 'content-type': contentTypeOf(key || rootObject || ''), 'content-length': String(file.body.length), ...file.headers, ...headers }, request.method === 'HEAD' ? undefined : file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { origin, loopback } = localOrigin(host, (server.address() as AddressInfo).port);

  return {
    /** http://<host>:<port>: what stands for https://<the console distribution's domain> (on a loopback host) */
    origin,
    loopback,
    /** serves the site (none: the templates have no console distribution), its files and headers as resolved */
    serve(site: ConsoleSite | undefined): void {
      served = site && {
        files: new Map([...site.files].map(([key, { body, cacheControl }]) => [key, { body, headers: (cacheControl ? { 'cache-control': cacheControl } : {}) as Record<string, string> }])),
        ...(site.rootObject ? { rootObject: site.rootObject } : {}),
        headers: site.headers,
      };
      markReady();
    },
    async close(): Promise<void> {
      markReady();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

export type ConsoleSiteServer = Awaited<ReturnType<typeof startConsoleSite>>;
