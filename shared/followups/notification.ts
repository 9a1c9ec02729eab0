// domain: the webhook notifications of follow-up tasks: a task opened, its SLA breached (to the follow-up webhook),
// and its one escalation (to the escalation webhook). Stored once per (task, kind), delivered by the follow-up SLA
// schedule with the alerts' signed delivery (shared/alerts/webhook.ts), retries and record.
import type { AlertDelivery } from '../alerts/alert.js';
import type { FollowUpTask } from './task.js';
import { taskLinkOf } from './task-link.js';

export const NOTIFICATION_KINDS = ['task-opened', 'sla-breached', 'escalated'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type NotificationTarget = 'followup' | 'escalation';

export interface FollowUpNotification {
  taskId: string;
  kind: NotificationKind;
  surveyId: string;
  target: NotificationTarget;
  /** the JSON body, fixed when the notification is created (a retry sends the same bytes, signed afresh) */
  body: string;
  createdAt: string;
  delivery: AlertDelivery;
  /** epoch seconds: deleted with its task (retention) */
  expiresAt?: number;
}

/** what a receiver gets: a Slack-compatible `text` and the structured task */
export interface NotificationBody {
  type: `followup.${NotificationKind}`;
  text: string;
  task: Omit<FollowUpTask, 'version' | 'history' | 'earlierAssignments' | 'notes'>;
  /** the task in the CX console, when its URL is configured (CONSOLE_URL) */
  link?: string;
}

function textOf(kind: NotificationKind, task: FollowUpTask): string {
  const scores = Object.entries(task.response.answers).map(([question, score]) => `${question} ${score}`).join(', ') || 'no scores';
  const where = [task.response.channel, task.response.touchpoint].filter(Boolean).join(' / ');
  const head = {
    'task-opened': `New ${task.priority.level} follow-up`,
    'sla-breached': `SLA breached: follow-up not contacted by ${task.dueAt}`,
    escalated: `Escalation: ${task.priority.level} follow-up overdue since ${task.dueAt}`,
  }[kind];
  return `${head} · survey ${task.surveyId} · ${scores} · ${where} · task ${task.id}`;
}

export function notificationOf(kind: NotificationKind, task: FollowUpTask, now: Date, consoleUrl?: string): FollowUpNotification {
  const { version: _version, history: _history, earlierAssignments: _earlierAssignments, notes: _notes, ...payload } = task;
  const link = taskLinkOf(consoleUrl, task);
  const text = textOf(kind, task);
  const body: NotificationBody = { type: `followup.${kind}`, text: link ? `${text} · ${link}` : text, task: payload, ...(link ? { link } : {}) };
  return {
    taskId: task.id,
    kind,
    surveyId: task.surveyId,
    target: kind === 'escalated' ? 'escalation' : 'followup',
    body: JSON.stringify(body),
    createdAt: now.toISOString(),
    delivery: { status: 'pending', attempts: 0, nextAttemptAt: now.toISOString() },
    ...(task.expiresAt !== undefined ? { expiresAt: task.expiresAt } : {}),
  };
}

// port: where notifications live. Adapter: dynamo-notification-store.
export interface NotificationStore {
  /** stores it unless one of its (task, kind) exists: a redelivered message or a rerun notifies once */
  putIfAbsent(notification: FollowUpNotification): Promise<'created' | 'exists'>;
  listByTask(taskId: string): Promise<FollowUpNotification[]>;
}
