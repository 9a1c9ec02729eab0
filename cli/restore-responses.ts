// CLI: `responses restore`, the one command that talks to DynamoDB itself, with the operator's AWS credentials (the
// environment, as shared/aws/dynamodb.ts reads it): it copies lost responses back from a point-in-time restore of the
// responses table (shared/response/restore-responses.ts). Its arguments are checked before anything is read, and it
// prints counts only, never a response's content.
import { createDocumentClient } from '../shared/dynamo-client.js';
import type { DynamoDBDocumentClient } from '../shared/aws/dynamodb.js';
import { systemClock } from '../shared/clock.js';
import { createDynamoErasureMarkers } from '../shared/privacy/dynamo-erasure-markers.js';
import { createDynamoLiveResponses, createDynamoRestoredTable, restoreSummaryOf } from '../shared/response/dynamo-restored-responses.js';
import { makeRestoreResponses, type RestoreCounts } from '../shared/response/restore-responses.js';
import { coalescingDirtyBuckets } from '../shared/rollup/coalescing-dirty-buckets.js';
import { createDynamoDirtyBuckets } from '../shared/rollup/dynamo-dirty-buckets.js';

export const RESTORE_OPTIONS = {
  restored: { type: 'string' },
  responses: { type: 'string' },
  erasures: { type: 'string' },
  'dirty-buckets': { type: 'string' },
  'restored-at': { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

export interface RestoreArgs {
  /** the table the point-in-time restore created */
  restored: string;
  /** the live tables: responses, erasure markers, dirty buckets */
  responses: string;
  erasures: string;
  dirtyBuckets: string;
  /** for a table that is no restore: the time its items are from */
  restoredAt?: Date;
  dryRun: boolean;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** DynamoDB's rule for a table name */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
/** an ISO 8601 time with its zone: a time without one would be read in the operator's own */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const TABLES = {
  restored: 'the table the point-in-time restore created',
  responses: "the live responses table (its name from `aws dynamodb list-tables`)",
  erasures: 'the live erasure markers table',
  'dirty-buckets': "the live dirty buckets table (the rollup's marks)",
} as const;

/** the command's options as parseArgs read them, checked: each reason names its option */
export function restoreArgsOf(values: { [K in keyof typeof RESTORE_OPTIONS]?: (typeof RESTORE_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string }): Checked<RestoreArgs> {
  const names: Partial<Record<keyof typeof TABLES, string>> = {};
  for (const [option, what] of Object.entries(TABLES) as [keyof typeof TABLES, string][]) {
    const name = values[option];
    if (name === undefined) return { ok: false, reason: `--${option} is missing: ${what}` };
    if (!TABLE_NAME.test(name)) return { ok: false, reason: `--${option}: "${name}" is not a table name (3 to 255 letters, digits, _ . -)` };
    names[option] = name;
  }
  if (names.restored === names.responses) return { ok: false, reason: '--restored names the live responses table (--responses): give the table the restore created' };
  let restoredAt: Date | undefined;
  const at = values['restored-at'];
  if (at !== undefined) {
    restoredAt = new Date(at);
    if (!ISO_TIME.test(at) || Number.isNaN(restoredAt.getTime())) return { ok: false, reason: `--restored-at: "${at}" is not an ISO time with its zone, e.g. 2026-12-01T09:30:00Z` };
  }
  return {
    ok: true,
    value: { restored: names.restored!, responses: names.responses!, erasures: names.erasures!, dirtyBuckets: names['dirty-buckets']!, restoredAt, dryRun: values['dry-run'] === true },
  };
}

/** the command cannot go on: `usage` when an argument is wrong (exit code 2), else a refusal or a fault (1) */
export class RestoreStopped extends Error {
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
    this.name = 'RestoreStopped';
  }
}

const errorText = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** the restore point: the restored table's own, or --restored-at for a table that is no restore */
async function restorePoint(db: DynamoDBDocumentClient, args: RestoreArgs): Promise<{ at: Date; from: string }> {
  let summary: Awaited<ReturnType<typeof restoreSummaryOf>>;
  try {
    summary = await restoreSummaryOf(db, args.restored);
  } catch (error) {
    throw new RestoreStopped(`cannot describe table ${args.restored}: ${errorText(error)}`);
  }
  if (summary && args.restoredAt) {
    throw new RestoreStopped(`--restored-at: ${args.restored} was restored to ${summary.at.toISOString()} (its RestoreSummary); --restored-at is only for a table that is no restore`, true);
  }
  if (summary?.sourceTableName !== undefined && summary.sourceTableName !== args.responses) {
    throw new RestoreStopped(`--restored: ${args.restored} is a restore of ${summary.sourceTableName}, not of --responses ${args.responses}`, true);
  }
  if (summary?.inProgress) throw new RestoreStopped(`${args.restored} is still being restored: run this once DynamoDB says its restore is done (its status ACTIVE)`);
  const own = summary?.at;
  if (own) return { at: own, from: "the table's RestoreSummary" };
  if (args.restoredAt) return { at: args.restoredAt, from: '--restored-at' };
  throw new RestoreStopped(`--restored-at is missing: ${args.restored} is not a point-in-time restore (DescribeTable has no RestoreSummary); give the time its items are from`, true);
}

export function countsText(counts: RestoreCounts, dryRun: boolean): string {
  return [
    `${counts.read} items read`,
    `  ${dryRun ? 'to copy        ' : 'copied         '} ${counts.copied}`,
    `  already present ${counts.alreadyPresent}  (the live table holds them: left as they are)`,
    `  expired         ${counts.expired}  (past their retention: deleted on purpose)`,
    `  erased          ${counts.erased}  (their customer was erased after they were received)`,
    `  system items    ${counts.system}  (not responses)`,
  ].join('\n');
}

/** runs the restore; answers the text to print */
export async function restoreResponses(args: RestoreArgs, db: DynamoDBDocumentClient = createDocumentClient()): Promise<string> {
  const point = await restorePoint(db, args);
  const restore = makeRestoreResponses({
    restored: createDynamoRestoredTable(db, args.restored),
    live: createDynamoLiveResponses(db, args.responses),
    erasures: createDynamoErasureMarkers(db, args.erasures),
    // copies of one survey and minute put side by side share one mark, as a process batch's do
    dirty: coalescingDirtyBuckets(createDynamoDirtyBuckets(db, args.dirtyBuckets)),
    clock: systemClock,
  });
  let outcome;
  try {
    outcome = await restore({ restoredAt: point.at, dryRun: args.dryRun });
  } catch (error) {
    // each copy is put and then marked: what was copied stays, and a second run goes on from there
    throw new RestoreStopped(`the restore stopped: ${errorText(error)}. What it copied stays; run it again to finish`);
  }
  if ('refused' in outcome) throw new RestoreStopped(`refused: ${outcome.refused}`);
  const heading = `restore point ${point.at.toISOString()} (${point.from}) · from ${args.restored} into ${args.responses}${args.dryRun ? ' · dry run: nothing written' : ''}`;
  return `${heading}\n${countsText(outcome.counts, args.dryRun)}`;
}
