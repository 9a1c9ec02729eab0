// adapter: DirtyBuckets over DynamoDB. The table holds only pending work (a mark is deleted once its bucket is
// recomputed), so a scan costs in proportion to what arrived since the last rollup, never to the stored history.
// Items written before marks were per minute hold their hour key in `hour`, not `bucket`; both read as `bucket`.
import { randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  DeleteCommand,
  PutCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
} from '../aws/dynamodb.js';
import type { DirtyBucket, DirtyBuckets } from './dirty-buckets.js';

interface DirtyItem extends DirtyBucket {
  bucketId: string;
}

type StoredDirtyItem = Omit<DirtyItem, 'bucket'> & { bucket?: string; hour?: string };

export function createDynamoDirtyBuckets(db: DynamoDBDocumentClient, tableName: string): DirtyBuckets {
  return {
    async mark(surveyId, bucket, markedAt) {
      const item: DirtyItem = { bucketId: `${surveyId}#${bucket}`, surveyId, bucket, token: randomUUID(), markedAt: markedAt.toISOString() };
      await db.send(new PutCommand({ TableName: tableName, Item: item }));
    },

    async list(limit) {
      const buckets: DirtyBucket[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(new ScanCommand({ TableName: tableName, Limit: limit - buckets.length, ExclusiveStartKey: startKey }));
        for (const { surveyId, bucket, hour, token, markedAt } of (page.Items ?? []) as StoredDirtyItem[]) {
          // (an item with neither key is none of ours: it names no bucket, and the rollup drops it)
          buckets.push({ surveyId, bucket: bucket ?? hour ?? '', token, markedAt });
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey && buckets.length < limit);
      return buckets;
    },

    async clear({ surveyId, bucket, token }) {
      try {
        await db.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { bucketId: `${surveyId}#${bucket}` },
            ConditionExpression: '#t = :t',
            ExpressionAttributeNames: { '#t': 'token' },
            ExpressionAttributeValues: { ':t': token },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
}
