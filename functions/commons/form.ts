// shared by the HTTP handlers that take an HTML form post (application/x-www-form-urlencoded): its fields, bounded.
import { UnreadableForm } from '../../shared/errors.js';
import type { HttpEvent } from './http.js';

/** a body over the size limit: the caller decides how to say so (a page answers with a localised 413 page) */
export class FormTooLarge extends Error {}

export interface FormBody {
  /** the fields by name (the last of a repeated name wins) */
  fields: Record<string, string>;
  /**
   * the fields whose value holds bytes that are not UTF-8 (`%FF`, as a browser never sends): kept in `fields` with U+FFFD in their
   * place, as URLSearchParams decodes them, and named here so that the caller can refuse them rather than store the
   * replacement characters as if the person had typed them
   */
  notText: string[];
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const isHex = (byte: number | undefined) => byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66));

/**
 * a name or value as the URL standard decodes it ('+' a space, %XX a byte), and whether its bytes are UTF-8. `part` is
 * the body's bytes one character each (latin1), so that a byte sent unencoded is checked as a percent-encoded one is
 */
function formDecoded(part: string): { text: string; utf8: boolean } {
  const plain = part.replace(/\+/g, ' ');
  if (/^[\x00-\x24\x26-\x7f]*$/.test(plain)) return { text: plain, utf8: true };
  const raw = Buffer.from(plain, 'latin1');
  const bytes = Buffer.alloc(raw.length);
  let length = 0;
  for (let i = 0; i < raw.length; i++) {
    // a "%" not followed by two hex digits stays as it is, as in URLSearchParams
    if (raw[i] === 0x25 && isHex(raw[i + 1]) && isHex(raw[i + 2])) {
      bytes[length++] = Number.parseInt(raw.subarray(i + 1, i + 3).toString('latin1'), 16);
      i += 2;
    } else bytes[length++] = raw[i]!;
  }
  const decoded = bytes.subarray(0, length);
  try {
    return { text: strictUtf8.decode(decoded), utf8: true };
  } catch {
    return { text: decoded.toString('utf8'), utf8: false };
  }
}

/** the fields of a urlencoded body, refusing anything over `maxBytes` (FormTooLarge) or `maxFields` (UnreadableForm) */
export function readFormBody(event: HttpEvent, { maxBytes, maxFields }: { maxBytes: number; maxFields: number }): FormBody {
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64') : Buffer.from(event.body ?? '', 'utf8');
  if (raw.length > maxBytes) throw new FormTooLarge();
  const fields: Record<string, string> = {};
  const notText = new Set<string>();
  let count = 0;
  for (const pair of raw.toString('latin1').split('&')) {
    if (pair === '') continue;
    if (++count > maxFields) throw new UnreadableForm(`at most ${maxFields} fields`);
    const at = pair.indexOf('=');
    const name = formDecoded(at === -1 ? pair : pair.slice(0, at)).text;
    const value = formDecoded(at === -1 ? '' : pair.slice(at + 1));
    fields[name] = value.text;
    if (value.utf8) notText.delete(name);
    else notText.add(name);
  }
  return { fields, notText: [...notText] };
}
