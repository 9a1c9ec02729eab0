// widget ui: pure decisions about a public survey: which locale's texts, which direction, which steps, which scale.
import type { PublicQuestion, PublicSurvey } from '../../../shared/survey/public-survey.js';

export type ScaleQuestion = Exclude<PublicQuestion, { type: 'text' }>;

/** the survey locale that best serves the wanted ones, in order: exact tag, then the same language, then the default */
export function pickLocale(survey: Pick<PublicSurvey, 'texts' | 'defaultLocale'>, wanted: (string | undefined)[]): string {
  const available = Object.keys(survey.texts);
  const language = (tag: string) => tag.toLowerCase().split('-')[0];
  for (const tag of wanted) {
    if (!tag) continue;
    const found = available.find((a) => a.toLowerCase() === tag.toLowerCase()) ?? available.find((a) => language(a) === language(tag));
    if (found) return found;
  }
  return survey.texts[survey.defaultLocale] ? survey.defaultLocale : (available[0] ?? 'en');
}

/** right-to-left scripts: Arabic, Hebrew, Persian, Urdu, Pashto, Yiddish, Dhivehi, Sindhi, Uyghur, Sorani */
export const isRtl = (locale: string) => /^(ar|he|iw|fa|ur|ps|yi|dv|sd|ug|ckb)\b/i.test(locale);

/** one step per question; consecutive rating dimensions share a step; hidden comment boxes and unknown types drop out */
export function stepsOf(questions: PublicQuestion[]): PublicQuestion[][] {
  const steps: PublicQuestion[][] = [];
  for (const question of questions) {
    if (question.type === 'text' ? !question.shown : !['nps', 'csat', 'ces', 'rating'].includes(question.type)) continue;
    const last = steps[steps.length - 1];
    if (question.type === 'rating' && last?.[0]?.type === 'rating') last.push(question);
    else steps.push([question]);
  }
  return steps;
}

/** the inclusive answer range, as the API checks it */
export function scaleOf(question: ScaleQuestion): [number, number] {
  switch (question.type) {
    case 'nps':
      return [0, 10];
    case 'csat':
      return [1, 5];
    case 'ces':
      return [1, 7];
    default:
      return [1, question.max];
  }
}
