// adapter: CxLeadStore over DynamoDB. Key: tokenHash (SHA-256 hex of the bearer token).
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CxLead, CxLeadStore } from './principal.js';

export function createDynamoCxLeadStore(db: DynamoDBDocumentClient, tableName: string): CxLeadStore {
  return {
    async put(tokenHash, lead) {
      await db.send(new PutCommand({ TableName: tableName, Item: { tokenHash, ...lead }, ConditionExpression: 'attribute_not_exists(tokenHash)' }));
    },
    async getByTokenHash(tokenHash) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { tokenHash } }));
      if (!Item) return undefined;
      const { tokenHash: _hash, ...lead } = Item as CxLead & { tokenHash: string };
      return lead;
    },
  };
}
