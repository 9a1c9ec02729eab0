// adapter: AuditLog over DynamoDB. Key (month "2026-11", entryKey "<ISO time>#<random>"): a month's entries in time
// order, read newest first month by month. Appends are conditional on the key being new, so nothing is overwritten;
// the functions' IAM role allows PutItem only (no update, no delete).
import { randomBytes } from 'node:crypto';
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '../aws/dynamodb.js';
import { encodeCursor, notACursor, positionOf } from '../page-cursor.js';
import type { AuditEntry, AuditLog } from './audit-entry.js';

interface AuditItem extends AuditEntry {
  month: string;
  entryKey: string;
}

const monthOf = (iso: string) => iso.slice(0, 7);

/** the months from `to`'s back to `from`'s, newest first: "2026-11", "2026-10", … */
function monthsBetween(from: Date, to: Date): string[] {
  const months: string[] = [];
  const cursor = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), 1));
  const first = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1);
  while (cursor.getTime() >= first) {
    months.push(cursor.toISOString().slice(0, 7));
    cursor.setUTCMonth(cursor.getUTCMonth() - 1);
  }
  return months;
}

function decodeCursor(cursor: string): { month: string; entryKey: string } {
  const key = (positionOf(cursor) ?? {}) as { month?: unknown; entryKey?: unknown };
  if (typeof key.month === 'string' && /^\d{4}-\d{2}$/.test(key.month) && typeof key.entryKey === 'string') return { month: key.month, entryKey: key.entryKey };
  throw notACursor('not a cursor returned by this endpoint');
}

export function createDynamoAuditLog(db: DynamoDBDocumentClient, tableName: string): AuditLog {
  return {
    async append(entry) {
      const item: AuditItem = { ...entry, month: monthOf(entry.at), entryKey: `${entry.at}#${randomBytes(6).toString('hex')}` };
      await db.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(entryKey)' }));
    },

    async list({ from, to, limit, cursor }) {
      const start = cursor ? decodeCursor(cursor) : undefined;
      const months = monthsBetween(from, to).filter((month) => !start || month <= start.month);
      const items: AuditItem[] = [];
      for (const month of months) {
        let startKey: Record<string, unknown> | undefined = start && month === start.month ? start : undefined;
        do {
          const page = await db.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: '#m = :m AND #k BETWEEN :from AND :to',
              ExpressionAttributeNames: { '#m': 'month', '#k': 'entryKey' },
              // "~" sorts after the "#<random>" suffix, making `to` inclusive
              ExpressionAttributeValues: { ':m': month, ':from': from.toISOString(), ':to': `${to.toISOString()}~` },
              ScanIndexForward: false,
              Limit: limit + 1 - items.length,
              ExclusiveStartKey: startKey,
            }),
          );
          items.push(...((page.Items ?? []) as AuditItem[]));
          startKey = page.LastEvaluatedKey;
        } while (startKey && items.length <= limit);
        if (items.length > limit) break;
      }
      const page = items.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(({ month: _month, entryKey: _key, ...entry }) => entry),
        cursor: items.length > limit && last ? encodeCursor({ month: last.month, entryKey: last.entryKey }) : null,
      };
    },
  };
}
