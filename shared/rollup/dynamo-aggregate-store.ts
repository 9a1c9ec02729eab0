// adapter: AggregateStore over DynamoDB. One item per bucket: key (surveyId, "minute#2026-11-23T09:07" |
// "hour#2026-11-23T09" | "day#2026-11-23"), the histograms as one JSON string (a fraction of the size of nested
// DynamoDB maps, and read whole anyway). Minutes carry `expiresAt` (the table's TTL attribute); hours and days do not.
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '../aws/dynamodb.js';
import type { AggregateStore } from './aggregate-store.js';
import type { BucketAggregate, RollupPeriod } from './bucket.js';

interface AggregateItem {
  surveyId: string;
  bucket: string;
  histograms: string;
  fromMinutes?: true;
  expiresAt?: number;
}

const bucketKey = (period: RollupPeriod, start: string) => `${period}#${start}`;

export function createDynamoAggregateStore(db: DynamoDBDocumentClient, tableName: string): AggregateStore {
  return {
    async put({ surveyId, period, start, total, segments, fromMinutes, expiresAt }) {
      const item: AggregateItem = { surveyId, bucket: bucketKey(period, start), histograms: JSON.stringify({ total, segments }) };
      if (fromMinutes) item.fromMinutes = fromMinutes;
      if (expiresAt !== undefined) item.expiresAt = expiresAt;
      await db.send(new PutCommand({ TableName: tableName, Item: item }));
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
        for (const item of (page.Items ?? []) as AggregateItem[]) {
          const { total, segments } = JSON.parse(item.histograms) as Pick<BucketAggregate, 'total' | 'segments'>;
          aggregates.push({
            surveyId,
            period,
            start: item.bucket.slice(period.length + 1),
            total,
            segments,
            ...(item.fromMinutes ? { fromMinutes: true as const } : {}),
            ...(item.expiresAt !== undefined ? { expiresAt: item.expiresAt } : {}),
          });
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return aggregates;
    },
  };
}
