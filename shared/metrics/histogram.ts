// domain: the mergeable summary of a set of responses. A rollup bucket (survey × hour) stores one per segment;
// a day, week, month or rolling window is the merge of its hours. Counts only: merging is adding, so any split of
// the same responses into buckets merges to the same histogram.
import type { SentimentLabel } from '../sentiment/port.js';

/** counts[i] = how many answered score i (index 0 unused on 1-based scales) */
export type ScoreCounts = number[];

export interface QuestionHistogram {
  type: 'nps' | 'csat' | 'ces' | 'rating';
  /** the scale's top score: 10 (nps), 5 (csat), 7 (ces), 5 or 10 (rating) */
  max: number;
  counts: ScoreCounts;
}

export interface Histogram {
  /** distinct responses summarised */
  responses: number;
  /** per question id; a question nobody answered is absent or all zeros */
  questions: Record<string, QuestionHistogram>;
  /** comments whose sentiment was scored, by label (unscored, pending and no-comment are not counted) */
  sentiment: Record<SentimentLabel, number>;
  /**
   * comments in no sentiment total: `pending` until the rescore scores them, `notCovered` stored unscored (a language
   * the scorer does not cover or cannot tell, or a comment the provider refused). Absent on aggregates stored before it.
   */
  unscoredComments?: UnscoredComments;
}

export interface UnscoredComments {
  pending: number;
  notCovered: number;
}

export const emptyHistogram = (): Histogram => ({
  responses: 0,
  questions: {},
  sentiment: { POSITIVE: 0, NEGATIVE: 0, NEUTRAL: 0, MIXED: 0 },
  unscoredComments: { pending: 0, notCovered: 0 },
});
