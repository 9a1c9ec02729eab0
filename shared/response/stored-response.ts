// domain: a response as stored and read back, with the sentiment of its comment.
import type { DetractorReason } from '../followups/detractor.js';
import type { SentimentLabel, SentimentScores } from '../sentiment/port.js';
import type { QueuedResponse } from '../submission/schema.js';

export type StoredSentiment =
  | { status: 'scored'; label: SentimentLabel; scores: SentimentScores; language: string }
  | { status: 'unscored'; language: string; reason: string }
  /**
   * the provider failed: the rescore schedule scores it later. `attempts` counts its failed rescores, `nextAttemptAt`
   * is when the next is due (backoff: shared/sentiment/rescore-schedule.ts), `rejections` counts the times the
   * provider refused this comment itself. While the comment's redaction is pending, the sentiment is not tried and
   * `nextAttemptAt` is when the redaction is next due (the rescore's pending index reads this one field for both)
   */
  | { status: 'pending'; language?: string; attempts?: number; nextAttemptAt?: string; rejections?: number };

/**
 * What happened to the comment's personal data (counts by kind, never content): `redacted`; `kept` (the survey's
 * privacy.comments is keep); `pending` while the cloud provider failed: the comment holds the local redaction only,
 * is not scored and not followed up until the rescore schedule finishes it, retrying a provider fault for as long as
 * it lasts; `local-only` when the provider refused the comment itself too often and the local redaction is final.
 */
export interface StoredRedaction {
  status: 'redacted' | 'kept' | 'pending' | 'local-only';
  found?: Record<string, number>;
  /**
   * while pending: the failed rescore attempts, faults and refusals alike (they set the backoff). Items stored before
   * refusals were counted apart have this alone, and their attempts are taken as faults
   */
  attempts?: number;
  /** while pending: the times the provider refused this comment itself (absent: none) */
  rejections?: number;
  /** `local-only`: the provider's last reason for refusing the comment (an error code, never content) */
  reason?: string;
}

export interface StoredResponse extends QueuedResponse {
  /** null when there is no comment to score */
  sentiment: StoredSentiment | null;
  storedAt: string;
  /** present when there is a comment (absent on responses stored before redaction existed) */
  redaction?: StoredRedaction;
  /** present on detractors (the survey's detractorRules): why, and when it was sent to the follow-up queue */
  followUp?: { reasons: DetractorReason[]; routedAt?: string };
}

export interface ResponsePage {
  items: StoredResponse[];
  cursor: string | null;
  /** with `where`: the items read for this page (at most `maxScanned` plus one page of the store's reads) */
  scanned?: number;
}

export interface ResponseQuery {
  surveyId: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
  /** items whose expiry has passed are never returned, even before TTL deletes them */
  now: Date;
  /** only items that pass it are returned (filters the store cannot express) */
  where?: (response: StoredResponse) => boolean;
  /** with `where`: stop after reading about this many items, with a cursor to go on from even if the page is short */
  maxScanned?: number;
  /**
   * end the page before an item that would take its items past this many bytes of a Lambda answer (answer-size.ts),
   * with a cursor to go on from; a page always holds one item at least
   */
  maxAnswerBytes?: number;
}

/**
 * The stored response a rescore worked from: its revision, when it was stored and its comment. A write the rescore
 * worked out from it is a no-op once the item holds anything else: a newer revision of an e-mail answer (which stays
 * as its own processing stored it, and is rescored from what it holds), or a comment redacted again meanwhile.
 */
export type ReadResponse = Pick<StoredResponse, 'id' | 'revision' | 'storedAt' | 'comment'>;

// port: where responses live. Adapter: dynamo-response-store.
export interface ResponseStore {
  /** stores the response unless one with its id exists; answers whether this call stored it */
  putIfAbsent(response: StoredResponse): Promise<'stored' | 'duplicate'>;
  /**
   * stores a response that carries a `revision` unless one with its id and the same or a later revision exists
   * (email survey links: one response per invitation, the latest answer wins); answers whether this call stored it
   */
  putRevision?(response: StoredResponse): Promise<'stored' | 'duplicate'>;
  listBySurvey(query: ResponseQuery): Promise<ResponsePage>;
  /** a customer's responses (any survey), newest first, at most `limit`; none expired or being erased */
  listByCustomer(customerRef: string, limit: number): Promise<StoredResponse[]>;
  /** responses whose sentiment is pending, oldest first; with `dueBy`, only those whose next attempt is due by then */
  listPendingSentiment(limit: number, dueBy?: Date): Promise<StoredResponse[]>;
  /**
   * replaces the pending sentiment of the response `read` (a still-pending one keeps its place in the pending index);
   * a no-op if it was settled meanwhile or the item is no longer `read` (ReadResponse). With `privacy`, the comment and
   * its redaction state are replaced in the same write (a pending redaction finished, or failed again). A final
   * sentiment moves the response to `listSettling` until `settlingDone`: its marks are still to be written. Answers
   * whether it wrote.
   */
  settleSentiment(read: ReadResponse, sentiment: StoredSentiment, privacy?: { comment: string; redaction: StoredRedaction }): Promise<boolean>;
  /** responses whose final sentiment is stored but whose marks (dirty bucket, detractor) may not be yet */
  listSettling(limit: number): Promise<StoredResponse[]>;
  /** the marks of the settled response `read` are written: it leaves `listSettling` (a no-op once the item is not `read`) */
  settlingDone(read: ReadResponse): Promise<void>;
  /**
   * marks the stored response `read` a detractor (found once its sentiment was scored late); a no-op if it already is
   * one or the item is no longer `read`
   */
  markDetractor(read: ReadResponse, reasons: DetractorReason[]): Promise<void>;
  /** detractors not yet sent to the follow-up queue, oldest first */
  listUnrouted(limit: number): Promise<StoredResponse[]>;
  /** records that a detractor was sent to the follow-up queue (leaves the unrouted index); no-op if already routed */
  markRouted(responseId: string, at: Date): Promise<void>;
  /** deletes a response that its customer's erasure, running while it was stored, could not find (process step, 6) */
  removeErased(responseId: string): Promise<void>;
}
