// the fault suite's summary table: a figure a suite did not count is shown as —, never as a 0 nobody measured.
import { describe, expect, it } from 'vitest';
import { formatSummary } from './support/summary.js';

describe('the fault summary table', () => {
  it('shows journal replays in their own column, apart from the duplicates suppressed', () => {
    // Act
    const table = formatSummary([{ suite: 'crash', tried: 12, acknowledged: 10, stored: 10, duplicatesSuppressed: 3, replayedFromJournal: 7, lost: 0, serverErrors: 0 }]);

    // Assess
    const [header, , row] = table.split('\n').map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
    expect(Object.fromEntries(header!.map((name, i) => [name, row![i]]))).toEqual({
      suite: 'crash',
      'requests tried': '12',
      acknowledged: '10',
      stored: '10',
      'duplicates suppressed': '3',
      'replayed from journal': '7',
      'lost (must be 0)': '0',
      '5xx (must be 0)': '0',
    });
  });

  it('shows a count the suite cannot produce as a dash rather than a zero', () => {
    // Act
    const table = formatSummary([{ suite: 'fuzz', tried: 5, acknowledged: 0, stored: 0, lost: 0, serverErrors: 0, note: 'seed 1' }]);

    // Assess
    const row = table.split('\n')[2]!.split('|').slice(1, -1).map((cell) => cell.trim());
    expect(row).toEqual(['fuzz', '5', '0', '0', '—', '—', '0', '0']);
    expect(table.split('\n').at(-1)).toBe('  fuzz: seed 1');
  });
});
