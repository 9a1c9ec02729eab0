// shared by the HTTP handlers that take an HTML form post (application/x-www-form-urlencoded): its fields, bounded.
import { ApiError } from '../../shared/errors.js';
import type { HttpEvent } from './http.js';

/** a body over the size limit: the caller decides how to say so (a page answers with a localised 413 page) */
export class FormTooLarge extends Error {}

/** the fields of a urlencoded body (the last of a repeated name wins), refusing anything over `maxBytes` or `maxFields` */
export function readFormBody(event: HttpEvent, { maxBytes, maxFields }: { maxBytes: number; maxFields: number }): Record<string, string> {
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64') : Buffer.from(event.body ?? '', 'utf8');
  if (raw.length > maxBytes) throw new FormTooLarge();
  const fields: Record<string, string> = {};
  let count = 0;
  for (const [name, value] of new URLSearchParams(raw.toString('utf8'))) {
    if (++count > maxFields) throw new ApiError(400, 'invalid request', [{ path: '', reason: `at most ${maxFields} fields` }]);
    fields[name] = value;
  }
  return fields;
}
