// port: how the process step asks for the sentiment of comments. Adapters: comprehend-analyzer (cloud), local-analyzer (npm start).

export type SentimentLabel = 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL' | 'MIXED';

/** each in 0..1, summing to about 1, as Comprehend reports them */
export interface SentimentScores {
  positive: number;
  negative: number;
  neutral: number;
  mixed: number;
}

export interface SentimentRequest {
  /** the caller's key for matching outcomes back (the response id) */
  id: string;
  text: string;
  /** primary language subtag ("en", "zh") or "zh-TW"; absent → the adapter detects it */
  language?: string;
}

export type SentimentOutcome =
  | { id: string; status: 'scored'; language: string; label: SentimentLabel; scores: SentimentScores }
  /** the adapter does not score this language: stored as such, never guessed */
  | { id: string; status: 'unscored'; language: string; reason: 'unsupported-language' | 'undetermined-language' }
  /**
   * not scored this time: the response is stored pending and rescored later. `rejected` when the provider refused
   * this document itself (not the whole call: an outage, throttling or timeout): retrying the same text may never
   * succeed, so the rescore gives up after a few such refusals; a provider fault it retries for as long as it lasts.
   */
  | { id: string; status: 'failed'; language?: string; reason: string; rejected?: true };

export interface SentimentAnalyzer {
  /** one outcome per request, in any order; never rejects for a provider fault (those become `failed` outcomes) */
  analyze(requests: readonly SentimentRequest[]): Promise<SentimentOutcome[]>;
}

/** "en-GB" → "en", "zh-TW"/"zh-Hant" → "zh-TW", "zh-CN" → "zh": the language codes Comprehend speaks */
export function languageOfLocale(locale: string): string {
  const [primary = '', ...rest] = locale.toLowerCase().split('-');
  if (primary === 'zh' && rest.some((part) => part === 'tw' || part === 'hant' || part === 'hk' || part === 'mo')) return 'zh-TW';
  return primary;
}
