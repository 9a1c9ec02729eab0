// domain: the one rule for what counts as a comment, wherever one comes in: POST /v1/responses (the widget, API
// clients), the email survey's form and the widget's own "say something first" check. Pure, with no imports, so that
// the widget's bundle can take it too.

/**
 * What is left of a comment once nothing in it is visible: whitespace, control characters (NUL…), format characters
 * (zero-width spaces and joiners, bidi marks, soft hyphens, the byte order mark), the other default-ignorable ones
 * (variation selectors, Hangul fillers) and the blank Braille pattern render as nothing, so a comment of only these
 * says nothing.
 */
const NOTHING_VISIBLE = /^[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]*$/u;

/** whether a text shows nothing at all: empty, or only the characters above (a blank title or label is one too) */
export const showsNothing = (text: string): boolean => NOTHING_VISIBLE.test(text);

/**
 * The comment as it is stored: trimmed of surrounding whitespace, and none at all when nothing in it is visible. Such
 * a comment is treated as the blank one it looks like: it does not make an answer without scores count, and it is not
 * stored (as a comment of spaces was not).
 */
export function commentText(raw: string | undefined): string | undefined {
  const trimmed = raw?.trim();
  return trimmed && !showsNothing(trimmed) ? trimmed : undefined;
}
