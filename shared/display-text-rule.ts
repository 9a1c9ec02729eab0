// domain: the characters display-text.ts refuses in a name or a note, and the reasons the API gives when it does, as
// plain data. Pure and free of zod, so the CX console bundles it: it knows such a refusal by its reason and says it in
// words a CX lead reads, pointing at the character (web-console/src/refusals.ts).

/** the bidi embeddings, overrides and isolates, as the reasons name them */
const BIDI_CONTROLS = 'U+202A–U+202E, U+2066–U+2069';

/** a name shown on one line: no control characters (line breaks and tabs included), no bidi controls */
export const ONE_LINE = /^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u;
/** text shown as written, over several lines: tabs and line breaks are its only control characters */
export const LINES = /^(?:[\t\n\r]|[^\p{Cc}\u202A-\u202E\u2066-\u2069])*$/u;

/** the reason a name with a character ONE_LINE refuses gets */
export const NAME_CHARACTERS_REASON = `no control characters (U+0000–U+001F, U+007F–U+009F, line breaks included) or bidi controls (${BIDI_CONTROLS})`;
/** the reason a note with a character LINES refuses gets */
export const NOTE_CHARACTERS_REASON = `no control characters other than tabs and line breaks, and no bidi controls (${BIDI_CONTROLS})`;
