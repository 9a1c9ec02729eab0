// adapter: TokenStore over DynamoDB, on the `cxLeads` table (its name kept from when it held CX leads only).
// Key: tokenHash (SHA-256 hex of the bearer token). Listing and revoking by id scan the table: it holds one item per
// person or tool, not per request.
import { GetCommand, PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '../aws/dynamodb.js';
import type { AccessToken, TokenStore } from './tokens.js';

type TokenItem = AccessToken & { tokenHash: string };

function fromItem(item: object): AccessToken {
  const { tokenHash: _hash, ...token } = item as TokenItem;
  // items written before roles existed are CX leads
  return { ...token, role: token.role ?? 'cx' };
}

export function createDynamoTokenStore(db: DynamoDBDocumentClient, tableName: string): TokenStore {
  async function scanAll(): Promise<TokenItem[]> {
    const items: TokenItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
      items.push(...((page.Items ?? []) as TokenItem[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  return {
    async put(tokenHash, token) {
      await db.send(new PutCommand({ TableName: tableName, Item: { tokenHash, ...token }, ConditionExpression: 'attribute_not_exists(tokenHash)' }));
    },
    async getByTokenHash(tokenHash) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { tokenHash } }));
      return Item ? fromItem(Item) : undefined;
    },
    async list() {
      return (await scanAll()).map(fromItem);
    },
    async revoke(id, at, by) {
      const item = (await scanAll()).find((candidate) => candidate.id === id);
      if (!item) return undefined;
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { tokenHash: item.tokenHash },
          // the first revocation's time and author stay
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at), revokedBy = if_not_exists(revokedBy, :by)',
          ConditionExpression: 'attribute_exists(tokenHash)',
          ExpressionAttributeValues: { ':at': at, ':by': by },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem(Attributes ?? item);
    },
  };
}
