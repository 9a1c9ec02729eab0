// console: a value the API refused (400), said under the form it was typed in, naming the field. The API names the field by its
// path ("text") and the rule in its own terms (code points); a lead reads the form's label and a plain sentence, and
// focus can go to the field. A reason the console has no words for is shown as the API gave it: nothing is hidden.
import { LINES, NAME_CHARACTERS_REASON, NOTE_CHARACTERS_REASON, ONE_LINE } from '../../shared/display-text-rule.js';
import { ApiProblem } from './api.js';
import { h } from './dom.js';
import type { Translate } from './strings.js';

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** the rules the console has words for: the reason the API gives, and what a value may hold under it */
const CHARACTER_RULES = new Map([
  [NAME_CHARACTERS_REASON, ONE_LINE],
  [NOTE_CHARACTERS_REASON, LINES],
]);
/** how much of the text before a refused character is quoted, so the lead finds where it is */
const QUOTED_BEFORE = 20;

/** a refused character's reason in words, pointing at where it sits in what was typed; undefined: no words for it */
export function refusalWording(reason: string, value: string, t: Translate): string | undefined {
  const allowed = CHARACTER_RULES.get(reason);
  if (!allowed) return undefined;
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
    if (!control) return detail.path ? `${detail.path}: ${detail.reason}` : detail.reason;
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
