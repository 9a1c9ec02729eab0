// cli: the follow-up metrics by root cause and by assignee, as `metrics` prints them under the follow-up line.
// Pure: the lines to print.
import type { FollowUpBreakdown, GroupFigures } from '../shared/followups/followup-breakdown.js';

/** a figure that has none (no answers, a zero denominator) */
export const NO_VALUE = '–';
/** a percentage (0–100) to one decimal */
export const share = (value: number | null) => (value === null ? NO_VALUE : `${value.toFixed(1)}%`);
const hours = (f: GroupFigures) => (f.timeToFirstContactHours ? `${f.timeToFirstContactHours.median.toFixed(1)} h` : NO_VALUE);

/** columns padded to their widest cell: the first left-aligned, the figures right-aligned */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => [...row[c]!].length)));
  return rows.map((row) => `  ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}`.trimEnd());
}

export function breakdownLines(f: Partial<FollowUpBreakdown>): string[] {
  const lines: string[] = [];
  if (f.byRootCause?.length) {
    lines.push(
      ...table([
        ['by root cause', 'closed', 'resolved', 'recovered', 'first contact'],
        ...f.byRootCause.map((r) => [r.rootCause, String(r.closed), String(r.resolved), share(r.recoveryRatePct), hours(r)]),
      ]),
    );
  }
  if (f.byAssignee?.length) {
    lines.push(
      ...table([
        ['by assignee', 'opened', 'contacted', 'closed', 'recovered', 'first contact'],
        ...f.byAssignee.map((a) => [a.assignee?.name ?? '(unassigned)', String(a.opened), String(a.contacted), share(a.closureRatePct), share(a.recoveryRatePct), hours(a)]),
      ]),
    );
  }
  return lines;
}
