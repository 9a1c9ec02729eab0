// adapter: AggregateStore over DynamoDB, one item per bucket (its shape: aggregate-item.ts).
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '../aws/dynamodb.js';
import { aggregateItemOf, aggregateOfItem, bucketKey, type AggregateItem } from './aggregate-item.js';
import type { AggregateStore } from './aggregate-store.js';
import type { BucketAggregate } from './bucket.js';

export function createDynamoAggregateStore(db: DynamoDBDocumentClient, tableName: string): AggregateStore {
  return {
    async put(aggregate) {
      await db.send(new PutCommand({ TableName: tableName, Item: { ...aggregateItemOf(aggregate) } }));
    },

    async list(surveyId, period, from, to) {
      const aggregates: BucketAggregate[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            // BUCKET is a DynamoDB reserved word
            KeyConditionExpression: 'surveyId = :s AND #b BETWEEN :from AND :to',
            ExpressionAttributeNames: { '#b': 'bucket' },
            ExpressionAttributeValues: { ':s': surveyId, ':from': bucketKey(period, from), ':to': bucketKey(period, to) },
            ExclusiveStartKey: startKey,
            ConsistentRead: true,
          }),
        );
        for (const item of (page.Items ?? []) as AggregateItem[]) aggregates.push(aggregateOfItem(surveyId, period, item));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return aggregates;
    },
  };
}
