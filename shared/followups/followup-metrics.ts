// domain: follow-up metrics of the tasks opened in a range (the metrics report's `followups` block). Pure.
//   opened                     tasks opened in the range
//   timeToFirstContactHours    median and p90 (nearest rank) over the tasks contacted so far
//   slaCompliancePct           of the tasks whose SLA has been decided (contacted, or past due), the share contacted
//                              by their due time
//   closureRatePct             of the tasks opened, the share closed (resolved or no_action)
//   recovery                   of the resolved tasks whose re-survey was answered, the share answering 4–5;
//                              and (returned) of the resolved detractors with a customerRef who answered the survey's
//                              NPS question again after the resolution, the share whose latest NPS is ≥ 7
// Each share is null when its denominator is 0.
import type { FollowUpTask } from './task.js';

/** a later answer of the same survey by a known customer */
export interface LaterAnswer {
  customerRef: string;
  receivedAt: string;
  nps: number;
}

export interface FollowUpMetrics {
  opened: number;
  contacted: number;
  closed: number;
  timeToFirstContactHours: { median: number; p90: number } | null;
  slaCompliancePct: number | null;
  closureRatePct: number | null;
  recovery: {
    resolved: number;
    answered: number;
    recovered: number;
    ratePct: number | null;
    returned: { answered: number; recovered: number; ratePct: number | null };
  };
}

const HOUR_MS = 3_600_000;

/** nearest-rank percentile of sorted values */
const percentile = (sorted: readonly number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
const pct = (part: number, whole: number) => (whole === 0 ? null : (100 * part) / whole);

/** of the resolved tasks, those whose customer answered NPS again after the resolution: is the latest answer ≥ 7? */
function returnedOf(resolved: readonly FollowUpTask[], later: readonly LaterAnswer[]) {
  let answered = 0;
  let recovered = 0;
  for (const task of resolved) {
    const customer = task.response.customerRef;
    if (!customer || !task.closedAt) continue;
    const latest = later
      .filter((a) => a.customerRef === customer && a.receivedAt > task.closedAt!)
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
      .at(-1);
    if (!latest) continue;
    answered += 1;
    if (latest.nps >= 7) recovered += 1;
  }
  return { answered, recovered, ratePct: pct(recovered, answered) };
}

export function followUpMetrics(tasks: readonly FollowUpTask[], now: Date, later: readonly LaterAnswer[] = []): FollowUpMetrics {
  const hours = tasks
    .filter((t) => t.contactedAt)
    .map((t) => (Date.parse(t.contactedAt!) - Date.parse(t.createdAt)) / HOUR_MS)
    .sort((a, b) => a - b);
  const decided = tasks.filter((t) => t.contactedAt || Date.parse(t.dueAt) <= now.getTime());
  const inTime = decided.filter((t) => t.contactedAt && t.contactedAt <= t.dueAt);
  const closed = tasks.filter((t) => t.status === 'resolved' || t.status === 'no_action');
  const resolved = tasks.filter((t) => t.status === 'resolved');
  const answered = resolved.filter((t) => t.resurvey?.answer !== undefined);
  const recovered = answered.filter((t) => t.resurvey!.answer! >= 4);
  return {
    opened: tasks.length,
    contacted: hours.length,
    closed: closed.length,
    timeToFirstContactHours: hours.length ? { median: percentile(hours, 50), p90: percentile(hours, 90) } : null,
    slaCompliancePct: pct(inTime.length, decided.length),
    closureRatePct: pct(closed.length, tasks.length),
    recovery: {
      resolved: resolved.length,
      answered: answered.length,
      recovered: recovered.length,
      ratePct: pct(recovered.length, answered.length),
      returned: returnedOf(resolved, later),
    },
  };
}
