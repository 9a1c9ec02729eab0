// adapter (local): the in-process implementation of the SentimentAnalyzer port (./port.ts), used by `npm start`
// (SENTIMENT_PROVIDER=local, see ./analyzer-from-environment.ts) and by tests. No network, no model download: the
// cloud uses Amazon Comprehend (./comprehend-analyzer.ts) instead, and this file is not bundled into the Lambdas.
//
// Scorer: VADER (Hutto & Gilbert, ICWSM 2014) from the `vader-sentiment` package, which ships its ~7,500-entry
// human-rated lexicon and VADER's rules (negation, intensifiers, "but", ALL CAPS, "!"). Picked by measurement on the
// test split of the UCI labelled review sentences (test/fixtures/sentiment; bench: test/bench/sentiment-accuracy.ts;
// binary POSITIVE/NEGATIVE accuracy with NEUTRAL counted wrong): VADER alone 0.643, AFINN-165 (`sentiment`) 0.625,
// @nlpjs/sentiment's English senticon 0.660 but only 70% right when it does commit (VADER: 85%).
// What this file adds around VADER, all of it measured on the calibration split only:
// 1. normalisation that works around vader-sentiment 1.1.3 port bugs: it compares negators and "but" case-sensitively
//    ("NOT good" scored positive), and keeps "great!." or "money..." as unknown tokens;
// 2. a small customer-feedback supplement (DOMAIN_WORDS, PHRASES, EMOJI below) for what review text says that a
//    general lexicon does not know ("junk", "slow", "won't be back", "doesn't work", "no complaints", 👍). Every
//    supplement word must be unknown to VADER (checked at load), so nothing is counted twice;
// 3. MIXED, from clauses: sentences and "but/however/although" parts are scored separately;
// 4. VADER's negation kept within its comma-separated part ("never arrived, terrible" is not praise);
// 5. the four Comprehend-like scores (see scoreEnglish).
// Result on the test split: 0.759 (amazon 0.784, yelp 0.734), 0.91 on the sentences it does not call NEUTRAL/MIXED.
//
// Languages: English only. The multilingual candidate (@nlpjs lang-es/fr/de/it/pt lexicons) scores a bag of stems
// with one sticky negation flag; the same method in English was right only 70% of the time when it committed, so
// other languages are `unscored` (unsupported-language) rather than guessed. The language comes from the request
// (submission locale) or, failing that, from ./language.ts.
import { createRequire } from 'node:module';
import { detectLanguage, isMostlyLatin } from './language.js';
import {
  languageOfLocale,
  type SentimentAnalyzer,
  type SentimentLabel,
  type SentimentOutcome,
  type SentimentRequest,
  type SentimentScores,
} from './port.js';

interface VaderScores {
  neg: number;
  neu: number;
  pos: number;
  compound: number;
}
interface VaderModule {
  SentimentIntensityAnalyzer: { polarity_scores(text: string): VaderScores };
}

// the package is CommonJS without types; require() loads its lexicon once, at module scope
const vader = (createRequire(import.meta.url)('vader-sentiment') as VaderModule).SentimentIntensityAnalyzer;

/** BCP 47 "undetermined": the language of an outcome whose language could not be told */
export const UNDETERMINED_LANGUAGE = 'und';
/** languages this adapter scores */
export const LOCAL_SENTIMENT_LANGUAGES: readonly string[] = ['en'];
/** |compound| below this is NEUTRAL (VADER authors' band; calibration split: any larger band only lost accuracy) */
export const NEUTRAL_BAND = 0.05;
/**
 * MIXED needs a clause at least this positive and another at least this negative (clause compounds, 0..1).
 * 0.5 is about one plain strong word per clause ("amazing" 0.59, "terrible" 0.48 → 0.63 with "service was"); on the
 * calibration split θ from 0.2 to 0.5 moved accuracy by under 1 point (9 → 3 MIXED of 1,000).
 */
export const MIXED_STRENGTH = 0.5;
/** characters scored per comment: bounds the work for a pathological input (Comprehend's own limit is 5 KB) */
export const MAX_SCORED_CHARACTERS = 5_000;

// VADER's constants (vaderSentiment.py), used for the supplement so its words behave like lexicon words
const VADER_ALPHA = 15;
const NEGATION_SCALAR = -0.74;
const BOOSTER_INCREMENT = 0.293;
const CAPS_INCREMENT = 0.733;

/** VADER's negation words, plus "no" (vaderSentiment 3.3 treats "no" as a negator too) */
const NEGATORS: ReadonlySet<string> = new Set([
  'aint', 'arent', 'cannot', 'cant', 'couldnt', 'darent', 'didnt', 'doesnt', "ain't", "aren't", "can't", "couldn't",
  "daren't", "didn't", "doesn't", 'dont', 'hadnt', 'hasnt', 'havent', 'isnt', 'mightnt', 'mustnt', 'neither',
  "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't", 'neednt', "needn't", 'never', 'none',
  'nope', 'nor', 'not', 'nothing', 'nowhere', 'oughtnt', 'shant', 'shouldnt', 'uhuh', 'wasnt', 'werent', "oughtn't",
  "shan't", "shouldn't", 'uh-uh', "wasn't", "weren't", 'without', 'wont', 'wouldnt', "won't", "wouldn't", 'rarely',
  'seldom', 'despite', 'no',
]);
const BOOSTERS: ReadonlySet<string> = new Set([
  'very', 'really', 'so', 'extremely', 'too', 'super', 'incredibly', 'absolutely', 'totally', 'completely', 'way',
  'terribly', 'insanely', 'highly',
]);

/**
 * Customer-feedback words VADER's general lexicon lacks (products, delivery, apps, service, food), on VADER's
 * -4..+4 scale, plus common misspellings of core sentiment words. Written from the domain, not fitted to data.
 */
const DOMAIN_WORDS: Readonly<Record<string, number>> = {
  // faults and complaints
  junk: -2.2, garbage: -2.0, trash: -1.8, rubbish: -2.0, slow: -1.3, laggy: -1.6, buggy: -1.8, glitchy: -1.6,
  glitch: -1.2, glitches: -1.4, crashes: -1.8, crashed: -1.8, crashing: -1.8, froze: -1.4, freezes: -1.4,
  cracked: -1.3, flimsy: -1.6, cheaply: -1.4, overpriced: -1.8, overrated: -1.6, pricey: -0.7, unusable: -2.2,
  unreliable: -1.8, unresponsive: -1.6, inaccurate: -1.3, incorrect: -1.3, counterfeit: -2.0, ripoff: -2.6,
  overcharged: -2.0, refund: -1.2, dies: -1.6, dying: -1.6, drained: -1.2, disconnects: -1.4, unhelpful: -1.8,
  filthy: -2.4, mediocre: -1.2, subpar: -1.8, lacking: -1.2, lacks: -1.0, letdown: -1.9, nightmare: -2.4,
  hassle: -1.3, late: -0.9, waited: -0.8, elsewhere: -1.2,
  bland: -1.6, tasteless: -1.9, flavorless: -1.8, stale: -1.7, soggy: -1.6, greasy: -1.2, undercooked: -1.8,
  overcooked: -1.6, burnt: -1.5, lukewarm: -1.2, inedible: -2.5, unbearable: -2.3, uninspired: -1.2,
  underwhelming: -1.5,
  disapointing: -2.2, dissapointing: -2.2, disapointed: -2.1, dissapointed: -2.1, disapointment: -2.2,
  dissapointment: -2.2,
  // praise
  incredible: 2.8, tremendous: 2.4, exceptional: 2.6, decent: 1.0, tasty: 2.0, delish: 2.2, flavorful: 1.9,
  flavourful: 1.9, juicy: 1.2, fast: 1.0, quick: 1.0, promptly: 1.3, prompt: 1.2, speedy: 1.3, timely: 1.2,
  smoothly: 1.3, seamless: 1.6, seamlessly: 1.6, intuitive: 1.5, sturdy: 1.4, durable: 1.4, comfy: 1.6,
  affordable: 1.2, attentive: 1.7, knowledgeable: 1.4, accommodating: 1.5, polite: 1.6, spotless: 1.8,
  immaculate: 1.9, cozy: 1.5, favourite: 2.0, excelent: 3.0, excellant: 3.0, awsome: 3.0,
};

/** "it works" is praise; the same verbs after a negator ("doesn't charge", "won't connect") report a fault */
const FUNCTION_WORDS: Readonly<Record<string, number>> = {
  works: 0.9, worked: 0.6, work: 0, working: 0, function: 0, functions: 0, functioning: 0, charge: 0, charging: 0,
  connect: 0, connects: 0, pair: 0, pairs: 0,
};
const FUNCTION_FAILED = -1.9;

/** emoji, which the vader-sentiment port does not score (its lexicon has ASCII emoticons such as ":)" only) */
const EMOJI: Readonly<Record<string, number>> = {
  '😀': 2.0, '😃': 2.0, '😄': 2.2, '😁': 2.0, '😆': 1.8, '😊': 2.2, '🙂': 1.2, '😍': 2.8, '🥰': 2.8, '😘': 2.0,
  '😎': 1.5, '🤩': 2.6, '😂': 1.2, '🤣': 1.2, '😉': 1.2, '☺': 2.0, '👍': 1.8, '👌': 1.6, '👏': 2.0, '🙌': 2.0,
  '💪': 1.2, '🙏': 1.2, '❤': 2.6, '💕': 2.4, '💖': 2.4, '💯': 2.2, '⭐': 1.5, '🌟': 1.8, '✨': 1.2, '🎉': 2.0,
  '🥳': 2.2, '🔥': 1.5, '✅': 1.2,
  '😞': -2.0, '😔': -1.6, '😟': -1.6, '🙁': -1.6, '☹': -1.8, '😕': -1.2, '😒': -1.6, '😢': -2.0, '😭': -2.2,
  '😩': -2.0, '😫': -2.0, '😤': -1.8, '😠': -2.4, '😡': -2.8, '🤬': -3.0, '👎': -2.0, '💩': -2.4, '🤮': -2.6,
  '🤢': -2.2, '😖': -2.0, '😣': -1.6, '💔': -2.2, '❌': -1.2, '🙄': -1.4,
};

interface Phrase {
  pattern: RegExp;
  valence: number;
  /** a negator in the phrase or just before it turns it around ("won't be back") */
  negatable?: boolean;
}

/**
 * Multi-word expressions, matched on lower-cased text in this order; a matched phrase is taken out of what VADER
 * sees, so its words are not also scored one by one ("no problem" is not "problem"; "to die for" is not "die").
 * Valence 0 only neutralises a phrase whose words VADER misreads ("I'd like to", "to be honest").
 */
const PHRASES: readonly Phrase[] = [
  {
    pattern:
      /\bwithout a doubt\b|\bto be honest\b|\bin all honesty\b|\b(?:would|i'd|we'd|you'd) like to\b|\b(?:looks?|looked|feels?|felt|tastes?|tasted|seems?|seemed|sounds?|sounded|smells?|smelled|was|were) like\b/g,
    valence: 0,
  },
  { pattern: /\b(?:exactly|just) what i (?:wanted|needed|was looking for|ordered)\b/g, valence: 2.0 },
  { pattern: /\bmust[ -](?:have|visit|try|see)\b/g, valence: 1.8 },
  { pattern: /\breasonably priced\b/g, valence: 1.5 },
  { pattern: /\bbelow average\b/g, valence: -1.5 },
  { pattern: /\babove average\b/g, valence: 1.2 },
  { pattern: /\bon time\b/g, valence: 1.0, negatable: true },
  {
    pattern: /\b(?:do not|don't|dont|never) (?:go|eat|shop|stay) (?:here|there)\b|\b(?:do not|don't|dont) do it\b/g,
    valence: -2.2,
  },
  { pattern: /\b(?:can't|cant|cannot|can not) wait\b/g, valence: 2.0 },
  {
    pattern:
      /\b(?:couldn't|couldnt|could not|can't|cant|cannot|can not) (?:be|have been) (?:any )?(?:happier|better|more (?:happy|pleased|satisfied))\b/g,
    valence: 2.6,
  },
  { pattern: /\b(?:can't|cant|cannot|can not) say enough good\b/g, valence: 2.4 },
  { pattern: /\b(?:can't|cant|cannot|can not|couldn't|couldnt) (?:ask for|beat)\b/g, valence: 1.8 },
  { pattern: /\bno (?:problems?|issues?|complaints?|regrets?|trouble|worries)\b/g, valence: 1.6 },
  { pattern: /\bto die for\b/g, valence: 2.5 },
  { pattern: /\bat best\b/g, valence: -1.4 },
  { pattern: /\b(?:do not|don't|dont|never) (?:buy|purchase|bother|waste)\b/g, valence: -2.2 },
  { pattern: /\b(?:stay|steer) (?:away|clear)\b/g, valence: -2.0 },
  { pattern: /\bnever again\b/g, valence: -2.0 },
  {
    // sending a product back
    pattern:
      /\b(?:send|sending|sent|return|returning|returned|take|taking|took|bring|brought) (?:it|them|this|these|(?:the|my) \w+) back\b|\b(?:return|returning|returned) (?:it|them|this|these)\b|\bmoney back\b|\b(?:for|get|want|wanted|asked for|demand) (?:a|my) refund\b/g,
    valence: -1.6,
  },
  { pattern: /\b(?:stopped|stops|quit|quits) (?:working|charging|functioning)\b/g, valence: FUNCTION_FAILED },
  {
    // coming back as a customer: praise, and with a negator the clearest complaint there is
    pattern:
      /\b(?:be|come|go|coming|going|head|eat|dine|dining|order|ordering|buy|buying|shop|shopping)(?: here| there)? (?:back|again)\b|\b(?:will|would|gonna|'ll|won't|wont|wouldn't|wouldnt|never) (?:\w+ )?(?:return|be returning)\b|\breturning (?:here|again|soon)\b/g,
    valence: 1.8,
    negatable: true,
  },
  { pattern: /\bthumbs? up\b/g, valence: 2.0 },
  { pattern: /\bthumbs? down\b/g, valence: -2.0 },
  { pattern: /\b(?:zero|0|one|1|no) stars?\b/g, valence: -1.8 },
  { pattern: /\b(?:five|5|four|4) stars?\b/g, valence: 2.0 },
  { pattern: /\bover[ -]?rated\b/g, valence: -1.6 },
  { pattern: /\bover[ -]?priced\b/g, valence: -1.8 },
  { pattern: /\b(?:rip|ripped) off\b/g, valence: -2.5 },
  { pattern: /\bpiece of (?:junk|crap|garbage|trash|shit)\b/g, valence: -2.6 },
];
/** a negated "come back" phrase weighs a little more than the phrase itself (VADER's -0.74 is for single words) */
const NEGATED_PHRASE_SCALAR = -1.1;

const isVaderWord = (word: string): boolean => vader.polarity_scores(word).compound !== 0;
/** the supplement, minus anything VADER's lexicon already scores (so a lexicon update never double-counts) */
const SUPPLEMENT: ReadonlyMap<string, number> = new Map(
  Object.entries(DOMAIN_WORDS).filter(([word]) => !isVaderWord(word)),
);
const FUNCTION_LEXICON: ReadonlyMap<string, number> = new Map(
  Object.entries(FUNCTION_WORDS).filter(([word]) => !isVaderWord(word)),
);
const EMOJI_LEXICON: ReadonlyMap<string, number> = new Map(Object.entries(EMOJI));

const TOKEN = /[a-z][a-z'-]*|\p{Extended_Pictographic}/gu;
const WORD = /[a-z][a-z'-]*/g;
const CONTRAST = /\bbut\b/;

const isNegator = (word: string): boolean => NEGATORS.has(word) || word.endsWith("n't");

/** VADER's normalisation of a summed valence to -1..1 */
const normalize = (sum: number): number => sum / Math.sqrt(sum * sum + VADER_ALPHA);
/** the summed valence behind a VADER compound (inverse of normalize) */
const denormalize = (compound: number): number => {
  const clamped = Math.max(-0.9999, Math.min(0.9999, compound));
  return clamped * Math.sqrt(VADER_ALPHA / (1 - clamped * clamped));
};

/** text as vader-sentiment 1.1.3 can read it (see the file comment, point 1) */
export function normalizeForScoring(text: string): string {
  return (
    text
      .normalize('NFC')
      .replace(/[\u2018\u2019\u02bc\u2032]/g, "'")
      .replace(/[\u201c\u201d]/g, '"')
      .replace(/&amp;/g, '&')
      // "great.Works" → "great. Works"
      .replace(/([A-Za-z])([.!?]+)(?=[A-Za-z])/g, '$1$2 ')
      // "great!." / "money..." → "great!" / "money." (the port only strips one known punctuation mark)
      .replace(/([A-Za-z])([.!?,;:]{2,})(?=\s|$)/g, (_match, letter: string, marks: string) =>
        letter + (marks.includes('!') ? '!' : marks.includes('?') ? '?' : '.'),
      )
      // the port compares negators and "but" case-sensitively
      .replace(/[A-Za-z']+/g, (word) => {
        const lower = word.toLowerCase();
        return NEGATORS.has(lower) || lower === 'but' ? lower : word;
      })
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** the parts of a segment between clause punctuation, each scored by VADER on its own (see segmentValence) */
const CLAUSE_PART = /[^,;:]+/g;

/** true when a negator is among the last `window` words of `text` */
function endsNegated(text: string, window: number): boolean {
  return [...text.matchAll(WORD)].slice(-window).some(([word]) => isNegator(word));
}

/** summed valence (VADER scale) of normalised text: VADER plus the supplement */
function segmentValence(segment: string): number {
  // ASCII-only lower-casing keeps offsets aligned with `segment` (toLowerCase can change the length: "İ")
  let lower = segment.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  let masked = segment;
  const contrastAt = lower.search(CONTRAST);
  // VADER's "but" rule: sentiment before the first "but" counts half, after it one and a half
  const contrastWeight = (offset: number): number =>
    contrastAt < 0 ? 1 : offset < contrastAt ? 0.5 : offset > contrastAt ? 1.5 : 1;
  let sum = 0;

  for (const { pattern, valence, negatable } of PHRASES) {
    lower = lower.replace(pattern, (match: string, ...rest: unknown[]) => {
      const offset = rest[rest.length - 2] as number;
      const negated = negatable === true && (endsNegated(lower.slice(0, offset), 4) || endsNegated(match, 9));
      sum += (negated ? valence * NEGATED_PHRASE_SCALAR : valence) * contrastWeight(offset);
      const blank = ' '.repeat(match.length);
      masked = masked.slice(0, offset) + blank + masked.slice(offset + match.length);
      return blank;
    });
  }

  // VADER looks three words back for a negator, across commas: "never arrived, terrible" and "I don't like it,
  // terrible" scored "terrible" as negated, POSITIVE. So each part between commas, semicolons and colons is scored on
  // its own and their valences summed; a part wholly before a contrast counts half, as VADER's "but" rule weighs it
  for (const part of masked.matchAll(CLAUSE_PART)) {
    // "no <word>" → "not <word>": VADER then negates the word instead of scoring "no" itself (as vaderSentiment 3.3)
    const vaderText = part[0].replace(/\b[Nn]o(?=\s+[A-Za-z])/g, 'not').replace(/\s+/g, ' ').trim();
    if (vaderText === '') continue;
    const { compound } = vader.polarity_scores(vaderText);
    const beforeContrast = contrastAt >= 0 && (part.index ?? 0) + part[0].length <= contrastAt;
    if (compound !== 0) sum += denormalize(compound) * (beforeContrast ? 0.5 : 1);
  }

  const tokens = [...lower.matchAll(TOKEN)];
  const hasLowerCase = /[a-z]/.test(segment);
  tokens.forEach((token, index) => {
    const word = token[0];
    const offset = token.index ?? 0;
    const before = (count: number): string[] =>
      tokens.slice(Math.max(0, index - count), index).map(([previous]) => previous);

    const functionValence = FUNCTION_LEXICON.get(word);
    if (functionValence !== undefined) {
      const valence = before(2).some(isNegator) ? FUNCTION_FAILED : functionValence;
      sum += valence * contrastWeight(offset);
      return;
    }

    let valence = SUPPLEMENT.get(word) ?? EMOJI_LEXICON.get(word);
    if (valence === undefined) return;
    if (before(3).some(isNegator)) valence *= NEGATION_SCALAR;
    const previous = before(1)[0];
    if (previous !== undefined && BOOSTERS.has(previous)) valence += Math.sign(valence) * BOOSTER_INCREMENT;
    const original = segment.slice(offset, offset + word.length);
    if (hasLowerCase && /^[A-Z]{2,}$/.test(original)) valence += Math.sign(valence) * CAPS_INCREMENT;
    sum += valence * contrastWeight(offset);
  });
  return sum;
}

/** sentences, and the parts of a sentence either side of a contrast ("…, but …") */
function clausesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\s*;\s*|\s+(?=(?:but|however|although|though|except|yet)\b)/i)
    .map((clause) => clause.trim())
    .filter((clause) => /[\p{L}\p{Extended_Pictographic}]/u.test(clause));
}

export interface EnglishSentiment {
  label: SentimentLabel;
  scores: SentimentScores;
  /** VADER-style compound of the whole text, -1..1 */
  compound: number;
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

/**
 * Sentiment of English text. Pure and synchronous.
 *
 * Scores: weights positive = max(compound, 0), negative = max(-compound, 0), neutral = NEUTRAL_BAND and
 * mixed = the weaker of the strongest positive and strongest negative clause when both reach MIXED_STRENGTH (else 0),
 * divided by their sum; the label is the largest score (ties go to NEUTRAL). So text without sentiment is NEUTRAL
 * with neutral 1, "great!" is POSITIVE 0.93, and "The food was amazing but the service was terrible" is MIXED.
 */
export function scoreEnglish(text: string): EnglishSentiment {
  const normalized = normalizeForScoring(text.slice(0, MAX_SCORED_CHARACTERS));
  const compound = normalize(segmentValence(normalized));

  let strongestPositive = 0;
  let strongestNegative = 0;
  const clauses = clausesOf(normalized);
  if (clauses.length > 1) {
    for (const clause of clauses) {
      const clauseCompound = normalize(segmentValence(clause));
      strongestPositive = Math.max(strongestPositive, clauseCompound);
      strongestNegative = Math.max(strongestNegative, -clauseCompound);
    }
  }
  const mixed =
    strongestPositive >= MIXED_STRENGTH && strongestNegative >= MIXED_STRENGTH
      ? Math.min(strongestPositive, strongestNegative)
      : 0;

  const weights = {
    positive: Math.max(compound, 0),
    negative: Math.max(-compound, 0),
    neutral: NEUTRAL_BAND,
    mixed,
  };
  const total = weights.positive + weights.negative + weights.neutral + weights.mixed;
  const scores: SentimentScores = {
    positive: round(weights.positive / total),
    negative: round(weights.negative / total),
    neutral: round(weights.neutral / total),
    mixed: round(weights.mixed / total),
  };

  let label: SentimentLabel = 'NEUTRAL';
  let best = weights.neutral;
  for (const [candidate, weight] of [
    ['POSITIVE', weights.positive],
    ['NEGATIVE', weights.negative],
    ['MIXED', weights.mixed],
  ] as const) {
    if (weight > best) {
      best = weight;
      label = candidate;
    }
  }
  return { label, scores, compound: round(compound) };
}

/** true when the English scorer finds sentiment vocabulary in `text` (a word of VADER's or the supplement's) */
function hasEnglishSentimentVocabulary(text: string): boolean {
  return segmentValence(normalizeForScoring(text.slice(0, MAX_SCORED_CHARACTERS))) !== 0;
}

export interface LanguageDecision {
  language: string;
  /** false: `language` is UNDETERMINED_LANGUAGE */
  known: boolean;
}

/**
 * The language of a request: its locale when it has one, else detection. Text that the detector cannot place
 * confidently (mostly short comments: eld needs a few n-grams) is taken as English when it is Latin script and
 * either eld's best guess is English or it contains words the English lexicon scores. Most comments here are
 * English and short ("great!", "awful"), and for those the claim "English" rests on the words themselves being
 * English sentiment words; a lexicon hit on another language's word is nearly always a cognate with the same
 * polarity ("terrible", "super"). Anything else stays `undetermined-language`: never a guessed language.
 */
function languageOf(request: SentimentRequest, text: string): LanguageDecision {
  if (request.language) return { language: languageOfLocale(request.language.replace(/_/g, '-')), known: true };
  const detected = detectLanguage(text);
  if (detected?.confident) return { language: detected.language, known: true };
  if (isMostlyLatin(text) && (detected?.language === 'en' || hasEnglishSentimentVocabulary(text))) {
    return { language: 'en', known: true };
  }
  return { language: UNDETERMINED_LANGUAGE, known: false };
}

/** the language the local scorer takes a text to be in, by the rules above; `known` false: undetermined */
export const languageOfText = (text: string): LanguageDecision => languageOf({ id: '', text }, text);

function analyzeOne(request: SentimentRequest): SentimentOutcome {
  const text = typeof request.text === 'string' ? request.text.slice(0, MAX_SCORED_CHARACTERS) : '';
  if (text.trim() === '') {
    // nothing to score (as the Comprehend adapter does): keep the locale's language when there is one
    const language = request.language ? languageOfLocale(request.language.replace(/_/g, '-')) : '';
    return {
      id: request.id,
      status: 'unscored',
      language: language || UNDETERMINED_LANGUAGE,
      reason: 'undetermined-language',
    };
  }
  const decision = languageOf(request, text);
  if (!decision.known) {
    return { id: request.id, status: 'unscored', language: decision.language, reason: 'undetermined-language' };
  }
  if (!LOCAL_SENTIMENT_LANGUAGES.includes(decision.language)) {
    return { id: request.id, status: 'unscored', language: decision.language, reason: 'unsupported-language' };
  }
  const { label, scores } = scoreEnglish(text);
  return { id: request.id, status: 'scored', language: decision.language, label, scores };
}

export function createLocalSentimentAnalyzer(): SentimentAnalyzer {
  return {
    async analyze(requests) {
      return requests.map((request) => {
        try {
          return analyzeOne(request);
        } catch (error) {
          // a bug in here must not lose the response: `failed` is stored as "sentiment pending" and rescored later
          const message = error instanceof Error ? error.message : String(error);
          return { id: request.id, status: 'failed', reason: `local:${message}` };
        }
      });
    },
  };
}
