// domain: one audit log entry: who did what to which ids, when, and how it ended. Built from a closed set of fields
// so personal data cannot slip in: no comment, note, reason, email, name or token; a customerRef only as a hash.
import { createHash } from 'node:crypto';
import type { Role } from '../access/tokens.js';

export const AUDIT_ACTIONS = [
  'survey.put',
  'token.create',
  'token.revoke',
  'cxLead.create',
  'followup.claim',
  'followup.notes',
  'followup.contacted',
  'followup.resolve',
  'followup.assign',
  'customer.erase',
  'customer.export',
  'invitations.mint',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** the ids an action touched; ids only (a survey id, a task id, a token id), never content */
export interface AuditTargets {
  surveyId?: string;
  taskId?: string;
  tokenId?: string;
  /** SHA-256 of "customer:<customerRef>": who knows the ref can find its entries; the log alone does not reveal it */
  customerRefHash?: string;
}

export interface AuditEntry {
  /** ISO time the outcome was known */
  at: string;
  /** "admin" (the root token), "admin:<tokenId>" or "cx:<tokenId>" */
  actorId: string;
  role: Role;
  action: AuditAction;
  targets: AuditTargets;
  /** the HTTP status answered: 2xx done, 4xx refused (nothing changed), 5xx failed */
  status: number;
}

export const customerRefHashOf = (customerRef: string) => createHash('sha256').update(`customer:${customerRef}`).digest('hex');

const ID = /^[A-Za-z0-9._:#-]{1,128}$/;
/** an id as given, or dropped when it is not one (a path parameter is client input: it must not smuggle text in) */
const idOrNothing = (value: string | undefined) => (value !== undefined && ID.test(value) ? value : undefined);

export interface AuditInput {
  at: Date;
  principal: { actor: { id: string }; role: Role };
  action: AuditAction;
  targets?: { surveyId?: string; taskId?: string; tokenId?: string; customerRef?: string };
  status: number;
}

/** the entry for an outcome: only these fields, ids checked, the customerRef hashed */
export function auditEntryOf({ at, principal, action, targets = {}, status }: AuditInput): AuditEntry {
  const kept: AuditTargets = {
    surveyId: idOrNothing(targets.surveyId),
    taskId: idOrNothing(targets.taskId),
    tokenId: idOrNothing(targets.tokenId),
    customerRefHash: targets.customerRef !== undefined ? customerRefHashOf(targets.customerRef) : undefined,
  };
  return {
    at: at.toISOString(),
    actorId: principal.actor.id,
    role: principal.role,
    action,
    targets: Object.fromEntries(Object.entries(kept).filter(([, v]) => v !== undefined)) as AuditTargets,
    status,
  };
}

export interface AuditQuery {
  from: Date;
  to: Date;
  limit: number;
  cursor?: string;
}

// port: the append-only audit log. Adapter: dynamo-audit-log (PutItem if absent; the functions hold no other write).
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** entries with from <= at <= to, newest first */
  list(query: AuditQuery): Promise<{ items: AuditEntry[]; cursor: string | null }>;
}
