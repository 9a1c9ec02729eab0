// adapter: CX leads are cx tokens; kept as a name for the CX API and its tests. See dynamo-token-store.
import type { DynamoDBDocumentClient } from '../aws/dynamodb.js';
import { createDynamoTokenStore } from './dynamo-token-store.js';
import type { CxLeadStore } from './principal.js';

export const createDynamoCxLeadStore = (db: DynamoDBDocumentClient, tableName: string): CxLeadStore => createDynamoTokenStore(db, tableName);
