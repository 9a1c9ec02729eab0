// domain: a detractor's follow-up task and its state machine. Pure: each action returns the next task or a refusal.
//   open → claimed → contacted → resolved | no_action   (claimed may also be resolved directly)
import { createHash } from 'node:crypto';
import type { StoredSentiment } from '../response/stored-response.js';
import type { DetractorReason, Priority } from './detractor.js';
import { transitionRefused } from './task-refusals.js';

export const TASK_STATUSES = ['open', 'claimed', 'contacted', 'resolved', 'no_action'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** a task's place in the order tasks were opened: its opening time, then its id (the store's bySurvey index sorts by it) */
export const openingKeyOf = (task: Pick<FollowUpTask, 'createdAt' | 'id'>) => `${task.createdAt}#${task.id}`;

/** who did something: the admin, or a CX lead (by id, with their name for people to read) */
export interface Actor {
  id: string;
  name: string;
}

export interface TaskNote {
  author: Actor;
  at: string;
  text: string;
}

export interface TaskEvent {
  at: string;
  by: Actor;
  action: TaskAction['type'];
  from: TaskStatus;
  to: TaskStatus;
  /** assign (and claim): who the task went to */
  assignee?: Actor;
}

/** what the task keeps of the response it follows up */
export interface ResponseReference {
  responseId: string;
  /** epoch seconds: the response's retention, which its task and notifications share */
  expiresAt?: number;
  surveyId: string;
  receivedAt: string;
  answers: Record<string, number>;
  comment?: string;
  sentiment: StoredSentiment | null;
  channel: string;
  touchpoint?: string;
  journeyStage?: string;
  customerRef?: string;
  locale?: string;
  /** email survey links: the campaign the response answers (absent on other channels, and on tasks opened before) */
  campaign?: string;
}

export interface Resurvey {
  issuedAt: string;
  expiresAt: string;
  /** 1–5, once */
  answer?: number;
  answeredAt?: string;
}

export interface FollowUpTask {
  id: string;
  surveyId: string;
  response: ResponseReference;
  reasons: DetractorReason[];
  priority: Priority;
  status: TaskStatus;
  assignee?: Actor;
  notes: TaskNote[];
  /** first contact is due by then (the survey's followUp.firstContactHours after the task was opened) */
  dueAt: string;
  createdAt: string;
  claimedAt?: string;
  contactedAt?: string;
  closedAt?: string;
  /** how it was closed: the reason, and (root-causes.ts) the survey's root cause and the action taken */
  resolution?: { reason: string; rootCause?: string; action?: string };
  /** when the SLA breach was found (and notified and escalated, once) */
  breachedAt?: string;
  resurvey?: Resurvey;
  history: TaskEvent[];
  /** reassignments dropped from `history`, oldest first, to keep the item's size bounded (the audit log keeps them all) */
  earlierAssignments?: number;
  /** bumped by every change: updates are conditional on it, so concurrent changes cannot both win */
  version: number;
  /** epoch seconds: deleted with the response it follows up (retention; TTL in the cloud, the sweeper everywhere) */
  expiresAt?: number;
}

/** the form of every task id (taskIdOf) */
export const isTaskId = (value: string) => /^t_[0-9a-f]{24}$/.test(value);
/** one task per detractor response, however often it is routed */
export const taskIdOf = (responseId: string) => `t_${createHash('sha256').update(`followup\u0000${responseId}`).digest('hex').slice(0, 24)}`;

export function openTask(input: {
  response: ResponseReference;
  reasons: DetractorReason[];
  priority: Priority;
  firstContactHours: number;
  now: Date;
}): FollowUpTask {
  return {
    id: taskIdOf(input.response.responseId),
    surveyId: input.response.surveyId,
    response: input.response,
    reasons: input.reasons,
    priority: input.priority,
    status: 'open',
    notes: [],
    dueAt: new Date(input.now.getTime() + input.firstContactHours * 3_600_000).toISOString(),
    createdAt: input.now.toISOString(),
    history: [],
    version: 1,
    ...(input.response.expiresAt !== undefined ? { expiresAt: input.response.expiresAt } : {}),
  };
}

export type TaskAction =
  | { type: 'claim' }
  | { type: 'note'; text: string }
  | { type: 'contacted' }
  | { type: 'resolve'; outcome: 'resolved' | 'no_action'; reason: string; rootCause?: string; action?: string }
  | { type: 'assign'; assignee: Actor };

/** why a change is refused: the field it is about (default: the task's status) and the reason */
export type TransitionResult = { ok: true; task: FollowUpTask } | { ok: false; reason: string; path?: string };

/**
 * notes a task holds at most. A task is one DynamoDB item (at most 400 KB): 40 notes of 2,000 characters take at most
 * 240 KB (3 bytes a character), leaving the rest to the response it follows up and its history
 */
export const MAX_NOTES_PER_TASK = 40;
/**
 * reassignments a task's history keeps. The other events happen once each (claim, contacted, a resolution), but a task
 * can be handed on without end (bulk rebalancing); each assign event takes up to about 0.8 KB with two actors' names,
 * so 50 stay under 40 KB, beside the notes' 240 KB
 */
export const MAX_ASSIGNMENTS_IN_HISTORY = 50;

/** the statuses each action may start from */
const ALLOWED_FROM: Record<TaskAction['type'], readonly TaskStatus[]> = {
  claim: ['open'],
  note: TASK_STATUSES,
  contacted: ['claimed'],
  resolve: ['claimed', 'contacted'],
  assign: ['open', 'claimed', 'contacted'],
};

const TARGET: Record<Exclude<TaskAction['type'], 'resolve' | 'assign'>, TaskStatus | undefined> = { claim: 'claimed', note: undefined, contacted: 'contacted' };

/** applies `action` by `by` at `now`: the next task (version + 1), or why it is refused in the task's current state */
export function applyAction(task: FollowUpTask, action: TaskAction, by: Actor, now: Date): TransitionResult {
  if (!ALLOWED_FROM[action.type].includes(task.status)) {
    return { ok: false, reason: transitionRefused(action.type, task.status, ALLOWED_FROM[action.type]) };
  }
  const at = now.toISOString();
  const next: FollowUpTask = { ...task, version: task.version + 1 };
  if (action.type === 'note') {
    if (task.notes.length >= MAX_NOTES_PER_TASK) return { ok: false, path: 'notes', reason: `a task holds at most ${MAX_NOTES_PER_TASK} notes; this one is full` };
    next.notes = [...task.notes, { author: by, at, text: action.text }];
    return { ok: true, task: next };
  }
  if (action.type === 'assign') {
    // the status stays: assigning hands the task on, it does not work it
    next.assignee = action.assignee;
    const history = [...task.history, { at, by, action: 'assign' as const, from: task.status, to: task.status, assignee: action.assignee }];
    const dropped = history.filter((event) => event.action === 'assign').length - MAX_ASSIGNMENTS_IN_HISTORY;
    next.history = dropped > 0 ? withoutOldestAssignments(history, dropped) : history;
    if (dropped > 0) next.earlierAssignments = (task.earlierAssignments ?? 0) + dropped;
    return { ok: true, task: next };
  }
  const to = action.type === 'resolve' ? action.outcome : TARGET[action.type]!;
  next.status = to;
  // claiming assigns to oneself, also a task assigned to someone else: the event names the new assignee
  next.history = [...task.history, { at, by, action: action.type, from: task.status, to, ...(action.type === 'claim' ? { assignee: by } : {}) }];
  if (action.type === 'claim') Object.assign(next, { assignee: by, claimedAt: at });
  if (action.type === 'contacted') next.contactedAt = at;
  if (action.type === 'resolve') Object.assign(next, { closedAt: at, resolution: resolutionOf(action) });
  return { ok: true, task: next };
}

/** `history` without its `count` oldest assign events; every other event stays */
function withoutOldestAssignments(history: TaskEvent[], count: number): TaskEvent[] {
  let left = count;
  return history.filter((event) => event.action !== 'assign' || left-- <= 0);
}

/** what a resolve keeps: its reason, and the root cause and action taken when given */
function resolutionOf({ reason, rootCause, action }: Extract<TaskAction, { type: 'resolve' }>): NonNullable<FollowUpTask['resolution']> {
  return { reason, ...(rootCause !== undefined ? { rootCause } : {}), ...(action !== undefined ? { action } : {}) };
}

/** not yet contacted and past its due time */
export const isOverdue = (task: FollowUpTask, now: Date) =>
  (task.status === 'open' || task.status === 'claimed') && Date.parse(task.dueAt) < now.getTime();
