// deploy-faithful runner: the http origin a listener of the runner is reached at, and whether it may stand for a
// distribution's https URL. The functions take plain http only on a loopback host (a link base, the console's URL:
// functions/commons/email-survey-settings.ts), so only a loopback origin stands in; on another address the templates'
// URLs are left as they are.

const UNSPECIFIED: Record<string, string> = { '0.0.0.0': '127.0.0.1', '::': '::1' };
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** `http://host:port` for a listener bound to `host` (an unspecified address as its loopback one; IPv6 in brackets) */
export function localOrigin(host: string, port: number): { origin: string; loopback: boolean } {
  const reached = UNSPECIFIED[host] ?? host;
  return { origin: `http://${reached.includes(':') ? `[${reached}]` : reached}:${port}`, loopback: LOOPBACK.has(reached) };
}
