// domain: everything held about one customer (their customerRef), as a list of holders, one per table or group of
// tables: each finds the customer's items, exports them and erases them. Adding a table that holds customer data is
// one more holder in the list the privacy handler builds.
import type { Clock } from '../clock.js';
import { answerBytesOf, MAX_ANSWER_BODY_BYTES } from '../answer-size.js';
import { invalidRequest } from '../errors.js';
import { encodeCursor, notACursor, positionOf } from '../page-cursor.js';
import * as z from '../validation.js';
import { customerRefOfParameter, type CustomerRefParameter } from './customer-ref.js';
import type { ErasureMarkers } from './erasure-markers.js';

// port: one place that holds customer data. Adapters: dynamo-customer-data.
export interface CustomerDataHolder {
  /** the sections of the export it fills, e.g. ['responses'] or ['tasks', 'notifications'] */
  readonly sections: readonly string[];
  /**
   * the customer's items in a stable order, from just after `after` (a position it gave) on, as entries: an item with
   * what belongs with it (a task and its notifications), and the position just after it. A position it did not give
   * is refused (400, `cursor`)
   */
  entries(customerRef: string, after?: string): AsyncIterable<ExportEntry>;
  /** deletes what it holds about the customer; answers counts per section (zero when there is nothing left) */
  erase(customerRef: string): Promise<Record<string, number>>;
}

export interface ExportEntry {
  /** by section, e.g. { tasks: [task], notifications: [its notifications] } */
  items: Record<string, unknown[]>;
  /** where the next page goes on from, when it ends after this entry */
  position: string;
}

function customerRefOf(parameter: CustomerRefParameter): string {
  const parsed = customerRefOfParameter(parameter);
  if (!parsed.success) throw invalidRequest(parsed.details);
  return parsed.data;
}

/** where an export page ended: the holder it reached, and the position in it (none: from its start) */
const exportCursorSchema = z.strictObject({ holder: z.number().check(z.int(), z.nonnegative()), after: z.optional(z.string()) });
type ExportCursor = z.infer<typeof exportCursorSchema>;

/** a cursor (or a holder's position in it) that no page of this customer's export gave */
export const notAnExportCursor = () => notACursor("not a cursor of this customer's export: pass nextCursor as it was answered");
/**
 * what a page leaves for its nextCursor: a holder's position is an item's key, which the answer carries as JSON in
 * JSON in base64url (a customerRef of 128 control characters, as an older version may have stored, takes 1.4 KB)
 */
const CURSOR_BYTES_AT_MOST = 4096;

function decodeCursor(text: string | undefined, holders: number): ExportCursor {
  if (text === undefined) return { holder: 0 };
  const parsed = exportCursorSchema.safeParse(positionOf(text));
  if (!parsed.success || parsed.data.holder >= holders) throw notAnExportCursor();
  return parsed.data;
}

/**
 * use case: export everything held about a customer, a page at a time.
 *   1. check the customerRef (400): the shared rule (customer-ref.ts), or exactly as stored when base64url-encoded;
 *      and the cursor, when given (400)
 *   2. every holder's entries in turn, from the cursor on, while the page's body stays within `maxBodyBytes` of a
 *      Lambda answer (answer-size.ts; at least one entry a page, so a page always moves on)
 *   3. the page: every section (empty where this page has none of it) and `nextCursor`, null once nothing is left
 */
export function makeExportCustomer({ holders, clock, maxBodyBytes = MAX_ANSWER_BODY_BYTES }: { holders: CustomerDataHolder[]; clock: Clock; maxBodyBytes?: number }) {
  return async function exportCustomer(customerRefParameter: CustomerRefParameter, cursorText?: string) {
    // 1.
    const customerRef = customerRefOf(customerRefParameter);
    const cursor = decodeCursor(cursorText, holders.length);
    // 2.
    const sections: Record<string, unknown[]> = Object.fromEntries(holders.flatMap((holder) => holder.sections).map((section) => [section, []]));
    const page = { customerRef, exportedAt: clock.now().toISOString(), ...sections, nextCursor: null as string | null };
    let bytes = answerBytesOf(JSON.stringify(page));
    let empty = true;
    for (let holder = cursor.holder; holder < holders.length; holder++) {
      let after = holder === cursor.holder ? cursor.after : undefined;
      for await (const entry of holders[holder]!.entries(customerRef, after)) {
        // each item adds its JSON and a comma
        const entryBytes = Object.values(entry.items).flat().reduce<number>((sum, item) => sum + answerBytesOf(JSON.stringify(item)) + 1, 0);
        if (!empty && bytes + entryBytes + CURSOR_BYTES_AT_MOST > maxBodyBytes) {
          page.nextCursor = encodeCursor({ holder, ...(after === undefined ? {} : { after }) });
          return page;
        }
        for (const [section, items] of Object.entries(entry.items)) sections[section]!.push(...items);
        bytes += entryBytes;
        empty = false;
        after = entry.position;
      }
    }
    // 3.
    return page;
  };
}

/**
 * use case: erase everything held about a customer.
 *   1. check the customerRef (400): the shared rule (customer-ref.ts), or exactly as stored when base64url-encoded
 *   2. leave an erasure marker first: from now on, the process step drops that customer's responses received until now
 *      that are still in the queue
 *   3. every holder erases what it holds, one after the other (each erases dependants before the item that leads to
 *      them, so a failure half-way is finished by calling again)
 *   4. answer the counts; a second erasure answers zeros
 */
export function makeEraseCustomer({ holders, markers, clock }: { holders: CustomerDataHolder[]; markers: ErasureMarkers; clock: Clock }) {
  return async function eraseCustomer(customerRefParameter: CustomerRefParameter) {
    const customerRef = customerRefOf(customerRefParameter);
    await markers.mark(customerRef, clock.now());
    const erased: Record<string, number> = {};
    for (const holder of holders) Object.assign(erased, await holder.erase(customerRef));
    return { customerRef, erased };
  };
}
