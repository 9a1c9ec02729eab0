// adapter: AlertStore over DynamoDB (dynalite locally).
// Key (surveyId, alertId): alert ids start with their day, so a survey's alerts read newest first with one query, and
// raising the same alert again is a conditional-put no-op. Webhook deliveries: dynamo-pending-deliveries (the sparse
// GSI pendingDelivery).
import type { DynamoDBDocumentClient } from '../aws/dynamodb.js';
import { putIfAbsent } from '../dynamo-conditional.js';
import type { Alert } from './alert.js';
import type { AlertStore } from './alert-store.js';
import { createDynamoPendingDeliveries, queryItems, withoutPendingDelivery, withPendingDelivery } from './dynamo-pending-deliveries.js';

export function createDynamoAlertStore(db: DynamoDBDocumentClient, tableName: string): AlertStore {
  return {
    putIfAbsent: (alert) => putIfAbsent(db, tableName, withPendingDelivery(alert), 'alertId'),

    async listBySurvey(surveyId, limit) {
      const items = await queryItems(
        db,
        {
          TableName: tableName,
          KeyConditionExpression: '#s = :s',
          ExpressionAttributeNames: { '#s': 'surveyId' },
          ExpressionAttributeValues: { ':s': surveyId },
          ScanIndexForward: false,
        },
        limit,
      );
      return items.map((item) => withoutPendingDelivery(item as unknown as Alert));
    },

    ...createDynamoPendingDeliveries<Alert>(db, tableName, ({ surveyId, alertId }) => ({ surveyId, alertId })),
  };
}
