// adapter: ResponsesById over the responses table (BatchGetItem, 100 keys a call, unprocessed keys retried).
import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '../aws/dynamodb.js';
import { responseFromItem } from '../response/dynamo-response-store.js';
import type { StoredResponse } from '../response/stored-response.js';
import type { ResponsesById } from './campaign-report.js';

export function createDynamoResponsesById(db: DynamoDBDocumentClient, tableName: string): ResponsesById {
  return {
    async getMany(ids) {
      const found: StoredResponse[] = [];
      for (let i = 0; i < ids.length; i += 100) {
        let keys: Record<string, unknown>[] | undefined = [...new Set(ids.slice(i, i + 100))].map((responseId) => ({ responseId }));
        for (let attempt = 0; keys && keys.length > 0; attempt++) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
          const reply: BatchGetCommandOutput = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }));
          found.push(...(reply.Responses?.[tableName] ?? []).map(responseFromItem));
          keys = reply.UnprocessedKeys?.[tableName]?.Keys;
          if (attempt > 8 && keys?.length) throw new Error('responses: batch read kept returning unprocessed keys');
        }
      }
      return found;
    },
  };
}
