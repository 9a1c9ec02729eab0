// adapter: NotificationStore over DynamoDB. Key (taskId, kind); deliveries through dynamo-pending-deliveries.
import type { DynamoDBDocumentClient } from '../aws/dynamodb.js';
import type { PendingDeliveries } from '../alerts/deliver-pending-alerts.js';
import { createDynamoPendingDeliveries, queryItems, withoutPendingDelivery, withPendingDelivery } from '../alerts/dynamo-pending-deliveries.js';
import { putIfAbsent } from '../dynamo-conditional.js';
import { expiryIndexOf, isExpired, withoutExpiryIndex } from '../privacy/retention.js';
import type { FollowUpNotification, NotificationStore } from './notification.js';

/** due deliveries of expired notifications are never sent (retention); the sweeper deletes them */
function withoutExpired(deliveries: PendingDeliveries<FollowUpNotification>): PendingDeliveries<FollowUpNotification> {
  return {
    ...deliveries,
    async listDueDeliveries(now, limit) {
      return (await deliveries.listDueDeliveries(now, limit)).map((n) => withoutExpiryIndex(n)).filter((n) => !isExpired(n, now));
    },
  };
}

export function createDynamoNotificationStore(
  db: DynamoDBDocumentClient,
  tableName: string,
): NotificationStore & PendingDeliveries<FollowUpNotification> {
  return {
    putIfAbsent: (notification) =>
      putIfAbsent(db, tableName, { ...withPendingDelivery(notification), ...expiryIndexOf(`${notification.taskId}#${notification.kind}`, notification.expiresAt) }, 'taskId'),

    async listByTask(taskId) {
      const items = await queryItems(
        db,
        { TableName: tableName, KeyConditionExpression: '#t = :t', ExpressionAttributeNames: { '#t': 'taskId' }, ExpressionAttributeValues: { ':t': taskId } },
        100,
      );
      return items
        .map((item) => withoutExpiryIndex(withoutPendingDelivery(item as unknown as FollowUpNotification)))
        .filter((n) => !isExpired(n, new Date()));
    },

    ...withoutExpired(createDynamoPendingDeliveries<FollowUpNotification>(db, tableName, ({ taskId, kind }) => ({ taskId, kind }))),
  };
}
