// domain: the one rule for text that people with a token write and the CX console shows back to others: a token's or
// a CX lead's name, a survey's root causes, a task's notes and the reasons and actions it is closed with. Pure (zod).
//
// Refused, not cleaned: a control character, or a bidi embedding, override or isolate (U+202A–U+202E, U+2066–U+2069),
// would be shown as it was stored, and bidi controls reorder what follows them on screen ("Ann‮nimda" reads as
// "Annadmin"): a name could pass for another's, a note could hide what it says. The bidi marks (U+200E, U+200F,
// U+061C) stay allowed: they only set the direction of neutral characters, as right-to-left text may need. The
// characters and the reasons are display-text-rule.ts's, which the console reads too.
import { LINES, NAME_CHARACTERS_REASON, NOTE_CHARACTERS_REASON, ONE_LINE } from './display-text-rule.js';
import * as z from './validation.js';

/** a name: trimmed, 1–`max` characters, on one line, without control characters or bidi controls */
export const displayName = (max: number, missing?: string) =>
  z.string().check(z.trim(), z.minLength(1, missing), z.maxLength(max), z.regex(ONE_LINE, NAME_CHARACTERS_REASON));

/** a note: trimmed, 1–`max` characters, line breaks and tabs allowed, no other control characters nor bidi controls */
export const displayNote = (max: number, missing: string) =>
  z.string().check(z.trim(), z.minLength(1, missing), z.maxLength(max), z.regex(LINES, NOTE_CHARACTERS_REASON));
