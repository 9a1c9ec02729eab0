// adapter: AggregateStore over DynamoDB. One item per bucket: key (surveyId, "hour#2026-11-23T09" | "day#2026-11-23"),
// the histograms as one JSON string (a fraction of the size of nested DynamoDB maps, and read whole anyway).
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AggregateStore } from './aggregate-store.js';
import type { BucketAggregate, BucketPeriod } from './bucket.js';

interface AggregateItem {
  surveyId: string;
  bucket: string;
  histograms: string;
}

const bucketKey = (period: BucketPeriod, start: string) => `${period}#${start}`;

export function createDynamoAggregateStore(db: DynamoDBDocumentClient, tableName: string): AggregateStore {
  return {
    async put({ surveyId, period, start, total, segments }) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { surveyId, bucket: bucketKey(period, start), histograms: JSON.stringify({ total, segments }) } satisfies AggregateItem,
        }),
      );
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
          }),
        );
        for (const item of (page.Items ?? []) as AggregateItem[]) {
          const { total, segments } = JSON.parse(item.histograms) as Pick<BucketAggregate, 'total' | 'segments'>;
          aggregates.push({ surveyId, period, start: item.bucket.slice(period.length + 1), total, segments });
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return aggregates;
    },
  };
}
