// domain + use case: a customer's history as a follow-up task shows it (GET /v1/followups/{id} `customerHistory`):
// their other responses and tasks, newest first, and their NPS over time, limited to the surveys the caller may see.
// The assembler is pure; the use case reads the stores' byCustomer indexes (shared/privacy erases from both, and the
// stores leave expired items out, so erased or expired data never shows).
import { canSeeSurvey, type Principal } from '../access/principal.js';
import type { ResponseStore, StoredResponse } from '../response/stored-response.js';
import { npsQuestionId } from '../survey/schema.js';
import type { SurveyStore } from '../survey/survey-store.js';
import type { FollowUpTask } from './task.js';
import type { TaskStore } from './task-store.js';

/** entries per list: a lead reads a screenful, not the customer's whole file */
export const HISTORY_LIMIT = 20;
/** points of the NPS trend (the newest), enough for a sparkline */
export const TREND_POINTS = 50;
/** items read per index, newest first: a customer with more has their oldest left out (`truncated`) */
export const HISTORY_READ = 200;
export const EXCERPT_CHARS = 140;

export interface HistoryResponse {
  responseId: string;
  surveyId: string;
  receivedAt: string;
  answers: Record<string, number>;
  /** the stored (already redacted) comment, cut to EXCERPT_CHARS characters */
  commentExcerpt?: string;
  /** the comment's sentiment label, when it was scored */
  sentiment?: string;
  channel: string;
  touchpoint?: string;
  /** the follow-up task opened for this response, when it is among `tasks` */
  taskId?: string;
}

export interface HistoryTask {
  id: string;
  surveyId: string;
  responseId: string;
  createdAt: string;
  status: FollowUpTask['status'];
  priority: string;
  resolution?: { reason: string; rootCause?: string; action?: string };
  closedAt?: string;
  /** the customer's answer to the re-survey (1–5), when given */
  resurveyAnswer?: number;
}

export interface NpsPoint {
  at: string;
  nps: number;
  surveyId: string;
  /** the point of the task's own response */
  current?: true;
}

export interface CustomerHistory {
  customerRef: string;
  responses: HistoryResponse[];
  tasks: HistoryTask[];
  /** oldest → newest, the task's own response included */
  npsTrend: NpsPoint[];
  /** counts before the lists were capped (the task's own left out); NPS over the trend */
  summary: { responses: number; tasks: number; latestNps: number | null; firstNps: number | null };
  /** some entries are left out: over HISTORY_LIMIT, or older than the HISTORY_READ newest read */
  truncated: boolean;
}

export interface HistoryInput {
  /** the task whose customer it is: its own response and task are left out of the lists */
  task: Pick<FollowUpTask, 'id' | 'response'>;
  responses: readonly StoredResponse[];
  tasks: readonly FollowUpTask[];
  /** whether the caller may see a survey's items */
  canSee: (surveyId: string) => boolean;
  /** the id of a survey's NPS question (undefined: none, or the survey is gone) */
  npsQuestionOf: (surveyId: string) => string | undefined;
  /** the reads stopped at their bound: older items may exist */
  readCapped?: boolean;
  limit?: number;
}

/** at most `max` characters (code points, so no emoji is cut in half), an ellipsis marking a cut */
export function excerptOf(text: string, max = EXCERPT_CHARS): string {
  const chars = Array.from(text.trim());
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

const newestFirst = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

function npsOf(answers: Record<string, number>, question: string | undefined): number | undefined {
  return question !== undefined && Object.hasOwn(answers, question) ? answers[question] : undefined;
}

/** the customer's history as the caller may see it (pure) */
export function customerHistoryOf(input: HistoryInput): CustomerHistory | null {
  const { task, canSee, npsQuestionOf, limit = HISTORY_LIMIT } = input;
  const customerRef = task.response.customerRef;
  if (customerRef === undefined) return null;
  const ownResponse = task.response.responseId;
  const responses = input.responses
    .filter((r) => r.customerRef === customerRef && r.id !== ownResponse && canSee(r.surveyId))
    .sort((a, b) => newestFirst(`${a.receivedAt}#${a.id}`, `${b.receivedAt}#${b.id}`));
  const tasks = input.tasks
    .filter((t) => t.response.customerRef === customerRef && t.id !== task.id && canSee(t.surveyId))
    .sort((a, b) => newestFirst(`${a.createdAt}#${a.id}`, `${b.createdAt}#${b.id}`));
  const taskOfResponse = new Map(tasks.map((t) => [t.response.responseId, t.id]));

  const trend: NpsPoint[] = responses.flatMap((r) => {
    const nps = npsOf(r.answers, npsQuestionOf(r.surveyId));
    return nps === undefined ? [] : [{ at: r.receivedAt, nps, surveyId: r.surveyId }];
  });
  const own = canSee(task.response.surveyId) ? npsOf(task.response.answers, npsQuestionOf(task.response.surveyId)) : undefined;
  if (own !== undefined) trend.push({ at: task.response.receivedAt, nps: own, surveyId: task.response.surveyId, current: true });
  const npsTrend = trend.sort((a, b) => -newestFirst(a.at, b.at)).slice(-TREND_POINTS);

  return {
    customerRef,
    responses: responses.slice(0, limit).map((r) => ({
      responseId: r.id,
      surveyId: r.surveyId,
      receivedAt: r.receivedAt,
      answers: r.answers,
      ...(r.comment ? { commentExcerpt: excerptOf(r.comment) } : {}),
      ...(r.sentiment?.status === 'scored' ? { sentiment: r.sentiment.label } : {}),
      channel: r.channel,
      ...(r.touchpoint ? { touchpoint: r.touchpoint } : {}),
      ...(taskOfResponse.has(r.id) ? { taskId: taskOfResponse.get(r.id) } : {}),
    })),
    tasks: tasks.slice(0, limit).map((t) => historyTaskOf(t)),
    npsTrend,
    summary: { responses: responses.length, tasks: tasks.length, latestNps: npsTrend.at(-1)?.nps ?? null, firstNps: npsTrend[0]?.nps ?? null },
    truncated: Boolean(input.readCapped) || responses.length > limit || tasks.length > limit,
  };
}

function historyTaskOf(task: FollowUpTask): HistoryTask {
  return {
    id: task.id,
    surveyId: task.surveyId,
    responseId: task.response.responseId,
    createdAt: task.createdAt,
    status: task.status,
    priority: task.priority.level,
    // a task resolved before root causes existed carries its reason only
    ...(task.resolution ? { resolution: task.resolution } : {}),
    ...(task.closedAt ? { closedAt: task.closedAt } : {}),
    ...(task.resurvey?.answer !== undefined ? { resurveyAnswer: task.resurvey.answer } : {}),
  };
}

export type CustomerHistoryReader = (principal: Principal, task: FollowUpTask) => Promise<CustomerHistory | null>;

/**
 * use case: the history of a task's customer, for `principal`.
 *   1. an anonymous response (no customerRef) has none: null
 *   2. the customer's responses and tasks, newest first, at most HISTORY_READ of each (byCustomer indexes)
 *   3. the NPS question of each survey the principal may see among them (a lead granted survey A reads nothing of B)
 *   4. assemble (customerHistoryOf)
 */
export function makeCustomerHistory({ responses, tasks, surveys }: { responses: Pick<ResponseStore, 'listByCustomer'>; tasks: Pick<TaskStore, 'listByCustomer'>; surveys: SurveyStore }): CustomerHistoryReader {
  return async function customerHistory(principal, task) {
    // 1.
    const customerRef = task.response.customerRef;
    if (customerRef === undefined) return null;
    // 2.
    const [theirResponses, theirTasks] = await Promise.all([responses.listByCustomer(customerRef, HISTORY_READ), tasks.listByCustomer(customerRef, HISTORY_READ)]);
    // 3.
    const canSee = (surveyId: string) => canSeeSurvey(principal, surveyId);
    const surveyIds = [...new Set([task.response.surveyId, ...theirResponses.map((r) => r.surveyId)])].filter(canSee);
    const npsQuestions = new Map(
      await Promise.all(surveyIds.map(async (id) => [id, await surveys.get(id).then((survey) => survey && npsQuestionId(survey))] as const)),
    );
    // 4.
    return customerHistoryOf({
      task,
      responses: theirResponses,
      tasks: theirTasks,
      canSee,
      npsQuestionOf: (surveyId) => npsQuestions.get(surveyId),
      readCapped: theirResponses.length >= HISTORY_READ || theirTasks.length >= HISTORY_READ,
    });
  };
}
