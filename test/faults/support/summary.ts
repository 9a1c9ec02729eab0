// fault suite support: the summary table. Each suite records its row; the global teardown prints them together.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/** every figure is counted by the suite that reports it; absent means the suite cannot produce that case (shown as —) */
export interface SummaryRow {
  suite: string;
  tried: number;
  /** answered 202 (or, below HTTP, accepted by the submit use case) */
  acknowledged: number;
  stored: number;
  /** repeated idempotency keys and redelivered messages that the store found already stored */
  duplicatesSuppressed?: number;
  /** messages the local queue put back from its journal at a restart: not duplicates, the queue's own contents */
  replayedFromJournal?: number;
  /** acknowledged but not stored */
  lost: number;
  serverErrors: number;
  note?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    faultsSummaryFile: string;
  }
}

/** appends a row where the global teardown will find it */
export function recordSummary(file: string, row: SummaryRow): void {
  appendFileSync(file, `${JSON.stringify(row)}\n`);
}

export function formatSummary(rows: SummaryRow[]): string {
  const header = ['suite', 'requests tried', 'acknowledged', 'stored', 'duplicates suppressed', 'replayed from journal', 'lost (must be 0)', '5xx (must be 0)'];
  const lines = rows.map((r) => [r.suite, r.tried, r.acknowledged, r.stored, r.duplicatesSuppressed, r.replayedFromJournal, r.lost, r.serverErrors].map((v) => (v === undefined ? '—' : String(v))));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const notes = rows.filter((r) => r.note).map((r) => `  ${r.suite}: ${r.note}`);
  return [row(header), `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...lines.map(row), ...notes].join('\n');
}

/** vitest globalSetup: a file for the rows, printed as one table when the run ends */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'feedback-faults-summary-'));
  const file = join(dir, 'rows.ndjson');
  project.provide('faultsSummaryFile', file);
  return () => {
    if (existsSync(file)) {
      const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as SummaryRow);
      if (rows.length > 0) console.log(`\nfault and abuse suite${process.env.FAULTS_FULL ? ' (full)' : ' (short form)'}\n${formatSummary(rows)}\n`);
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
