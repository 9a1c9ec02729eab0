// domain: signed link tokens, for any link the platform hands out (re-survey links of follow-up tasks; personal
// email survey links can reuse it with purpose "survey" and an invitationId). Pure (node:crypto only).
//   token = base64url(JSON payload) "." base64url(HMAC-SHA256(key of payload.kid, first part))
// The payload names the key id (`kid`) it was signed with, so keys rotate: keep several, sign with the newest (the
// last), verify with whichever the token names; drop a key once every link signed with it has expired.
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from '../validation.js';

export interface LinkKey {
  kid: string;
  /** at least 32 characters */
  secret: string;
}

export const linkKeySchema = z.strictObject({
  kid: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, "-" and "_", at most 32')),
  secret: z.string().check(z.minLength(32, 'at least 32 characters')),
});
/** one key, or several (oldest first, the last signs), as JSON */
export const linkKeysSchema = z.union([z.pipe(linkKeySchema, z.transform((key: LinkKey) => [key])), z.array(linkKeySchema).check(z.minLength(1))]);

export const linkPayloadSchema = z.strictObject({
  kid: z.string(),
  purpose: z.enum(['resurvey', 'survey']),
  surveyId: z.string(),
  taskId: z.optional(z.string()),
  invitationId: z.optional(z.string()),
  /** expiry, epoch seconds */
  exp: z.number().check(z.int()),
});
export type LinkPayload = z.infer<typeof linkPayloadSchema>;

/**
 * where a use case gets the keys. `kid`: the key id a link (or a page stamp) names; keys that lack it are read again
 * first (at most every so often), since a key added to the secret reaches a running function only when it reads again
 */
export type LinkKeys = (options?: { kid?: string }) => Promise<LinkKey[]>;

export type VerifyResult =
  | { ok: true; payload: LinkPayload }
  /** tampered, truncated, signed with an unknown key, or for another purpose */
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'expired'; payload: LinkPayload };

const mac = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest();

export function signLinkToken(keys: readonly LinkKey[], payload: Omit<LinkPayload, 'kid'>): string {
  const key = keys.at(-1);
  if (!key) throw new Error('no link signing key');
  const body = Buffer.from(JSON.stringify({ kid: key.kid, ...payload })).toString('base64url');
  return `${body}.${mac(key.secret, body).toString('base64url')}`;
}

const TOKEN_SHAPE = /^([A-Za-z0-9_-]{1,2048})\.([A-Za-z0-9_-]{43})$/;

/** the payload a token claims, unverified, with its signed part and signature; undefined when it is not a token */
function claimOf(token: string): { body: string; signature: string; payload: LinkPayload } | undefined {
  const match = TOKEN_SHAPE.exec(token);
  if (!match) return undefined;
  const [, body = '', signature = ''] = match;
  try {
    const parsed = linkPayloadSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    return parsed.success ? { body, signature, payload: parsed.data } : undefined;
  } catch {
    return undefined;
  }
}

/** the key id a token names (unverified: only to know which key to verify it with) */
export const linkKidOf = (token: string): string | undefined => claimOf(token)?.payload.kid;

/** checks the signature (constant time), then the purpose, then the expiry; never throws on what a token holds */
export function verifyLinkToken(keys: readonly LinkKey[], token: string, purpose: LinkPayload['purpose'], now: Date): VerifyResult {
  const invalid = { ok: false, reason: 'invalid' } as const;
  const claim = claimOf(token);
  if (!claim) return invalid;
  const { body, signature, payload } = claim;
  const key = keys.find((k) => k.kid === payload.kid);
  if (!key) return invalid;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key.secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid;
  if (payload.purpose !== purpose) return invalid;
  if (payload.exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired', payload };
  return { ok: true, payload };
}
