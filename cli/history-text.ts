// cli: a task's customer history as `followups history <id>` prints it: the NPS trend, then the customer's other
// responses (date, survey, scores by label, comment excerpt, the outcome of their task) and tasks, newest first, as
// the console's History section says it. Pure: the survey words come in as a map.
import type { CustomerHistory, HistoryTask } from '../shared/followups/customer-history.js';
import { labelledScores, type SurveyWords } from '../shared/followups/task-wording.js';
import { printable } from './task-text.js';

const at = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function outcome(task: HistoryTask): string {
  const r = task.resolution;
  const resolution = r ? `: ${printable(r.reason)}${r.rootCause ? ` (root cause ${printable(r.rootCause)})` : ''}` : '';
  const resurvey = task.resurveyAnswer === undefined ? '' : ` · re-survey ${task.resurveyAnswer}/5`;
  return `${task.status}${resolution}${resurvey}`;
}

/** the history in lines; `words` holds the surveys' question labels by survey id (absent: question ids) */
export function historyText(history: CustomerHistory | null | undefined, words: ReadonlyMap<string, SurveyWords | undefined>, language: string): string {
  if (!history) return 'no customer history (the response is anonymous)';
  const trend = history.npsTrend.map((p) => (p.current ? `${p.nps} (this task)` : String(p.nps))).join(' → ');
  const tasks = new Map(history.tasks.map((t) => [t.id, t]));
  const responses = history.responses.map((r) => {
    const scores = labelledScores(r.answers, words.get(r.surveyId), language).map((s) => `${printable(s.label)} ${s.score}${s.max === undefined ? '' : `/${s.max}`}`);
    const task = r.taskId ? tasks.get(r.taskId) : undefined;
    return [
      `    ${at(r.receivedAt)}  ${printable(r.surveyId)}`,
      scores.join(' · ') || '-',
      r.commentExcerpt !== undefined ? printable(JSON.stringify(r.commentExcerpt)) : '',
      r.touchpoint ? `touchpoint ${printable(r.touchpoint)}` : '',
      task ? outcome(task) : '',
    ]
      .filter(Boolean)
      .join('  ');
  });
  return [
    `customer ${printable(history.customerRef)} · NPS ${trend || '-'}`,
    `${plural(history.summary.responses, 'other response')}, ${plural(history.summary.tasks, 'other task')}`,
    ...(responses.length ? ['  responses', ...responses] : []),
    ...(history.tasks.length ? ['  tasks', ...history.tasks.map((t) => `    ${t.id}  ${at(t.createdAt)}  ${printable(t.surveyId)}  ${t.priority}  ${outcome(t)}`)] : []),
    ...(history.truncated ? ['  (only the latest are shown)'] : []),
  ].join('\n');
}
