// infra: the one declaration of what runs where. The CDK stacks (infra/cdk) and the local runtime (infra/local)
// are both built from it, so the cloud and the laptop cannot drift apart.

export type Access = 'read' | 'readwrite';

export interface TableDeclaration {
  partitionKey: string;
  sortKey?: string;
  /** epoch-seconds attribute that DynamoDB TTL deletes by; reads filter it too (TTL is lazy, and absent locally) */
  ttlAttribute?: string;
  indexes?: { name: string; partitionKey: string; sortKey: string }[];
}

export interface QueueDeclaration {
  /** ≥ 6 × the consuming function's timeout, as AWS recommends for SQS event sources */
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  retentionDays: number;
}

export interface FunctionDeclaration {
  entry: string;
  description: string;
  timeoutSeconds: number;
  memoryMb: number;
  tables?: Partial<Record<TableName, Access>>;
  sendsTo?: QueueName[];
  /** needs the admin token (Secrets Manager in the cloud, FEEDBACK_ADMIN_TOKEN locally) */
  adminToken?: boolean;
  /** calls Amazon Comprehend in the cloud; the local scorer locally */
  sentiment?: boolean;
  /** at most this many concurrent invocations (a scheduled run that must never overlap the previous one: 1) */
  reservedConcurrency?: number;
  /** posts signed alerts to the configured webhook (URL and signing secret: see README, Alerts) */
  alertWebhook?: boolean;
}

export interface RouteDeclaration {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  path: string;
  function: FunctionName;
}

export interface EventSourceDeclaration {
  queue: QueueName;
  function: FunctionName;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  /** caps concurrent batches so Comprehend is not throttled into the DLQ */
  maxConcurrency: number;
}

export interface ScheduleDeclaration {
  name: string;
  function: FunctionName;
  everyMinutes: number;
}

const tables = {
  surveys: { partitionKey: 'surveyId' },
  responses: {
    partitionKey: 'responseId',
    ttlAttribute: 'expiresAt',
    indexes: [
      { name: 'bySurvey', partitionKey: 'surveyId', sortKey: 'receivedKey' },
      // sparse: only responses whose sentiment is still to be scored carry `sentimentPending`
      { name: 'pendingSentiment', partitionKey: 'sentimentPending', sortKey: 'receivedAt' },
    ],
  },
  // one item per (survey, hour) whose responses changed since its aggregate was last computed; the rollup deletes it
  // (only if unchanged meanwhile) once the aggregate is rewritten, so the table holds new work only, never history
  dirtyBuckets: { partitionKey: 'bucketId' },
  // per survey: "hour#2026-11-23T09" and "day#2026-11-23" aggregates (mergeable histograms, per segment)
  aggregates: { partitionKey: 'surveyId', sortKey: 'bucket' },
  alerts: {
    partitionKey: 'surveyId',
    sortKey: 'alertId',
    // sparse: only alerts whose webhook delivery is still to be (re)tried
    indexes: [{ name: 'pendingDelivery', partitionKey: 'deliveryPending', sortKey: 'nextAttemptAt' }],
  },
} as const satisfies Record<string, TableDeclaration>;

const queues = {
  responses: { visibilityTimeoutSeconds: 180, maxReceiveCount: 5, retentionDays: 14 },
} as const satisfies Record<string, QueueDeclaration>;

export type TableName = keyof typeof tables;
export type QueueName = keyof typeof queues;

const functions = {
  ingest: {
    entry: 'functions/ingest/handler.ts',
    description: 'Validates a survey response against its survey and enqueues it (202)',
    timeoutSeconds: 10,
    memoryMb: 512,
    tables: { surveys: 'read' },
    sendsTo: ['responses'],
  },
  process: {
    entry: 'functions/process/handler.ts',
    description: 'Scores comment sentiment and stores responses, one per id',
    timeoutSeconds: 30,
    memoryMb: 1024,
    tables: { surveys: 'read', responses: 'readwrite', dirtyBuckets: 'readwrite' },
    sentiment: true,
  },
  rescore: {
    entry: 'functions/rescore/handler.ts',
    description: 'Scores responses stored while the sentiment provider was failing',
    timeoutSeconds: 60,
    memoryMb: 1024,
    tables: { responses: 'readwrite', dirtyBuckets: 'readwrite' },
    sentiment: true,
  },
  rollup: {
    entry: 'functions/rollup/handler.ts',
    description: 'Recomputes the aggregates of hours with new responses; raises and delivers drop alerts',
    timeoutSeconds: 120,
    memoryMb: 1024,
    tables: { surveys: 'read', responses: 'read', dirtyBuckets: 'readwrite', aggregates: 'readwrite', alerts: 'readwrite' },
    alertWebhook: true,
    // two overlapping runs could write a bucket's older recomputation last; the local scheduler never overlaps either
    reservedConcurrency: 1,
  },
  admin: {
    entry: 'functions/admin/handler.ts',
    description: 'Admin API: survey definitions, stored responses, metrics and alerts',
    timeoutSeconds: 10,
    memoryMb: 512,
    tables: { surveys: 'readwrite', responses: 'read', aggregates: 'read', alerts: 'read' },
    adminToken: true,
  },
} as const satisfies Record<string, FunctionDeclaration>;

export type FunctionName = keyof typeof functions;

const routes: RouteDeclaration[] = [
  { method: 'POST', path: '/v1/responses', function: 'ingest' },
  { method: 'OPTIONS', path: '/v1/responses', function: 'ingest' },
  // what the widget needs to render a survey: public and cacheable, no origins, rules or retention
  { method: 'GET', path: '/v1/surveys/{id}/public', function: 'ingest' },
  { method: 'PUT', path: '/v1/surveys/{id}', function: 'admin' },
  { method: 'GET', path: '/v1/surveys/{id}', function: 'admin' },
  { method: 'GET', path: '/v1/surveys/{id}/responses', function: 'admin' },
  { method: 'GET', path: '/v1/surveys/{id}/metrics', function: 'admin' },
  { method: 'GET', path: '/v1/surveys/{id}/metrics.csv', function: 'admin' },
  { method: 'GET', path: '/v1/surveys/{id}/alerts', function: 'admin' },
];

const eventSources: EventSourceDeclaration[] = [
  { queue: 'responses', function: 'process', batchSize: 25, maxBatchingWindowSeconds: 1, maxConcurrency: 5 },
];

const schedules: ScheduleDeclaration[] = [
  { name: 'rescore-pending-sentiment', function: 'rescore', everyMinutes: 1 },
  { name: 'roll-up-metrics', function: 'rollup', everyMinutes: 1 },
];

export const topology = { tables, queues, functions, routes, eventSources, schedules } as const;
export type Topology = typeof topology;

/** the environment variable a function reads a table's name from, e.g. RESPONSES_TABLE */
export const tableEnvName = <T extends TableName>(table: T) => `${table.toUpperCase() as Uppercase<T>}_TABLE` as const;
/** the environment variable a function reads a queue's URL from, e.g. RESPONSES_QUEUE_URL */
export const queueEnvName = <Q extends QueueName>(queue: Q) => `${queue.toUpperCase() as Uppercase<Q>}_QUEUE_URL` as const;
