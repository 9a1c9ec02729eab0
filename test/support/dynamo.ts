// test support: a dynalite of its own (tables from the topology, in a temporary folder) and clients pointed at it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoEngine } from '../../infra/local/engines.js';
import { storingAnyKey } from '../../shared/dynamo-client.js';

/** a document client on a local DynamoDB endpoint, storing values as the functions' client (shared/dynamo-client.ts) does */
export function testDocumentClient(endpoint: string): { client: DynamoDBClient; db: DynamoDBDocumentClient } {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return { client, db: storingAnyKey(DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } })) };
}

/** `legacyIndexes: false`: the tables as a default deployment has them (no legacy index) */
export async function startTestDynamo(name: string, options: { legacyIndexes?: boolean } = {}) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dataDir = mkdtempSync(join(tmpdir(), `feedback-${name}-`));
  const engine = await startDynamoEngine(dataDir, options);
  const { client, db } = testDocumentClient(engine.endpoint);
  return {
    endpoint: engine.endpoint,
    client,
    db,
    async close() {
      db.destroy();
      await engine.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
