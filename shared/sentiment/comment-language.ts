// domain: the language a comment is read in, for its PII redaction and its sentiment. A submission's locale is the
// language its survey was shown in, which is usually the one the customer writes in, but not always: a survey shown
// in English gets comments in Chinese, one shown in Chinese gets comments in English. Read in the locale's language,
// such a comment is scored by the wrong model (Comprehend answers something, not an error) and checked for personal
// data by the wrong one. So the locale decides only when the comment is written in a script its language uses;
// otherwise the comment's language is not known, and the adapters detect it, as they do for a comment sent without a
// locale (Comprehend's BatchDetectDominantLanguage in the cloud, the local detector under `npm start`). A locale whose
// language has no script here never decides either: a tag that names no language ("und", "zxx", "mul", private-use
// "qaa"–"qtz", or "xx" from a page's lang attribute) would otherwise leave the comment unscored, never followed up
// and checked for names by no model at all; a real language missing here (Tamil, say) is detected as itself.
//
// The script alone cannot tell French from English: a comment in another language of the same script is still read
// in the locale's language. Telling those apart takes a detection per comment, which in the cloud is one more
// Comprehend call (billed as much as the sentiment itself) for every comment; a script mismatch costs nothing to see.
import { languageOfLocale } from './port.js';

/** the writing systems told apart here, each matched by one capture group of LETTER_BY_SCRIPT, in this order */
const SCRIPTS = ['latin', 'han', 'kana', 'hangul', 'arabic', 'devanagari', 'cyrillic', 'greek', 'hebrew', 'thai'] as const;
export type Script = (typeof SCRIPTS)[number];

// a letter (\p{L}: not a vowel sign, a digit or a radical of the script), then which script it is in
const LETTER_BY_SCRIPT =
  /(?=\p{L})(?:(\p{Script=Latin})|(\p{Script=Han})|([\p{Script=Hiragana}\p{Script=Katakana}])|(\p{Script=Hangul})|(\p{Script=Arabic})|(\p{Script=Devanagari})|(\p{Script=Cyrillic})|(\p{Script=Greek})|(\p{Script=Hebrew})|(\p{Script=Thai})|(\p{L}))/gu;

export type LetterCounts = Record<Script, number> & {
  /** every letter, in any script (those of no script above too) */
  letters: number;
};

/** the letters of `text`, by script */
export function letterCountsOf(text: string): LetterCounts {
  const counts = Object.fromEntries([...SCRIPTS.map((script) => [script, 0]), ['letters', 0]]) as LetterCounts;
  for (const match of text.matchAll(LETTER_BY_SCRIPT)) {
    counts.letters += 1;
    const group = match.findIndex((captured, index) => index > 0 && captured !== undefined);
    const script = SCRIPTS[group - 1];
    if (script) counts[script] += 1;
  }
  return counts;
}

/**
 * One Han, kana or Hangul character carries about as much as a word, and a word in an alphabet takes about four or
 * five letters: counted at this weight, "很好 good" is mostly Chinese and "I love 寿司" mostly English.
 */
export const CJK_LETTER_WEIGHT = 2;
const CJK: readonly Script[] = ['han', 'kana', 'hangul'];

/** the scripts a language is written in, for the languages whose script is known here */
const SCRIPTS_OF_LANGUAGE: Readonly<Record<string, readonly Script[]>> = {
  ...Object.fromEntries(
    ['en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'sv', 'da', 'no', 'nb', 'nn', 'fi', 'is', 'pl', 'cs', 'sk', 'sl', 'hr', 'bs', 'ro', 'hu', 'tr', 'az', 'id', 'ms', 'vi', 'ca', 'eu', 'gl', 'et', 'lv', 'lt', 'ga', 'cy', 'sq', 'af', 'sw', 'tl', 'mt'].map(
      (language) => [language, ['latin'] as const],
    ),
  ),
  zh: ['han'],
  'zh-TW': ['han'],
  ja: ['han', 'kana'],
  ko: ['hangul', 'han'],
  ar: ['arabic'],
  fa: ['arabic'],
  ur: ['arabic'],
  hi: ['devanagari'],
  mr: ['devanagari'],
  ne: ['devanagari'],
  ru: ['cyrillic'],
  uk: ['cyrillic'],
  bg: ['cyrillic'],
  be: ['cyrillic'],
  mk: ['cyrillic'],
  kk: ['cyrillic'],
  mn: ['cyrillic'],
  sr: ['cyrillic', 'latin'],
  el: ['greek'],
  he: ['hebrew'],
  yi: ['hebrew'],
  th: ['thai'],
};

/** less weighted text than this ("ok", "好") says too little about its script: the locale decides */
export const MIN_WEIGHTED_LETTERS = 4;

/**
 * what a comment holds in Latin letters whatever its language: the tokens redaction leaves ("[PHONE]", "[NAME]"), web
 * addresses and e-mail addresses. "网站 https://shop.example.com/orders 打不开" is a Chinese comment
 */
const NOT_THE_COMMENTS_WORDS = /\[[A-Z][A-Z_]*\]|\b(?:https?:\/\/|www\.)\S+|\S+@\S+/g;

/**
 * The language to read `comment` in: its locale's language ("en-GB" → "en", as Comprehend names languages) when the
 * comment is mostly written in a script of that language, or when that cannot be told (too few letters); undefined,
 * for the caller to detect, when there is no locale, its language has no script known here, or the comment is mostly
 * in another script.
 */
export function commentLanguage(locale: string | undefined, comment: string): string | undefined {
  if (!locale) return undefined;
  const language = languageOfLocale(locale.replace(/_/g, '-'));
  const expected = SCRIPTS_OF_LANGUAGE[language];
  if (!expected) return undefined;
  const counts = letterCountsOf(comment.replace(NOT_THE_COMMENTS_WORDS, ' '));
  const weighted = (script: Script) => counts[script] * (CJK.includes(script) ? CJK_LETTER_WEIGHT : 1);
  const total = SCRIPTS.reduce((sum, script) => sum + weighted(script), 0);
  if (total < MIN_WEIGHTED_LETTERS) return language;
  const inExpected = expected.reduce((sum, script) => sum + weighted(script), 0);
  return inExpected * 2 >= total ? language : undefined;
}
