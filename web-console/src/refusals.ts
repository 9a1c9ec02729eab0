// console: what the API refused, in the lead's words and language. A value refused (400) is said under the form it was
// typed in, naming the field: the API names the field by its path ("text") and the rule in its own terms (code points,
// English); a lead reads the form's label and a plain sentence, and focus can go to the field. The API's reasons the
// console knows come from shared/display-text-rule.ts and shared/followups/task-refusals.ts; a reason the console has
// no words for is shown as the API gave it: nothing is hidden.
import { LINES, NAME_CHARACTERS_REASON, NOTE_CHARACTERS_REASON, ONE_LINE } from '../../shared/display-text-rule.js';
import {
  ACTION_NEEDS_TEXT,
  ACTION_REQUIRED,
  BULK_REASON_REQUIRED,
  NOTE_NEEDS_TEXT,
  readLeadNotGranted,
  readNotARootCause,
  readSurveyNotGranted,
  readTransitionRefused,
  REASON_NEEDS_TEXT,
  REASON_REQUIRED,
  ROOT_CAUSE_NEEDS_TEXT,
  ROOT_CAUSE_REQUIRED,
  TASK_CHANGING_TOO_OFTEN,
  TASK_NOT_FOUND,
} from '../../shared/followups/task-refusals.js';
import { ApiProblem, describeProblem } from './api.js';
import { h } from './dom.js';
import type { StringKey, Translate } from './strings.js';

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** the rules the console has words for: the reason the API gives, and what a value may hold under it */
const CHARACTER_RULES = new Map([
  [NAME_CHARACTERS_REASON, ONE_LINE],
  [NOTE_CHARACTERS_REASON, LINES],
]);
/** how much of the text before a refused character is quoted, so the lead finds where it is */
const QUOTED_BEFORE = 20;

/** the API's fixed reasons, and the words for each */
const FIXED_REASONS = new Map<string, StringKey>([
  [NOTE_NEEDS_TEXT, 'refusedEmpty'],
  [ACTION_NEEDS_TEXT, 'refusedEmpty'],
  [REASON_NEEDS_TEXT, 'refusedEmpty'],
  [ROOT_CAUSE_NEEDS_TEXT, 'refusedEmpty'],
  [ROOT_CAUSE_REQUIRED, 'refusedEmpty'],
  [ACTION_REQUIRED, 'refusedEmpty'],
  [REASON_REQUIRED, 'refusedEmpty'],
  [BULK_REASON_REQUIRED, 'refusedEmpty'],
  [TASK_NOT_FOUND, 'refusedTaskGone'],
  [TASK_CHANGING_TOO_OFTEN, 'refusedTaskBusy'],
]);
/** an action a task's status refused, by the action's name in the API */
const TRANSITION_WORDS: Record<string, StringKey> = { claim: 'refusedClaim', contacted: 'refusedContacted', resolve: 'refusedResolve', assign: 'refusedAssign' };

/** every message a refusal may be said with (beside the field's label), for the test that each language has it */
export const REFUSAL_KEYS: readonly StringKey[] = [
  ...new Set<StringKey>([...FIXED_REASONS.values(), ...Object.values(TRANSITION_WORDS), 'refusedRootCause', 'refusedNotGranted', 'refusedLeadNotGranted', 'invisibleCharacter', 'invisibleCharacterAfter', 'actionFailed', 'bulkNotDone', 'refusedNoReason']),
];

/** an API reason that does not depend on what was typed, in words; undefined: no words for it */
export function reasonWording(reason: string, t: Translate): string | undefined {
  const fixed = FIXED_REASONS.get(reason);
  if (fixed) return t(fixed);
  const transition = readTransitionRefused(reason);
  const said = transition && TRANSITION_WORDS[transition.action];
  if (transition && said) return t(said, { status: t(`status_${transition.status}` as StringKey) });
  const notListed = readNotARootCause(reason);
  if (notListed) return t('refusedRootCause', notListed);
  const survey = readSurveyNotGranted(reason);
  if (survey) return t('refusedNotGranted', survey);
  const lead = readLeadNotGranted(reason);
  if (lead) return t('refusedLeadNotGranted', lead);
  return undefined;
}

/** a problem as one line: in words when the console knows each of the API's reasons, else as the API gave it */
export function problemWording(error: unknown, t: Translate): string {
  if (!(error instanceof ApiProblem)) return describeProblem(error, t('networkError'));
  const reasons = error.body?.details?.map((detail) => detail.reason) ?? [error.body?.error ?? ''];
  const said = reasons.map((reason) => reasonWording(reason, t));
  return said.length && said.every((words) => words !== undefined) ? said.join(' ') : describeProblem(error, t('networkError'));
}

/**
 * a refused value's reason in words: a refused character pointing at where it sits in what was typed, else the
 * reason's own words; undefined: no words for it
 */
export function refusalWording(reason: string, value: string, t: Translate): string | undefined {
  const allowed = CHARACTER_RULES.get(reason);
  if (!allowed) return reasonWording(reason, t);
  const characters = [...value.trim()];
  const at = characters.findIndex((character) => !allowed.test(character));
  // the words before it on its own line
  const line = characters.slice(0, Math.max(0, at)).join('').split(/[\n\r]/).at(-1)!;
  const before = [...line].slice(-QUOTED_BEFORE).join('').trimStart();
  return before ? t('invisibleCharacterAfter', { before }) : t('invisibleCharacter');
}

/** takes back what showRefusal marked on a control */
function clearRefusal(control: Control) {
  document.getElementById(`${control.id}-refused`)?.remove();
  control.removeAttribute('aria-invalid');
  const describedBy = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && id !== `${control.id}-refused`);
  if (describedBy.length) control.setAttribute('aria-describedby', describedBy.join(' '));
  else control.removeAttribute('aria-describedby');
}

/**
 * When `error` is a 400 naming fields of `fields` (the form's controls by the API's path for them): each named field
 * says why under it (marked invalid, the words read with it), until it is edited; returns the message for the toast
 * (each field by its label) and the first field, to take focus. Undefined when the refusal names none of them.
 */
export function showRefusal(error: unknown, fields: Record<string, Control | null | undefined>, t: Translate): { message: string; field: Control } | undefined {
  if (!(error instanceof ApiProblem) || error.status !== 400) return undefined;
  const details = error.body?.details ?? [];
  const named = details.filter((detail) => fields[detail.path]);
  if (!named.length) return undefined;
  for (const control of Object.values(fields)) if (control) clearRefusal(control);
  const lines = details.map((detail) => {
    const control = fields[detail.path];
    if (!control) return detail.path ? `${detail.path}: ${reasonWording(detail.reason, t) ?? detail.reason}` : (reasonWording(detail.reason, t) ?? detail.reason);
    const words = refusalWording(detail.reason, control.value, t) ?? detail.reason;
    const label = control.labels?.[0]?.textContent ?? detail.path;
    const said = t('fieldRefused', { field: label, reason: words });
    if (!document.getElementById(`${control.id}-refused`)) {
      // below the form's row (its labels, controls and button stay in line), naming the field
      (control.form?.lastElementChild ?? control).after(h('p', { class: 'error field-refused', id: `${control.id}-refused` }, said));
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), `${control.id}-refused`].filter(Boolean).join(' '));
      control.addEventListener('input', () => clearRefusal(control), { once: true });
    }
    return said;
  });
  return { message: t('actionFailed', { reason: lines.join(' ') }), field: fields[named[0]!.path]! };
}
