// use case: who the caller is (GET /v1/me), so the console can open a lead's "my tasks" and an admin's "everyone",
// and offer assignment only to whom may assign. Pure: the principal as the API shows it.
import type { Principal } from './principal.js';

export interface CallerView {
  actor: Principal['actor'];
  role: Principal['role'];
  surveys: Principal['surveys'];
  /** admins always; a cx token when it was created with canAssign */
  canAssign: boolean;
}

export function callerOf(principal: Principal): CallerView {
  return { actor: principal.actor, role: principal.role, surveys: principal.surveys, canAssign: principal.canAssign };
}
