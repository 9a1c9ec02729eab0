// adapter: the PendingDeliveries port over any DynamoDB table whose items carry a webhook `delivery` (alerts,
// follow-up notifications). A sparse GSI pendingDelivery (deliveryPending, nextAttemptAt) holds only items whose
// delivery is still to be (re)tried, so finding due work costs in proportion to that work, never to the stored items.
import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '../aws/dynamodb.js';
import { conditionally } from '../dynamo-conditional.js';
import type { AlertDelivery } from './alert.js';
import type { PendingDeliveries } from './deliver-pending-alerts.js';

const PENDING = 'pending';
const INDEX = 'pendingDelivery';

export interface PendingDeliveryAttributes {
  /** present (always "pending") only while delivery is pending: the sparse index's partition key */
  deliveryPending?: typeof PENDING;
  /** the index's sort key; equals delivery.nextAttemptAt, or a claim's end while an attempt is under way */
  nextAttemptAt?: string;
}

/** the item as stored: the index attributes added while its delivery is pending */
export function withPendingDelivery<T extends { delivery: AlertDelivery }>(item: T): T & PendingDeliveryAttributes {
  return item.delivery.status === 'pending' ? { ...item, deliveryPending: PENDING, nextAttemptAt: item.delivery.nextAttemptAt } : { ...item };
}

/** the item as read: without the index attributes */
export function withoutPendingDelivery<T>(item: T & PendingDeliveryAttributes): T {
  const { deliveryPending: _pending, nextAttemptAt: _next, ...rest } = item;
  return rest as T;
}

/** pages through a query until `limit` items are read or the data ends */
export async function queryItems(db: DynamoDBDocumentClient, input: Omit<QueryCommand['input'], 'Limit'>, limit: number): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, Limit: limit - items.length, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey && items.length < limit);
  return items;
}

export function createDynamoPendingDeliveries<T extends { delivery: AlertDelivery }>(
  db: DynamoDBDocumentClient,
  tableName: string,
  keyOf: (item: T) => Record<string, string>,
): PendingDeliveries<T> {
  return {
    async listDueDeliveries(now, limit) {
      const items = await queryItems(
        db,
        {
          TableName: tableName,
          IndexName: INDEX,
          KeyConditionExpression: '#p = :p AND #n <= :now',
          ExpressionAttributeNames: { '#p': 'deliveryPending', '#n': 'nextAttemptAt' },
          ExpressionAttributeValues: { ':p': PENDING, ':now': now.toISOString() },
        },
        limit,
      );
      return items.map((item) => withoutPendingDelivery(item as unknown as T & PendingDeliveryAttributes));
    },

    async claimDelivery(item, until) {
      if (item.delivery.status !== 'pending') return false;
      return conditionally(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keyOf(item),
            UpdateExpression: 'SET #n = :until',
            // the index is eventually consistent: what it showed may already be taken; the table decides
            ConditionExpression: '#p = :p AND #n = :seen',
            ExpressionAttributeNames: { '#p': 'deliveryPending', '#n': 'nextAttemptAt' },
            ExpressionAttributeValues: { ':p': PENDING, ':seen': item.delivery.nextAttemptAt, ':until': until.toISOString() },
          }),
        ),
      );
    },

    recordDelivery(item, claimedUntil, delivery) {
      const stillPending = delivery.status === 'pending';
      return conditionally(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keyOf(item),
            UpdateExpression: stillPending ? 'SET #d = :d, #n = :next' : 'SET #d = :d REMOVE #p, #n',
            ConditionExpression: '#p = :p AND #n = :claimed',
            ExpressionAttributeNames: { '#d': 'delivery', '#p': 'deliveryPending', '#n': 'nextAttemptAt' },
            ExpressionAttributeValues: {
              ':d': delivery,
              ':p': PENDING,
              ':claimed': claimedUntil.toISOString(),
              ...(stillPending ? { ':next': delivery.nextAttemptAt } : {}),
            },
          }),
        ),
      );
    },
  };
}
