// adapter support: a pass over a whole DynamoDB table that a scheduled function runs a slice at a time (an upgrade's
// backfill). Its state is one item in the table it passes over, under a key no stored item has, and each run resumes
// the Scan where the previous run saved its position.
import { GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from './aws/dynamodb.js';

type Item = Record<string, unknown>;
type ScanInput = ConstructorParameters<typeof ScanCommand>[0];

/** the pass's state item, under `key`; what it saves replaces what was there */
export function passStateItem<State extends object>(db: DynamoDBDocumentClient, tableName: string, key: Item) {
  return {
    read: async () => (await db.send(new GetCommand({ TableName: tableName, Key: key }))).Item as State | undefined,
    save: (state: State) => db.send(new PutCommand({ TableName: tableName, Item: { ...state, ...key } })),
  };
}

/**
 * the Scan's pages from `from` (a LastEvaluatedKey saved by an earlier run; undefined: the table's start), one at a time
 * while `hasTime()`; the table's last page has no `next`
 */
export async function* scanPagesWhile<T = Item>(
  db: DynamoDBDocumentClient,
  scan: Omit<ScanInput, 'ExclusiveStartKey'>,
  from: Item | undefined,
  hasTime: () => boolean,
): AsyncGenerator<{ items: T[]; next?: Item }> {
  let start = from;
  while (hasTime()) {
    const page = await db.send(new ScanCommand({ ...scan, ExclusiveStartKey: start }));
    yield { items: (page.Items ?? []) as T[], next: page.LastEvaluatedKey };
    start = page.LastEvaluatedKey;
    if (!start) return;
  }
}
