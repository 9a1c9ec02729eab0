// domain: everything held about one customer (their customerRef), as a list of holders, one per table or group of
// tables: each finds the customer's items, exports them and erases them. Adding a table that holds customer data is
// one more holder in the list the privacy handler builds.
import type { Clock } from '../clock.js';
import { invalidRequest } from '../errors.js';
import { customerRefOfParameter, type CustomerRefParameter } from './customer-ref.js';
import type { ErasureMarkers } from './erasure-markers.js';

// port: one place that holds customer data. Adapters: dynamo-customer-data.
export interface CustomerDataHolder {
  /** the sections of the export it fills, e.g. { responses: [...] } or { tasks: [...], notifications: [...] } */
  export(customerRef: string): Promise<Record<string, unknown[]>>;
  /** deletes what it holds about the customer; answers counts per section (zero when there is nothing left) */
  erase(customerRef: string): Promise<Record<string, number>>;
}

function customerRefOf(parameter: CustomerRefParameter): string {
  const parsed = customerRefOfParameter(parameter);
  if (!parsed.success) throw invalidRequest(parsed.details);
  return parsed.data;
}

/**
 * use case: export everything held about a customer.
 *   1. check the customerRef (400): the shared rule (customer-ref.ts), or exactly as stored when base64url-encoded
 *   2. ask every holder for its sections (all at once), merged into one JSON document
 */
export function makeExportCustomer({ holders, clock }: { holders: CustomerDataHolder[]; clock: Clock }) {
  return async function exportCustomer(customerRefParameter: CustomerRefParameter) {
    const customerRef = customerRefOf(customerRefParameter);
    // reads only: every holder at once, the sections merged in the holders' order
    const sections = Object.assign({}, ...(await Promise.all(holders.map((holder) => holder.export(customerRef))))) as Record<string, unknown[]>;
    return { customerRef, exportedAt: clock.now().toISOString(), ...sections };
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
