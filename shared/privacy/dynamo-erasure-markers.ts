// adapter: ErasureMarkers over DynamoDB. Key: customerRefHash (never the ref itself); `expiresAt` (TTL) once no queued
// message of before the erasure can still come to the process step: the responses queue and its DLQ keep a message 14
// days from when it was queued (a dead-lettered message keeps that time), and a redrive from the DLQ, which operators
// do, queues it anew for up to 14 more.
import { PutCommand, type DynamoDBDocumentClient } from '../aws/dynamodb.js';
import { customerRefHashOf } from '../audit/audit-entry.js';
import { batchGetAll } from '../dynamo-batch-get.js';
import { ERASURE_MARKER_KEEP_SECONDS, type ErasureMarkers } from './erasure-markers.js';

export function createDynamoErasureMarkers(db: DynamoDBDocumentClient, tableName: string): ErasureMarkers {
  return {
    async mark(customerRef, erasedAt) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { customerRefHash: customerRefHashOf(customerRef), erasedAt: erasedAt.toISOString(), expiresAt: Math.floor(erasedAt.getTime() / 1000) + ERASURE_MARKER_KEEP_SECONDS },
        }),
      );
    },

    async erasedAt(customerRefs) {
      const byHash = new Map([...new Set(customerRefs)].map((ref) => [customerRefHashOf(ref), ref]));
      // a strongly consistent read: an erasure that has just written its marker must be seen by the next batch (an
      // eventually consistent read may miss a write of the last second, and let that customer's queued response be
      // stored after the erasure; dynalite is always consistent, so only AWS would show it)
      const items = await batchGetAll(db, tableName, [...byHash.keys()].map((customerRefHash) => ({ customerRefHash })), { projection: 'customerRefHash, erasedAt', consistentRead: true });
      const found = new Map<string, string>();
      for (const item of items) found.set(byHash.get(String(item.customerRefHash))!, String(item.erasedAt));
      return found;
    },
  };
}
