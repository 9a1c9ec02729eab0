// console: the view state, kept in the URL hash (#/overview?survey=demo&range=30&interval=day), so a reload, the back
// button and a shared link show the same thing. Pure: hash ↔ state, and the API queries a state asks for.
// One task of the queue: #/followups/{taskId}?survey=… (the deep link notifications carry).
import { ACTIVE_STATUSES, defaultSort, listedStatuses, PRIORITY_LEVELS, QUEUE_SORTS, SLA_STATES, slaStateOf } from '../../shared/followups/queue-terms.js';
import { MAX_RANGE_DAYS, maxReportIntervals, reportIntervals } from '../../shared/metrics/range-limits.js';
import { boundariesOf } from '../../shared/metrics/report-intervals.js';
import { MAX_DIMENSION_LENGTH, MAX_QUESTION_ID_LENGTH, MAX_QUESTIONS } from '../../shared/survey/limits.js';
import type { Survey } from '../../shared/survey/schema.js';

export const VIEWS = ['overview', 'followups', 'responses'] as const;
export type View = (typeof VIEWS)[number];
export const RANGES = ['7', '30', '90', 'custom'] as const;
export type Range = (typeof RANGES)[number];
export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];
export const QUEUES = ['active', 'open', 'claimed', 'contacted', 'overdue', 'resolved', 'no_action', 'all'] as const;
export type Queue = (typeof QUEUES)[number];
export const SENTIMENTS = ['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED'] as const;

/** the Responses view's filters, named as the API names them */
export interface ResponseFilters {
  question?: string;
  min?: string;
  max?: string;
  sentiment?: string;
  channel?: string;
  touchpoint?: string;
  q?: string;
}
export const FILTER_KEYS = ['question', 'min', 'max', 'sentiment', 'channel', 'touchpoint', 'q'] as const satisfies readonly (keyof ResponseFilters)[];

/** the queue's filters besides its status, named as GET /v1/followups names them ("all" assignees: no filter) */
export interface QueueFilters {
  assignee?: 'me' | 'none' | 'all';
  priority?: string;
  sla?: string;
  touchpoint?: string;
  q?: string;
  sort?: string;
}
/** each queue filter's allowed values (free text: none) */
export const QUEUE_CHOICES = { assignee: ['me', 'none', 'all'], priority: PRIORITY_LEVELS, sla: SLA_STATES, sort: QUEUE_SORTS } as const;
export const QUEUE_FILTER_KEYS = ['assignee', 'priority', 'sla', 'touchpoint', 'q', 'sort'] as const satisfies readonly (keyof QueueFilters)[];
const TASK_ID = /^[\w-]{1,100}$/;

export interface ConsoleState {
  view: View;
  survey?: string;
  range: Range;
  /** with range "custom": YYYY-MM-DD, both inclusive */
  from?: string;
  to?: string;
  interval: Interval;
  queue: Queue;
  filters: ResponseFilters;
  /** the follow-up queue's other filters (its own hash keys: read only on that view, so none leaks into the others) */
  queueFilters: QueueFilters;
  /** the follow-up view opened on one task (#/followups/{taskId}) */
  task?: string;
}

export const DEFAULT_STATE: ConsoleState = { view: 'overview', range: '30', interval: 'day', queue: 'active', filters: {}, queueFilters: {} };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/**
 * The first and last day a custom range may name: the API takes times from 1970-01-01 to 9999-01-01 only
 * (shared/query-values.ts; its metrics `to` date 9998-12-31 at the latest), and a day outside them would be a 400 on
 * every view. The date pickers offer these as their min and max.
 */
export const EARLIEST_DATE = '1970-01-01';
export const LATEST_DATE = '9998-12-31';
const oneOf = <T extends string>(values: readonly T[], value: string | null, fallback: T): T => (values.includes(value as T) ? (value as T) : fallback);
const isDate = (value: string | null | undefined): value is string =>
  !!value && DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && value >= EARLIEST_DATE && value <= LATEST_DATE;

/** the state a hash names; anything unknown or malformed falls back to the default */
export function parseHash(hash: string): ConsoleState {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  const params = new URLSearchParams(search);
  const [viewName = '', taskId] = path.split('/');
  const state: ConsoleState = {
    view: oneOf(VIEWS, viewName, DEFAULT_STATE.view),
    range: oneOf(RANGES, params.get('range'), DEFAULT_STATE.range),
    interval: oneOf(INTERVALS, params.get('interval'), DEFAULT_STATE.interval),
    queue: oneOf(QUEUES, params.get('queue'), DEFAULT_STATE.queue),
    filters: {},
    queueFilters: {},
  };
  if (state.view === 'followups' && taskId && TASK_ID.test(taskId)) state.task = taskId;
  const survey = params.get('survey');
  if (survey) state.survey = survey;
  if (state.range === 'custom') {
    const from = params.get('from');
    const to = params.get('to');
    if (isDate(from) && isDate(to) && from <= to) Object.assign(state, { from, to });
    else state.range = DEFAULT_STATE.range;
  }
  if (state.view === 'followups') {
    for (const key of QUEUE_FILTER_KEYS) {
      const value = params.get(key)?.trim();
      const allowed = key === 'touchpoint' || key === 'q' ? !!value : (QUEUE_CHOICES[key] as readonly string[]).includes(value ?? '');
      if (value && allowed) Object.assign(state.queueFilters, { [key]: value });
    }
    return state;
  }
  for (const key of FILTER_KEYS) {
    const value = params.get(key)?.trim();
    if (value) state.filters[key] = value;
  }
  return state;
}

/** the hash of a state: defaults are left out, so URLs stay short */
export function toHash(state: ConsoleState): string {
  const params = new URLSearchParams();
  if (state.survey) params.set('survey', state.survey);
  if (state.range !== DEFAULT_STATE.range) params.set('range', state.range);
  if (state.range === 'custom' && state.from && state.to) {
    params.set('from', state.from);
    params.set('to', state.to);
  }
  if (state.interval !== DEFAULT_STATE.interval) params.set('interval', state.interval);
  if (state.queue !== DEFAULT_STATE.queue) params.set('queue', state.queue);
  // each view's own keys only: the queue's text search never reaches a Responses link, nor the reverse
  if (state.view === 'followups') {
    for (const key of QUEUE_FILTER_KEYS) if (state.queueFilters[key]) params.set(key, state.queueFilters[key]!);
  } else {
    for (const key of FILTER_KEYS) if (state.filters[key]) params.set(key, state.filters[key]!);
  }
  const query = params.toString();
  const path = state.view === 'followups' && state.task ? `followups/${encodeURIComponent(state.task)}` : state.view;
  return `#/${path}${query ? `?${query}` : ''}`;
}

/** what belongs to one view alone (the overview's interval, the queue's choice, the responses' filters) */
export type ViewParams = Pick<ConsoleState, 'interval' | 'queue' | 'filters' | 'queueFilters'>;
const NO_VIEW_PARAMS: ViewParams & { task: undefined } = { interval: DEFAULT_STATE.interval, queue: DEFAULT_STATE.queue, filters: {}, queueFilters: {}, task: undefined };

/** the part of `state` that belongs to `view` alone */
export function viewParams(state: ConsoleState, view: View): Partial<ViewParams> {
  if (view === 'overview') return { interval: state.interval };
  if (view === 'followups') return { queue: state.queue, queueFilters: state.queueFilters };
  return { filters: state.filters };
}

/**
 * The state a link to `view` opens: the survey and range carry over, the view's own parameters are those it was last
 * left with (`remembered`), and another view's never leak into it.
 */
export function linkState(state: ConsoleState, view: View, remembered: Partial<Record<View, Partial<ViewParams>>> = {}): ConsoleState {
  const own = view === state.view ? viewParams(state, view) : remembered[view];
  return { ...state, ...NO_VIEW_PARAMS, ...own, view };
}

const DAY_MS = 86_400_000;
const dateOf = (instant: number) => new Date(instant).toISOString().slice(0, 10);

/** the UTC days a state covers, both inclusive: the last N days up to today, or the custom from/to */
export function rangeDates(state: Pick<ConsoleState, 'range' | 'from' | 'to'>, now: Date): { from: string; to: string } {
  if (state.range === 'custom' && state.from && state.to) return { from: state.from, to: state.to };
  const days = Number(state.range === 'custom' ? DEFAULT_STATE.range : state.range);
  const today = Date.parse(`${dateOf(now.getTime())}T00:00:00Z`);
  return { from: dateOf(today - (days - 1) * DAY_MS), to: dateOf(today) };
}

/** the days a view's metrics are for: UTC days, both inclusive, and whether and why they are fewer than chosen */
export interface MetricsRange {
  from: string;
  to: string;
  /** cut to the last MAX_RANGE_DAYS days of the range */
  clipped: boolean;
  /** cut (further) to the range's last `held` intervals: the most an ungrouped report of the survey holds */
  held?: number;
}

/** the range as the API reads metricsParams, in epoch ms: from the first day's start to the end of the last day */
const instantsOf = ({ from, to }: Pick<MetricsRange, 'from' | 'to'>): [number, number] => [Date.parse(`${from}T00:00:00Z`), Date.parse(`${to}T00:00:00Z`) + DAY_MS];

/**
 * The intervals one report of `survey` holds (range-limits.ts, as the API decides), grouped or not. `survey` is the
 * API's answer unchecked; undefined when its questions cannot be sized (none read, or not as this console knows them):
 * the console then asks and the API decides.
 */
function heldBy(survey: unknown, grouped: boolean): number | undefined {
  try {
    const most = maxReportIntervals(survey as Pick<Survey, 'questions'>, grouped);
    // a question's id or dimension that is no string sizes to NaN
    return Number.isFinite(most) ? most : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The days the metrics cover: the state's range, or its last MAX_RANGE_DAYS days when it is longer (the metrics API
 * refuses a longer range; the responses have no such limit and keep the whole range). With the survey read, also no
 * more than its last intervals an ungrouped report of its questions holds (the API refuses more): the most recent
 * whole intervals, so the API's report has exactly `held`.
 */
export function metricsRange(state: Pick<ConsoleState, 'range' | 'from' | 'to' | 'interval'>, now: Date, survey?: unknown): MetricsRange {
  const chosen = rangeDates(state, now);
  const to = Date.parse(`${chosen.to}T00:00:00Z`);
  const days = (to - Date.parse(`${chosen.from}T00:00:00Z`)) / DAY_MS + 1;
  const range = days <= MAX_RANGE_DAYS ? { ...chosen, clipped: false } : { from: dateOf(to - (MAX_RANGE_DAYS - 1) * DAY_MS), to: chosen.to, clipped: true };
  const held = survey === undefined ? undefined : heldBy(survey, false);
  if (held === undefined || held < 1) return range;
  const boundaries = boundariesOf(state.interval, ...instantsOf(range));
  if (boundaries.length - 1 <= held) return range;
  return { ...range, from: dateOf(boundaries[boundaries.length - 1 - held]!), held };
}

/**
 * the intervals an ungrouped report of any survey the schema takes holds at least: that of the largest one, every
 * question a rating with the longest id and dimension (404). A range of no more intervals fits every survey, so the
 * console asks for it without reading the survey first. The console's alone: the API sizes each report by its own survey,
 * so its functions do not build this at load
 */
export const MIN_UNGROUPED_INTERVALS = maxReportIntervals(
  {
    questions: Array.from({ length: MAX_QUESTIONS }, () => ({
      id: 'q'.repeat(MAX_QUESTION_ID_LENGTH),
      type: 'rating' as const,
      required: false,
      dimension: 'd'.repeat(MAX_DIMENSION_LENGTH),
      max: 10 as const,
      weight: 1,
    })),
  },
  false,
);

/**
 * Whether the state's metrics could hold more intervals than an ungrouped report of some survey holds: only then do
 * they wait for the survey's read, to be sized to it (metricsRange); a range that fits every survey is asked for at once.
 */
export const mayOutgrowReport = (state: Pick<ConsoleState, 'range' | 'from' | 'to' | 'interval'>, now: Date) =>
  reportIntervals(state.interval, ...instantsOf(metricsRange(state, now))) > MIN_UNGROUPED_INTERVALS;

/**
 * The metrics' range for a view: at once when it fits every survey, or once `definition` (the survey's read, which goes
 * out beside the figures) says how many intervals this survey's report holds.
 */
export const sizedMetricsRange = (state: Pick<ConsoleState, 'range' | 'from' | 'to' | 'interval'>, now: Date, definition: Promise<unknown>): Promise<MetricsRange> =>
  mayOutgrowReport(state, now) ? definition.then((read) => metricsRange(state, now, read)) : Promise.resolve(metricsRange(state, now));

/**
 * Whether the API answers the state's metrics grouped by a dimension (the Overview's breakdown) for `survey`: not when
 * the range has more intervals than a grouped report of its questions holds. Undefined when the survey cannot be sized.
 */
export function breakdownFits(state: ConsoleState, now: Date, survey: unknown): boolean | undefined {
  const most = heldBy(survey, true);
  return most === undefined ? undefined : reportIntervals(state.interval, ...instantsOf(metricsRange(state, now))) <= most;
}

/** GET /v1/surveys/{id}/metrics: the range's date-only from/to (the API includes the `to` day), and the interval */
export function metricsParams(state: Pick<ConsoleState, 'interval'>, range: Pick<MetricsRange, 'from' | 'to'>, groupBy?: string): URLSearchParams {
  const params = new URLSearchParams({ from: range.from, to: range.to, interval: state.interval });
  if (groupBy) params.set('groupBy', groupBy);
  return params;
}

/**
 * a score as the API reads it, decimal digits: a number field submits what was typed whenever the browser takes it as a
 * number ("5.0", "1e1"); a value that is no whole number goes as it is, for the API to name
 */
const scoreDigits = (value: string) => (Number.isInteger(Number(value)) && value.trim() !== '' ? String(Number(value)) : value);

/** GET /v1/surveys/{id}/responses(.csv): the range as date-times (the API's `to` is inclusive) and the filters */
export function responsesParams(state: ConsoleState, now: Date): URLSearchParams {
  const { from, to } = rangeDates(state, now);
  const params = new URLSearchParams({ from: `${from}T00:00:00.000Z`, to: `${to}T23:59:59.999Z` });
  for (const key of FILTER_KEYS) if (state.filters[key]) params.set(key, state.filters[key]!);
  for (const key of ['min', 'max'] as const) if (params.has(key)) params.set(key, scoreDigits(params.get(key)!));
  // a score range needs its question: the form offers one, a hand-edited URL may not
  if (!params.has('question')) {
    params.delete('min');
    params.delete('max');
  }
  return params;
}

/** whether `queue` lists a task as it now is: active and overdue only tasks still being worked, all every task, the others one status */
export function inQueue(queue: Queue, task: { status: string; overdue?: boolean }): boolean {
  const open = ACTIVE_STATUSES.includes(task.status);
  if (queue === 'active') return open;
  if (queue === 'overdue') return open && task.overdue === true;
  if (queue === 'all') return true;
  return task.status === queue;
}

/** the sort in effect: the one chosen, else the API's default for the queue's statuses (queue-terms.ts) */
export const sortOf = (queue: Queue, filters: QueueFilters) =>
  filters.sort ?? defaultSort(listedStatuses(queue === 'active' ? ACTIVE_STATUSES : queue === 'all' || queue === 'overdue' ? undefined : [queue], queue === 'overdue' ? 'breached' : filters.sla));

/** the assignee filter in effect: the one chosen, else "my tasks" for a CX lead and everyone for an admin */
export const assigneeOf = (filters: QueueFilters, role: string | undefined): NonNullable<QueueFilters['assignee']> => filters.assignee ?? (role === 'cx' ? 'me' : 'all');

export interface QueueTask {
  status: string;
  overdue?: boolean;
  dueAt: string;
  assignee?: { id: string };
  priority: { level: string };
}

/**
 * Whether the queue as filtered still lists a task as an action left it (status, assignee, priority, SLA state), so a
 * card that no longer belongs leaves at once. Touchpoint and text cannot change by an action.
 */
export function stillListed(state: Pick<ConsoleState, 'queue' | 'queueFilters'>, task: QueueTask, caller: { actorId?: string; role?: string }, now: Date): boolean {
  const f = state.queueFilters;
  if (!inQueue(state.queue, task)) return false;
  const assignee = assigneeOf(f, caller.role);
  if (assignee === 'me' && task.assignee?.id !== caller.actorId) return false;
  if (assignee === 'none' && task.assignee) return false;
  if (f.priority && f.priority !== task.priority.level) return false;
  return !f.sla || slaStateOf(task, now) === f.sla;
}

/** GET /v1/followups for the queue as filtered: one request, the next page with `cursor` */
export function queueRequest(survey: string, state: Pick<ConsoleState, 'queue' | 'queueFilters'>, role: string | undefined, cursor?: string): URLSearchParams {
  const { queue, queueFilters: f } = state;
  const params = new URLSearchParams({ surveyId: survey, limit: '200' });
  if (queue === 'active') params.set('status', ACTIVE_STATUSES.join(','));
  else if (queue === 'overdue') params.set('sla', 'breached');
  else if (queue !== 'all') params.set('status', queue);
  const assignee = assigneeOf(f, role);
  if (assignee !== 'all') params.set('assignee', assignee);
  if (f.sla && queue !== 'overdue') params.set('sla', f.sla);
  for (const key of ['priority', 'touchpoint', 'q', 'sort'] as const) if (f[key]) params.set(key, f[key]!);
  if (cursor) params.set('cursor', cursor);
  return params;
}
