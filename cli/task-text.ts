// cli: a follow-up task as the CLI prints it: one line to find it by (id, status, priority, survey, due, assignee), then
// who and why, as the console's card says it (shared/followups/task-wording.ts): the customer, the reasons in words,
// the scores by their labels in the lead's language, the comment and its sentiment, and where it was answered. Pure.
import type { DetractorReason } from '../shared/followups/detractor.js';
import { fillWords, labelledScores, reasonWording, sentimentWording, TASK_WORDS_EN, type SurveyWords, type TaskResponseFacts } from '../shared/followups/task-wording.js';

export interface TaskForText {
  id: string;
  status: string;
  surveyId: string;
  priority: { level: string };
  dueAt: string;
  overdue: boolean;
  assignee?: { name: string };
  /** a rule a later API added reads as its name */
  reasons?: (DetractorReason | { rule: string })[];
  response: TaskResponseFacts;
  resolution?: { reason: string; rootCause?: string; action?: string };
}

/** text from the data safe for a terminal: control characters (escape sequences, line breaks) shown escaped */
export const printable = (text: string) => text.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** how a closed task was closed: root cause, action taken, and the reason when it says more than the action */
const resolutionText = ({ rootCause, action, reason }: NonNullable<TaskForText['resolution']>) =>
  [rootCause && `root cause ${printable(rootCause)}`, action && `action ${printable(JSON.stringify(action))}`, reason !== action && `reason ${printable(JSON.stringify(reason))}`].filter(Boolean).join(' · ');

const FACT = (name: string, value: string) => `    ${name.padEnd(9)}${value}`;

/** the task's line, then its facts indented below it; labels in `language`, else the survey's default, else ids */
export function taskText(task: TaskForText, survey: SurveyWords | undefined, language: string): string {
  const r = task.response;
  const head = [task.id, task.status.padEnd(9), task.priority.level.padEnd(6), task.surveyId, `due ${task.dueAt}${task.overdue ? ' OVERDUE' : ''}`, task.assignee?.name ?? '-'].join('  ');
  const reasons = (task.reasons ?? []).map((reason) => {
    const { key, vars } = reasonWording(reason);
    return fillWords(TASK_WORDS_EN[key], vars);
  });
  const scores = labelledScores(r.answers, survey, language).map((s) => `${printable(s.label)} ${s.score}${s.max === undefined ? '' : `/${s.max}`}`);
  const feeling = sentimentWording(r.sentiment);
  const sentiment = feeling && fillWords(TASK_WORDS_EN[feeling.key], feeling.key === 'sentimentScored' ? { ...feeling.vars, label: String(feeling.vars.label).toLowerCase() } : feeling.vars);
  // JSON quoting keeps the comment on one line, its quotes and control characters escaped
  const comment = r.comment === undefined ? '(no comment)' : `${printable(JSON.stringify(r.comment))}${sentiment ? ` · ${sentiment}` : ''}`;
  const where = [
    printable(r.channel),
    r.touchpoint && `touchpoint ${printable(r.touchpoint)}`,
    r.journeyStage && `stage ${printable(r.journeyStage)}`,
    r.campaign && `campaign ${printable(r.campaign)}`,
  ].filter(Boolean);
  return [
    head,
    FACT('customer', r.customerRef === undefined ? 'anonymous (no customerRef)' : printable(r.customerRef)),
    FACT('why', reasons.length ? reasons.map(printable).join(', ') : '-'),
    FACT('scores', scores.length ? scores.join(' · ') : '-'),
    FACT('comment', comment),
    FACT('where', where.join(' · ')),
    ...(task.resolution ? [FACT('closed', resolutionText(task.resolution))] : []),
  ].join('\n');
}
