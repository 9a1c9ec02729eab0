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
  /** posts signed follow-up notifications (FOLLOWUP_WEBHOOK_URL, FOLLOWUP_ESCALATION_WEBHOOK_URL, signing secret) */
  followupWebhook?: boolean;
  /** signs or verifies link tokens (re-survey links): LINK_SIGNING_KEYS locally, Secrets Manager in the cloud */
  linkKeys?: boolean;
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
      // sparse: only detractors not yet sent to the follow-up queue carry `routingPending`
      { name: 'unrouted', partitionKey: 'routingPending', sortKey: 'receivedAt' },
      // retention: items by expiry, for the sweep-expired schedule (shared/privacy/retention.ts)
      { name: 'expiring', partitionKey: 'expiryShard', sortKey: 'expiryKey' },
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
  // one follow-up task per detractor response (taskId derived from the response id)
  followups: {
    partitionKey: 'taskId',
    // retention: a task expires with the response it follows up
    ttlAttribute: 'expiresAt',
    indexes: [
      { name: 'bySurvey', partitionKey: 'surveyId', sortKey: 'createdKey' },
      // sparse: tasks of responses that carry a customerRef (a customer's history ranks repeat detractors higher)
      { name: 'byCustomer', partitionKey: 'customerRef', sortKey: 'createdKey' },
      // sparse: tasks not yet contacted whose SLA breach is still to be handled
      { name: 'slaWatch', partitionKey: 'slaPending', sortKey: 'dueAt' },
      // retention: items by expiry, for the sweep-expired schedule
      { name: 'expiring', partitionKey: 'expiryShard', sortKey: 'expiryKey' },
    ],
  },
  // CX leads by the SHA-256 of their bearer token (the token itself is never stored)
  cxLeads: { partitionKey: 'tokenHash' },
  // follow-up webhook notifications (task opened, SLA breached, escalated) and their delivery state
  notifications: {
    partitionKey: 'taskId',
    sortKey: 'kind',
    // retention: a notification expires with its task
    ttlAttribute: 'expiresAt',
    indexes: [
      // sparse: only notifications whose webhook delivery is still to be (re)tried
      { name: 'pendingDelivery', partitionKey: 'deliveryPending', sortKey: 'nextAttemptAt' },
      // retention: items by expiry, for the sweep-expired schedule
      { name: 'expiring', partitionKey: 'expiryShard', sortKey: 'expiryKey' },
    ],
  },
} as const satisfies Record<string, TableDeclaration>;

const queues = {
  responses: { visibilityTimeoutSeconds: 180, maxReceiveCount: 5, retentionDays: 14 },
  followups: { visibilityTimeoutSeconds: 180, maxReceiveCount: 5, retentionDays: 14 },
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
    tables: { surveys: 'read', responses: 'readwrite', dirtyBuckets: 'readwrite' },
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
    tables: { surveys: 'readwrite', responses: 'read', aggregates: 'read', alerts: 'read', followups: 'read' },
    adminToken: true,
  },
  followupRouter: {
    entry: 'functions/followup-router/handler.ts',
    description: 'Sends detractor responses not yet routed to the follow-up queue, then marks them routed',
    timeoutSeconds: 60,
    memoryMb: 512,
    tables: { responses: 'readwrite' },
    sendsTo: ['followups'],
    reservedConcurrency: 1,
  },
  followupTasks: {
    entry: 'functions/followup-tasks/handler.ts',
    description: 'Opens one follow-up task per routed detractor (conditional put) and queues its notification',
    timeoutSeconds: 30,
    memoryMb: 512,
    tables: { surveys: 'read', followups: 'readwrite', notifications: 'readwrite' },
  },
  followupSla: {
    entry: 'functions/followup-sla/handler.ts',
    description: 'Finds follow-up tasks past their SLA (notify, escalate once) and delivers follow-up webhooks',
    timeoutSeconds: 120,
    memoryMb: 512,
    tables: { followups: 'readwrite', notifications: 'readwrite' },
    followupWebhook: true,
    reservedConcurrency: 1,
  },
  followups: {
    entry: 'functions/followups/handler.ts',
    description: 'CX API: follow-up tasks (leads and admin) and CX lead tokens (admin)',
    timeoutSeconds: 10,
    memoryMb: 512,
    tables: { followups: 'readwrite', cxLeads: 'readwrite' },
    adminToken: true,
    linkKeys: true,
  },
  resurvey: {
    entry: 'functions/resurvey/handler.ts',
    description: 'Public re-survey page of a resolved follow-up task (signed link): shows and stores its one answer',
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { followups: 'readwrite' },
    linkKeys: true,
  },
  // retention (personal data): deletes expired responses, follow-up tasks and notifications
  sweepExpired: {
    entry: 'functions/sweep-expired/handler.ts',
    description: 'Deletes responses, follow-up tasks and notifications past their retention (DynamoDB TTL is lazy, and absent locally)',
    timeoutSeconds: 300,
    memoryMb: 512,
    tables: { responses: 'readwrite', followups: 'readwrite', notifications: 'readwrite' },
    reservedConcurrency: 1,
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
  { method: 'POST', path: '/v1/cx-leads', function: 'followups' },
  { method: 'GET', path: '/v1/followups', function: 'followups' },
  { method: 'GET', path: '/v1/followups/{id}', function: 'followups' },
  { method: 'POST', path: '/v1/followups/{id}/claim', function: 'followups' },
  { method: 'POST', path: '/v1/followups/{id}/notes', function: 'followups' },
  { method: 'POST', path: '/v1/followups/{id}/contacted', function: 'followups' },
  { method: 'POST', path: '/v1/followups/{id}/resolve', function: 'followups' },
  // the re-survey page: public, the signed token is the credential
  { method: 'GET', path: '/r/{token}', function: 'resurvey' },
  { method: 'POST', path: '/r/{token}', function: 'resurvey' },
];

const eventSources: EventSourceDeclaration[] = [
  { queue: 'responses', function: 'process', batchSize: 25, maxBatchingWindowSeconds: 1, maxConcurrency: 5 },
  { queue: 'followups', function: 'followupTasks', batchSize: 10, maxBatchingWindowSeconds: 1, maxConcurrency: 2 },
];

const schedules: ScheduleDeclaration[] = [
  { name: 'rescore-pending-sentiment', function: 'rescore', everyMinutes: 1 },
  { name: 'roll-up-metrics', function: 'rollup', everyMinutes: 1 },
  { name: 'route-detractors', function: 'followupRouter', everyMinutes: 1 },
  { name: 'follow-up-sla', function: 'followupSla', everyMinutes: 1 },
  // retention (personal data)
  { name: 'sweep-expired', function: 'sweepExpired', everyMinutes: 15 },
];

export const topology = { tables, queues, functions, routes, eventSources, schedules } as const;
export type Topology = typeof topology;

/**
 * The environment variables the stack sets when it binds a secret or a webhook to a function, and that
 * functions/commons reads: one list, so the writer and the reader cannot disagree on a name.
 */
export const boundEnvNames = {
  adminTokenSecretArn: 'ADMIN_TOKEN_SECRET_ARN',
  alertWebhookSecretArn: 'ALERT_WEBHOOK_SECRET_ARN',
  alertWebhookUrl: 'ALERT_WEBHOOK_URL',
  followupWebhookSecretArn: 'FOLLOWUP_WEBHOOK_SECRET_ARN',
  followupWebhookUrl: 'FOLLOWUP_WEBHOOK_URL',
  followupEscalationWebhookUrl: 'FOLLOWUP_ESCALATION_WEBHOOK_URL',
  linkSigningKeysSecretArn: 'LINK_SIGNING_KEYS_SECRET_ARN',
} as const;

/** the environment variable a function reads a table's name from, e.g. RESPONSES_TABLE */
export const tableEnvName = <T extends TableName>(table: T) => `${table.toUpperCase() as Uppercase<T>}_TABLE` as const;
/** the environment variable a function reads a queue's URL from, e.g. RESPONSES_QUEUE_URL */
export const queueEnvName = <Q extends QueueName>(queue: Q) => `${queue.toUpperCase() as Uppercase<Q>}_QUEUE_URL` as const;
