// the numbers the Comprehend call gate (./comprehend-calls.ts) works with, apart from it so that the CDK app and the
// topology can check settings against them without importing the Comprehend client into every bundle.

/** documents per Batch* call (BatchDetectSentiment, BatchDetectDominantLanguage) */
export const MAX_DOCUMENTS_PER_CALL = 25;

export interface RetryPolicy {
  /** attempts per call, the first included */
  maxAttempts: number;
  /** the backoff before retry n is drawn uniformly from [0, min(maxDelayMs, baseDelayMs × 2^(n-1))] */
  baseDelayMs: number;
  maxDelayMs: number;
  /** how long one analyze or redact call may spend waiting for call slots and backoffs in all */
  budgetMs: number;
}

/**
 * 4 attempts with at most 0.2 + 0.4 + 0.8 s of backoff; 8 s in all per port call, so redaction and sentiment (one
 * budget each) leave the process function most of its 30 s timeout for the batch's writes
 */
export const COMPREHEND_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 2_000, budgetMs: 8_000 };

/**
 * The per-instance call rate (deploy-time context comprehendCallsPerSecond, environment COMPREHEND_CALLS_PER_SECOND).
 * Default 4: the process event source's default 5 instances then make at most 20 calls a second, the rate the
 * Comprehend Developer Guide ("Guidelines and quotas") gives a single-document operation such as DetectPiiEntities (one
 * call per comment); the Batch* calls (25 comments each, 250 documents a second there) stay far below theirs.
 */
export const COMPREHEND_CALLS_PER_SECOND = { env: 'COMPREHEND_CALLS_PER_SECOND', default: 4, min: 1, max: 1_000 } as const;
