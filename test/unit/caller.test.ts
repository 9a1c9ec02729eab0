// unit: who the caller is (GET /v1/me): a lead's actor, role and granted surveys, and whether they may assign tasks.
import { describe, expect, it } from 'vitest';
import { callerOf } from '../../shared/access/caller.js';
import { adminPrincipal, type Principal } from '../../shared/access/principal.js';

const lead: Principal = { actor: { id: 'cx:ana', name: 'Ana' }, role: 'cx', surveys: ['demo'], canAssign: false };

describe('the caller', () => {
  it('is the principal as the API shows it: an admin may assign, a lead only when the token allows it', () => {
    expect(callerOf(adminPrincipal)).toEqual({ actor: { id: 'admin', name: 'admin' }, role: 'admin', surveys: 'all', canAssign: true });
    expect(callerOf(lead)).toEqual({ actor: { id: 'cx:ana', name: 'Ana' }, role: 'cx', surveys: ['demo'], canAssign: false });
    expect(callerOf({ ...lead, canAssign: true }).canAssign).toBe(true);
  });
});
