// domain: who is calling, and which surveys they may see. The root admin (the bootstrap token) and admin-role tokens
// see everything; a cx token (a CX lead) sees the surveys it was granted. Tokens themselves: tokens.ts.
import * as z from '../validation.js';
import type { Clock } from '../clock.js';
import { displayName } from '../display-text.js';
import { ApiError, detailsFromZod, invalidRequest } from '../errors.js';
import type { Actor } from '../followups/task.js';
import { surveyNotGranted } from '../followups/task-refusals.js';
import { surveyIdSchema } from '../survey/schema.js';
import { makeCreateToken, requireRole, tokenHashOf, type AccessToken, type Role, type TokenStore } from './tokens.js';

export { requireRole, tokenHashOf };
export type { Role };

export interface Principal {
  actor: Actor;
  role: Role;
  /** the surveys this principal may see; 'all' for the admin */
  surveys: readonly string[] | 'all';
  /** may assign and reassign tasks of its surveys: admins, and cx tokens created with canAssign */
  canAssign: boolean;
}

export const ADMIN_ACTOR: Actor = { id: 'admin', name: 'admin' };
/** the root admin: the bootstrap token (FEEDBACK_ADMIN_TOKEN / Secrets Manager) */
export const adminPrincipal: Principal = { actor: ADMIN_ACTOR, role: 'admin', surveys: 'all', canAssign: true };

/** a CX lead is a cx token (the names are kept for the CX API and its tests) */
export type CxLead = AccessToken;
export type CxLeadStore = TokenStore;

export const principalOfToken = (token: AccessToken): Principal => ({
  actor: { id: `${token.role}:${token.id}`, name: token.name },
  role: token.role,
  surveys: token.surveys,
  canAssign: token.role === 'admin' || token.canAssign === true,
});

export const canSeeSurvey = (principal: Principal, surveyId: string) => principal.surveys === 'all' || principal.surveys.includes(surveyId);

/** 403 unless the principal may see the survey */
export function requireSurvey(principal: Principal, surveyId: string): void {
  if (!canSeeSurvey(principal, surveyId)) throw new ApiError(403, 'not granted for this survey', [{ path: 'surveyId', reason: surveyNotGranted(surveyId) }]);
}

export const cxLeadInputSchema = z.strictObject({
  name: displayName(100),
  surveys: z.array(surveyIdSchema).check(z.minLength(1), z.maxLength(100)),
  canAssign: z.optional(z.boolean()),
});

/** use case: the admin creates a CX lead, i.e. a cx token; the token is returned once and only its digest is stored */
export function makeCreateCxLead({ leads, clock }: { leads: CxLeadStore; clock: Clock }) {
  const createToken = makeCreateToken({ tokens: leads, clock });
  return async function createCxLead(body: unknown, by: Principal): Promise<{ id: string; name: string; surveys: string[]; canAssign: boolean; token: string }> {
    requireRole(by, 'admin');
    const input = cxLeadInputSchema.safeParse(body);
    if (!input.success) throw invalidRequest(detailsFromZod(input.error));
    const created = await createToken({ ...input.data, role: 'cx' }, by);
    return { id: created.actorId, name: created.name, surveys: created.surveys as string[], canAssign: created.canAssign, token: created.token };
  };
}
