// adapter: a request's bearer token → the principal (admin or CX lead). 401 for a missing or unknown token.
import { adminPrincipal, principalOfLead, tokenHashOf, type CxLeadStore, type Principal } from '../../shared/access/principal.js';
import { ApiError } from '../../shared/errors.js';
import { bearerToken, isAdminToken, type AdminTokenSource } from './admin-token.js';
import type { HttpEvent } from './http.js';

export function makePrincipalResolver({ adminToken, leads }: { adminToken: AdminTokenSource; leads: CxLeadStore }) {
  return async function principalOf(event: HttpEvent): Promise<Principal> {
    const token = bearerToken(event, 'bearer token');
    if (await isAdminToken(token, adminToken)) return adminPrincipal;
    const lead = await leads.getByTokenHash(tokenHashOf(token));
    if (!lead) throw new ApiError(401, 'invalid token', [{ path: 'authorization', reason: 'token not recognised' }]);
    return principalOfLead(lead);
  };
}
