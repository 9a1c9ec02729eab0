// adapter: ExpiredItems over one DynamoDB table with the `expiring` index (shared/privacy/retention.ts): per shard, all
// shards at once, one query for the items whose expiry has passed (the index is sorted by expiry), then a delete of
// each, conditional on its expiry still being past (an item rewritten meanwhile with a later expiry stays).
import { DeleteCommand, QueryCommand, type DynamoDBDocumentClient } from '../aws/dynamodb.js';
import { conditionally } from '../dynamo-conditional.js';
import { EXPIRY_INDEX, EXPIRY_SHARDS, expiryKeyBound } from './retention.js';
import type { ExpiredItems } from './sweep-expired.js';

/** `expiryAttribute`: the epoch seconds the index is keyed by (`expiresAt`; an invitation's retention is `retainUntil`) */
export function createDynamoExpiredItems(db: DynamoDBDocumentClient, tableName: string, keyAttributes: readonly string[], expiryAttribute = 'expiresAt'): ExpiredItems {
  return {
    async deleteExpired(now, limit) {
      const nowSeconds = Math.floor(now.getTime() / 1000);
      // every shard's page at once (one round trip, not four); the deletes then take at most `limit` of them, in
      // shard order, so a call still deletes up to `limit` and the next call finds the rest
      const pages = await Promise.all(
        Array.from({ length: EXPIRY_SHARDS }, (_, shard) =>
          db.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: EXPIRY_INDEX,
              KeyConditionExpression: '#s = :s AND #k < :bound',
              ExpressionAttributeNames: { '#s': 'expiryShard', '#k': 'expiryKey' },
              ExpressionAttributeValues: { ':s': String(shard), ':bound': expiryKeyBound(now) },
              Limit: limit,
            }),
          ),
        ),
      );
      let deleted = 0;
      for (const item of pages.flatMap((page) => page.Items ?? []).slice(0, limit)) {
        const key = Object.fromEntries(keyAttributes.map((name) => [name, item[name]]));
        const gone = await conditionally(
          db.send(
            new DeleteCommand({
              TableName: tableName,
              Key: key,
              ConditionExpression: '#e <= :now',
              ExpressionAttributeNames: { '#e': expiryAttribute },
              ExpressionAttributeValues: { ':now': nowSeconds },
            }),
          ),
        );
        if (gone) deleted += 1;
      }
      return deleted;
    },
  };
}
