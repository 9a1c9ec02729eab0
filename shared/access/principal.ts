// domain: who is calling, and which surveys they may see. The admin sees everything; a CX lead sees the surveys their
// token was granted. Kept small so a later access-scopes feature can add roles and scopes here.
import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod';
import type { Clock } from '../clock.js';
import { ApiError, detailsFromZod, invalidRequest } from '../errors.js';
import type { Actor } from '../followups/task.js';
import { surveyIdSchema } from '../survey/schema.js';

export type Role = 'admin' | 'cx';

export interface Principal {
  actor: Actor;
  role: Role;
  /** the surveys this principal may see; 'all' for the admin */
  surveys: readonly string[] | 'all';
}

export const ADMIN_ACTOR: Actor = { id: 'admin', name: 'admin' };
export const adminPrincipal: Principal = { actor: ADMIN_ACTOR, role: 'admin', surveys: 'all' };

export interface CxLead {
  leadId: string;
  name: string;
  surveys: string[];
  createdAt: string;
  createdBy: string;
}

// port: CX leads by the SHA-256 of their token. Adapter: dynamo-cx-lead-store.
export interface CxLeadStore {
  put(tokenHash: string, lead: CxLead): Promise<void>;
  getByTokenHash(tokenHash: string): Promise<CxLead | undefined>;
}

/** tokens are stored only as this digest: a leaked table does not leak credentials */
export const tokenHashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export const principalOfLead = (lead: CxLead): Principal => ({ actor: { id: `cx:${lead.leadId}`, name: lead.name }, role: 'cx', surveys: lead.surveys });

export const canSeeSurvey = (principal: Principal, surveyId: string) => principal.surveys === 'all' || principal.surveys.includes(surveyId);

/** 403 unless the principal may see the survey */
export function requireSurvey(principal: Principal, surveyId: string): void {
  if (!canSeeSurvey(principal, surveyId)) throw new ApiError(403, 'not granted for this survey', [{ path: 'surveyId', reason: `your token is not granted survey "${surveyId}"` }]);
}

export const cxLeadInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  surveys: z.array(surveyIdSchema).min(1).max(100),
});

/** use case: the admin creates a CX lead; the token is returned once and only its digest is stored */
export function makeCreateCxLead({ leads, clock }: { leads: CxLeadStore; clock: Clock }) {
  return async function createCxLead(body: unknown, by: Principal): Promise<{ id: string; name: string; surveys: string[]; token: string }> {
    if (by.role !== 'admin') throw new ApiError(403, 'admin only');
    const input = cxLeadInputSchema.safeParse(body);
    if (!input.success) throw invalidRequest(detailsFromZod(input.error));
    const token = `cx_${randomBytes(24).toString('base64url')}`;
    const leadId = randomBytes(8).toString('hex');
    const lead: CxLead = { leadId, name: input.data.name, surveys: [...new Set(input.data.surveys)], createdAt: clock.now().toISOString(), createdBy: by.actor.id };
    await leads.put(tokenHashOf(token), lead);
    return { id: `cx:${leadId}`, name: lead.name, surveys: lead.surveys, token };
  };
}
