// domain: which of a survey's locale texts a respondent gets: the exact locale, else the same language, else the
// survey's default. Pure.
import type { Survey } from '../survey/schema.js';

export type LocaleTexts = Survey['texts'][string];

export function textsFor(survey: Survey, locale: string | undefined): { locale: string; texts: LocaleTexts } {
  const available = Object.keys(survey.texts);
  const wanted = locale?.toLowerCase();
  const exact = wanted ? available.find((l) => l.toLowerCase() === wanted) : undefined;
  const language = wanted?.split('-')[0];
  const sameLanguage = language ? available.find((l) => l.toLowerCase().split('-')[0] === language) : undefined;
  const chosen = exact ?? sameLanguage ?? survey.defaultLocale;
  return { locale: chosen, texts: survey.texts[chosen] ?? survey.texts[survey.defaultLocale]! };
}
