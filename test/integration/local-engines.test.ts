// integration: the local DynamoDB engine opens a data folder of an earlier version: a table missing an index the
// topology has since gained is rebuilt with it, keeping its items (and a JSON copy of them beside the data). And it
// opens the folder of a process that was killed: the run leases it held are gone, the data is not.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, describe, expect, it } from 'vitest';
import { startDynamoEngine } from '../../infra/local/engines.js';
import { topology } from '../../infra/topology.js';

const dataDir = mkdtempSync(join(tmpdir(), 'feedback-upgrade-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const clientOf = (endpoint: string) => new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

describe('local engine on an older data folder', () => {
  it('adds the indexes a table lacks, keeping its items', async () => {
    // Prepare: a responses table as an earlier version created it, without indexes, holding one response
    const old = dynalite({ path: join(dataDir, 'dynamodb'), createTableMs: 0 });
    await new Promise<void>((resolve) => old.listen(0, '127.0.0.1', () => resolve()));
    const before = clientOf(`http://127.0.0.1:${(old.address() as AddressInfo).port}`);
    await before.send(
      new CreateTableCommand({
        TableName: 'responses',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'responseId', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'responseId', KeyType: 'HASH' }],
      }),
    );
    // dynalite answers CreateTable with the table CREATING and makes it ACTIVE a moment later (on a busy machine, later
    // than the next request): a write before then is refused as if there were no table
    for (let attempt = 0; (await before.send(new DescribeTableCommand({ TableName: 'responses' }))).Table?.TableStatus !== 'ACTIVE'; attempt += 1) {
      if (attempt >= 500) throw new Error('the responses table never became ACTIVE');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await before.send(new PutItemCommand({ TableName: 'responses', Item: { responseId: { S: 'old-1' }, surveyId: { S: 'demo' } } }));
    before.destroy();
    await new Promise<void>((resolve) => old.close(() => resolve()));

    // Act
    const engine = await startDynamoEngine(dataDir);
    const after = clientOf(engine.endpoint);
    const { Table } = await after.send(new DescribeTableCommand({ TableName: 'responses' }));
    const { Items } = await after.send(new ScanCommand({ TableName: 'responses' }));
    after.destroy();
    await engine.stop();

    // Assess
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(topology.tables.responses.indexes.map((index) => index.name).sort());
    expect(Items?.map((item) => item.responseId?.S)).toEqual(['old-1']);
    expect(readdirSync(dataDir).filter((name) => name.startsWith('responses-before-indexes-'))).toHaveLength(1);
  });
});

describe('local engine on the data folder of a killed process', () => {
  it('starts with no run lease held, and every other item kept', async () => {
    // Prepare: a process killed mid-run left its rollup lease (an hour to go) and a stored response
    const folder = mkdtempSync(join(tmpdir(), 'feedback-killed-'));
    try {
      const first = await startDynamoEngine(folder);
      const before = clientOf(first.endpoint);
      await before.send(new PutItemCommand({ TableName: 'runLeases', Item: { leaseId: { S: 'lease#rollup' }, holder: { S: 'killed' }, leaseUntil: { N: String(Date.now() + 3_600_000) } } }));
      await before.send(new PutItemCommand({ TableName: 'responses', Item: { responseId: { S: 'kept' }, surveyId: { S: 'demo' } } }));
      before.destroy();
      await first.stop();

      // Act
      const engine = await startDynamoEngine(folder);
      const after = clientOf(engine.endpoint);
      const leases = await after.send(new ScanCommand({ TableName: 'runLeases' }));
      const responses = await after.send(new ScanCommand({ TableName: 'responses' }));
      after.destroy();
      await engine.stop();

      // Assess
      expect(leases.Items).toEqual([]);
      expect(responses.Items?.map((item) => item.responseId?.S)).toEqual(['kept']);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
