// console: time left on a follow-up task's SLA (first contact by `dueAt`), and task ordering. Pure.

export type SlaState = 'due' | 'overdue' | 'met' | 'missed' | 'closed';

export interface SlaTask {
  status: string;
  dueAt: string;
  contactedAt?: string;
  priority: { level: string; score: number };
}

export interface SlaLeft {
  state: SlaState;
  /** due: time left; overdue: time past due; otherwise 0 */
  ms: number;
}

/** where a task stands against its first-contact SLA at `now` */
export function slaLeft(task: SlaTask, now: Date): SlaLeft {
  const due = Date.parse(task.dueAt);
  if (task.contactedAt) return { state: Date.parse(task.contactedAt) <= due ? 'met' : 'missed', ms: 0 };
  if (task.status === 'resolved' || task.status === 'no_action') return { state: 'closed', ms: 0 };
  const left = due - now.getTime();
  return left >= 0 ? { state: 'due', ms: left } : { state: 'overdue', ms: -left };
}

export interface DurationUnits {
  day: string;
  hour: string;
  minute: string;
}

/** "2 d 4 h", "3 h 20 min", "12 min" (two largest units, rounded down; under a minute is "0 min") */
export function formatDuration(ms: number, units: DurationUnits): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} ${units.day} ${hours} ${units.hour}` : `${days} ${units.day}`;
  if (hours > 0) return mins > 0 ? `${hours} ${units.hour} ${mins} ${units.minute}` : `${hours} ${units.hour}`;
  return `${mins} ${units.minute}`;
}
