// adapter: AssignmentTurns over DynamoDB, as one counter item per survey in the notifications table (the table the
// task-opening function already writes). Its key (taskId "round-robin#<surveyId>", kind "assignment-turn") is no
// task's id and the item carries none of the table's index attributes, so no notification read or sweep meets it.
// Each turn is an UpdateItem ADD: atomic, so two openings at once take two different turns.
import { UpdateCommand, type DynamoDBDocumentClient } from '../aws/dynamodb.js';
import type { AssignmentTurns } from './auto-assign.js';

export function createDynamoAssignmentTurns(db: DynamoDBDocumentClient, tableName: string): AssignmentTurns {
  return {
    async next(surveyId) {
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { taskId: `round-robin#${surveyId}`, kind: 'assignment-turn' },
          UpdateExpression: 'ADD turns :one',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      // the first ADD answers 1: that is turn 0
      return Number(Attributes?.turns ?? 1) - 1;
    },
  };
}
