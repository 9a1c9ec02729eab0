// unit: `npm run bench` sums the rollup's items read from the local runtime's stdout. The fixture is that stdout as a
// run printed it (LOG_LEVEL=INFO, schedules every 4 s, 7, 14 and 21 responses a few seconds apart): the start banner,
// three `rolled up` lines, other functions' lines, and the shutdown lines.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeRollupMinute } from '../../functions/rollup/minute.js';
import { rollupReadsIn } from '../bench/rollup-log.js';

const stdout = readFileSync(new URL('../fixtures/logs/local-runtime-stdout.txt', import.meta.url), 'utf8');
const fixtureTotals = { runs: 3, marks: 3, responses: 7 + 21 + 42, aggregates: 2 + 3 + 3, lastRunAt: '2026-12-06T18:18:35.324Z' };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('rollup reads in the local runtime log', () => {
  it('sums the items read of every rolled-up run and skips the banner and other functions’ lines', () => {
    // Act
    const reads = rollupReadsIn(stdout);

    // Assess
    expect(reads).toEqual(fixtureTotals);
  });

  it('reads lines as well as text, and skips a line cut off at the end of a chunk', () => {
    // Prepare: the lines, and a rolled-up line whose second half has not arrived yet
    const lines = stdout.split('\n');
    const rolledUp = lines.find((line) => line.includes('"rolled up"')) ?? '';
    const cutOff = rolledUp.slice(0, rolledUp.indexOf('"itemsRead"') + 20);

    // Act
    const reads = rollupReadsIn([...lines, cutOff]);

    // Assess
    expect(reads).toEqual(fixtureTotals);
  });

  it('skips a line that is not the rollup’s record even when it names the rollup', () => {
    // Prepare: another record of the rollup function, and a message that only mentions the rollup
    const alerts = '{"level":"INFO","message":"alerts","timestamp":"2026-12-06T18:18:35.400Z","service":"feedback-local","function_name":"rollup","raised":1,"delivered":0,"retrying":0,"failed":0}';
    const warning = '{"level":"WARN","message":"rolled up","timestamp":"2026-12-06T18:18:35.400Z","service":"feedback-local","function_name":"rollup"}';

    // Act
    const reads = rollupReadsIn([alerts, warning, 'rolled up {"itemsRead":{"marks":1,"responses":1,"aggregates":1}}']);

    // Assess
    expect(reads).toEqual({ runs: 0, marks: 0, responses: 0, aggregates: 0, lastRunAt: undefined });
  });

  it('finds what the rollup function logs after a run', async () => {
    // Prepare: the rollup schedule's use case over a run that read 2 marks, 1,000 responses and 5 aggregates
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const rollup = makeRollupMinute({
      rollUp: async () => ({ surveys: ['demo'], minutesRecomputed: 2, hoursRecomputed: 1, daysRecomputed: 1, cleared: 2, left: 0, itemsRead: { marks: 2, responses: 1000, aggregates: 5 }, failed: [] }),
      raiseDropAlerts: async () => [],
      deliverPendingAlerts: async () => ({ delivered: 0, retrying: 0, failed: 0 }),
    });

    // Act
    await rollup();

    // Assess
    expect(rollupReadsIn(written.join(''))).toMatchObject({ runs: 1, marks: 2, responses: 1000, aggregates: 5 });
  });
});
