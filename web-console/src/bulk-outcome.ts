// console: what a bulk action says it did, as one message for the live region: how many of the tasks were done, then
// one sentence per reason the others were not, naming a few of its tasks by the names the list gives them and counting
// the rest, so a hundred tasks refused for one reason make one sentence, not a hundred. Pure: the bulk bar
// (views/bulk-actions.ts) announces it.
import { reasonWording } from './refusals.js';
import type { Translate } from './strings.js';

/** one task's result in POST /v1/followups/bulk's answer */
export interface BulkResult {
  id: string;
  ok: boolean;
  error?: string;
}

/** the tasks a sentence names; the rest of its reason's tasks are counted */
const NAMED_PER_REASON = 3;

/** `names` as the language lists them: "a", "a and b", "a, b and c", "a, b, c and 4 more" */
function taskList(names: readonly string[], t: Translate): string {
  const named = names.slice(0, NAMED_PER_REASON);
  const separator = t('namesSeparator');
  if (names.length > named.length) return t('namesAndMore', { names: named.join(separator), n: names.length - named.length, total: names.length });
  if (named.length < 2) return named.join('');
  return t('namesAnd', { names: named.slice(0, -1).join(separator), last: named.at(-1)! });
}

/**
 * why a task was not done, as a sentence: in words when the console has them, else as the API gave it (ending with a
 * full stop, so the next sentence does not run on from it), and in the console's words when the API gave none
 */
function reasonSentence(error: string | undefined, t: Translate): string {
  const raw = error?.trim() ?? '';
  if (!raw) return t('refusedNoReason');
  return reasonWording(raw, t) ?? (/[.!?。！？]$/.test(raw) ? raw : `${raw}${t('fullStop')}`);
}

/** the message for `results`, each task by the name the list gives it (`names`, by task id) */
export function bulkOutcome(results: readonly BulkResult[], names: ReadonlyMap<string, string>, t: Translate): string {
  // the reasons in the order the API first gave them, each with its tasks in the API's order
  const byReason = new Map<string, string[]>();
  for (const result of results.filter((r) => !r.ok)) {
    const reason = reasonSentence(result.error, t);
    byReason.set(reason, [...(byReason.get(reason) ?? []), names.get(result.id) ?? result.id]);
  }
  const failed = results.filter((r) => !r.ok).length;
  const notDone = [...byReason].map(([reason, tasks]) => t('bulkNotDone', { task: taskList(tasks, t), reason }));
  return [t('bulkDone', { done: results.length - failed, n: results.length }), ...notDone].join(t('sentenceSeparator'));
}
