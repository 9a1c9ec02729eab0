// unit: the deploy-faithful runner's tables on a small hand-written assembly, kept in a data folder across runs: a
// template that adds an index to a table the folder already holds gets the index built from the items stored, as a
// deploy's update adds it and DynamoDB builds it, and no item is lost.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startDeployedRunner, type DeployedRunner } from '../../infra/deployed/runner.js';
import { handWrittenAssembly, removeHandWrittenAssemblies } from '../support/hand-written-assembly.js';

const dataDir = mkdtempSync(join(tmpdir(), 'feedback-deployed-tables-'));
let runner: DeployedRunner | undefined;

afterAll(async () => {
  await runner?.stop();
  removeHandWrittenAssemblies();
  rmSync(dataDir, { recursive: true, force: true });
});

/** the hand-written assembly, its function's role allowed every DynamoDB call on the table; with an index `byDay` or not */
function assembly({ withIndex }: { withIndex: boolean }): string {
  const dir = handWrittenAssembly();
  const edit = (file: string, change: (template: Record<string, any>) => void) => {
    const template = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    change(template);
    writeFileSync(join(dir, file), JSON.stringify(template));
  };
  edit('Api.template.json', (api) => {
    api.Resources.FnPolicy6.Properties.PolicyDocument.Statement[0].Action = 'dynamodb:*';
  });
  if (withIndex) {
    edit('Stateful.template.json', (stateful) => {
      const table = stateful.Resources.OrdersTable1.Properties;
      table.AttributeDefinitions.push({ AttributeName: 'day', AttributeType: 'S' });
      table.GlobalSecondaryIndexes = [{ IndexName: 'byDay', KeySchema: [{ AttributeName: 'day', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }];
    });
  }
  writeFileSync(join(dir, 'asset.fn', 'index.js'), 'exports.handler = async () => ({ statusCode: 200 });');
  return dir;
}

/** DynamoDB as the function's role reaches it: through the runner's endpoint, with the function's access key */
const functionClient = (started: DeployedRunner) => new DynamoDBClient({ endpoint: started.awsEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'ASIALOCAL0000', secretAccessKey: 'local' } });

describe("the deployed runner's tables", () => {
  it('builds an index a later template adds from the items already stored', async () => {
    // Prepare: a run of the template without the index, which stores an item
    runner = await startDeployedRunner({ assemblyDir: assembly({ withIndex: false }), dataDir, schedules: 'manual' });
    const table = runner.shape.tables[0]!.name;
    const before = functionClient(runner);
    await before.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'order-1' }, day: { S: '2026-12-07' } } }));
    before.destroy();
    await runner.stop();

    // Act: the next run, of the template with the index, on the same data folder
    runner = await startDeployedRunner({ assemblyDir: assembly({ withIndex: true }), dataDir, schedules: 'manual' });
    const after = functionClient(runner);
    const described = await after.send(new DescribeTableCommand({ TableName: table }));
    const byDay = await after.send(new QueryCommand({ TableName: table, IndexName: 'byDay', KeyConditionExpression: '#d = :d', ExpressionAttributeNames: { '#d': 'day' }, ExpressionAttributeValues: { ':d': { S: '2026-12-07' } } }));
    const kept = await after.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'order-1' } } }));
    after.destroy();
    await runner.stop();
    // and a run after that, of the same template, finds nothing to rebuild
    runner = await startDeployedRunner({ assemblyDir: assembly({ withIndex: true }), dataDir, schedules: 'manual' });

    // Assess: the index built, the item kept (and saved beside the data before the rebuild), one rebuild only
    expect(described.Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byDay']);
    expect(byDay.Items?.map((item) => item.id?.S)).toEqual(['order-1']);
    expect(kept.Item?.day?.S).toBe('2026-12-07');
    const copies = readdirSync(dataDir).filter((name) => name.startsWith(`${table}-before-indexes-`));
    expect(copies).toHaveLength(1);
    expect(readFileSync(join(dataDir, copies[0]!), 'utf8')).toContain('order-1');
  });
});
