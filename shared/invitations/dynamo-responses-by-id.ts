// adapter: ResponsesById over the responses table (BatchGetItem, 100 keys a call, unprocessed keys retried).
import type { DynamoDBDocumentClient } from '../aws/dynamodb.js';
import { batchGetAll } from '../dynamo-batch-get.js';
import { responseFromItem } from '../response/dynamo-response-store.js';
import type { ResponsesById } from './campaign-report.js';

export function createDynamoResponsesById(db: DynamoDBDocumentClient, tableName: string): ResponsesById {
  return {
    async getMany(ids) {
      return (await batchGetAll(db, tableName, [...new Set(ids)].map((responseId) => ({ responseId })))).map(responseFromItem);
    },
  };
}
