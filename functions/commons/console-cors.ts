// adapter: CORS for the CX console on the API routes it calls, when it is served from another origin (the cloud:
// CloudFront in front of S3, the API on API Gateway). CONSOLE_ORIGINS lists the allowed origins (the stack sets it
// to the distribution's); unset (the local runtime serves the console from the API's own origin) adds nothing.
// Bearer tokens only: no Access-Control-Allow-Credentials, so a browser never sends cookies along.
import type { MiddlewareObj } from '@middy/core';
import { boundEnvNames } from '../../infra/topology.js';
import { header, type HttpEvent, type HttpResult } from './http.js';

const ALLOW_HEADERS = 'authorization, content-type';
/** what the console reads besides the body: the CSV export's file name, row count and where to go on from */
const EXPOSE_HEADERS = 'content-disposition, x-rows, x-next-cursor';

export function consoleOriginsFromEnvironment(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env[boundEnvNames.consoleOrigins] ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}

export function makeConsoleCors(origins: readonly string[]) {
  const allowed = (event: HttpEvent) => {
    const origin = header(event, 'origin');
    return origin && origins.includes(origin) ? origin : undefined;
  };
  /** CORS headers for a request's answer (any status): empty unless its Origin is the console's */
  const headersFor = (event: HttpEvent): Record<string, string> => {
    const origin = allowed(event);
    return origin ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSE_HEADERS, vary: 'origin' } : {};
  };
  const middleware: MiddlewareObj<HttpEvent, HttpResult> = {
    // a preflight is answered before anything else (it carries no token); an origin not allowed gets no CORS headers
    before: async (request) => {
      if (request.event.requestContext?.http?.method !== 'OPTIONS') return undefined;
      const origin = allowed(request.event);
      return {
        statusCode: 204,
        headers: origin
          ? { 'access-control-allow-origin': origin, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': ALLOW_HEADERS, 'access-control-max-age': '600', vary: 'origin' }
          : { vary: 'origin' },
      };
    },
    after: async (request) => {
      if (request.response) request.response.headers = { ...request.response.headers, ...headersFor(request.event) };
    },
  };
  return { middleware, headersFor };
}
