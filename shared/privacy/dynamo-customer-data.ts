// adapter: CustomerDataHolders over DynamoDB. Each table that holds customer data has a sparse `byCustomer` index on
// `customerRef`; a holder queries it, exports the items without their index-only attributes (a page at a time, from an
// item's place in the index on), and deletes them by key.
import { DeleteCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '../aws/dynamodb.js';
import { chunksOf } from '../chunks.js';
import { conditionally } from '../dynamo-conditional.js';
import type { Clock } from '../clock.js';
import { RESPONSE_ITEM_ATTRIBUTES } from '../response/dynamo-response-store.js';
import type { DirtyBuckets } from '../rollup/dirty-buckets.js';
import { minuteKeyOf } from '../rollup/bucket.js';
import { notAnExportCursor, type CustomerDataHolder } from './customer-data.js';
import { withoutExpiryIndex } from './retention.js';

type Item = Record<string, unknown>;

async function queryAll(db: DynamoDBDocumentClient, input: QueryCommand['input']): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of queryItems(db, input)) items.push(item);
  return items;
}

/** the query's pages of items in index order, from just after `startKey` */
async function* queryPages(db: DynamoDBDocumentClient, input: QueryCommand['input'], startKey?: Item): AsyncGenerator<Item[]> {
  do {
    const page = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    yield page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** the query's items in index order, from just after `startKey` */
async function* queryItems(db: DynamoDBDocumentClient, input: QueryCommand['input'], startKey?: Item): AsyncGenerator<Item> {
  for await (const page of queryPages(db, input, startKey)) yield* page;
}

/** a customer's items through a byCustomer index (partition customerRef, sorted by `sortKey`) */
const byCustomerQuery = (tableName: string, customerRef: string, indexName = 'byCustomer'): QueryCommand['input'] => ({
  TableName: tableName,
  IndexName: indexName,
  KeyConditionExpression: '#c = :c',
  ExpressionAttributeNames: { '#c': 'customerRef' },
  ExpressionAttributeValues: { ':c': customerRef },
});

const byCustomer = (db: DynamoDBDocumentClient, tableName: string, customerRef: string, indexName?: string) => queryAll(db, byCustomerQuery(tableName, customerRef, indexName));

/** an item as exported: without its table's index-only attributes, nor the expiry index's, which every holder's items carry */
const without = (item: Item, names: readonly string[]): Item => withoutExpiryIndex(Object.fromEntries(Object.entries(item).filter(([name]) => !names.includes(name))));
const keyOf = (item: Item, names: readonly string[]) => Object.fromEntries(names.map((name) => [name, item[name]]));

/**
 * an item's place in a byCustomer index, as the export's position: its table key and its index key (what a query's
 * ExclusiveStartKey names), as JSON
 */
const positionOf = (item: Item, attributes: readonly string[]) => JSON.stringify(keyOf(item, attributes));

/** a position given back by a client: the key of an item of this customer's in the index, or refused (400) */
function startKeyOf(position: string | undefined, attributes: readonly string[], customerRef: string): Item | undefined {
  if (position === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(position);
  } catch {
    throw notAnExportCursor();
  }
  const entries = key !== null && typeof key === 'object' && !Array.isArray(key) ? Object.entries(key) : [];
  // every key attribute of these tables is a string, and DynamoDB refuses an empty one or a sort key over 1,024 bytes
  // (a ValidationException, which would answer 500)
  const wellFormed =
    entries.length === attributes.length &&
    entries.every(([name, value]) => attributes.includes(name) && typeof value === 'string' && value.length > 0 && Buffer.byteLength(value) <= 1024) &&
    (key as Item).customerRef === customerRef;
  if (!wellFormed) throw notAnExportCursor();
  return key as Item;
}

export interface IndexedHolderOptions {
  /** the export section and count name, e.g. "invitations" */
  section: string;
  tableName: string;
  /** the table's key attributes, e.g. ['invitationId'] */
  key: readonly string[];
  /** the byCustomer index's sort key, e.g. "createdKey" (with the key, an item's place in the index) */
  indexSortKey: string;
  /** attributes that exist only for indexes, left out of the export */
  internal?: readonly string[];
  indexName?: string;
  /** runs before an item is deleted, and again when an erasure that died before the delete is called again */
  beforeDelete?: (item: Item) => Promise<void>;
}

/** a table whose items carry customerRef and a sparse byCustomer index: the common case, one entry per table */
export function indexedHolder(db: DynamoDBDocumentClient, options: IndexedHolderOptions): CustomerDataHolder {
  const { section, tableName, key, indexSortKey, internal = [], indexName, beforeDelete } = options;
  const indexKey = [...key, 'customerRef', indexSortKey];
  return {
    sections: [section],
    async *entries(customerRef, after) {
      const startKey = startKeyOf(after, indexKey, customerRef);
      for await (const item of queryItems(db, byCustomerQuery(tableName, customerRef, indexName), startKey)) {
        yield { items: { [section]: [without(item, internal)] }, position: positionOf(item, indexKey) };
      }
    },
    async erase(customerRef) {
      const items = await byCustomer(db, tableName, customerRef, indexName);
      for (const item of items) {
        await beforeDelete?.(item);
        await db.send(new DeleteCommand({ TableName: tableName, Key: keyOf(item, key) }));
      }
      return { [section]: items.length };
    },
  };
}

/**
 * Responses: each is first taken out of the rollup's view (its surveyId moved to `erasingSurveyId` and its
 * `surveyShard` removed: the rollup reads the bySurveyShard index, keyed by surveyShard, and until the index backfill is
 * done the bySurvey index, keyed by surveyId, while byCustomer still finds it), then its (survey, minute) bucket is marked
 * dirty, then it is deleted. The mark comes after the response left the view, so a rollup in between cannot clear
 * it while the response still counts; and a failure before the delete leaves the response findable by customer, so
 * calling the erasure again marks its minute again (a mark written after the delete could be lost for good).
 */
export function responsesHolder(db: DynamoDBDocumentClient, tableName: string, dirty: DirtyBuckets, clock: Clock): CustomerDataHolder {
  return indexedHolder(db, {
    section: 'responses',
    tableName,
    key: ['responseId'],
    indexSortKey: 'receivedKey',
    internal: RESPONSE_ITEM_ATTRIBUTES,
    beforeDelete: async (item) => {
      const surveyId = String(item.surveyId ?? item.erasingSurveyId);
      await conditionally(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { responseId: item.responseId },
            UpdateExpression: 'SET erasingSurveyId = surveyId REMOVE surveyId, surveyShard',
            ConditionExpression: 'attribute_exists(surveyId)',
          }),
        ),
      );
      await dirty.mark(surveyId, minuteKeyOf(String(item.receivedAt)), clock.now());
    },
  });
}

const NOTIFICATION_READS_AT_ONCE = 16;

/** Follow-up tasks (notes and history inside) and their webhook notifications (key taskId, kind) */
export function followUpsHolder(db: DynamoDBDocumentClient, tables: { followups: string; notifications: string }): CustomerDataHolder {
  const notificationsOf = (taskId: unknown) =>
    queryAll(db, {
      TableName: tables.notifications,
      KeyConditionExpression: '#t = :t',
      ExpressionAttributeNames: { '#t': 'taskId' },
      ExpressionAttributeValues: { ':t': taskId },
    });
  const TASK_INTERNAL = ['taskId', 'createdKey', 'slaPending'];
  const NOTIFICATION_INTERNAL = ['deliveryPending'];
  const taskIndexKey = ['taskId', 'customerRef', 'createdKey'];
  return {
    sections: ['tasks', 'notifications'],
    // a task with its notifications (a handful: its webhook deliveries) is one entry; the notifications of a few tasks
    // are read at once
    async *entries(customerRef, after) {
      const startKey = startKeyOf(after, taskIndexKey, customerRef);
      for await (const page of queryPages(db, byCustomerQuery(tables.followups, customerRef), startKey)) {
        for (const tasks of chunksOf(page, NOTIFICATION_READS_AT_ONCE)) {
          const notifications = await Promise.all(tasks.map((task) => notificationsOf(task.taskId)));
          for (const [index, task] of tasks.entries()) {
            yield { items: { tasks: [without(task, TASK_INTERNAL)], notifications: notifications[index]!.map((n) => without(n, NOTIFICATION_INTERNAL)) }, position: positionOf(task, taskIndexKey) };
          }
        }
      }
    },
    async erase(customerRef) {
      const tasks = await byCustomer(db, tables.followups, customerRef);
      let notifications = 0;
      for (const task of tasks) {
        // the notifications first: a failure half-way leaves the task, so erasing again finds them
        for (const notification of await notificationsOf(task.taskId)) {
          await db.send(new DeleteCommand({ TableName: tables.notifications, Key: keyOf(notification, ['taskId', 'kind']) }));
          notifications++;
        }
        await db.send(new DeleteCommand({ TableName: tables.followups, Key: { taskId: task.taskId } }));
      }
      return { tasks: tasks.length, notifications };
    },
  };
}
