// adapter: a request's bearer token → the principal: the root admin (the bootstrap token), or an admin or cx token
// from the token table. 401 for a missing, unknown or revoked token. No cache: a revocation holds from the next request.
import { adminPrincipal, principalOfToken, tokenHashOf, type CxLeadStore, type Principal } from '../../shared/access/principal.js';
import { ApiError } from '../../shared/errors.js';
import { bearerToken, isAdminToken, type AdminTokenSource } from './admin-token.js';
import type { HttpEvent } from './http.js';

export function makePrincipalResolver({ adminToken, leads }: { adminToken: AdminTokenSource; leads: Pick<CxLeadStore, 'getByTokenHash'> }) {
  return async function principalOf(event: HttpEvent): Promise<Principal> {
    const token = bearerToken(event, 'bearer token');
    if (await isAdminToken(token, adminToken)) return adminPrincipal;
    const found = await leads.getByTokenHash(tokenHashOf(token));
    if (!found) throw new ApiError(401, 'invalid token', [{ path: 'authorization', reason: 'token not recognised' }]);
    if (found.revokedAt) throw new ApiError(401, 'invalid token', [{ path: 'authorization', reason: 'token revoked' }]);
    return principalOfToken(found);
  };
}
