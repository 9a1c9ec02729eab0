// use case: score the comments of responses stored while the sentiment provider was failing.
//   1. read a page of responses whose sentiment is pending and due (expired ones are never read; one waiting out its
//      backoff is left for a later run)
//   1b. finish the redaction of comments stored while the PII provider was failing. One that fails again stays pending
//      (not scored, not followed up), due again after the same growing wait as a sentiment (./rescore-schedule.ts): a
//      provider fault (outage, throttling, timeout) is retried for as long as it lasts, since a final local-only
//      redaction would keep the names and addresses the local redactor cannot find; a comment the provider itself
//      refused MAX_REJECTIONS times keeps its local redaction as final (`local-only`). One this run never sent (its
//      Comprehend rate cap ran out first) is left as it is, due at once: the backlog drains in age order
//   2. score them in one call
//   3. settle each that now has an outcome. One that failed again stays pending, due again after a growing wait
//      (./rescore-schedule.ts): a provider fault (outage, throttling, timeout) is retried for as long as it lasts;
//      a comment the provider itself refused MAX_REJECTIONS times is stored unscored with the provider's reason
//   4. mark the bucket of each settled response dirty, so its aggregate's sentiment counts follow
//   5. a response that the new sentiment makes a detractor (its survey's detractorRules) is marked for follow-up
//   6. the response leaves the settling state. Step 3 leaves it `settling` (store.listSettling) rather than done, so a
//      run that dies before 6 leaves it to the next run, which writes its marks again (both marks are idempotent);
//      marking after the settle, not before, means a rollup between the two cannot clear the mark too early
//   7. finish the responses an earlier run left settling: steps 4 to 6 again, from the stored sentiment. Listed and
//      finished alongside steps 1 to 6, not after them: the marks being idempotent, one that both paths reach (an
//      index read lagging behind this run's own settle) is marked once all the same
// Every write to a response (1b, 3, 5, 6) is conditional on the item being the one read (ReadResponse: its revision,
// store time and comment), and a settle that found it changed writes no marks. So a customer's newer revision of an
// e-mail answer, stored while a provider call was under way, stays exactly as its own processing stored it (never
// given the older revision's comment, sentiment or detractor reasons); if it is pending itself, a later run rescores
// it from what it holds
import type { Clock } from '../clock.js';
import { detractorReasons } from '../followups/detractor.js';
import { addFound, type PiiRedactor, type RedactionOutcome } from '../privacy/port.js';
import type { SurveyStore } from '../survey/survey-store.js';
import { redactedComment, storedSentimentOf } from '../response/process-responses.js';
import { minuteKeyOf } from '../rollup/bucket.js';
import type { DirtyBuckets } from '../rollup/dirty-buckets.js';
import type { ResponseStore, StoredRedaction, StoredResponse, StoredSentiment } from '../response/stored-response.js';
import { commentLanguage } from './comment-language.js';
import type { SentimentAnalyzer, SentimentOutcome } from './port.js';
import { nextRescoreAt } from './rescore-schedule.js';

/**
 * the provider's refusals of one comment itself (not outages) before it is stored unscored, or, for a pending
 * redaction, before its local redaction is final
 */
export const MAX_REJECTIONS = 3;

export interface RescorePendingDeps {
  store: ResponseStore;
  sentiment: SentimentAnalyzer;
  dirty: DirtyBuckets;
  clock: Clock;
  /** the surveys' detractor rules; without it, no late-scored response is marked for follow-up */
  surveys?: SurveyStore;
  /** finishes redactions left pending by a PII provider fault */
  redactor?: PiiRedactor;
}

type Privacy = { comment: string; redaction: StoredRedaction };

export function makeRescorePending({ store, sentiment, dirty, clock, surveys, redactor }: RescorePendingDeps) {
  /** 1b: the responses whose redaction is now final (with their new comment), and which stay pending */
  async function finishRedactions(pending: StoredResponse[]): Promise<{ privacy: Map<string, Privacy>; waiting: Set<string> }> {
    const privacy = new Map<string, Privacy>();
    const waiting = new Set<string>();
    const unfinished = pending.filter((r) => r.redaction?.status === 'pending');
    if (unfinished.length === 0 || !redactor) return { privacy, waiting };
    const outcomes = await redactor.redact(
      unfinished.map((r) => ({ id: r.id, text: r.comment as string, language: commentLanguage(r.locale, r.comment as string) })),
    );
    const byId = new Map(unfinished.map((r) => [r.id, r]));
    for (const outcome of outcomes) {
      const response = byId.get(outcome.id);
      if (!response) continue;
      const found = addFound(response.redaction?.found ?? {}, outcome.found);
      if (outcome.status === 'redacted') {
        privacy.set(outcome.id, redactedComment({ ...outcome, found }));
        continue;
      }
      if (outcome.untried) {
        // never sent: left as stored, due at once, not counted
        waiting.add(outcome.id);
        continue;
      }
      const redaction = afterRedactionFailure(outcome, response.redaction, found);
      if (redaction.status === 'local-only') {
        privacy.set(outcome.id, { comment: outcome.text, redaction });
        continue;
      }
      // still pending: the response is due again when its redaction is (the pending index's filter reads the
      // sentiment's nextAttemptAt); its sentiment, never tried while the redaction is pending, is otherwise kept
      waiting.add(outcome.id);
      const sentiment = response.sentiment?.status === 'pending' ? response.sentiment : { status: 'pending' as const };
      const nextAttemptAt = nextRescoreAt(clock.now(), redaction.attempts ?? 1);
      await store.settleSentiment(response, { ...sentiment, nextAttemptAt }, { comment: outcome.text, redaction });
    }
    return { privacy, waiting };
  }

  /**
   * steps 4 to 6 for a response whose final sentiment is stored: `response` is the item as stored with it. Its marks
   * are written for that item only: once a newer revision has replaced it (an e-mail answer given again), they are
   * no-ops, and the newer revision is marked by its own processing or rescore
   */
  async function markSettled(response: StoredResponse, sentiment: StoredSentiment): Promise<void> {
    await dirty.mark(response.surveyId, minuteKeyOf(response.receivedAt), clock.now());
    const survey = surveys ? await surveys.get(response.surveyId) : undefined;
    if (survey && !response.followUp) {
      const reasons = detractorReasons(survey, { ...response, sentiment });
      if (reasons.length > 0) await store.markDetractor(response, reasons);
    }
    await store.settlingDone(response);
  }

  /** 7: what an earlier run settled and died before finishing */
  async function finishSettling(pageSize: number): Promise<void> {
    for (const response of await store.listSettling(pageSize)) {
      if (response.sentiment) await markSettled(response, response.sentiment);
    }
  }

  return async function rescorePending(pageSize = 100): Promise<{ settled: number; stillPending: number }> {
    const [result] = await Promise.all([rescore(pageSize), finishSettling(pageSize)]);
    return result;
  };

  async function rescore(pageSize: number): Promise<{ settled: number; stillPending: number }> {
    const listed = (await store.listPendingSentiment(pageSize, clock.now())).filter((r) => r.comment);
    if (listed.length === 0) return { settled: 0, stillPending: 0 };
    const { privacy, waiting } = await finishRedactions(listed);
    const pending = listed.filter((r) => !waiting.has(r.id)).map((r) => (privacy.has(r.id) ? { ...r, ...privacy.get(r.id) } : r));
    if (pending.length === 0) return { settled: 0, stillPending: listed.length };
    const requests = pending.map((r) => ({
      id: r.id,
      text: r.comment as string,
      language: commentLanguage(r.locale, r.comment as string) ?? r.sentiment?.language,
    }));
    // the port promises not to reject; if an adapter does anyway, this run counts as a provider fault for each
    const outcomes = await sentiment
      .analyze(requests)
      .catch(() => requests.map(({ id, language }) => ({ id, status: 'failed' as const, reason: 'provider-error', ...(language ? { language } : {}) })));
    const read = new Map(listed.map((r) => [r.id, r]));
    const byId = new Map(pending.map((r) => [r.id, r]));
    let settled = 0;
    for (const outcome of outcomes) {
      const [before, response] = [read.get(outcome.id), byId.get(outcome.id)];
      if (!before || !response) continue;
      const next = outcome.status === 'failed' ? afterFailure(outcome, response.sentiment, clock.now()) : storedSentimentOf(outcome);
      // written only if the item is still the one read: a newer revision stored meanwhile is left as it is
      const written = await store.settleSentiment(before, next, privacy.get(outcome.id));
      if (!written || next.status === 'pending') continue;
      await markSettled({ ...response, sentiment: next }, next);
      settled += 1;
    }
    return { settled, stillPending: listed.length - settled };
  }
}

/**
 * step 1b for a comment whose redaction failed again: pending (counting the attempt, and the refusal if it was one),
 * or final with the local redaction once the provider refused the comment itself MAX_REJECTIONS times. An item stored
 * before refusals were told apart has `attempts` only: its failures are taken as faults, so it goes on where its
 * backoff stands and is never made final by what may have been an outage.
 */
function afterRedactionFailure(
  outcome: Extract<RedactionOutcome, { status: 'failed' }>,
  previous: StoredRedaction | undefined,
  found: Record<string, number>,
): StoredRedaction {
  const counts = Object.keys(found).length > 0 ? { found } : {};
  const failures = failuresAfter(previous, outcome.rejected);
  if (failures.final) return { status: 'local-only', ...counts, reason: outcome.reason };
  return { status: 'pending', ...counts, ...failures.counted };
}

/**
 * one more failure of a pending sentiment or redaction: its attempts (which set the backoff) and its refusals, or
 * `final` once the provider refused the comment itself MAX_REJECTIONS times
 */
function failuresAfter(before: { attempts?: number; rejections?: number } | undefined, rejected: boolean | undefined) {
  const rejections = (before?.rejections ?? 0) + (rejected ? 1 : 0);
  const attempts = (before?.attempts ?? 0) + 1;
  return { final: rejections >= MAX_REJECTIONS, counted: { attempts, ...(rejections > 0 ? { rejections } : {}) } };
}

/** step 3 for a comment not scored this time: pending until its next attempt is due, or unscored once refused too often */
function afterFailure(outcome: Extract<SentimentOutcome, { status: 'failed' }>, previous: StoredSentiment | null | undefined, now: Date): StoredSentiment {
  const before = previous?.status === 'pending' ? previous : undefined;
  const failures = failuresAfter(before, outcome.rejected);
  const language = outcome.language ?? before?.language;
  if (failures.final) return { status: 'unscored', language: language ?? 'und', reason: outcome.reason };
  return { status: 'pending', ...(language ? { language } : {}), ...failures.counted, nextAttemptAt: nextRescoreAt(now, failures.counted.attempts) };
}
