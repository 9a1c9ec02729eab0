// domain: access tokens. Each carries a role (admin: everything; cx: the follow-ups of its surveys) and is stored only
// as the SHA-256 of its secret, so a leaked table leaks no credential. Created, listed (never with the secret or its
// hash) and revoked by an admin; a revoked token is refused everywhere (401). The bootstrap admin token
// (FEEDBACK_ADMIN_TOKEN / Secrets Manager) is not one of these: it stays the root credential.
import { createHash, randomBytes } from 'node:crypto';
import * as z from '../validation.js';
import type { Clock } from '../clock.js';
import { displayName } from '../display-text.js';
import { ApiError, detailsFromZod, invalidRequest, notFound, parsedOr400 } from '../errors.js';
import { encodeCursor, notACursor, positionOf } from '../page-cursor.js';
import { queryInteger } from '../query-values.js';
import { surveyIdSchema } from '../survey/schema.js';

export const ROLES = ['admin', 'cx'] as const;
export type Role = (typeof ROLES)[number];

export interface AccessToken {
  /** public id (hex); the principal's actor id is `<role>:<id>` */
  id: string;
  name: string;
  role: Role;
  /** the surveys the token is granted; 'all' for admin tokens */
  surveys: string[] | 'all';
  createdAt: string;
  /** the actor id of the admin who created it */
  createdBy: string;
  revokedAt?: string;
  revokedBy?: string;
  /** a cx token that may assign and reassign its surveys' tasks (a team lead); absent: false. Admins always may */
  canAssign?: boolean;
}

// port: tokens by the SHA-256 of their secret. Adapter: dynamo-token-store.
export interface TokenStore {
  put(tokenHash: string, token: AccessToken): Promise<void>;
  getByTokenHash(tokenHash: string): Promise<AccessToken | undefined>;
  /** every token, revoked ones included (a small table: one item per person or tool) */
  list(): Promise<AccessToken[]>;
  /** marks the token revoked (once: a second revocation keeps the first time); undefined when there is no such id */
  revoke(id: string, at: string, by: string): Promise<AccessToken | undefined>;
}

/** tokens are stored only as this digest: a leaked table does not leak credentials */
export const tokenHashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** "cx:1f2e…" or "1f2e…" → "1f2e…" */
export const tokenIdOf = (idOrActorId: string) => idOrActorId.replace(/^(admin|cx):/, '');

export const tokenIdSchema = z.string().check(z.regex(/^((admin|cx):)?[0-9a-f]{16}$/, 'a token id as listed by GET /v1/tokens'));

export const tokenInputSchema = z
  .strictObject({
    name: displayName(100),
    role: z.enum(ROLES, 'admin or cx'),
    surveys: z.optional(z.array(surveyIdSchema).check(z.minLength(1), z.maxLength(100))),
    canAssign: z.optional(z.boolean()),
  })
  .check(
    z.refine((input) => input.role === 'admin' || input.surveys !== undefined, { path: ['surveys'], message: 'a cx token needs at least one survey' }),
    z.refine((input) => input.role === 'cx' || input.surveys === undefined, { path: ['surveys'], message: 'an admin token is granted every survey' }),
  );
export type TokenInput = z.infer<typeof tokenInputSchema>;

/** what listing shows: everything but the secret (never stored) and its hash */
export type ListedToken = AccessToken & { actorId: string; revoked: boolean; canAssign: boolean };
const listed = (token: AccessToken): ListedToken => ({
  ...token,
  actorId: `${token.role}:${token.id}`,
  revoked: token.revokedAt !== undefined,
  canAssign: token.role === 'admin' || token.canAssign === true,
});

/** the one role check: 403 unless the caller has the role (an admin has every role) */
export function requireRole(by: { role: Role }, role: Role): void {
  if (by.role !== role && by.role !== 'admin') throw new ApiError(403, `${role} only`, [{ path: 'authorization', reason: `this needs a${role === 'admin' ? 'n' : ''} ${role} token` }]);
}

/**
 * use case: an admin creates a token.
 *   1. admin only (403), input checked (400)
 *   2. a random secret with a role prefix ("cx_…", "adm_…"); only its SHA-256 is stored
 *   3. the secret is returned this once
 */
export function makeCreateToken({ tokens, clock }: { tokens: TokenStore; clock: Clock }) {
  return async function createToken(body: unknown, by: { role: Role; actor: { id: string } }): Promise<ListedToken & { token: string }> {
    requireRole(by, 'admin');
    const input = tokenInputSchema.safeParse(body);
    if (!input.success) throw invalidRequest(detailsFromZod(input.error));
    const { name, role, surveys, canAssign } = input.data;
    const secret = `${role === 'admin' ? 'adm' : 'cx'}_${randomBytes(24).toString('base64url')}`;
    const token: AccessToken = {
      id: randomBytes(8).toString('hex'),
      name,
      role,
      surveys: role === 'admin' ? 'all' : [...new Set(surveys)],
      createdAt: clock.now().toISOString(),
      createdBy: by.actor.id,
      // an admin token may assign anyway; tokens that may not carry nothing, as tokens created before did
      ...(role === 'cx' && canAssign ? { canAssign: true } : {}),
    };
    await tokens.put(tokenHashOf(secret), token);
    return { ...listed(token), token: secret };
  };
}

/** tokens a page lists at most: 200 of the largest (100 surveys granted) take about 1.5 MB of a Lambda answer */
export const MAX_LISTED_TOKENS = 200;

const tokenListQuerySchema = z.strictObject({
  limit: z._default(queryInteger({ min: 1, max: MAX_LISTED_TOKENS }), MAX_LISTED_TOKENS),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
});

/** newest first; the id settles tokens created in the same millisecond */
const newestFirst = (a: AccessToken, b: AccessToken) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);

// the cursor names the last token a page listed: the next page lists the ones after it in that order
function afterTokenCursor(cursor: string): Pick<AccessToken, 'createdAt' | 'id'> {
  const key = (positionOf(cursor) ?? {}) as Record<string, unknown>;
  if (typeof key.createdAt === 'string' && typeof key.id === 'string' && Object.keys(key).length === 2) return { createdAt: key.createdAt, id: key.id };
  throw notACursor('not a cursor returned by this endpoint');
}

/**
 * use case: an admin lists tokens, newest first, without secrets or hashes, a page at a time (`limit`, at most and by
 * default 200; `cursor`: the previous page's, null on the last): revoked tokens stay listed, so the list only grows
 */
export function makeListTokens({ tokens }: { tokens: TokenStore }) {
  return async function listTokens(by: { role: Role }, rawQuery: Record<string, string | undefined> = {}): Promise<{ items: ListedToken[]; cursor: string | null }> {
    requireRole(by, 'admin');
    const query = parsedOr400(tokenListQuerySchema, rawQuery);
    const after = query.cursor === undefined ? undefined : afterTokenCursor(query.cursor);
    const ordered = (await tokens.list()).sort(newestFirst).filter((token) => !after || newestFirst(after as AccessToken, token) < 0);
    const page = ordered.slice(0, query.limit);
    return { items: page.map(listed), cursor: ordered.length > query.limit ? encodeCursor({ createdAt: page.at(-1)!.createdAt, id: page.at(-1)!.id }) : null };
  };
}

/** use case: an admin revokes a token by id (idempotent: revoking twice answers the same token); 404 if unknown */
export function makeRevokeToken({ tokens, clock }: { tokens: TokenStore; clock: Clock }) {
  return async function revokeToken(idOrActorId: string, by: { role: Role; actor: { id: string } }): Promise<ListedToken> {
    requireRole(by, 'admin');
    const id = tokenIdSchema.safeParse(idOrActorId);
    if (!id.success) throw invalidRequest([{ path: 'id', reason: id.error.issues[0]?.message ?? 'invalid' }]);
    const revoked = await tokens.revoke(tokenIdOf(id.data), clock.now().toISOString(), by.actor.id);
    if (!revoked) throw notFound('token');
    return listed(revoked);
  };
}
