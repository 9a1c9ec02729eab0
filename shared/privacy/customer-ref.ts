// domain: the one rule for a customerRef, used wherever one comes in: POST /v1/responses, invitations (the API and the
// CLI's CSV rows), and the export and erasure routes. Pure (zod and node:buffer only).
//
// A ref that an older version stored without this rule (ingest used to accept control characters and surrounding
// spaces) is still exported and erased through the routes' "as stored" form: the ref's UTF-8 bytes in base64url,
// taken exactly, with only its length checked. base64url, not percent-encoding, because API Gateway HTTP APIs decode
// the path before routing, so a percent-encoded control character, "/" or "?" would not reach the function intact.
import * as z from '../validation.js';
import type { ErrorDetail } from '../errors.js';

export const MAX_CUSTOMER_REF_CHARS = 128;

/**
 * 1–128 characters once trimmed, no control characters (Unicode Cc: U+0000–U+001F, U+007F–U+009F), put in Unicode
 * NFC. Erasure, export and the erasure markers match a ref exactly, so one customer must have one spelling: "José"
 * sent with a combining accent is the "José" an erasure types as one character. Normalised rather than refused: a
 * business's system that sends the other form must not lose its customers' feedback to a 400.
 */
export const customerRefSchema = z.string().check(
  z.trim(),
  z.normalize('NFC'),
  z.minLength(1, 'at least 1 character (surrounding spaces are trimmed)'),
  z.maxLength(MAX_CUSTOMER_REF_CHARS, `at most ${MAX_CUSTOMER_REF_CHARS} characters`),
  // `*`, not `+`: an empty ref is refused once, by minLength(1)
  z.regex(/^[^\p{Cc}]*$/u, 'no control characters (U+0000–U+001F, U+007F–U+009F)'),
);

/** what older versions may have stored: any string of 1–128 characters (UTF-16 code units, as zod counted them) */
const storedCustomerRefSchema = z.string().check(z.minLength(1, 'at least 1 character'), z.maxLength(MAX_CUSTOMER_REF_CHARS, `at most ${MAX_CUSTOMER_REF_CHARS} characters`));

/** the ref as a route receives it: the path segment and the `encoding` query parameter */
export interface CustomerRefParameter {
  value: string;
  /** absent: the ref itself, checked by customerRefSchema; "base64url": the stored ref's UTF-8 bytes, taken exactly */
  encoding?: string;
}

export type CustomerRefResult = { success: true; data: string } | { success: false; details: ErrorDetail[] };

const refused = (path: string, reason: string): CustomerRefResult => ({ success: false, details: [{ path, reason }] });

function decodedBase64url(value: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  const text = Buffer.from(value, 'base64url').toString('utf8');
  // the round trip refuses padding tricks, stray bits and bytes that are not UTF-8 (decoded as U+FFFD)
  return Buffer.from(text, 'utf8').toString('base64url') === value ? text : undefined;
}

export function customerRefOfParameter({ value, encoding }: CustomerRefParameter): CustomerRefResult {
  if (encoding === undefined) {
    const parsed = customerRefSchema.safeParse(value);
    return parsed.success ? { success: true, data: parsed.data } : refused('customerRef', parsed.error.issues[0]?.message ?? 'invalid');
  }
  if (encoding !== 'base64url') return refused('encoding', 'only "base64url" (the ref exactly as stored)');
  const decoded = decodedBase64url(value);
  if (decoded === undefined) return refused('customerRef', 'base64url of the ref\'s UTF-8 bytes (A–Z a–z 0–9 - _, no padding)');
  const parsed = storedCustomerRefSchema.safeParse(decoded);
  return parsed.success ? { success: true, data: parsed.data } : refused('customerRef', parsed.error.issues[0]?.message ?? 'invalid');
}

/** a ref in the routes' "as stored" form (what the CLI's --as-stored sends) */
export const asStoredParameter = (customerRef: string) => Buffer.from(customerRef, 'utf8').toString('base64url');
