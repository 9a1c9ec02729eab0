// domain: which responses are detractors (a survey's detractorRules), and how urgent their follow-up is. Pure.
import type { StoredSentiment } from '../response/stored-response.js';
import type { DetractorRules, Survey } from '../survey/schema.js';

/** why a response is a detractor: one entry per rule it broke */
export type DetractorReason =
  | { rule: 'nps'; question: string; score: number; atMost: number }
  | { rule: 'csat'; question: string; score: number; atMost: number }
  | { rule: 'ces'; question: string; score: number; atMost: number }
  | { rule: 'negative-comment'; confidence: number; atLeast: number }
  | { rule: 'keyword'; keyword: string };

export interface ClassifiableResponse {
  answers: Record<string, number>;
  comment?: string;
  sentiment: StoredSentiment | null;
}

/** the reasons `response` is a detractor under the survey's rules; empty when it is not one */
export function detractorReasons(survey: Pick<Survey, 'questions' | 'detractorRules'>, response: ClassifiableResponse): DetractorReason[] {
  const rules: DetractorRules = survey.detractorRules;
  const reasons: DetractorReason[] = [];
  for (const question of survey.questions) {
    if (question.type !== 'nps' && question.type !== 'csat' && question.type !== 'ces') continue;
    // own answers only: a question id such as `constructor` is not Object.prototype's function
    const score = Object.hasOwn(response.answers, question.id) ? response.answers[question.id] : undefined;
    const atMost = { nps: rules.npsAtMost, csat: rules.csatAtMost, ces: rules.cesAtMost }[question.type];
    // a skipped question is not an answer, and a null threshold switches its rule off
    if (score === undefined || atMost === null || score > atMost) continue;
    reasons.push({ rule: question.type, question: question.id, score, atMost });
  }
  const sentiment = response.sentiment;
  if (rules.negativeSentimentAtLeast !== null && sentiment?.status === 'scored' && sentiment.label === 'NEGATIVE') {
    if (sentiment.scores.negative >= rules.negativeSentimentAtLeast) {
      reasons.push({ rule: 'negative-comment', confidence: sentiment.scores.negative, atLeast: rules.negativeSentimentAtLeast });
    }
  }
  const comment = (response.comment ?? '').toLocaleLowerCase();
  if (comment) {
    // substring, case-insensitive: works for scripts without word spaces ("退款") as for "refund"
    const keyword = rules.keywords.find((k) => comment.includes(k.toLocaleLowerCase()));
    if (keyword) reasons.push({ rule: 'keyword', keyword });
  }
  return reasons;
}

export type PriorityLevel = 'urgent' | 'high' | 'normal';

export interface Priority {
  level: PriorityLevel;
  /** 0–100, higher first: how the level was reached */
  score: number;
}

/**
 * Priority from the score, the sentiment and the customer's history:
 *   the lowest score's distance below its threshold, rescaled to 0–40 (an NPS 0 weighs more than a 6);
 *   +25 a strongly negative comment; +15 a keyword that always routes;
 *   +20 the customer already had a follow-up task (repeat detractor), +10 more for two or more.
 * urgent ≥ 60, high ≥ 35, normal below.
 */
export function priorityOf(reasons: readonly DetractorReason[], earlierTasksOfCustomer: number): Priority {
  let severity = 0;
  for (const reason of reasons) {
    if (reason.rule === 'nps' || reason.rule === 'csat' || reason.rule === 'ces') {
      const floor = reason.rule === 'nps' ? 0 : 1;
      const depth = (reason.atMost - reason.score + 1) / (reason.atMost - floor + 1);
      severity = Math.max(severity, Math.round(40 * depth));
    }
  }
  const score = Math.min(
    100,
    severity +
      (reasons.some((r) => r.rule === 'negative-comment') ? 25 : 0) +
      (reasons.some((r) => r.rule === 'keyword') ? 15 : 0) +
      (earlierTasksOfCustomer >= 1 ? 20 : 0) +
      (earlierTasksOfCustomer >= 2 ? 10 : 0),
  );
  return { level: score >= 60 ? 'urgent' : score >= 35 ? 'high' : 'normal', score };
}
