// adapter: ErasureMarkers over DynamoDB. Key: customerRefHash (never the ref itself); `expiresAt` (TTL) once no queued
// message can be older than the marker (the responses queue keeps messages 14 days).
import { BatchGetCommand, PutCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '../aws/dynamodb.js';
import { customerRefHashOf } from '../audit/audit-entry.js';
import type { ErasureMarkers } from './erasure-markers.js';

const KEEP_SECONDS = 15 * 86_400;

export function createDynamoErasureMarkers(db: DynamoDBDocumentClient, tableName: string): ErasureMarkers {
  return {
    async mark(customerRef, erasedAt) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { customerRefHash: customerRefHashOf(customerRef), erasedAt: erasedAt.toISOString(), expiresAt: Math.floor(erasedAt.getTime() / 1000) + KEEP_SECONDS },
        }),
      );
    },

    async erasedAt(customerRefs) {
      const found = new Map<string, string>();
      const byHash = new Map([...new Set(customerRefs)].map((ref) => [customerRefHashOf(ref), ref]));
      const hashes = [...byHash.keys()];
      for (let i = 0; i < hashes.length; i += 100) {
        let keys: Record<string, unknown>[] | undefined = hashes.slice(i, i + 100).map((customerRefHash) => ({ customerRefHash }));
        // unprocessed keys (throttling) are asked again until none is left
        while (keys && keys.length > 0) {
          // a strongly consistent read: an erasure that has just written its marker must be seen by the next batch
          // (an eventually consistent read may miss a write of the last second, and let that customer's queued
          // response be stored after the erasure; dynalite is always consistent, so only AWS would show it)
          const reply: BatchGetCommandOutput = await db.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ProjectionExpression: 'customerRefHash, erasedAt', ConsistentRead: true } } }),
          );
          for (const item of reply.Responses?.[tableName] ?? []) found.set(byHash.get(String(item.customerRefHash))!, String(item.erasedAt));
          keys = reply.UnprocessedKeys?.[tableName]?.Keys;
        }
      }
      return found;
    },
  };
}
