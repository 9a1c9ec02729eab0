// integration: the audit log adapter on dynalite: newest first across month partitions, paged by cursor without gaps
// or repeats, bounded by from/to, and append-only (an entry is never overwritten).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntryOf, type AuditEntry } from '../../shared/audit/audit-entry.js';
import { createDynamoAuditLog } from '../../shared/audit/dynamo-audit-log.js';
import { adminPrincipal } from '../../shared/access/principal.js';
import { makeListAudit } from '../../shared/audit/list-audit.js';
import { systemClock } from '../../shared/clock.js';
import { startTestDynamo } from '../support/dynamo.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;

beforeAll(async () => {
  dynamo = await startTestDynamo('audit');
});
afterAll(async () => {
  await dynamo?.close();
});

const admin = { actor: { id: 'admin' }, role: 'admin' as const };
const entryAt = (iso: string): AuditEntry => auditEntryOf({ at: new Date(iso), principal: admin, action: 'survey.put', targets: { surveyId: `s-${iso.slice(0, 10)}` }, status: 200 });

describe('the audit log', () => {
  it('lists newest first across months, one page at a time, within from and to', async () => {
    // Prepare: entries in three months, and two at the same instant
    const log = createDynamoAuditLog(dynamo.db, 'audit');
    const times = ['2026-09-30T23:59:59.000Z', '2026-10-01T00:00:00.000Z', '2026-10-15T12:00:00.000Z', '2026-11-02T08:00:00.000Z', '2026-11-02T08:00:00.000Z', '2026-11-20T10:00:00.000Z'];
    for (const at of times) await log.append(entryAt(at));

    // Act: page by 2 through October and November
    const pages = [];
    let cursor: string | undefined;
    do {
      const page = await log.list({ from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-11-30T00:00:00Z'), limit: 2, cursor });
      pages.push(page.items.map((e) => e.at));
      cursor = page.cursor ?? undefined;
    } while (cursor);

    // Assess: September's entry is outside the range; nothing repeated or skipped
    expect(pages.flat()).toEqual(times.slice(1).reverse());
    expect(pages.every((page) => page.length <= 2)).toBe(true);
  });

  it('keeps every entry, even two of the same instant from the same actor', async () => {
    // Prepare: its own instant, outside the other tests' ranges, so that the order the tests run in does not matter
    const log = createDynamoAuditLog(dynamo.db, 'audit');
    const at = '2027-03-04T05:06:07.000Z';
    await log.append(entryAt(at));
    await log.append(entryAt(at));

    // Act
    const page = await log.list({ from: new Date(at), to: new Date(at), limit: 10 });

    // Assess
    expect(page.items.map((e) => e.at)).toEqual([at, at]);
  });

  it('refuses a cursor it did not issue with 400', async () => {
    const log = createDynamoAuditLog(dynamo.db, 'audit');
    await expect(log.list({ from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-11-30T00:00:00Z'), limit: 2, cursor: 'bm9wZQ' })).rejects.toMatchObject({ status: 400 });
  });

  it.each([
    [{ from: '9998-12-31T00:00:00Z', to: '9999-12-31T23:59:59.999-14:00' }, 'to'],
    [{ from: '1969-12-01T00:00:00Z', to: '1970-01-01T00:00:00Z' }, 'from'],
    [{ limit: '' }, 'limit'],
  ])('refuses with a 400 naming it a time past year 9999 or before 1970, or a blank limit (%j)', async (query, path) => {
    // Act: a `to` in the year 10000 made a key range DynamoDB refuses (a 500); one in the year 0 walked every month
    // back from 1900 (past the function's timeout)
    const listAudit = makeListAudit({ log: createDynamoAuditLog(dynamo.db, 'audit'), clock: systemClock });
    const problem = await listAudit(adminPrincipal, query).catch((error: unknown) => error);

    // Assess
    expect(problem).toMatchObject({ status: 400, details: [{ path, reason: expect.stringMatching(/^(between 1970-01-01T00:00:00Z and 9999-01-01T00:00:00Z|an integer, in decimal digits)$/) }] });
  });
});
