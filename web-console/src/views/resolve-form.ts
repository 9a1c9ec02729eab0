// console: a task card's resolve form. Resolving asks for the root cause (one of the survey's, from the survey the
// queue already read) and the action taken; "no action needed" asks for its reason, the root cause optional. The
// fields the chosen outcome does not use are hidden and not required, so the browser's own validation says what is
// missing. Without the survey's list (not readable) the root cause is typed, and the API says which are allowed.
import { h } from '../dom.js';
import type { StringKey } from '../strings.js';

export interface ResolveBody {
  outcome: 'resolved' | 'no_action';
  rootCause?: string;
  action?: string;
  reason?: string;
}

/** how a closed task was closed, for its card: root cause · action taken · the reason when it says more */
export const resolutionText = ({ rootCause, action, reason }: { reason: string; rootCause?: string; action?: string }) =>
  [rootCause, action, reason !== action && reason].filter(Boolean).join(' · ');

export function resolveForm(
  taskId: string,
  t: (key: StringKey) => string,
  rootCauses: readonly string[] | undefined,
  submit: (body: ResolveBody, done: StringKey, fields: Record<keyof Omit<ResolveBody, 'outcome'>, HTMLInputElement | HTMLSelectElement>) => void,
): HTMLFormElement {
  const id = (name: string) => `${name}-${taskId}`;
  const outcome = h('select', { id: id('outcome'), name: 'outcome' }, h('option', { value: 'resolved' }, t('outcomeResolved')), h('option', { value: 'no_action' }, t('outcomeNoAction')));
  const rootCause = rootCauses
    ? h('select', { id: id('root-cause'), name: 'rootCause' }, h('option', { value: '' }, t('chooseRootCause')), ...rootCauses.map((cause) => h('option', { value: cause }, cause)))
    : h('input', { id: id('root-cause'), name: 'rootCause', type: 'text', maxlength: 60 });
  const action = h('input', { id: id('action'), name: 'action', type: 'text', maxlength: 500 });
  const reason = h('input', { id: id('reason'), name: 'reason', type: 'text', maxlength: 500 });
  const field = (label: StringKey, control: HTMLElement) => h('div', { class: 'field' }, h('label', { for: control.id }, t(label)), control);
  const actionField = field('actionTaken', action);
  const reasonField = field('noActionReason', reason);
  const button = h('button', { type: 'submit', class: 'primary' });

  /** the fields the outcome asks for: shown and required; the button says what it will do */
  const show = () => {
    const resolving = outcome.value === 'resolved';
    button.textContent = t(resolving ? 'resolve' : 'closeNoAction');
    rootCause.required = resolving;
    action.required = resolving;
    reason.required = !resolving;
    actionField.hidden = !resolving;
    reasonField.hidden = resolving;
  };
  outcome.addEventListener('change', show);
  show();

  return h(
    'form',
    {
      class: 'inline-form resolve-form',
      onsubmit: (event) => {
        event.preventDefault();
        const resolving = outcome.value === 'resolved';
        const body: ResolveBody = resolving
          ? { outcome: 'resolved', rootCause: rootCause.value, action: action.value }
          : { outcome: 'no_action', reason: reason.value, ...(rootCause.value ? { rootCause: rootCause.value } : {}) };
        // the fields by the names the API gives them in a refusal
        submit(body, resolving ? 'resolved' : 'closedNoAction', { rootCause, action, reason });
      },
    },
    field('outcome', outcome),
    field('rootCause', rootCause),
    actionField,
    reasonField,
    button,
  );
}
