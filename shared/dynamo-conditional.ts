// adapter support: conditional writes, whose failed condition is an answer ("someone was first"), not an error.
import { ConditionalCheckFailedException, PutCommand, type DynamoDBDocumentClient } from './aws/dynamodb.js';

/** true when the write happened, false when its condition failed; any other error propagates */
export async function conditionally(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** puts `item` unless an item with its key exists (`keyAttribute`: its partition key) */
export async function putIfAbsent(db: DynamoDBDocumentClient, tableName: string, item: object, keyAttribute: string): Promise<'created' | 'exists'> {
  const written = await conditionally(
    db.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: { '#k': keyAttribute } })),
  );
  return written ? 'created' : 'exists';
}
