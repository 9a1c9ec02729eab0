// port: how the process step removes personal data from comments before anything else sees them.
// Adapters: local-pii-redactor (every language, `npm start` and tests), comprehend-redactor (cloud: Comprehend
// DetectPiiEntities for the languages it covers, on top of the local redactor).

export interface RedactionRequest {
  /** the caller's key for matching outcomes back (the response id) */
  id: string;
  text: string;
  /** primary language subtag ("en", "es"), from the submission's locale; absent: the adapter may detect it */
  language?: string;
}

export type RedactionOutcome =
  /** `text` is what may be stored, scored and shown; `found` counts what was replaced, by kind (no content) */
  | {
      id: string;
      status: 'redacted';
      text: string;
      found: Record<string, number>;
      /** the language the adapter detected for a request that came without one (the sentiment step then uses it) */
      language?: string;
    }
  /**
   * the provider failed: `text` has the local redaction applied (e-mails, phones, cards, IBANs), but names and
   * addresses the provider would have found may remain, so the caller must keep it from webhooks and retry later.
   * `rejected` when the provider refused this document itself (not a fault of the provider or of the way to it:
   * throttling, a 5xx, a timeout): retrying the same text may never succeed, so the rescore makes the local redaction
   * final after a few such refusals; a provider fault it retries for as long as it lasts. `untried` when the provider
   * was never asked (the instance's own rate cap left no call slot before the deadline): nothing was learnt about the
   * provider or the document, so the rescore neither counts it nor waits before the next try
   */
  | { id: string; status: 'failed'; text: string; found: Record<string, number>; reason: string; rejected?: true; untried?: true };

export interface PiiRedactor {
  /** one outcome per request, in any order; never rejects for a provider fault (those become `failed` outcomes) */
  redact(requests: readonly RedactionRequest[]): Promise<RedactionOutcome[]>;
}

/** two counts of what redaction replaced, added kind by kind (a later pass over a comment adds to what it found before) */
export function addFound(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> {
  const sum = { ...a };
  for (const [kind, count] of Object.entries(b)) sum[kind] = (sum[kind] ?? 0) + count;
  return sum;
}
