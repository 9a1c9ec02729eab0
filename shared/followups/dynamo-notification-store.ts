// adapter: NotificationStore over DynamoDB. Key (taskId, kind); deliveries through dynamo-pending-deliveries.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PendingDeliveries } from '../alerts/deliver-pending-alerts.js';
import { createDynamoPendingDeliveries, queryItems, withoutPendingDelivery, withPendingDelivery } from '../alerts/dynamo-pending-deliveries.js';
import { putIfAbsent } from '../dynamo-conditional.js';
import type { FollowUpNotification, NotificationStore } from './notification.js';

export function createDynamoNotificationStore(
  db: DynamoDBDocumentClient,
  tableName: string,
): NotificationStore & PendingDeliveries<FollowUpNotification> {
  return {
    putIfAbsent: (notification) => putIfAbsent(db, tableName, withPendingDelivery(notification), 'taskId'),

    async listByTask(taskId) {
      const items = await queryItems(
        db,
        { TableName: tableName, KeyConditionExpression: '#t = :t', ExpressionAttributeNames: { '#t': 'taskId' }, ExpressionAttributeValues: { ':t': taskId } },
        100,
      );
      return items.map((item) => withoutPendingDelivery(item as unknown as FollowUpNotification));
    },

    ...createDynamoPendingDeliveries<FollowUpNotification>(db, tableName, ({ taskId, kind }) => ({ taskId, kind })),
  };
}
