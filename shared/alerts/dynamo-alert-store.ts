// adapter: AlertStore over DynamoDB (dynalite locally).
// Key (surveyId, alertId): alert ids start with their day, so a survey's alerts read newest first with one query, and
// raising the same alert again is a conditional-put no-op. The sparse GSI pendingDelivery (deliveryPending,
// nextAttemptAt) holds only alerts whose webhook delivery is still to be (re)tried, so finding due work costs in
// proportion to that work, never to the stored alerts.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Alert, AlertDelivery } from './alert.js';
import type { AlertStore } from './alert-store.js';

const PENDING = 'pending';
const INDEX = 'pendingDelivery';

interface AlertItem extends Alert {
  /** present (always "pending") only while delivery is pending: the sparse index's partition key */
  deliveryPending?: typeof PENDING;
  /** the index's sort key; equals delivery.nextAttemptAt, or a claim's end while an attempt is under way */
  nextAttemptAt?: string;
}

function toItem(alert: Alert): AlertItem {
  return alert.delivery.status === 'pending'
    ? { ...alert, deliveryPending: PENDING, nextAttemptAt: alert.delivery.nextAttemptAt }
    : { ...alert };
}

function fromItem(item: AlertItem): Alert {
  const { deliveryPending: _pending, nextAttemptAt: _next, ...alert } = item;
  return alert;
}

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

export function createDynamoAlertStore(db: DynamoDBDocumentClient, tableName: string): AlertStore {
  async function query(input: Omit<QueryCommand['input'], 'TableName' | 'Limit'>, limit: number): Promise<Alert[]> {
    const alerts: Alert[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(new QueryCommand({ ...input, TableName: tableName, Limit: limit - alerts.length, ExclusiveStartKey: startKey }));
      alerts.push(...((page.Items ?? []) as AlertItem[]).map(fromItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey && alerts.length < limit);
    return alerts;
  }

  return {
    async putIfAbsent(alert) {
      try {
        await db.send(new PutCommand({ TableName: tableName, Item: toItem(alert), ConditionExpression: 'attribute_not_exists(alertId)' }));
        return 'created';
      } catch (error) {
        if (isConditionFailure(error)) return 'exists';
        throw error;
      }
    },

    listBySurvey(surveyId, limit) {
      return query(
        {
          KeyConditionExpression: '#s = :s',
          ExpressionAttributeNames: { '#s': 'surveyId' },
          ExpressionAttributeValues: { ':s': surveyId },
          ScanIndexForward: false,
        },
        limit,
      );
    },

    listDueDeliveries(now, limit) {
      return query(
        {
          IndexName: INDEX,
          KeyConditionExpression: '#p = :p AND #n <= :now',
          ExpressionAttributeNames: { '#p': 'deliveryPending', '#n': 'nextAttemptAt' },
          ExpressionAttributeValues: { ':p': PENDING, ':now': now.toISOString() },
        },
        limit,
      );
    },

    async claimDelivery(alert, until) {
      if (alert.delivery.status !== 'pending') return false;
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { surveyId: alert.surveyId, alertId: alert.alertId },
            UpdateExpression: 'SET #n = :until',
            // the index is eventually consistent: what it showed may already be taken; the table decides
            ConditionExpression: '#p = :p AND #n = :seen',
            ExpressionAttributeNames: { '#p': 'deliveryPending', '#n': 'nextAttemptAt' },
            ExpressionAttributeValues: { ':p': PENDING, ':seen': alert.delivery.nextAttemptAt, ':until': until.toISOString() },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async recordDelivery({ surveyId, alertId }, claimedUntil, delivery: AlertDelivery) {
      const stillPending = delivery.status === 'pending';
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { surveyId, alertId },
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
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}
