// domain: the stamp a hosted survey page carries, so that the page's human-signal call (provisional answer) can prove
// when the page was served: a dwell signal is accepted only once the dwell time has really passed since then.
//   stamp = "<kid>.<served at, epoch ms>.<base64url HMAC-SHA256(key, token + served at), 22 chars>"
// Pure (node:crypto only).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LinkKey } from '../links/signed-token.js';

const macOf = (secret: string, token: string, servedAt: number) =>
  createHmac('sha256', secret).update(`page-served\u0000${token}\u0000${servedAt}`).digest('base64url').slice(0, 22);

export function pageStamp(keys: readonly LinkKey[], token: string, servedAt: Date): string {
  const key = keys.at(-1);
  if (!key) throw new Error('no link signing key');
  return `${key.kid}.${servedAt.getTime()}.${macOf(key.secret, token, servedAt.getTime())}`;
}

const STAMP_SHAPE = /^([A-Za-z0-9_-]{1,32})\.(\d{13})\.([A-Za-z0-9_-]{22})$/;

/** the key id a stamp names (unverified: only to know which key to check it with) */
export const stampKidOf = (stamp: string): string | undefined => STAMP_SHAPE.exec(stamp)?.[1];

/** the instant the page was served, or undefined for a stamp that is forged, for another link, or garbled */
export function servedAtOf(keys: readonly LinkKey[], token: string, stamp: string): Date | undefined {
  const match = STAMP_SHAPE.exec(stamp);
  if (!match) return undefined;
  const [, kid, ms, mac] = match as unknown as [string, string, string, string];
  const key = keys.find((k) => k.kid === kid);
  if (!key) return undefined;
  const expected = Buffer.from(macOf(key.secret, token, Number(ms)));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected) ? new Date(Number(ms)) : undefined;
}
