// domain: what a survey definition must meet to be put, beyond surveySchema. surveySchema also parses every stored
// survey as it is read, so a rule added there would make a survey stored before it unreadable (every submission to it
// a 500); the rules here hold for a definition from now on and are checked by PUT only (put-survey.ts). Pure.
import { tokenIdOf, type AccessToken } from '../access/tokens.js';
import { displayName } from '../display-text.js';
import type { ErrorDetail } from '../errors.js';
import { showsNothing } from '../submission/comment-text.js';
import { MAX_ROOT_CAUSE_LENGTH } from '../followups/root-causes.js';
import { leadNotGranted } from '../followups/task-refusals.js';
import type { Survey } from './schema.js';

// blank as a comment is: nothing visible, so a title of zero-width spaces is as empty a heading as one of spaces
const blank = showsNothing;

/**
 * Why the definition cannot be put, none when it can:
 *   - a blank title, locale title or question label (shown as an empty heading), or a blank keyword (a comment holding
 *     a space would make every response a detractor); blank as a comment is blank, with nothing visible in it
 *   - two locales whose tags differ only in case ("en" and "EN" name one language: which texts a visitor gets would
 *     depend on how their browser spells it)
 *   - a root cause the console could not show as written (display-text.ts)
 *   - a touchpoint assigned to a lead that is not one of the survey's leads (no such cx token, revoked, or not granted
 *     this survey): its tasks would silently go to nobody. The lead may have been granted the survey before it was
 *     first put, as a lead's grant may name a survey not created yet.
 */
export function definitionRefusals(survey: Survey, tokens: readonly AccessToken[]): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  if (blank(survey.title)) details.push({ path: 'title', reason: 'must not be blank' });

  const locales = new Map<string, string>();
  for (const [locale, texts] of Object.entries(survey.texts)) {
    const same = locales.get(locale.toLowerCase());
    if (same !== undefined) details.push({ path: `texts.${locale}`, reason: `the same locale as "${same}" (locale tags ignore case)` });
    else locales.set(locale.toLowerCase(), locale);
    if (blank(texts.title)) details.push({ path: `texts.${locale}.title`, reason: 'must not be blank' });
    for (const [questionId, text] of Object.entries(texts.questions)) {
      if (blank(text.label)) details.push({ path: `texts.${locale}.questions.${questionId}.label`, reason: 'must not be blank' });
    }
  }

  survey.detractorRules.keywords.forEach((keyword, i) => {
    if (blank(keyword)) details.push({ path: `detractorRules.keywords.${i}`, reason: 'must not be blank' });
  });

  const rootCause = displayName(MAX_ROOT_CAUSE_LENGTH);
  survey.followUp.rootCauses.forEach((cause, i) => {
    const checked = rootCause.safeParse(cause);
    if (!checked.success) details.push({ path: `followUp.rootCauses.${i}`, reason: checked.error.issues[0]?.message ?? 'invalid' });
  });

  for (const [touchpoint, leadId] of Object.entries(survey.followUp.assignment.touchpoints ?? {})) {
    const reason = leadProblem(tokens, leadId, survey.id);
    if (reason) details.push({ path: `followUp.assignment.touchpoints.${touchpoint}`, reason });
  }
  return details;
}

function leadProblem(tokens: readonly AccessToken[], leadId: string, surveyId: string): string | undefined {
  const lead = tokens.find((t) => t.id === tokenIdOf(leadId));
  if (!lead || lead.role !== 'cx') return `no CX lead with id "${leadId}" (see GET /v1/cx-leads)`;
  if (lead.revokedAt !== undefined) return `the CX lead "${lead.name}" has a revoked token`;
  if (!Array.isArray(lead.surveys) || !lead.surveys.includes(surveyId)) return leadNotGranted(lead.name, surveyId);
  return undefined;
}
