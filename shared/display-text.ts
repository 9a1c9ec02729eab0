// domain: the one rule for text that people with a token write and the CX console shows back to others: a token's or
// a CX lead's name, a survey's root causes, a task's notes and the reasons and actions it is closed with. Pure (zod).
//
// Refused, not cleaned: a control character, or a bidi embedding, override or isolate (U+202A–U+202E, U+2066–U+2069),
// would be shown as it was stored, and bidi controls reorder what follows them on screen ("Ann‮nimda" reads as
// "Annadmin"): a name could pass for another's, a note could hide what it says. The bidi marks (U+200E, U+200F,
// U+061C) stay allowed: they only set the direction of neutral characters, as right-to-left text may need.
import * as z from './validation.js';

const BIDI_CONTROLS = 'U+202A–U+202E, U+2066–U+2069';

/** a name shown on one line: no control characters (line breaks and tabs included), no bidi controls */
const ONE_LINE = /^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u;
/** text shown as written, over several lines: tabs and line breaks are its only control characters */
const LINES = /^(?:[\t\n\r]|[^\p{Cc}\u202A-\u202E\u2066-\u2069])*$/u;

/** a name: trimmed, 1–`max` characters, on one line, without control characters or bidi controls */
export const displayName = (max: number, missing?: string) =>
  z.string().check(
    z.trim(),
    z.minLength(1, missing),
    z.maxLength(max),
    z.regex(ONE_LINE, `no control characters (U+0000–U+001F, U+007F–U+009F, line breaks included) or bidi controls (${BIDI_CONTROLS})`),
  );

/** a note: trimmed, 1–`max` characters, line breaks and tabs allowed, no other control characters nor bidi controls */
export const displayNote = (max: number, missing: string) =>
  z.string().check(
    z.trim(),
    z.minLength(1, missing),
    z.maxLength(max),
    z.regex(LINES, `no control characters other than tabs and line breaks, and no bidi controls (${BIDI_CONTROLS})`),
  );
