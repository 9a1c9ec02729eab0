// use case: score the comments of responses stored while the sentiment provider was failing.
//   1. read a page of responses whose sentiment is pending
//   2. score them in one call
//   3. settle each that now has an outcome; one that failed again stays pending for the next run, until it has
//      failed MAX_RESCORE_ATTEMPTS times (a comment the provider rejects for good): then it is stored unscored
//   4. mark the bucket of each settled response dirty, so its aggregate's sentiment counts follow
//   5. a response that the new sentiment makes a detractor (its survey's detractorRules) is marked for follow-up
import type { Clock } from '../clock.js';
import { detractorReasons } from '../followups/detractor.js';
import type { SurveyStore } from '../survey/survey-store.js';
import { storedSentimentOf } from '../response/process-responses.js';
import { hourKeyOf } from '../rollup/bucket.js';
import type { DirtyBuckets } from '../rollup/dirty-buckets.js';
import type { ResponseStore, StoredSentiment } from '../response/stored-response.js';
import { languageOfLocale, type SentimentAnalyzer } from './port.js';

export const MAX_RESCORE_ATTEMPTS = 10;

export interface RescorePendingDeps {
  store: ResponseStore;
  sentiment: SentimentAnalyzer;
  dirty: DirtyBuckets;
  clock: Clock;
  /** the surveys' detractor rules; without it, no late-scored response is marked for follow-up */
  surveys?: SurveyStore;
}

export function makeRescorePending({ store, sentiment, dirty, clock, surveys }: RescorePendingDeps) {
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
    const byId = new Map(pending.map((r) => [r.id, r]));
    let settled = 0;
    for (const outcome of outcomes) {
      const previous = byId.get(outcome.id)?.sentiment;
      if (outcome.status === 'failed') {
        const attempts = (previous?.status === 'pending' ? (previous.attempts ?? 0) : 0) + 1;
        if (attempts < MAX_RESCORE_ATTEMPTS) {
          await store.settleSentiment(outcome.id, { ...storedSentimentOf(outcome), attempts } as StoredSentiment);
          continue;
        }
        await store.settleSentiment(outcome.id, { status: 'unscored', language: outcome.language ?? 'und', reason: 'provider-failed' });
      } else {
        await store.settleSentiment(outcome.id, storedSentimentOf(outcome));
      }
      const response = byId.get(outcome.id);
      if (response) await dirty.mark(response.surveyId, hourKeyOf(response.receivedAt), clock.now());
      const survey = response && surveys ? await surveys.get(response.surveyId) : undefined;
      if (response && survey && !response.followUp) {
        const reasons = detractorReasons(survey, { ...response, sentiment: storedSentimentOf(outcome) });
        if (reasons.length > 0) await store.markDetractor(response.id, reasons);
      }
      settled += 1;
    }
    return { settled, stillPending: pending.length - settled };
  };
}
