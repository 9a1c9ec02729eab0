// use case: an admin reads the audit log.
//   1. admin only (403)
//   2. query checked: from/to ISO times (default: the last 30 days), at most 366 days apart; limit 1–200 (default 50)
//   3. entries newest first, with a cursor for the next page
import * as z from '../validation.js';
import type { Principal } from '../access/principal.js';
import { requireRole } from '../access/tokens.js';
import type { Clock } from '../clock.js';
import { detailsFromZod, invalidRequest } from '../errors.js';
import { queryDateTime, queryInteger } from '../query-values.js';
import type { AuditEntry, AuditLog } from './audit-entry.js';

const DAY_MS = 86_400_000;

const auditQuerySchema = z.strictObject({
  from: z.optional(queryDateTime('2026-11-01T00:00:00Z')),
  to: z.optional(queryDateTime('2026-11-30T23:59:59Z')),
  limit: z._default(queryInteger({ min: 1, max: 200 }), 50),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
});

export function makeListAudit({ log, clock }: { log: AuditLog; clock: Clock }) {
  return async function listAudit(principal: Principal, query: Record<string, string | undefined>): Promise<{ items: AuditEntry[]; cursor: string | null }> {
    requireRole(principal, 'admin');
    const parsed = auditQuerySchema.safeParse(query);
    if (!parsed.success) throw invalidRequest(detailsFromZod(parsed.error));
    const to = parsed.data.to ? new Date(parsed.data.to) : clock.now();
    const from = parsed.data.from ? new Date(parsed.data.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (from > to) throw invalidRequest([{ path: 'from', reason: 'must not be after to' }]);
    if (to.getTime() - from.getTime() > 366 * DAY_MS) throw invalidRequest([{ path: 'from', reason: 'at most 366 days before to' }]);
    return log.list({ from, to, limit: parsed.data.limit, cursor: parsed.data.cursor });
  };
}
