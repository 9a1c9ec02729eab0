// unit: `responses restore`'s arguments (each refusal names the option and why), the restore point it reads from
// DescribeTable, and the window of restore points the erasure markers vouch for. The command's run against tables is
// in test/integration/restore-responses.test.ts.
import { describe, expect, it } from 'vitest';
import { restoreArgsOf, restoreResponses } from '../../cli/restore-responses.js';
import type { DynamoDBDocumentClient } from '../../shared/aws/dynamodb.js';
import { restoreSummaryOf } from '../../shared/response/dynamo-restored-responses.js';
import { restorePointRefusal } from '../../shared/response/restore-responses.js';
import { CLI_TEST_TIMEOUT_MS, runCli } from '../support/cli.js';

const TABLES = { restored: 'responses-restored', responses: 'Stateful-Responses1A2B', erasures: 'Stateful-Erasures3C4D', 'dirty-buckets': 'Stateful-DirtyBuckets5E6F' };
const reasonOf = (values: Parameters<typeof restoreArgsOf>[0]) => {
  const checked = restoreArgsOf(values);
  return checked.ok ? undefined : checked.reason;
};

describe('responses restore: its arguments', () => {
  it('takes the four tables, a dry run and a restore time', () => {
    expect(restoreArgsOf({ ...TABLES, 'dry-run': true, 'restored-at': '2026-12-01T09:30:00+01:00' })).toEqual({
      ok: true,
      value: { restored: 'responses-restored', responses: 'Stateful-Responses1A2B', erasures: 'Stateful-Erasures3C4D', dirtyBuckets: 'Stateful-DirtyBuckets5E6F', restoredAt: new Date('2026-12-01T08:30:00Z'), dryRun: true },
    });
    expect(restoreArgsOf(TABLES)).toMatchObject({ ok: true, value: { restoredAt: undefined, dryRun: false } });
  });

  it('names each missing table', () => {
    for (const option of Object.keys(TABLES)) {
      const { [option as keyof typeof TABLES]: _left, ...rest } = TABLES;
      expect(reasonOf(rest)).toMatch(new RegExp(`^--${option} is missing: `));
    }
  });

  it('refuses what is no table name, the live table as the restored one, and a time without its zone', () => {
    expect(reasonOf({ ...TABLES, erasures: 'my table' })).toBe('--erasures: "my table" is not a table name (3 to 255 letters, digits, _ . -)');
    expect(reasonOf({ ...TABLES, restored: TABLES.responses })).toMatch(/^--restored names the live responses table/);
    expect(reasonOf({ ...TABLES, 'restored-at': '2026-12-01T09:30:00' })).toMatch(/^--restored-at: "2026-12-01T09:30:00" is not an ISO time with its zone/);
    expect(reasonOf({ ...TABLES, 'restored-at': 'yesterday' })).toMatch(/^--restored-at: /);
    expect(reasonOf({ ...TABLES, 'restored-at': '2026-13-45T09:30:00Z' })).toMatch(/^--restored-at: /);
  });

  it('stops with exit code 2, the reason and the usage, for a missing table or an unknown option', { timeout: CLI_TEST_TIMEOUT_MS }, async () => {
    // Act (no DynamoDB is reachable: nothing may be asked of it)
    const missing = await runCli('http://127.0.0.1:9', ['responses', 'restore', '--restored', 'r-1', '--responses', 'live', '--erasures', 'e-1'], undefined, { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' });
    const unknown = await runCli('http://127.0.0.1:9', ['responses', 'restore', '--restore', 'r-1'], undefined, { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' });

    // Assess
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toMatch(/^responses restore: --dirty-buckets is missing: .*\nusage:/);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toMatch(/^responses restore: Unknown option '--restore'/);
  });
});

describe('the restore point', () => {
  const describing = (restoreSummary: unknown) => ({ send: async () => ({ Table: { TableName: 'r', ...(restoreSummary ? { RestoreSummary: restoreSummary } : {}) } }) }) as unknown as DynamoDBDocumentClient;

  it('is read from DescribeTable, whose wire format gives it in epoch seconds, with the table it was restored from', async () => {
    expect(
      await restoreSummaryOf(describing({ RestoreDateTime: 1_764_581_400.5, RestoreInProgress: false, SourceTableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/FeedbackStateful-ResponsesTable1A2B' }), 'r'),
    ).toEqual({ at: new Date('2025-12-01T09:30:00.500Z'), inProgress: false, sourceTableName: 'FeedbackStateful-ResponsesTable1A2B' });
    expect(await restoreSummaryOf(describing({ RestoreDateTime: 1_764_581_400, RestoreInProgress: true }), 'r')).toMatchObject({ inProgress: true });
    expect(await restoreSummaryOf(describing(undefined), 'r')).toBeUndefined();
  });

  it('refuses a restore of another table than --responses, and one still running, before reading an item', async () => {
    const args = { restored: 'restored', responses: 'FeedbackStateful-ResponsesTable1A2B', erasures: 'e-table', dirtyBuckets: 'd-table', dryRun: true };
    const other = describing({ RestoreDateTime: Date.now() / 1000 - 3600, RestoreInProgress: false, SourceTableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/Other-ResponsesTable' });
    await expect(restoreResponses(args, other)).rejects.toMatchObject({ usage: true, message: expect.stringMatching(/^--restored: restored is a restore of Other-ResponsesTable, not of --responses/) });
    const running = describing({ RestoreDateTime: Date.now() / 1000 - 3600, RestoreInProgress: true, SourceTableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/FeedbackStateful-ResponsesTable1A2B' });
    await expect(restoreResponses(args, running)).rejects.toMatchObject({ usage: false, message: expect.stringMatching(/is still being restored/) });
  });

  it('is refused when older than 29 days (the erasure markers keep 30), in the future, or no time', () => {
    const now = new Date('2026-12-31T12:00:00Z');
    expect(restorePointRefusal(new Date('2026-12-02T12:00:00Z'), now)).toBeUndefined();
    expect(restorePointRefusal(new Date('2026-12-02T11:59:59Z'), now)).toMatch(/older than 2026-12-02T12:00:00.000Z \(29 days ago\): an erasure is remembered for 30 days/);
    expect(restorePointRefusal(new Date('2026-12-31T12:00:01Z'), now)).toMatch(/in the future/);
    expect(restorePointRefusal(new Date(Number.NaN), now)).toBe('the restore point is not a time');
  });
});
