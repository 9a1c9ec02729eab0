// adapter: the one way an HTTP handler learns who is calling. A request's bearer token → the principal: the root admin
// (the bootstrap token), or an admin or cx token from the token table. 401 for a missing, unknown ("invalid token") or
// revoked ("token revoked") token, so a client can tell a mistyped token from one it must replace; nothing else about
// the token is answered. No cache: a revocation holds from the next request. Failed attempts are throttled per client
// IP (rate-limit.ts, authFailureThrottle). What a principal may do: requireRole / requireSurvey (shared/access).
import type { DynamoDBDocumentClient } from '../../shared/aws/dynamodb.js';
import { createDynamoTokenStore } from '../../shared/access/dynamo-token-store.js';
import { adminPrincipal, principalOfToken, tokenHashOf, type CxLeadStore, type Principal } from '../../shared/access/principal.js';
import { ApiError } from '../../shared/errors.js';
import { adminTokenFromEnvironment, bearerToken, isAdminToken, type AdminTokenSource } from './admin-token.js';
import type { HttpEvent } from './http.js';
import { authFailureThrottle, type AuthFailureThrottle } from './rate-limit.js';
import { REREAD_ON_MISMATCH_MS } from './secret.js';

export type PrincipalResolver = (event: HttpEvent) => Promise<Principal>;

export function makePrincipalResolver({
  adminToken,
  leads,
  throttle = authFailureThrottle(),
}: {
  adminToken: AdminTokenSource;
  leads: Pick<CxLeadStore, 'getByTokenHash'>;
  throttle?: AuthFailureThrottle;
}): PrincipalResolver {
  async function resolve(event: HttpEvent): Promise<Principal> {
    const token = bearerToken(event, 'bearer token');
    if (await isAdminToken(token, adminToken)) return adminPrincipal;
    const found = await leads.getByTokenHash(tokenHashOf(token));
    if (!found) {
      // the admin token may have been replaced since this container read it: read it again (at most every
      // REREAD_ON_MISMATCH_MS, so unknown tokens cannot make it call Secrets Manager at their rate) before refusing
      if (await isAdminToken(token, adminToken, { ifOlderThanMs: REREAD_ON_MISMATCH_MS })) return adminPrincipal;
      throw new ApiError(401, 'invalid token', [{ path: 'authorization', reason: 'token not recognised' }]);
    }
    if (found.revokedAt) throw new ApiError(401, 'token revoked', [{ path: 'authorization', reason: 'token revoked' }]);
    return principalOfToken(found);
  }

  return async function principalOf(event: HttpEvent): Promise<Principal> {
    throttle.check(event);
    try {
      return await resolve(event);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throttle.failed(event);
      throw error;
    }
  };
}

/** the resolver of a function bound to the token table: the bootstrap token and throttle from the environment */
export const principalResolverFor = (db: DynamoDBDocumentClient, tokensTable: string): PrincipalResolver =>
  makePrincipalResolver({ adminToken: adminTokenFromEnvironment(), leads: createDynamoTokenStore(db, tokensTable) });
