// domain: how a follow-up task reads to a person, the same in the CX console and the CLI: why it was opened (each
// reason as a message key with its values, worded by each surface in its reader's language), each scored question by
// its label in the reader's language, and what became of the comment's sentiment. Pure, and at run time it imports only
// the zod-free answer ranges: the console bundles it.
import type { StoredSentiment } from '../response/stored-response.js';
import { answerRange } from '../survey/answer-range.js';
import type { ScoredQuestion } from '../survey/schema.js';
import type { DetractorReason } from './detractor.js';

/** what the console's card and the CLI's line say of a task's response, as the CX API returns it */
export interface TaskResponseFacts {
  answers: Record<string, number>;
  comment?: string;
  sentiment?: { status: string } | null;
  channel: string;
  touchpoint?: string;
  journeyStage?: string;
  campaign?: string;
  customerRef?: string;
}

/** a message to put in words: its key, and the values of its {placeholders} */
export interface Wording<K extends string> {
  key: K;
  vars: Record<string, string | number>;
}

export type ReasonKey = 'reasonNps' | 'reasonCsat' | 'reasonCes' | 'reasonNegativeComment' | 'reasonKeyword' | 'reasonOther';
export type SentimentKey = 'sentimentScored' | 'notScored' | 'notScoredUnknown' | 'sentimentPending';

/** the English words: the CLI prints them, the console's English table takes them (its other languages: strings.ts) */
export const TASK_WORDS_EN: Record<ReasonKey | SentimentKey, string> = {
  reasonNps: 'NPS {score} (≤ {atMost})',
  reasonCsat: 'CSAT {score} (≤ {atMost})',
  reasonCes: 'CES {score} (≤ {atMost})',
  reasonNegativeComment: 'negative comment ({confidence} ≥ {atLeast})',
  reasonKeyword: 'keyword “{keyword}”',
  reasonOther: '{rule}',
  sentimentScored: '{label} ({confidence})',
  notScored: 'not scored ({language})',
  notScoredUnknown: 'not scored (language not recognised)',
  sentimentPending: 'waiting to be scored',
};

/** `template` with its {name} placeholders filled from `vars` (an unknown name stays as written) */
export const fillWords = (template: string, vars: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (match, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : match));

const confidence = (value: number) => value.toFixed(2);

/** why a task was opened, one reason: "NPS 2 (≤ 6)", "negative comment (0.95 ≥ 0.80)", "keyword “refund”" */
export function reasonWording(reason: DetractorReason | { rule: string }): Wording<ReasonKey> {
  const r = reason as DetractorReason;
  switch (r.rule) {
    case 'nps':
    case 'csat':
    case 'ces':
      return { key: r.rule === 'nps' ? 'reasonNps' : r.rule === 'csat' ? 'reasonCsat' : 'reasonCes', vars: { score: r.score, atMost: r.atMost } };
    case 'negative-comment':
      return { key: 'reasonNegativeComment', vars: { confidence: confidence(r.confidence), atLeast: confidence(r.atLeast) } };
    case 'keyword':
      return { key: 'reasonKeyword', vars: { keyword: r.keyword } };
    default:
      // a rule a later version added: its name, rather than nothing
      return { key: 'reasonOther', vars: { rule: reason.rule } };
  }
}

/** BCP 47 "undetermined": the language of a comment the scorer could not tell */
const UNDETERMINED = 'und';

/** what became of the comment's sentiment: scored (label and its confidence), not scored (its language), pending */
export function sentimentWording(sentiment: StoredSentiment | { status: string } | null | undefined): Wording<SentimentKey> | null {
  const s = sentiment as StoredSentiment | null | undefined;
  switch (s?.status) {
    case 'scored': {
      const score = s.scores?.[s.label.toLowerCase() as keyof typeof s.scores];
      return { key: 'sentimentScored', vars: { label: s.label, confidence: typeof score === 'number' ? confidence(score) : '—' } };
    }
    case 'unscored':
      return s.language && s.language !== UNDETERMINED ? { key: 'notScored', vars: { language: s.language } } : { key: 'notScoredUnknown', vars: {} };
    case 'pending':
      return { key: 'sentimentPending', vars: {} };
    default:
      return null;
  }
}

/** what of a survey a task's scores are read with: its questions and their texts per locale (GET /v1/surveys/{id}) */
export interface SurveyWords {
  defaultLocale: string;
  texts: Record<string, { questions: Record<string, { label: string } | undefined> } | undefined>;
  questions: { id: string; type: string; max?: number }[];
}

/** the survey's locale for `language`: the same tag, else the same language ("zh-CN" reads "zh", "en" reads "en-GB") */
function localeFor(survey: SurveyWords, language: string): string | undefined {
  const locales = Object.keys(survey.texts);
  const wanted = language.toLowerCase();
  const primary = (tag: string) => tag.toLowerCase().split('-')[0];
  return locales.find((l) => l.toLowerCase() === wanted) ?? locales.find((l) => primary(l) === primary(wanted));
}

function labelIn(survey: SurveyWords, locale: string | undefined, questionId: string): string | undefined {
  const questions = locale !== undefined && Object.hasOwn(survey.texts, locale) ? survey.texts[locale]?.questions : undefined;
  // own keys only: a question id such as `constructor` is not Object.prototype's function
  return questions && Object.hasOwn(questions, questionId) ? questions[questionId]?.label : undefined;
}

/** a question's label in `language`, else in the survey's default language, else its id (also without the survey) */
export function questionLabel(survey: SurveyWords | undefined, questionId: string, language: string): string {
  if (!survey) return questionId;
  return labelIn(survey, localeFor(survey, language), questionId) ?? labelIn(survey, survey.defaultLocale, questionId) ?? questionId;
}

export interface LabelledScore {
  question: string;
  label: string;
  score: number;
  /** the top of the question's scale, when the survey still has the question */
  max?: number;
}

/** a task's scores, labelled in `language`: in the survey's question order, then any question it no longer has */
export function labelledScores(answers: Record<string, number>, survey: SurveyWords | undefined, language: string): LabelledScore[] {
  const known = survey?.questions ?? [];
  const order = [...known.map((q) => q.id).filter((id) => Object.hasOwn(answers, id)), ...Object.keys(answers).filter((id) => !known.some((q) => q.id === id))];
  return order.map((id) => {
    const question = known.find((q) => q.id === id);
    // a text question, or a kind this version does not know, has no scale
    const max = question && question.type !== 'text' ? (answerRange(question as ScoredQuestion) as { max: number } | undefined)?.max : undefined;
    return { question: id, label: questionLabel(survey, id, language), score: answers[id]!, ...(max !== undefined ? { max } : {}) };
  });
}
