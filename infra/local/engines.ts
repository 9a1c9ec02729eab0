// local runtime: the embedded engines that speak the real AWS wire APIs: dynalite (DynamoDB on LevelDB, persisted
// under the data folder) and fauxqs (SQS, in memory, made durable by a write-ahead journal in the data folder:
// queue-journal.ts). Tables and queues come from the topology declaration.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  ScanCommand,
  UpdateTimeToLiveCommand,
  type AttributeValue,
  type BatchWriteItemCommandInput,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { buildApp, interceptLocalhostDns } from 'fauxqs';
import { SQS_MAX_BATCH, type SendMessages } from '../../shared/queue/sqs-work-queue.js';
import { deployedIndexes, topology, type IndexDeclaration, type QueueName, type TableDeclaration, type TableName } from '../topology.js';
import { dynamoStorePath } from './data-folder.js';
import { createFauxqsStores, sendMessageBatch, sqsErrorCode } from './fauxqs-store.js';
import { openQueueJournal, type JournalEntry, type JournalMessage } from './queue-journal.js';
import { syncFolder } from './sync-folder.js';

export interface DynamoEngine {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * `tables`: what creates the tables once dynalite listens; default the topology's (the deployed runner: the template's),
 * with their legacy indexes unless `legacyIndexes` is false (as a deployment without `-c legacyBySurveyIndex=true`
 * has them). The local runtime keeps them: a data folder from a version before the sharded index reads them until the
 * local sweep's backfill is done
 */
export async function startDynamoEngine(
  dataDir: string,
  { tables, legacyIndexes = true }: { tables?: (endpoint: string) => Promise<void>; legacyIndexes?: boolean } = {},
): Promise<DynamoEngine> {
  const path = dynamoStorePath(dataDir);
  mkdirSync(path, { recursive: true });
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => server.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve())));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await (tables ? tables(endpoint) : createTables(endpoint, dataDir, legacyIndexes));
  return {
    endpoint,
    // closing the server closes the LevelDB store, flushing it to disk
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function tableInput(name: string, table: TableDeclaration, indexes: IndexDeclaration[]) {
  const keyNames = new Set([table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])]);
  for (const index of indexes) keyNames.add(index.partitionKey).add(index.sortKey);
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...keyNames].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: table.partitionKey, KeyType: 'HASH' as const },
      ...(table.sortKey ? [{ AttributeName: table.sortKey, KeyType: 'RANGE' as const }] : []),
    ],
    // dynalite, like DynamoDB, refuses an empty list
    ...(indexes.length > 0
      ? {
          GlobalSecondaryIndexes: indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
              { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
            ],
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  };
}

async function createTables(endpoint: string, dataDir: string, legacyIndexes: boolean): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  for (const [name, table] of Object.entries(topology.tables) as [TableName, TableDeclaration][]) {
    if ((await ensureTable(client, dataDir, tableInput(name, table, deployedIndexes(name, legacyIndexes)))) === 'kept') {
      // the run leases of a process that was killed: no run of it is still going, so none may wait for them to expire
      if (table.ephemeral) await emptyTable(client, name, table);
      continue;
    }
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
 * the table `input` describes: created when missing (and waited on until ACTIVE); one the data folder holds already is
 * kept, rebuilt first (rebuildTable) when it lacks an index `input` declares
 */
export async function ensureTable(client: DynamoDBClient, dataDir: string, input: CreateTableCommandInput): Promise<'created' | 'kept'> {
  const name = input.TableName!;
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    if ((input.GlobalSecondaryIndexes ?? []).some((index) => !existing.has(index.IndexName))) await rebuildTable(client, dataDir, input);
    return 'kept';
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(new CreateTableCommand(input));
  await untilActive(client, name);
  return 'created';
}

/** dynalite creates a table on a timer, however short, and stores its status asynchronously: a write before may fail */
async function untilActive(client: DynamoDBClient, name: string): Promise<void> {
  while ((await client.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus !== 'ACTIVE') {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** every item of a table, read page by page */
async function allItemsOf(client: DynamoDBClient, name: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: name, ExclusiveStartKey: startKey, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

async function emptyTable(client: DynamoDBClient, name: string, table: TableDeclaration): Promise<void> {
  const keyNames = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
  for (const item of await allItemsOf(client, name)) {
    await client.send(new DeleteItemCommand({ TableName: name, Key: Object.fromEntries(keyNames.map((key) => [key, item[key]!])) }));
  }
}

/**
 * A data folder from an earlier version (or template) whose table lacks indexes since gained: dynalite cannot add an
 * index to a table (UpdateTable ignores index creation), so the table is created anew as `input` describes it and its
 * items put back, which builds every index from them, as DynamoDB builds an index an update adds. The items are first
 * saved to `<dataDir>/<table>-before-indexes-<time>.json`, so a crash half-way loses nothing.
 */
async function rebuildTable(client: DynamoDBClient, dataDir: string, input: CreateTableCommandInput): Promise<void> {
  const name = input.TableName!;
  const items = await allItemsOf(client, name);
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
  await client.send(new CreateTableCommand(input));
  await untilActive(client, name);
  for (let i = 0; i < items.length; i += 25) {
    let requests: BatchWriteItemCommandInput['RequestItems'] = { [name]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
    // what the batch left unprocessed is sent again until none is left
    while (requests && Object.keys(requests).length > 0) requests = (await client.send(new BatchWriteItemCommand({ RequestItems: requests }))).UnprocessedItems;
  }
}

export interface QueueEngine {
  endpoint: string;
  queueUrls: Record<QueueName, string>;
  queueArns: Record<QueueName, string>;
  deadLetterQueueUrls: Record<QueueName, string>;
  /** messages replayed from the journal at start */
  replayed?: number;
  stop(): Promise<void>;
}

export const deadLetterQueueName = (queue: QueueName) => `${queue}-dlq`;

export interface QueueEngineOptions {
  /** the write-ahead journal (queue-journal.ts); absent: in memory only, as fauxqs itself */
  journalPath?: string;
  /** fdatasync each group commit (default); false: written to the OS only (survives SIGKILL, not a power cut) */
  journalSync?: boolean;
  /**
   * with journalSync: the store's folder (dynamoStorePath), fsynced before the journal forgets consumed messages,
   * since dynalite's LevelDB does not sync its writes; without it a power cut could lose what the store last took
   */
  storePath?: string;
}

const SEND_TARGETS = new Set(['AmazonSQS.SendMessage', 'AmazonSQS.SendMessageBatch']);
/** a journal holding fewer messages than this is never rewritten (only truncated once the queues are empty) */
const REWRITE_AFTER = 2_000;
export async function startQueueEngine(options: QueueEngineOptions = {}): Promise<QueueEngine & { sendMessages: SendMessages }> {
  // fauxqs names queues http://sqs.<region>.localhost:<port>/…, and the SDK sends to the queue URL's host:
  // resolve *.localhost to 127.0.0.1 in this process, as fauxqs recommends for embedded use
  const restoreDns = interceptLocalhostDns();
  // fauxqs's own app (what startFauxqs runs) over stores held here: the journal hooks its HTTP requests, and
  // in-process sends and the compactor use its SQS store directly
  const { stores, sqsStore } = createFauxqsStores();
  const app = buildApp({ logger: false, host: 'localhost', stores });
  const sync = options.journalSync ?? true;
  const storePath = options.storePath;
  const journal = options.journalPath
    ? await openQueueJournal(options.journalPath, { sync, ...(sync && storePath ? { beforeForgetting: () => syncFolder(storePath) } : {}) })
    : undefined;
  /** sends journaled but not yet answered: their messages may not be in the queues yet */
  const entriesInFlight = new Set<JournalEntry>();
  const queueNameOf = (url: unknown) => (typeof url === 'string' ? url.slice(url.lastIndexOf('/') + 1) : '');
  if (journal) {
    app.addHook('preHandler', async (request) => {
      const target = request.headers['x-amz-target'];
      if (typeof target !== 'string' || !SEND_TARGETS.has(target)) return;
      const body = request.body as { QueueUrl?: unknown; MessageBody?: unknown; MessageAttributes?: unknown; DelaySeconds?: number; Entries?: unknown };
      const raw = target === 'AmazonSQS.SendMessage' ? [body] : Array.isArray(body?.Entries) ? (body.Entries as (typeof body)[]) : [];
      const messages = raw
        .filter((m) => typeof m?.MessageBody === 'string')
        .map((m) => ({ b: m.MessageBody as string, ...(m.MessageAttributes ? { a: m.MessageAttributes } : {}), ...(m.DelaySeconds ? { d: m.DelaySeconds } : {}) }));
      if (messages.length === 0) return;
      const entry = { q: queueNameOf(body.QueueUrl), m: messages };
      entriesInFlight.add(entry);
      (request as { journaled?: JournalEntry }).journaled = entry;
      await journal.append(entry);
    });
    app.addHook('onResponse', async (request) => {
      const entry = (request as { journaled?: JournalEntry }).journaled;
      if (entry) entriesInFlight.delete(entry);
    });
  }
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const port = new URL(address).port;
  const call = async <T>(action: string, body: unknown): Promise<T> => {
    const reply = await app.inject({
      method: 'POST',
      url: '/',
      headers: { host: `sqs.us-east-1.localhost:${port}`, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` },
      payload: JSON.stringify(body),
    });
    if (reply.statusCode !== 200) throw new Error(`fauxqs ${action} answered ${reply.statusCode}`);
    return reply.json() as T;
  };
  const createQueue = async (name: string, attributes: Record<string, string>) => {
    const { QueueUrl } = await call<{ QueueUrl: string }>('CreateQueue', { QueueName: name, Attributes: attributes });
    const { Attributes } = await call<{ Attributes: { QueueArn: string } }>('GetQueueAttributes', { QueueUrl, AttributeNames: ['QueueArn'] });
    return { queueUrl: QueueUrl, queueArn: Attributes.QueueArn };
  };

  /** hands journal messages to fauxqs's SendMessageBatch action, 10 at a time; the SQS error code per message */
  const enqueue = (queueUrl: string, messages: JournalMessage[]): (string | undefined)[] => {
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < messages.length; i += SQS_MAX_BATCH) {
      const Entries = messages.slice(i, i + SQS_MAX_BATCH).map((m, j) => ({
        Id: String(j),
        MessageBody: m.b,
        ...(m.a ? { MessageAttributes: m.a } : {}),
        ...(m.d ? { DelaySeconds: m.d } : {}),
      }));
      try {
        const failed = new Map(sendMessageBatch({ QueueUrl: queueUrl, Entries }, sqsStore).Failed.map((f) => [f.Id, f.Code]));
        for (const entry of Entries) codes.push(failed.get(entry.Id));
      } catch (error) {
        // the whole batch refused (no such queue, too long): each of its messages gets the code
        codes.push(...Entries.map(() => sqsErrorCode(error)));
      }
    }
    return codes;
  };

  /** the in-process send: journaled first (as an HTTP send is), then handed to fauxqs's own SendMessageBatch action */
  const sendMessages: SendMessages = async (queueUrl, bodies) => {
    const messages = bodies.map((b) => ({ b }));
    if (!journal) return enqueue(queueUrl, messages);
    const entry = { q: queueNameOf(queueUrl), m: messages };
    entriesInFlight.add(entry);
    try {
      await journal.append(entry);
      return enqueue(queueUrl, messages);
    } finally {
      entriesInFlight.delete(entry);
    }
  };

  const queueUrls = {} as Record<QueueName, string>;
  const queueArns = {} as Record<QueueName, string>;
  const deadLetterQueueUrls = {} as Record<QueueName, string>;
  const urlByName = new Map<string, string>();
  for (const [name, queue] of Object.entries(topology.queues) as [QueueName, (typeof topology.queues)[QueueName]][]) {
    const dlq = await createQueue(deadLetterQueueName(name), { MessageRetentionPeriod: String(14 * 86_400) });
    const main = await createQueue(name, {
      VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(queue.retentionDays * 86_400),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: queue.maxReceiveCount }),
    });
    queueUrls[name] = main.queueUrl;
    queueArns[name] = main.queueArn;
    deadLetterQueueUrls[name] = dlq.queueUrl;
    urlByName.set(name, main.queueUrl).set(deadLetterQueueName(name), dlq.queueUrl);
  }

  // replay what an earlier run journaled and may not have delivered (it stays in the journal until the queues empty);
  // straight into the queues, not journaled again
  let replayed = 0;
  for (const entry of journal?.recovered ?? []) {
    const queueUrl = urlByName.get(entry.q);
    if (!queueUrl) continue;
    replayed += enqueue(queueUrl, entry.m).filter((code) => code === undefined).length;
  }

  const heldMessages = (): number =>
    sqsStore
      .listQueues()
      .reduce(
        (sum, q) =>
          sum +
          Number(q.getAttribute('ApproximateNumberOfMessages')) +
          Number(q.getAttribute('ApproximateNumberOfMessagesNotVisible')) +
          Number(q.getAttribute('ApproximateNumberOfMessagesDelayed')),
        0,
      );

  /** what the queues hold now, as journal entries (ready, delayed and in-flight messages alike) */
  const liveEntries = async (): Promise<JournalEntry[]> => {
    const entries = [...entriesInFlight];
    for (const name of urlByName.keys()) {
      const messages = sqsStore.inspectQueue(name)?.messages;
      if (!messages) continue;
      const bodies = [...messages.ready, ...messages.delayed, ...messages.inflight.map((entry) => entry.message)].map((m) => ({ b: m.body }));
      if (bodies.length > 0) entries.push({ q: name, m: bodies });
    }
    return entries;
  };

  /**
   * truncates the journal when every queue is empty and no send is under way; under load that never lets them empty,
   * rewrites it as a snapshot once it holds more than twice the backlog (and at least REWRITE_AFTER messages)
   */
  const compact = async (): Promise<boolean> => {
    if (!journal) return false;
    if (journal.messageCount() >= REWRITE_AFTER) {
      if (journal.messageCount() > 2 * heldMessages() + REWRITE_AFTER / 2) {
        await journal.rewrite(liveEntries);
        return true;
      }
    }
    if (entriesInFlight.size > 0) return false;
    const seen = journal.appendedCount();
    if (heldMessages() > 0) return false;
    return journal.truncateIfUnchanged(seen);
  };
  let compacting = false;
  const compactor = setInterval(() => {
    if (compacting) return;
    compacting = true;
    compact()
      .catch((error: unknown) => {
        if (process.env.QUEUE_JOURNAL_DEBUG) console.error('journal compaction failed', error);
        return false;
      })
      .finally(() => (compacting = false));
  }, 1000);
  compactor.unref();

  return {
    endpoint: address,
    queueUrls,
    queueArns,
    deadLetterQueueUrls,
    replayed,
    sendMessages,
    stop: async () => {
      clearInterval(compactor);
      await app.close();
      if (journal) {
        // after a graceful drain every queue is empty: nothing left to replay
        await compact().catch(() => false);
        await journal.close();
      }
      restoreDns();
    },
  };
}
