// use case: turn a batch of queued responses into stored ones.
//   1. parse each message and redact its metadata values (a malformed one fails alone and reaches the DLQ after 5
//      receives; so does any record whose survey, redaction or erasure lookup fails: the others of the batch are
//      stored, see RecordNotStoredError)
//   2. redact personal data from every comment of a survey whose privacy.comments is `redact` (the default), in one
//      call to the PII port: what follows (sentiment, storage, follow-up, webhooks, console) only sees redacted text.
//      A provider fault never stores unredacted text: the comment is stored with the local redaction, its redaction
//      and sentiment pending and no follow-up, and the rescore schedule finishes both later
//   3. score every (redacted) comment of the batch in one call to the sentiment port
//      (a provider fault never fails a response: it is stored with sentiment pending, scored later)
//   4. store each response with a conditional put on its id: a redelivery is a no-op
//      (a response with a `revision`, from an email survey link, replaces an older revision of itself: the latest
//      answer of an invitation wins, whatever order the messages arrive in; every revision of one invitation carries
//      the same receivedAt, so it stays in one minute bucket and the rollup's recomputation never counts it twice)
//      a detractor (the survey's detractorRules) is stored with its reasons, in the sparse index the follow-up router reads
//   5. mark its (survey, minute) bucket dirty for the rollup, after the put and also after a duplicate: a crash between
//      the two writes is finished by the redelivery
//   (a response whose customer was erased after it was received is dropped instead: shared/privacy/erasure-markers)
//   6. a response with a customerRef, once stored (or found stored: a redelivery), is looked up again among the
//      erasures: one that began after the batch's lookup, while this response was being stored, writes its marker
//      before it searches, so either its search finds this response or this second look finds its marker and deletes
//      the response; a redelivery whose first lookup finds the marker deletes it too (an attempt that failed between
//      its put and its second look left it stored) and marks its minute, whose aggregate may count it
import type { Clock } from '../clock.js';
import { erasedBefore, type ErasureMarkers } from '../privacy/erasure-markers.js';
import { detractorReasons } from '../followups/detractor.js';
import { minuteKeyOf } from '../rollup/bucket.js';
import type { DirtyBuckets } from '../rollup/dirty-buckets.js';
import type { PiiRedactor, RedactionOutcome } from '../privacy/port.js';
import { redactedValues } from '../privacy/redact-values.js';
import { commentLanguage } from '../sentiment/comment-language.js';
import type { SentimentAnalyzer, SentimentOutcome } from '../sentiment/port.js';
import { queuedResponseSchema, type QueuedResponse } from '../submission/schema.js';
import type { Survey } from '../survey/schema.js';
import type { SurveyStore } from '../survey/survey-store.js';
import type { ResponseStore, StoredRedaction, StoredSentiment } from './stored-response.js';
import { reasonOf, SafeReasonError } from '../queue/failure-reason.js';

export interface ProcessResponsesDeps {
  store: ResponseStore;
  sentiment: SentimentAnalyzer;
  dirty: DirtyBuckets;
  clock: Clock;
  /** the surveys' detractor rules and privacy settings; without it, no response is marked for follow-up */
  surveys?: SurveyStore;
  /** customers erased while their responses were queued; without it, nothing is dropped */
  erasures?: ErasureMarkers;
  /** removes personal data from comments; without it comments are stored as written (tests of other steps) */
  redactor?: PiiRedactor;
}

export interface QueueMessage {
  messageId: string;
  body: string;
}

export class MalformedMessageError extends SafeReasonError {
  constructor(messageId: string) {
    super(`message ${messageId} is not a queued response`);
    this.name = 'MalformedMessageError';
  }
}

/** a fault of one step of the batch's preparation, kept for the records it concerns */
class PreparationError extends SafeReasonError {
  constructor(step: string, cause: unknown) {
    super(`${step} failed`, { cause });
    this.name = 'PreparationError';
  }
}

/**
 * One record of a batch that was not stored (it is retried, and reaches the DLQ after its receives): what the
 * process step logs. `reason` is safe to log: error names and our own messages, never a value from the response.
 */
export class RecordNotStoredError extends Error {
  constructor(
    readonly messageId: string,
    readonly responseId: string | undefined,
    readonly reason: string,
    cause: unknown,
  ) {
    super(`response ${responseId ?? '(unparsed)'} not stored: ${reason}`, { cause });
    this.name = 'RecordNotStoredError';
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

/** a survey that cannot be read keeps the safe default: redact */
export const redactsComments = (survey: Survey | undefined) => survey?.privacy?.comments !== 'keep';

/** the comment and redaction state to store for a redaction outcome (a failed one: pending, no rescore tried yet) */
export function redactedComment(outcome: RedactionOutcome): { comment: string; redaction: StoredRedaction } {
  const found = Object.keys(outcome.found).length > 0 ? { found: outcome.found } : {};
  if (outcome.status === 'redacted') return { comment: outcome.text, redaction: { status: 'redacted', ...found } };
  return { comment: outcome.text, redaction: { status: 'pending', ...found, attempts: 0 } };
}

export function makeProcessResponses({ store, sentiment, dirty, clock, surveys, erasures, redactor }: ProcessResponsesDeps) {
  // both ports are asked by message id, not response id: two revisions of one invitation's response may share a batch
  // `redacted`: for a comment whose language its locale does not give (none, or the comment is in another script:
  // comment-language.ts), the language the redactor detected (not detected twice)
  async function scoreComments(responses: [messageId: string, QueuedResponse][], redacted: ReadonlyMap<string, { language?: string }>): Promise<Map<string, SentimentOutcome>> {
    const requests = responses
      .filter(([, r]) => r.comment)
      .map(([messageId, r]) => ({ id: messageId, text: r.comment as string, language: commentLanguage(r.locale, r.comment as string) ?? redacted.get(messageId)?.language }));
    if (requests.length === 0) return new Map();
    try {
      const outcomes = await sentiment.analyze(requests);
      return new Map(outcomes.map((o) => [o.id, o]));
    } catch {
      // the port promises not to reject; if an adapter does anyway, the responses are still stored, pending
      return new Map();
    }
  }

  /** a record whose redaction failed is in `failed`: it is retried, never stored unredacted */
  async function redactComments(
    responses: [messageId: string, QueuedResponse][],
    surveyOf: (id: string) => Survey | undefined,
    failed: Map<string, Error>,
  ): Promise<Map<string, { comment: string; redaction: StoredRedaction; language?: string }>> {
    const result = new Map<string, { comment: string; redaction: StoredRedaction; language?: string }>();
    const requests = [];
    for (const [messageId, r] of responses) {
      if (!r.comment) continue;
      if (!redactor) continue;
      if (!redactsComments(surveyOf(r.surveyId))) result.set(messageId, { comment: r.comment, redaction: { status: 'kept' } });
      else requests.push({ id: messageId, text: r.comment, language: commentLanguage(r.locale, r.comment) });
    }
    if (requests.length === 0 || !redactor) return result;
    let outcomes: RedactionOutcome[] = [];
    try {
      outcomes = await redactor.redact(requests);
    } catch (error) {
      // the port promises not to reject; if an adapter does anyway, the records with comments to redact are retried
      for (const request of requests) failed.set(request.id, new PreparationError('PII redaction', error));
      return result;
    }
    for (const outcome of outcomes) result.set(outcome.id, { ...redactedComment(outcome), ...(outcome.status === 'redacted' && outcome.language ? { language: outcome.language } : {}) });
    for (const request of requests) if (!result.has(request.id)) failed.set(request.id, new PreparationError('PII redaction (no outcome)', undefined));
    return result;
  }

  /** prepares a batch (never throws for one record's fault); `store(messageId)` then stores one message */
  return async function prepareBatch(messages: readonly QueueMessage[]) {
    const parsed = new Map<string, QueuedResponse>();
    for (const { messageId, body } of messages) {
      try {
        const result = queuedResponseSchema.safeParse(JSON.parse(body));
        // metadata values lose e-mails and phone numbers here, whatever the survey (redact-values.ts)
        if (result.success) parsed.set(messageId, result.data.metadata ? { ...result.data, metadata: redactedValues(result.data.metadata) } : result.data);
      } catch {
        // not JSON: left out, and fails in store()
      }
    }
    // a fault of a lookup fails the records that need it, not the batch: the others are stored
    const failed = new Map<string, Error>();
    const failAll = (which: (r: QueuedResponse) => boolean, error: Error) => {
      for (const [messageId, r] of parsed) if (which(r)) failed.set(messageId, error);
    };
    const surveyById = new Map<string, Survey | undefined>();
    if (surveys) {
      for (const surveyId of new Set([...parsed.values()].map((r) => r.surveyId))) {
        try {
          surveyById.set(surveyId, await surveys.get(surveyId));
        } catch (error) {
          failAll((r) => r.surveyId === surveyId, new PreparationError('survey lookup', error));
        }
      }
    }
    const live = () => [...parsed].filter(([messageId]) => !failed.has(messageId));
    const redacted = await redactComments(live(), (id) => surveyById.get(id), failed);
    // what every later step sees: the redacted comment; one whose redaction is pending is neither scored nor followed up
    const ready = new Map(
      live().map(([messageId, r]): [string, QueuedResponse & { redaction?: StoredRedaction }] => {
        const privacy = redacted.get(messageId);
        return [messageId, privacy ? { ...r, comment: privacy.comment, redaction: privacy.redaction } : r];
      }),
    );
    const outcomes = await scoreComments([...ready].filter(([, r]) => r.redaction?.status !== 'pending'), redacted);
    const customerRefs = [...ready.values()].flatMap((r) => (r.customerRef ? [r.customerRef] : []));
    let erased = new Map<string, string>();
    try {
      if (erasures && customerRefs.length > 0) erased = await erasures.erasedAt(customerRefs);
    } catch (error) {
      failAll((r) => r.customerRef !== undefined, new PreparationError('erasure lookup', error));
    }

    /** whether the response's customer has been erased since it was received, as the erasures read now (6.) */
    const erasedNow = async (response: QueuedResponse) =>
      erasedBefore(response.receivedAt, (await erasures!.erasedAt([response.customerRef!])).get(response.customerRef!));

    async function storeOne(messageId: string): Promise<'stored' | 'duplicate' | 'erased'> {
      const failure = failed.get(messageId);
      if (failure) throw failure;
      const response = ready.get(messageId);
      if (!response) throw new MalformedMessageError(messageId);
      if (response.customerRef && erasedBefore(response.receivedAt, erased.get(response.customerRef))) {
        // a redelivery of one that an earlier attempt stored before its second look (6.) failed: delete it now, then
        // mark its minute, which a neighbour's mark may have rolled up with it counted (a message never stored
        // costs one recomputation of its minute)
        await store.removeErased(response.id);
        await dirty.mark(response.surveyId, minuteKeyOf(response.receivedAt), clock.now());
        return 'erased';
      }
      const stored = { ...response, sentiment: response.comment ? storedSentimentOf(outcomes.get(messageId)) : null };
      const survey = surveys ? (surveyById.get(response.surveyId) ?? (await surveys.get(response.surveyId))) : undefined;
      const redactionPending = response.redaction?.status === 'pending';
      const reasons = survey && !redactionPending ? detractorReasons(survey, stored) : [];
      const item = {
        ...stored,
        storedAt: clock.now().toISOString(),
        ...(reasons.length > 0 ? { followUp: { reasons } } : {}),
      };
      if (item.revision !== undefined && !store.putRevision) throw new Error('this response store cannot replace revisions');
      const outcome = item.revision !== undefined && store.putRevision ? await store.putRevision(item) : await store.putIfAbsent(item);
      // 6. (before the mark: the rollup of that minute then counts the response's removal)
      // (after a duplicate too: the attempt that stored it may have failed before its own second look)
      const erasedMeanwhile = response.customerRef !== undefined && erasures !== undefined && (await erasedNow(response));
      if (erasedMeanwhile) await store.removeErased(item.id);
      await dirty.mark(response.surveyId, minuteKeyOf(response.receivedAt), clock.now());
      return erasedMeanwhile ? 'erased' : outcome;
    }

    return {
      /** stores one message; throws a RecordNotStoredError if it must be retried */
      async store(messageId: string): Promise<'stored' | 'duplicate' | 'erased'> {
        try {
          return await storeOne(messageId);
        } catch (error) {
          throw new RecordNotStoredError(messageId, parsed.get(messageId)?.id, reasonOf(error), error);
        }
      },
    };
  };
}
