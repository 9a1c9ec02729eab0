// domain: building and merging histograms. Pure: every function returns a new histogram and leaves its inputs alone.
// Never throws on data: an answer that is not an integer within its question's range, an answer to a question the
// survey does not have, and an unknown sentiment label are all left out. A skipped question is counted nowhere.
import type { SentimentLabel } from '../sentiment/port.js';
import type { StoredResponse } from '../response/stored-response.js';
import { answerRange, scoredQuestions, type Survey } from '../survey/schema.js';
import { emptyHistogram, type Histogram, type QuestionHistogram } from './histogram.js';

export const SENTIMENT_LABELS: readonly SentimentLabel[] = ['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED'];

/** the largest scale a stored question histogram may claim; anything beyond is treated as corrupt and clamped */
export const MAX_SCALE = 100;

/**
 * The histogram of `responses` of `survey`. The caller picks the responses of this survey (the survey id is not
 * checked); a response id listed more than once counts once (queues deliver at least once).
 */
export function histogramOf(responses: Iterable<StoredResponse>, survey: Survey): Histogram {
  const histogram = emptyHistogram();
  const seen = new Set<string>();
  for (const response of responses) {
    if (seen.has(response.id)) continue;
    seen.add(response.id);
    accumulate(histogram, response, survey);
  }
  return histogram;
}

/**
 * `h` with one more response. The histogram keeps no ids, so adding the same response twice counts it twice: dedupe
 * before (histogramOf does). Equal to `mergeHistograms(h, histogramOf([response], survey))`.
 */
export function addResponse(h: Histogram, response: StoredResponse, survey: Survey): Histogram {
  return mergeHistograms(h, histogramOf([response], survey));
}

/**
 * The histogram of the responses of both sides (which must be disjoint). Commutative and associative, with
 * `emptyHistogram()` as identity (on well-formed histograms: counts of length max + 1). A question on one side only is
 * copied. A question on both sides with different scales (the survey was edited) takes the larger `max` and the
 * shorter counts are padded with zeros; if even the types differ, the side with the larger max wins, ties broken by
 * the fixed order nps < csat < ces < rating, so the result does not depend on the order of merging.
 */
export function mergeHistograms(a: Histogram, b: Histogram): Histogram {
  const questions: Record<string, QuestionHistogram> = {};
  for (const id of new Set([...Object.keys(a.questions ?? {}), ...Object.keys(b.questions ?? {})])) {
    if (id === '__proto__') continue; // not a question id (the schema forbids it); assigning it would swap the prototype
    const merged = mergeQuestion(ownEntry(a.questions, id), ownEntry(b.questions, id));
    if (merged) questions[id] = merged;
  }
  const sentiment = emptyHistogram().sentiment;
  for (const label of SENTIMENT_LABELS) sentiment[label] = countOf(a.sentiment?.[label]) + countOf(b.sentiment?.[label]);
  const unscoredComments = {
    pending: countOf(a.unscoredComments?.pending) + countOf(b.unscoredComments?.pending),
    notCovered: countOf(a.unscoredComments?.notCovered) + countOf(b.unscoredComments?.notCovered),
  };
  return { responses: countOf(a.responses) + countOf(b.responses), questions, sentiment, unscoredComments };
}

/** adds one response into `h` in place: the only mutation in this module, on histograms this module owns */
function accumulate(h: Histogram, response: StoredResponse, survey: Survey): void {
  h.responses += 1;
  const answers: Record<string, unknown> = response.answers ?? {};
  for (const question of scoredQuestions(survey)) {
    if (!Object.hasOwn(answers, question.id)) continue; // skipped: in no denominator
    const value = answers[question.id];
    const { min, max } = answerRange(question);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) continue;
    let entry = ownEntry(h.questions, question.id);
    if (!entry) {
      entry = { type: question.type, max, counts: new Array<number>(max + 1).fill(0) };
      h.questions[question.id] = entry;
    }
    entry.counts[value] = countOf(entry.counts[value]) + 1;
  }
  const sentiment = response.sentiment;
  if (sentiment?.status === 'scored' && SENTIMENT_LABELS.includes(sentiment.label)) h.sentiment[sentiment.label] += 1;
  else if (sentiment?.status === 'pending') h.unscoredComments!.pending += 1;
  else if (sentiment?.status === 'unscored') h.unscoredComments!.notCovered += 1;
}

const TYPE_ORDER: Record<QuestionHistogram['type'], number> = { nps: 0, csat: 1, ces: 2, rating: 3 };

function mergeQuestion(a: QuestionHistogram | undefined, b: QuestionHistogram | undefined): QuestionHistogram | undefined {
  if (!a) return b && normalised(b);
  if (!b) return normalised(a);
  const winner = rank(a) >= rank(b) ? a : b;
  const max = scaleOf(winner);
  const counts = Array.from({ length: max + 1 }, (_, score) => countAt(a, score) + countAt(b, score));
  return { type: winner.type, max, counts };
}

/** a total order on (scale, type): merging keeps the larger, whichever side it is on */
const rank = (q: QuestionHistogram) => scaleOf(q) * 10 + (TYPE_ORDER[q.type] ?? -1);

const normalised = (q: QuestionHistogram): QuestionHistogram => {
  const max = scaleOf(q);
  return { type: q.type, max, counts: Array.from({ length: max + 1 }, (_, score) => countAt(q, score)) };
};

/** `max` as a usable array bound: an integer 0..MAX_SCALE */
const scaleOf = (q: QuestionHistogram) =>
  Number.isFinite(q.max) ? Math.min(Math.max(Math.trunc(q.max), 0), MAX_SCALE) : 0;

/** counts past the histogram's own scale are not part of it */
const countAt = (q: QuestionHistogram, score: number) => (score <= scaleOf(q) ? countOf(q.counts?.[score]) : 0);

const countOf = (value: number | undefined) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** the entry of question `id`, never an inherited property (a question may be called "constructor") */
export const ownEntry = (record: Record<string, QuestionHistogram>, id: string): QuestionHistogram | undefined =>
  record && Object.hasOwn(record, id) ? record[id] : undefined;
