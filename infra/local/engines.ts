// local runtime: the embedded engines that speak the real AWS wire APIs: dynalite (DynamoDB on LevelDB, persisted
// under the data folder) and fauxqs (SQS, in memory). Tables and queues come from the topology declaration.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  ScanCommand,
  UpdateTimeToLiveCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { interceptLocalhostDns, startFauxqs } from 'fauxqs';
import { topology, type QueueName, type TableDeclaration } from '../topology.js';

export interface DynamoEngine {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startDynamoEngine(dataDir: string): Promise<DynamoEngine> {
  const path = join(dataDir, 'dynamodb');
  mkdirSync(path, { recursive: true });
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => server.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve())));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await createTables(endpoint, dataDir);
  return {
    endpoint,
    // closing the server closes the LevelDB store, flushing it to disk
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function tableInput(name: string, table: TableDeclaration) {
  const keyNames = new Set([table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])]);
  for (const index of table.indexes ?? []) keyNames.add(index.partitionKey).add(index.sortKey);
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...keyNames].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: table.partitionKey, KeyType: 'HASH' as const },
      ...(table.sortKey ? [{ AttributeName: table.sortKey, KeyType: 'RANGE' as const }] : []),
    ],
    GlobalSecondaryIndexes: table.indexes?.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
}

async function createTables(endpoint: string, dataDir: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  for (const [name, table] of Object.entries(topology.tables) as [string, TableDeclaration][]) {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
      const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
      if ((table.indexes ?? []).some((index) => !existing.has(index.name))) await rebuildWithIndexes(client, dataDir, name, table);
      continue;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    await client.send(new CreateTableCommand(tableInput(name, table)));
    if (table.ttlAttribute) {
      // dynalite records the setting but never expires items: reads filter by expiry instead (ARCHITECTURE.md)
      await client
        .send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true } }))
        .catch(() => undefined);
    }
  }
  client.destroy();
}

/**
 * A data folder from an earlier version whose table lacks indexes the topology has since gained: dynalite cannot add an
 * index to a table (UpdateTable ignores index creation), so the table is rebuilt with them. Its items are first saved
 * to `<dataDir>/<table>-before-indexes-<time>.json`, so a crash half-way loses nothing.
 */
async function rebuildWithIndexes(client: DynamoDBClient, dataDir: string, name: string, table: TableDeclaration): Promise<void> {
  const items: Record<string, AttributeValue>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: name, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  writeFileSync(join(dataDir, `${name}-before-indexes-${Date.now()}.json`), JSON.stringify(items), { mode: 0o600 });
  await client.send(new DeleteTableCommand({ TableName: name }));
  // dynalite deletes and creates on a timer, however short: wait for each to finish
  const exists = () =>
    client.send(new DescribeTableCommand({ TableName: name })).then(
      () => true,
      (error: unknown) => {
        if (error instanceof ResourceNotFoundException) return false;
        throw error;
      },
    );
  while (await exists()) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await client.send(new CreateTableCommand(tableInput(name, table)));
  while ((await client.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus !== 'ACTIVE') {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  for (let i = 0; i < items.length; i += 25) {
    await client.send(new BatchWriteItemCommand({ RequestItems: { [name]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
}

export interface QueueEngine {
  endpoint: string;
  queueUrls: Record<QueueName, string>;
  queueArns: Record<QueueName, string>;
  deadLetterQueueUrls: Record<QueueName, string>;
  stop(): Promise<void>;
}

export const deadLetterQueueName = (queue: QueueName) => `${queue}-dlq`;

export async function startQueueEngine(): Promise<QueueEngine> {
  // fauxqs names queues http://sqs.<region>.localhost:<port>/…, and the SDK sends to the queue URL's host:
  // resolve *.localhost to 127.0.0.1 in this process, as fauxqs recommends for embedded use
  const restoreDns = interceptLocalhostDns();
  const server = await startFauxqs({ port: 0, host: 'localhost', logger: false });
  const queueUrls = {} as Record<QueueName, string>;
  const queueArns = {} as Record<QueueName, string>;
  const deadLetterQueueUrls = {} as Record<QueueName, string>;
  for (const [name, queue] of Object.entries(topology.queues) as [QueueName, (typeof topology.queues)[QueueName]][]) {
    const dlq = server.createQueue(deadLetterQueueName(name), { attributes: { MessageRetentionPeriod: String(14 * 86_400) } });
    const main = server.createQueue(name, {
      attributes: {
        VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(queue.retentionDays * 86_400),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: queue.maxReceiveCount }),
      },
    });
    queueUrls[name] = main.queueUrl;
    queueArns[name] = main.queueArn;
    deadLetterQueueUrls[name] = dlq.queueUrl;
  }
  return {
    endpoint: server.address,
    queueUrls,
    queueArns,
    deadLetterQueueUrls,
    stop: async () => {
      await server.stop();
      restoreDns();
    },
  };
}
