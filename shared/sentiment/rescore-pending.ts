// use case: score the comments of responses stored while the sentiment provider was failing.
//   1. read a page of responses whose sentiment is pending
//   2. score them in one call
//   3. settle each that now has an outcome; those that failed again stay pending for the next run
import { storedSentimentOf } from '../response/process-responses.js';
import type { ResponseStore } from '../response/stored-response.js';
import { languageOfLocale, type SentimentAnalyzer } from './port.js';

export function makeRescorePending({ store, sentiment }: { store: ResponseStore; sentiment: SentimentAnalyzer }) {
  return async function rescorePending(pageSize = 100): Promise<{ settled: number; stillPending: number }> {
    const pending = (await store.listPendingSentiment(pageSize)).filter((r) => r.comment);
    if (pending.length === 0) return { settled: 0, stillPending: 0 };
    const outcomes = await sentiment.analyze(
      pending.map((r) => ({
        id: r.id,
        text: r.comment as string,
        language: r.locale ? languageOfLocale(r.locale) : r.sentiment?.language,
      })),
    );
    let settled = 0;
    for (const outcome of outcomes) {
      if (outcome.status === 'failed') continue;
      await store.settleSentiment(outcome.id, storedSentimentOf(outcome));
      settled += 1;
    }
    return { settled, stillPending: pending.length - settled };
  };
}
