// test support: a dynalite of its own (tables from the topology, in a temporary folder) and clients pointed at it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient as SdkDynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBClient, DynamoDBDocumentClient } from '../../shared/aws/dynamodb.js';
import { startDynamoEngine } from '../../infra/local/engines.js';

const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

/** a document client on a local DynamoDB endpoint, the functions' own (shared/aws/dynamodb.ts) */
export function testDocumentClient(endpoint: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, ...local }));
}

/**
 * `legacyIndexes: false`: the tables as a default deployment has them (no legacy index). `client` is the SDK's, for
 * what only a test does to the database (creating a table).
 */
export async function startTestDynamo(name: string, options: { legacyIndexes?: boolean } = {}) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dataDir = mkdtempSync(join(tmpdir(), `feedback-${name}-`));
  const engine = await startDynamoEngine(dataDir, options);
  const db = testDocumentClient(engine.endpoint);
  const client = new SdkDynamoDBClient({ endpoint: engine.endpoint, ...local });
  return {
    endpoint: engine.endpoint,
    client,
    db,
    async close() {
      db.destroy();
      client.destroy();
      await engine.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * a new table `name` with the schema of `source` (keys, attribute definitions, indexes), as a point-in-time restore
 * creates one; answers once it is ACTIVE
 */
export async function createTableLike(client: SdkDynamoDBClient, source: string, name: string): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: source }));
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: Table!.AttributeDefinitions,
      KeySchema: Table!.KeySchema,
      ...(Table!.GlobalSecondaryIndexes?.length
        ? { GlobalSecondaryIndexes: Table!.GlobalSecondaryIndexes.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection })) }
        : {}),
    }),
  );
  // dynalite creates a table on a timer, however short
  while ((await client.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus !== 'ACTIVE') await new Promise((resolve) => setTimeout(resolve, 10));
}
