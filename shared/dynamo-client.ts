// adapter support: one DynamoDB document client per function, built at cold start.
import { DynamoDBClient, DynamoDBDocumentClient } from './aws/dynamodb.js';

export function createDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({}));
}
