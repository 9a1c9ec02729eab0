// adapter: the tables a restore of responses reads and writes (restore-responses.ts), over DynamoDB: the restored
// table (a point-in-time restore: a new table with the live one's schema and items as they were), and the live one.
// A copy is the item as stored, brought to what this version would have stored: items from before the sharded indexes
// or the expiry index get their attributes (the backfills that give them, once done, never pass over the table again,
// and a reader would miss the item), and a comment the redactor handled is redacted again under the current rules
// (as the redaction backfill does to every stored one). It carries `restoredAt`, so the next run knows it.
import { DeleteCommand, DescribeTableCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '../aws/dynamodb.js';
import { batchGetAll } from '../dynamo-batch-get.js';
import { conditionally } from '../dynamo-conditional.js';
import { redactedAgain } from '../privacy/dynamo-redaction-backfill.js';
import { expiryIndexOf } from '../privacy/retention.js';
import { pendingValueOf, PENDING, SETTLING, surveyShardOf } from './response-indexes.js';
import type { LiveResponses, RestoredTable, TableItem } from './restore-responses.js';

/** the redaction states whose comment the redactor wrote (never `kept`: its survey keeps comments as written) */
const REDACTED = new Set(['redacted', 'local-only', 'pending']);

export function createDynamoRestoredTable(db: DynamoDBDocumentClient, tableName: string): RestoredTable {
  return {
    async *pages() {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
        yield (page.Items ?? []) as TableItem[];
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    },
  };
}

/** the item with this version's index attributes and redaction, tagged as restored at `at` */
export function currentItemOf(item: TableItem, at: Date): TableItem {
  const id = item.responseId;
  const current: TableItem = { ...item, restoredAt: at.toISOString() };
  if (current.surveyShard === undefined) current.surveyShard = surveyShardOf(String(item.surveyId), id);
  for (const state of [PENDING, SETTLING] as const) if (current.sentimentPending === state) current.sentimentPending = pendingValueOf(state, id);
  if (current.routingPending === PENDING) current.routingPending = pendingValueOf(PENDING, id);
  if (current.expiryKey === undefined) Object.assign(current, expiryIndexOf(id, typeof item.expiresAt === 'number' ? item.expiresAt : undefined));
  const redaction = item.redaction as { status?: string; found?: Record<string, number> } | undefined;
  if (typeof item.comment === 'string' && redaction?.status !== undefined && REDACTED.has(redaction.status)) {
    const again = redactedAgain(item.comment, redaction.found);
    if (again) Object.assign(current, { comment: again.comment, redaction: { ...redaction, found: again.found } });
  }
  return current;
}

export function createDynamoLiveResponses(db: DynamoDBDocumentClient, tableName: string): LiveResponses {
  return {
    async holding(ids) {
      // strongly consistent: a response stored a moment ago must not be taken as lost
      const items = await batchGetAll(db, tableName, ids.map((responseId) => ({ responseId })), { projection: 'responseId, restoredAt', consistentRead: true });
      return new Map(items.map((item) => [String(item.responseId), { restored: item.restoredAt !== undefined }]));
    },

    copyIfAbsent: (item, at) =>
      conditionally(db.send(new PutCommand({ TableName: tableName, Item: currentItemOf(item, at), ConditionExpression: 'attribute_not_exists(responseId)' }))),

    async removeErased(responseId) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: { responseId } }));
    },
  };
}

/**
 * what DescribeTable says of a table made by a point-in-time restore (its RestoreSummary): the point it was restored to,
 * the table it was restored from, and whether the restore is still running; undefined for a table that is no restore.
 * The wire carries the time as epoch seconds (shared/aws/json-protocol.ts keeps timestamps as they come)
 */
export async function restoreSummaryOf(db: DynamoDBDocumentClient, tableName: string): Promise<{ at: Date; sourceTableName?: string; inProgress: boolean } | undefined> {
  const { Table } = await db.send(new DescribeTableCommand({ TableName: tableName }));
  const summary = Table?.RestoreSummary;
  const at: unknown = summary?.RestoreDateTime;
  if (typeof at !== 'number') return undefined;
  const point = new Date(at * 1000);
  // arn:aws:dynamodb:<region>:<account>:table/<name>
  const sourceTableName = summary?.SourceTableArn?.split(':table/')[1];
  return { at: point, inProgress: summary?.RestoreInProgress === true, ...(sourceTableName ? { sourceTableName } : {}) };
}
