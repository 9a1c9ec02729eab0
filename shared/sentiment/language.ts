// Local language detection for the local sentiment adapter (./local-analyzer.ts). The cloud adapter asks
// Comprehend's BatchDetectDominantLanguage instead, so nothing here is bundled into the Lambdas.
//
// Detector: `eld` (Efficient Language Detector, Apache-2.0), its "small" n-gram database (~1.6 MB, 60 languages),
// loaded once at module scope. Chosen over `tinyld` after measuring both on the 2,000 English sentences of the UCI
// fixtures (test/fixtures/sentiment) and a handful of short comments in 13 languages: eld-small recognised 99.4% of
// the English sentences (99.3% flagged reliable) against tinyld's 94.1% (76.7% reliable), made fewer confident
// mistakes on short non-English comments, and ran about 4x faster. (eld's "extrasmall" database is 0.7 MB smaller
// but confidently mistook Portuguese for Italian and Dutch for German on two-word comments.)
//
// Two rules on top of eld:
// - CJK is decided by script, never by n-grams: n-gram detectors return nothing, or a guess, for two or three Han
//   characters ("太贵了" gets no answer from eld). Text whose letters are mostly Han/kana/Hangul is Japanese if it
//   has any kana, Korean if it has Hangul, otherwise Chinese ('zh'; Traditional and Simplified are not told apart
//   here: a submission locale of zh-TW still wins upstream). Kanji-only Japanese is therefore reported as 'zh';
//   both are unscored locally, so only the stored language label differs.
// - A result is `confident` only when eld calls it reliable (enough n-grams, clear margin over the runner-up) AND
//   the text has at least MIN_LETTERS_FOR_CONFIDENCE letters. eld's own flag says yes for two-word comments it
//   gets wrong ("DELICIOUS!!" → Hungarian, "AMAZON SUCKS." → German): of the 2,000 English fixture sentences it
//   confidently misplaced 11, and 10 of those had fewer than 20 letters.
import { eld } from 'eld/small';
import { CJK_LETTER_WEIGHT, letterCountsOf, type LetterCounts } from './comment-language.js';

export interface DetectedLanguage {
  /** ISO 639-1 code as eld reports it ("en", "de", "zh") */
  language: string;
  /** false for short or ambiguous text: the caller must not treat `language` as known */
  confident: boolean;
}

/** shorter text is never a confident detection (see above) */
export const MIN_LETTERS_FOR_CONFIDENCE = 20;

/** the language of a CJK-script text by its characters, or undefined when CJK does not dominate it */
function cjkLanguage(counts: LetterCounts): string | undefined {
  const cjk = counts.han + counts.kana + counts.hangul;
  // one CJK character carries about a word (CJK_LETTER_WEIGHT), so "I love 寿司" stays with eld
  if (cjk === 0 || cjk * CJK_LETTER_WEIGHT < counts.letters - cjk) return undefined;
  if (counts.kana > 0) return 'ja';
  if (counts.hangul >= counts.han) return 'ko';
  return 'zh';
}

/**
 * The language of `text`, or undefined when it has no letters (empty, digits, emoji) or eld finds no candidate.
 * Never throws.
 */
export function detectLanguage(text: string): DetectedLanguage | undefined {
  const counts = letterCountsOf(text);
  if (counts.letters === 0) return undefined;
  const cjk = cjkLanguage(counts);
  if (cjk) return { language: cjk, confident: true };
  const result = eld.detect(text);
  if (!result.language) return undefined;
  return { language: result.language, confident: counts.letters >= MIN_LETTERS_FOR_CONFIDENCE && result.isReliable() };
}

/** true when most letters of `text` are Latin script (the script of every language the local scorer could know) */
export function isMostlyLatin(text: string): boolean {
  const counts = letterCountsOf(text);
  return counts.letters > 0 && counts.latin * 2 > counts.letters;
}
