// domain: the local PII redactor, pure. Finds e-mail addresses, phone numbers, payment card numbers and IBANs in a
// comment in any language (CJK text around them included) and replaces each with a token: [EMAIL], [PHONE], [CARD],
// [IBAN]. It runs everywhere (the cloud adds Comprehend DetectPiiEntities on top, see comprehend-redactor.ts).
//
// Precision over recall where a comment's meaning is at stake: an ordinary number ("order 12345", "2026",
// "€1,299.00", a date) is never a phone number. A phone number is 8–15 digits that either start with "+" or "00",
// or are grouped like a phone number (spaces, dashes, dots, parentheses; not a date, not thousands separators), or
// are written as a national number with its trunk prefix (0, a non-zero digit, 10–12 digits in all: 0612345678,
// 07700900123), or follow a word for a phone with at most four connecting words between ("llámame mañana al
// 612345678", "my phone number is 612345678", "Tel. 30123456", "我的电话号码是87654321"), or are a Chinese mobile number
// (11 digits, 1[3-9]…). The cost: an ungrouped order number that starts with 0 and has 10–12 digits, or that follows
// a word for a phone closely ("mobile 12345678"), reads as a phone number. A card number is 13–19 digits (spaces or
// dashes allowed) that pass the Luhn check; an IBAN is a country code, two check digits and 11–30 letters or digits
// that pass mod-97.

/**
 * The rules' edition. Raise it with any change that makes the redactor find more: the sweep schedule then redacts the
 * comments stored under the previous rules again (dynamo-redaction-backfill.ts), so an upgrade's better redaction
 * reaches what is already stored, not only what comes next.
 */
export const LOCAL_REDACTION_RULES = 1;

export type LocalPiiKind = 'EMAIL' | 'PHONE' | 'CARD' | 'IBAN';

export interface Redaction {
  text: string;
  /** how many of each kind were replaced (no content: safe to store and log) */
  found: Record<string, number>;
}

// ASCII-only boundaries: a CJK character right before or after a number or address is a boundary, a Latin letter is not
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;
const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,30}(?![a-z0-9])/g;
const CARD = /(?<![\d.,])\d(?:[ -]?\d){12,18}(?![\d])/g;
const PHONE = /(?<![A-Za-z0-9_+\-/.,])(?:\+|00)?\(?\d[\d ().-]{5,22}\d(?![\d])/g;
const CN_MOBILE = /(?<![\d])1[3-9]\d{9}(?![\d])/g;
// a word for a phone (English, Spanish, French, German, Italian, Dutch, Portuguese, Chinese, Japanese); not the
// "PHONE" of a token this redactor already wrote ("[PHONE]"), though a user's own "[tel: …]" counts
const PHONE_WORD =
  '(?:(?<![A-Za-zÀ-ÿ])(?<!\\[(?=PHONE\\]))(?:phone|tel|telephone|mobile|cell|call|ring|whatsapp|sms|text me|tel[eé]fono|m[oó]vil|celular|ll[aá]ma(?:me|r)|t[eé]l[eé]phone|t[eé]l|portable|appel(?:ez|er)?|handy|telefon|anruf(?:en)?|telefono|cellulare|chiama(?:re|mi)?|bel|telefoon|mobiel|telefone|ligar)(?![A-Za-zÀ-ÿ])|电话|電話|手机|手機|携帯)';
// between the word and the number: punctuation (full-width too) and at most four connecting words, each a short word
// ("me at", "al", "-moi au"), a word for "number" ("number is", "Nr.", "号码是"), or a word for when ("tomorrow",
// "mañana", "bitte unter"). "call about order 12345678" keeps its order number: "about" connects nothing
const SEPARATORS = '[\\s.:,;()#\'’\\-：，、（）＃\\u3000]*';
const CONNECTING_WORD =
  '(?:(?:[A-Za-zÀ-ÿ]{1,3}|number|nummer|num[eé]ro|n[uú]mero|n[°º]|tomorrow|today|tonight|anytime|after|before|morning|evening|ma[ñn]ana|hoy|tarde|demain|soir|matin|morgen|heute|abends|bitte|unter|domani|oggi|sera|vandaag|amanh[ãa]|hoje)(?![A-Za-zÀ-ÿ])|号码|號碼|番号|番號|是|为|為|は)';
/** a word for a phone, then an ungrouped run of 8–15 digits: the run alone is replaced */
const PHONE_AFTER_WORD = new RegExp(`(${PHONE_WORD}${SEPARATORS}(?:${CONNECTING_WORD}${SEPARATORS}){0,4})(?<![\\d+])(\\d{8,15})(?![\\d])`, 'giu');

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** ISO 13616: move the first four characters to the end, letters → 10..35, the number mod 97 must be 1 */
export function ibanValid(compact: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = char >= 'A' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

function replaceWith(text: string, pattern: RegExp, token: string, found: Record<string, number>, accept: (match: string) => string | null): string {
  return text.replace(pattern, (match) => {
    const kept = accept(match);
    if (kept === null) return match;
    found[token] = (found[token] ?? 0) + 1;
    // `kept` is the part of the match that is not the entity (an IBAN match can run into a following word)
    return `[${token}]${kept}`;
  });
}

const digitsOf = (s: string) => s.replace(/\D/g, '');

/** the longest prefix of an IBAN-shaped match (cut at a separator or after any character) that is a valid IBAN */
function ibanPrefix(match: string): string | null {
  for (let end = match.length; end >= 15; end -= 1) {
    const candidate = match.slice(0, end);
    if (/[ -]$/.test(candidate)) continue;
    if (ibanValid(candidate.replace(/[ -]/g, ''))) return match.slice(end);
  }
  return null;
}

const looksLikeDate = (s: string) => /^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(s.trim());
const looksLikeThousands = (s: string) => /^\d{1,3}(?:([., ])\d{3})(?:\1\d{3})*$/.test(s.trim());

function phoneRest(match: string): string | null {
  // a trailing separator or bracket belongs to the text around the number
  const trimmed = match.replace(/[ .(-]+$/, '');
  const digits = digitsOf(trimmed);
  if (digits.length < 8 || digits.length > 15) return null;
  const international = /^(\+|00)/.test(trimmed);
  const grouped = /[ ().-]/.test(trimmed.replace(/^(\+|00)/, ''));
  const national = /^0[1-9]\d{8,10}$/.test(trimmed);
  if (!international && !grouped && !national) return null;
  if (looksLikeDate(trimmed) || looksLikeThousands(trimmed)) return null;
  return match.slice(trimmed.length);
}

export function redactLocally(text: string): Redaction {
  const found: Record<string, number> = {};
  let out = replaceWith(text, EMAIL, 'EMAIL', found, () => '');
  out = replaceWith(out, IBAN, 'IBAN', found, ibanPrefix);
  out = replaceWith(out, CARD, 'CARD', found, (match) => (luhnValid(digitsOf(match)) ? '' : null));
  out = replaceWith(out, PHONE, 'PHONE', found, phoneRest);
  out = replaceWith(out, CN_MOBILE, 'PHONE', found, () => '');
  out = out.replace(PHONE_AFTER_WORD, (_match, before: string) => {
    found.PHONE = (found.PHONE ?? 0) + 1;
    return `${before}[PHONE]`;
  });
  return { text: out, found };
}
