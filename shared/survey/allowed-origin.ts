// domain: the web origins a survey takes browser submissions from. A browser's Origin header is its page's origin as
// the URL standard serialises it: scheme and host in lowercase, no default port (443 for https, 80 for http), no path.
// An allowed origin is kept in that form, and both sides are compared in it. One that no browser sends (a port out of
// range, a host ending in a dot, a path) is refused when the survey is saved: kept, it would look allowed to the admin
// while every submission from the page it names was refused with 403.

/** every origin, and requests from no page at all (`Origin: null`) */
export const ANY_ORIGIN = '*';

const ORIGIN_PARTS = /^(https?):\/\/([^/?#]*)(.*)$/is;
const HOST_AND_PORT = /^([a-z0-9.-]+)(?::(\d+))?$/i;

export type BrowserOrigin = { origin: string } | { problem: string };

/** `value` as a browser sends it in its Origin header, or why no browser ever sends it */
export function browserOrigin(value: string): BrowserOrigin {
  const parts = ORIGIN_PARTS.exec(value);
  if (!parts) return { problem: 'an http or https origin such as https://shop.example.com' };
  const [, , authority = '', rest = ''] = parts;
  if (rest !== '') return { problem: 'scheme, host and port only, without a path, query or fragment: e.g. https://shop.example.com' };
  if (authority.includes('@')) return { problem: 'no user name or password: e.g. https://shop.example.com' };
  const hostAndPort = HOST_AND_PORT.exec(authority);
  if (!hostAndPort) return { problem: 'a host of letters, digits, "-" and "." (an internationalised name in its xn-- form), then an optional :port' };
  const [, host = '', port] = hostAndPort;
  if (port !== undefined && !(Number(port) >= 1 && Number(port) <= 65_535)) return { problem: `port ${port} is out of range: 1 to 65535` };
  if (host.endsWith('.')) return { problem: 'a host without a trailing dot, as browsers send it: e.g. https://shop.example.com' };
  if (host.split('.').some((label) => label === '')) return { problem: 'a host name such as shop.example.com, without empty labels' };
  try {
    return { origin: new URL(value).origin };
  } catch {
    // a dotted number that is no IPv4 address (999.1.1.1), a malformed xn-- name
    return { problem: 'a host a browser can reach: e.g. https://shop.example.com' };
  }
}

/** the form to compare an origin in: its browser form, or, for "*" and one no browser sends, itself in lowercase */
export const comparableOrigin = (value: string): string => {
  if (value === ANY_ORIGIN) return value;
  const parsed = browserOrigin(value);
  return 'origin' in parsed ? parsed.origin : value.toLowerCase();
};

/** whether a browser page at `origin` may submit to a survey that allows `allowed` */
export function isAllowedOrigin(allowed: readonly string[], origin: string): boolean {
  const comparable = comparableOrigin(origin);
  return allowed.some((entry) => entry === ANY_ORIGIN || comparableOrigin(entry) === comparable);
}

/**
 * A stored survey definition without the allowed origins refused above: saved before they were refused, they let no
 * page submit (a host ending in a dot only a page opened at that very spelling), and would now fail the survey's parse,
 * and with it every submission to the survey.
 */
export function withoutUnsendableOrigins(definition: unknown): unknown {
  if (typeof definition !== 'object' || definition === null || !('allowedOrigins' in definition) || !Array.isArray(definition.allowedOrigins)) return definition;
  const sendable = definition.allowedOrigins.filter((entry: unknown) => typeof entry !== 'string' || entry === ANY_ORIGIN || 'origin' in browserOrigin(entry));
  return sendable.length === definition.allowedOrigins.length ? definition : { ...definition, allowedOrigins: sendable };
}
