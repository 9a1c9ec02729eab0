// use case: turn a batch of queued responses into stored ones.
//   1. parse each message (a malformed one fails alone and reaches the DLQ after 5 receives)
//   2. score every comment of the batch in one call to the sentiment port
//      (a provider fault never fails a response: it is stored with sentiment pending, scored later)
//   3. store each response with a conditional put on its id: a redelivery is a no-op
//      (a response with a `revision`, from an email survey link, replaces an older revision of itself: the latest
//      answer of an invitation wins, whatever order the messages arrive in; every revision of one invitation carries
//      the same receivedAt, so it stays in one hour bucket and the rollup's recomputation never counts it twice)
//      a detractor (the survey's detractorRules) is stored with its reasons, in the sparse index the follow-up router reads
//   4. mark its (survey, hour) bucket dirty for the rollup, after the put and also after a duplicate: a crash between
//      the two writes is finished by the redelivery
//   (a response whose customer was erased after it was received is dropped instead: shared/privacy/erasure-markers)
import type { Clock } from '../clock.js';
import { erasedBefore, type ErasureMarkers } from '../privacy/erasure-markers.js';
import { detractorReasons } from '../followups/detractor.js';
import { hourKeyOf } from '../rollup/bucket.js';
import type { DirtyBuckets } from '../rollup/dirty-buckets.js';
import { languageOfLocale, type SentimentAnalyzer, type SentimentOutcome } from '../sentiment/port.js';
import { queuedResponseSchema, type QueuedResponse } from '../submission/schema.js';
import type { SurveyStore } from '../survey/survey-store.js';
import type { ResponseStore, StoredSentiment } from './stored-response.js';

export interface ProcessResponsesDeps {
  store: ResponseStore;
  sentiment: SentimentAnalyzer;
  dirty: DirtyBuckets;
  clock: Clock;
  /** the surveys' detractor rules; without it, no response is marked for follow-up */
  surveys?: SurveyStore;
  /** customers erased while their responses were queued; without it, nothing is dropped */
  erasures?: ErasureMarkers;
}

export interface QueueMessage {
  messageId: string;
  body: string;
}

export class MalformedMessageError extends Error {
  constructor(messageId: string) {
    super(`message ${messageId} is not a queued response`);
    this.name = 'MalformedMessageError';
  }
}

export function storedSentimentOf(outcome: SentimentOutcome | undefined): StoredSentiment {
  if (!outcome) return { status: 'pending' };
  switch (outcome.status) {
    case 'scored':
      return { status: 'scored', label: outcome.label, scores: outcome.scores, language: outcome.language };
    case 'unscored':
      return { status: 'unscored', language: outcome.language, reason: outcome.reason };
    case 'failed':
      return outcome.language ? { status: 'pending', language: outcome.language } : { status: 'pending' };
  }
}

export function makeProcessResponses({ store, sentiment, dirty, clock, surveys, erasures }: ProcessResponsesDeps) {
  async function scoreComments(responses: QueuedResponse[]): Promise<Map<string, SentimentOutcome>> {
    const requests = responses
      .filter((r) => r.comment)
      .map((r) => ({ id: r.id, text: r.comment as string, language: r.locale ? languageOfLocale(r.locale) : undefined }));
    if (requests.length === 0) return new Map();
    try {
      const outcomes = await sentiment.analyze(requests);
      return new Map(outcomes.map((o) => [o.id, o]));
    } catch {
      // the port promises not to reject; if an adapter does anyway, the responses are still stored, pending
      return new Map();
    }
  }

  /** prepares a batch; `store(messageId)` then stores one message and throws if it must be retried */
  return async function prepareBatch(messages: readonly QueueMessage[]) {
    const parsed = new Map<string, QueuedResponse>();
    for (const { messageId, body } of messages) {
      try {
        const result = queuedResponseSchema.safeParse(JSON.parse(body));
        if (result.success) parsed.set(messageId, result.data);
      } catch {
        // not JSON: left out, and fails in store()
      }
    }
    const outcomes = await scoreComments([...parsed.values()]);
    const customerRefs = [...parsed.values()].flatMap((r) => (r.customerRef ? [r.customerRef] : []));
    const erased = erasures && customerRefs.length > 0 ? await erasures.erasedAt(customerRefs) : new Map<string, string>();

    return {
      async store(messageId: string): Promise<'stored' | 'duplicate' | 'erased'> {
        const response = parsed.get(messageId);
        if (!response) throw new MalformedMessageError(messageId);
        if (response.customerRef && erasedBefore(response.receivedAt, erased.get(response.customerRef))) return 'erased';
        const stored = { ...response, sentiment: response.comment ? storedSentimentOf(outcomes.get(response.id)) : null };
        const survey = surveys ? await surveys.get(response.surveyId) : undefined;
        const reasons = survey ? detractorReasons(survey, stored) : [];
        const item = {
          ...stored,
          storedAt: clock.now().toISOString(),
          ...(reasons.length > 0 ? { followUp: { reasons } } : {}),
        };
        if (item.revision !== undefined && !store.putRevision) throw new Error('this response store cannot replace revisions');
        const outcome = item.revision !== undefined && store.putRevision ? await store.putRevision(item) : await store.putIfAbsent(item);
        await dirty.mark(response.surveyId, hourKeyOf(response.receivedAt), clock.now());
        return outcome;
      },
    };
  };
}
