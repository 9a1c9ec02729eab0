// console: handing tasks on from the follow-up queue: the "Assign to" control of a card, the checkbox that selects a
// card, and the bulk bar (assign the selected tasks, or close them with no action and a reason). The survey's leads are
// asked for only when the caller may assign (GET /v1/me); without them no assign control is shown. A bulk action says
// how many tasks it did, and why it did not do the others, a sentence a reason naming a few of its tasks by the names
// the list gives them (bulk-outcome.ts).
import { bulkOutcome, type BulkResult } from '../bulk-outcome.js';
import type { ViewContext } from '../context.js';
import { h } from '../dom.js';
import { problemWording, showRefusal } from '../refusals.js';

export interface Lead {
  actorId: string;
  name: string;
}

/** the leads the survey's tasks may go to, or undefined when the API refuses (the caller may not assign) */
export const leadsFor = ({ api, survey }: ViewContext): Promise<Lead[] | undefined> =>
  api.get<{ items: Lead[] }>('/v1/cx-leads', new URLSearchParams({ surveyId: survey.id })).then(
    (answer) => answer.items,
    () => undefined,
  );

/** a labelled pick of a lead and its button; `onAssign` gets the lead's actor id */
export function assignForm({ t }: ViewContext, id: string, leads: Lead[], current: string | undefined, onAssign: (assignee: string) => void): HTMLFormElement {
  const pick = h('select', { id, name: 'assignee', required: true }, h('option', { value: '' }, '—'), ...leads.map((lead) => h('option', { value: lead.actorId, selected: lead.actorId === current }, lead.name)));
  return h(
    'form',
    { class: 'inline-form', onsubmit: (e) => (e.preventDefault(), onAssign(pick.value)) },
    h('label', { for: id }, t('assignTo')),
    pick,
    h('button', { type: 'submit' }, t('assign')),
  );
}

/** puts a card's task in the bulk selection; `what` names the task as the list shows it (for screen readers, and for a bulk action's news) */
export const selectBox = ({ t }: ViewContext, taskId: string, what: string) =>
  h('input', { type: 'checkbox', name: 'bulk', value: taskId, 'data-name': what, 'aria-label': t('selectTask', { task: what }) });

/** the bulk bar: acts on the tasks checked inside `list`, then `after` reads the list again (no stale cards) */
export function bulkBar(ctx: ViewContext, list: HTMLElement, leads: Lead[] | undefined, after: () => void): HTMLElement {
  const { t } = ctx;
  const run = async (body: Record<string, string>) => {
    const boxes = [...list.querySelectorAll<HTMLInputElement>('input[name=bulk]:checked')];
    const taskIds = boxes.map((box) => box.value);
    if (!taskIds.length) return ctx.announce(t('bulkNoneSelected'), 'error');
    const names = new Map(boxes.map((box) => [box.value, box.dataset.name ?? box.value]));
    try {
      const { results } = await ctx.api.post<{ results: BulkResult[] }>('/v1/followups/bulk', { ...body, taskIds });
      ctx.announce(bulkOutcome(results, names, t), results.every((r) => r.ok) ? 'info' : 'error');
    } catch (error) {
      // a refused reason is said under its field, which keeps what was typed (the list is not read again)
      const refused = showRefusal(error, { reason }, t);
      ctx.announce(refused?.message ?? t('actionFailed', { reason: problemWording(error, t) }), 'error');
      if (refused) return refused.field.focus();
    }
    after();
  };
  const reason = h('input', { id: 'bulk-reason', name: 'reason', type: 'text', maxlength: 500, required: true });
  return h(
    'div',
    { class: 'bulk-bar', role: 'group', 'aria-label': t('bulkTitle') },
    leads ? assignForm(ctx, 'bulk-assignee', leads, undefined, (assignee) => void run({ action: 'assign', assignee })) : null,
    h(
      'form',
      { class: 'inline-form', onsubmit: (e) => (e.preventDefault(), run({ action: 'no_action', reason: reason.value })) },
      h('label', { for: 'bulk-reason' }, t('bulkReason')),
      reason,
      h('button', { type: 'submit' }, t('bulkNoAction')),
    ),
  );
}
