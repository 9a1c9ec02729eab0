// integration: a customer's export a page at a time (GET /v1/customers/{customerRef}/export?cursor=), against real
// dynalite. A synchronous Lambda answer is at most 6 MB, so a customer with years of long comments cannot be exported
// in one: every page stays within its budget of answer bytes (the body escaped once more inside the answer), the
// pages together are exactly the one-page export, each item once and in order, and a cursor no page gave is a 400
// naming `cursor`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerBytesOf } from '../../shared/answer-size.js';
import { PutCommand } from '../../shared/aws/dynamodb.js';
import type { Clock } from '../../shared/clock.js';
import { makeExportCustomer, type CustomerDataHolder } from '../../shared/privacy/customer-data.js';
import { followUpsHolder, indexedHolder, responsesHolder } from '../../shared/privacy/dynamo-customer-data.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { startTestDynamo } from '../support/dynamo.js';

const clock: Clock = { now: () => new Date('2026-12-07T10:00:00.000Z') };
const CUSTOMER = 'crm-9';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let holders: CustomerDataHolder[];

beforeAll(async () => {
  dynamo = await startTestDynamo('export-pages', { legacyIndexes: false });
  const put = (TableName: string, Item: Record<string, unknown>) => dynamo.db.send(new PutCommand({ TableName, Item }));
  for (const customerRef of [CUSTOMER, 'crm-other']) {
    for (let i = 0; i < 30; i++) {
      const receivedAt = `2026-12-01T10:${String(i).padStart(2, '0')}:00.000Z`;
      // quotes and a control character: each takes more room inside the answer than in the body
      await put('responses', { responseId: `${customerRef}-r${i}`, id: `${customerRef}-r${i}`, customerRef, receivedAt, receivedKey: `${receivedAt}#${customerRef}-r${i}`, surveyId: 'shop', comment: `"${i}" said\u0001 `.repeat(40) });
    }
    for (let i = 0; i < 4; i++) {
      const taskId = `${customerRef}-t${i}`;
      await put('followups', { taskId, customerRef, createdKey: `2026-12-02T0${i}:00:00.000Z#${taskId}`, status: 'open' });
      for (const kind of ['opened', 'breached']) await put('notifications', { taskId, kind, deliveredAt: '2026-12-02T00:00:00.000Z' });
    }
    for (let i = 0; i < 5; i++) {
      await put('invitations', { invitationId: `${customerRef}-i${i}`, customerRef, createdKey: `2026-11-0${i + 1}T00:00:00.000Z#${i}`, campaign: 'spring' });
    }
  }
  holders = [
    responsesHolder(dynamo.db, 'responses', createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets'), clock),
    followUpsHolder(dynamo.db, { followups: 'followups', notifications: 'notifications' }),
    indexedHolder(dynamo.db, { section: 'invitations', tableName: 'invitations', key: ['invitationId'], indexSortKey: 'createdKey', internal: ['createdKey'] }),
  ];
});
afterAll(async () => {
  await dynamo?.close();
});

type Page = { customerRef: string; exportedAt: string; responses: { id: string }[]; tasks: unknown[]; notifications: unknown[]; invitations: unknown[]; nextCursor: string | null };
const SECTIONS = ['responses', 'tasks', 'notifications', 'invitations'] as const;

async function allPages(maxBodyBytes: number, customerRef = CUSTOMER): Promise<Page[]> {
  const exportCustomer = makeExportCustomer({ holders, clock, maxBodyBytes });
  const pages: Page[] = [];
  let cursor: string | undefined;
  do {
    const page = (await exportCustomer({ value: customerRef }, cursor)) as Page;
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && pages.length < 200);
  return pages;
}

describe("a customer's export, a page at a time", () => {
  it('answers everything in one page while it fits, with nextCursor null', async () => {
    // Act
    const [page, ...more] = await allPages(5_000_000);

    // Assess: only this customer's items, every section present
    expect(more).toEqual([]);
    expect(page).toMatchObject({ customerRef: CUSTOMER, exportedAt: '2026-12-07T10:00:00.000Z', nextCursor: null });
    expect(SECTIONS.map((section) => page![section].length)).toEqual([30, 4, 8, 5]);
    expect(page!.responses.every((response) => response.id.startsWith(`${CUSTOMER}-`))).toBe(true);
  });

  it('keeps every page within its budget of answer bytes, and the pages together are the whole export', async () => {
    // Prepare: the whole export in one page, and a budget that takes a few items a page
    const [whole] = await allPages(5_000_000);
    const budget = 8_000;

    // Act
    const pages = await allPages(budget);

    // Assess: each page within the budget and never empty; the last one says so; together, each item once, in order
    expect(pages.length).toBeGreaterThan(5);
    for (const page of pages) {
      expect(answerBytesOf(JSON.stringify(page))).toBeLessThanOrEqual(budget);
      expect(SECTIONS.some((section) => page[section].length > 0)).toBe(true);
    }
    expect(pages.slice(0, -1).every((page) => typeof page.nextCursor === 'string')).toBe(true);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    for (const section of SECTIONS) expect(pages.flatMap((page) => page[section])).toEqual(whole![section]);
  });

  it('refuses a cursor no page of this export gave, naming the cursor', async () => {
    // Prepare: a real cursor that stops inside this customer's responses
    const [first] = await allPages(8_000);
    const cursor = first!.nextCursor!;
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { holder: number; after: string };
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const exportCustomer = makeExportCustomer({ holders, clock, maxBodyBytes: 8_000 });
    const refused = { status: 400, details: [{ path: 'cursor', reason: "not a cursor of this customer's export: pass nextCursor as it was answered" }] };

    // Act + Assess: another customer's cursor, garbage, a holder that does not exist, a key with another attribute
    await expect(exportCustomer({ value: 'crm-other' }, cursor)).rejects.toMatchObject(refused);
    await expect(exportCustomer({ value: CUSTOMER }, 'not-a-cursor!')).rejects.toMatchObject(refused);
    await expect(exportCustomer({ value: CUSTOMER }, encode({ holder: 3 }))).rejects.toMatchObject(refused);
    const key = JSON.parse(decoded.after) as Record<string, unknown>;
    const forged = (change: Record<string, unknown>) => encode({ holder: 0, after: JSON.stringify({ ...key, ...change }) });
    await expect(exportCustomer({ value: CUSTOMER }, forged({ surveyId: 'shop' }))).rejects.toMatchObject(refused);
    // keys DynamoDB would refuse (a ValidationException, a 500): a number, an empty string, a sort key over 1,024 bytes
    for (const change of [{ responseId: 1 }, { responseId: '' }, { receivedKey: 'k'.repeat(1025) }]) {
      await expect(exportCustomer({ value: CUSTOMER }, forged(change))).rejects.toMatchObject(refused);
    }
    // a cursor at a holder's start is this customer's as much as anyone's: it only skips the holders before it
    const invitationsOnly = (await exportCustomer({ value: CUSTOMER }, encode({ holder: 2 }))) as Page;
    expect([invitationsOnly.responses.length, invitationsOnly.tasks.length, invitationsOnly.invitations.length]).toEqual([0, 0, 5]);
  });
});
