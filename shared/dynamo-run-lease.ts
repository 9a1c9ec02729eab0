// adapter: RunLeases over DynamoDB, one item per lease ("lease#rollup": holder, leaseUntil in epoch ms). Taking it is a
// conditional put and giving it back a conditional delete, so two runs racing for it cannot both win, and a run whose
// lease expired and was taken over cannot delete its successor's.
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from './aws/dynamodb.js';
import { conditionally } from './dynamo-conditional.js';
import type { RunLeases } from './run-lease.js';

const keyOf = (name: string) => ({ leaseId: `lease#${name}` });

export function createDynamoRunLeases(db: DynamoDBDocumentClient, tableName: string): RunLeases {
  return {
    acquire: ({ name, holder, until }, now) =>
      conditionally(
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keyOf(name), holder, leaseUntil: until.getTime() },
            // already this holder's: the SDK retried a put whose answer was lost, and it must not lock its own run out
            ConditionExpression: 'attribute_not_exists(leaseId) OR leaseUntil < :now OR holder = :holder',
            ExpressionAttributeValues: { ':now': now.getTime(), ':holder': holder },
          }),
        ),
      ),

    async release(name, holder) {
      // false: it was not (or no longer) this holder's, and stays as it is
      await conditionally(
        db.send(new DeleteCommand({ TableName: tableName, Key: keyOf(name), ConditionExpression: 'holder = :holder', ExpressionAttributeValues: { ':holder': holder } })),
      );
    },
  };
}
