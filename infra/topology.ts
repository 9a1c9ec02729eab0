// infra: the one declaration of what runs where. The CDK stacks (infra/cdk) and the local runtime (infra/local)
// are both built from it, so the cloud and the laptop cannot drift apart.
import { THROUGHPUT_DEFAULTS } from './throughput.js';

/**
 * `append`: PutItem only (an append-only log); `readappend`: read it too; `lease`: PutItem and DeleteItem only, both
 * conditional (a run lease: shared/dynamo-run-lease.ts); `lookup`: GetItem and BatchGetItem, items by their keys, never a list
 * (a public function that may read back what its caller's own credential names)
 */
export type Access = 'read' | 'readwrite' | 'append' | 'readappend' | 'lease' | 'lookup';

export interface TableDeclaration {
  partitionKey: string;
  sortKey?: string;
  /** epoch-seconds attribute that DynamoDB TTL deletes by; reads filter it too (TTL is lazy, and absent locally) */
  ttlAttribute?: string;
  indexes?: IndexDeclaration[];
  /**
   * holds only the state of runs in flight, nothing to keep (the run leases): deleted with its stack rather than
   * retained, and emptied when the local runtime starts, as no run of an earlier process can still be going
   */
  ephemeral?: true;
}

export interface IndexDeclaration {
  name: string;
  partitionKey: string;
  sortKey: string;
  /**
   * replaced by another index and deployed only with the context `legacyBySurveyIndex=true`: an upgrade from the release
   * before adds the new index first and drops this one later, as CloudFormation adds or deletes one index per table and
   * update (docs/upgrading.md)
   */
  legacy?: true;
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
  /** posts signed alerts to the configured webhook (URL and signing secret: see README, Alerts) */
  alertWebhook?: boolean;
  /** posts signed follow-up notifications (FOLLOWUP_WEBHOOK_URL, FOLLOWUP_ESCALATION_WEBHOOK_URL, signing secret) */
  followupWebhook?: boolean;
  /** signs or verifies link tokens (re-survey links): LINK_SIGNING_KEYS locally, Secrets Manager in the cloud */
  linkKeys?: boolean;
  /** CX console: serves routes the console calls, with CORS for the console's origin (CONSOLE_ORIGINS) */
  consoleCors?: boolean;
  /** makes follow-up notifications: their deep link needs the console's page (CONSOLE_URL) */
  consoleLinks?: boolean;
  /**
   * the in-function rate limits it applies (functions/commons/rate-limit.ts): a deployment sets each limit's context
   * value on the functions that apply it (infra/rate-limits.ts). The throttle of failed authentications comes with
   * `adminToken`
   */
  rateLimits?: readonly Exclude<RateLimit, 'authFailures'>[];
}

/**
 * `client`: requests per client IP (`rateLimit()`); `survey`: requests per survey (`rateLimit({ surveyOf })`);
 * `authFailures`: failed authentications per client IP (`authFailureThrottle`), which every function that takes a
 * bearer token applies (`adminToken`), so it is never declared
 */
export type RateLimit = 'client' | 'survey' | 'authFailures';

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
      // replaced by bySurveyShard (below): read instead of it until the backfill has sharded the items stored before
      // (shared/response/dynamo-index-backfill.ts). Deployed only with `-c legacyBySurveyIndex=true`, which an upgrade
      // from the release before uses until its backfill is done, so it adds one index at a time
      // (test/infra/index-upgrade.test.ts); a new deployment leaves it out, and a later release removes it
      { name: 'bySurvey', partitionKey: 'surveyId', sortKey: 'receivedKey', legacy: true },
      // sparse: only responses whose sentiment is still to be scored carry `sentimentPending` ("pending#<n>" or
      // "settling#<n>": write-sharded values in the same index)
      { name: 'pendingSentiment', partitionKey: 'sentimentPending', sortKey: 'receivedAt' },
      // sparse: only detractors not yet sent to the follow-up queue carry `routingPending` ("pending#<n>")
      { name: 'unrouted', partitionKey: 'routingPending', sortKey: 'receivedAt' },
      // access and privacy: sparse, only responses that carry a customerRef (erasure and export find them here)
      { name: 'byCustomer', partitionKey: 'customerRef', sortKey: 'receivedKey' },
      // retention: items by expiry, for the sweep-expired schedule (shared/privacy/retention.ts)
      { name: 'expiring', partitionKey: 'expiryShard', sortKey: 'expiryKey' },
      // write-sharded (shared/response/response-indexes.ts): surveyShard = "<surveyId>#<n>", so one busy survey's
      // writes spread over several index partitions; read-back newest first
      { name: 'bySurveyShard', partitionKey: 'surveyShard', sortKey: 'receivedKey' },
    ],
  },
  // one item per (survey, minute) whose responses changed since its aggregate was last computed; the rollup deletes it
  // (only if unchanged meanwhile) once the aggregate is rewritten, so the table holds new work only, never history
  dirtyBuckets: { partitionKey: 'bucketId' },
  // per survey: "minute#2026-11-23T09:07", "hour#2026-11-23T09" and "day#2026-11-23" aggregates (mergeable
  // histograms, per segment). Only minutes carry an expiry: they are the rollup's working parts, needed while their
  // hour can still be recomputed (shared/rollup/roll-up.ts); hours and days are kept
  aggregates: { partitionKey: 'surveyId', sortKey: 'bucket', ttlAttribute: 'expiresAt' },
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
      // not write-sharded: a task is written once per routed detractor (a share of the responses) by followupTasks,
      // whose event source runs few batches at once, and then by people: far below one partition's 1,000 writes a
      // second, while sharding would cost every task listing a query per shard. Shard it as responses' bySurveyShard
      // if that event source is ever raised toward 1,000 tasks a second for one survey
      { name: 'bySurvey', partitionKey: 'surveyId', sortKey: 'createdKey' },
      // a survey's tasks of one status: the queue of tasks being worked reads them without the closed ones, which pile
      // up. Keyed by attributes every task has always had, so DynamoDB builds it from the tasks already stored when an
      // upgrade adds it (dynamo-task-store.ts reads the survey whole until it is built)
      { name: 'bySurveyStatus', partitionKey: 'surveyId', sortKey: 'status' },
      // sparse: tasks of responses that carry a customerRef (a customer's history ranks repeat detractors higher)
      { name: 'byCustomer', partitionKey: 'customerRef', sortKey: 'createdKey' },
      // sparse: tasks not yet contacted whose SLA breach is still to be handled
      { name: 'slaWatch', partitionKey: 'slaPending', sortKey: 'dueAt' },
      // retention: items by expiry, for the sweep-expired schedule
      { name: 'expiring', partitionKey: 'expiryShard', sortKey: 'expiryKey' },
    ],
  },
  // access tokens (role admin or cx; CX leads are cx tokens) by the SHA-256 of the bearer token (never the token)
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
  // email survey links: one invitation per (survey, campaign, customerRef); e-mail only as a keyed hash, never a name
  invitations: {
    partitionKey: 'invitationId',
    ttlAttribute: 'retainUntil',
    indexes: [
      // the campaign report: campaignKey = "<surveyId>#<campaign>"
      { name: 'byCampaign', partitionKey: 'campaignKey', sortKey: 'createdKey' },
      // a customer's invitations (erasure, export)
      { name: 'byCustomer', partitionKey: 'customerRef', sortKey: 'createdKey' },
      // sparse: only invitations holding a provisional answer, which the finaliser makes final after a delay
      { name: 'provisionalDue', partitionKey: 'provisionalPending', sortKey: 'provisionalAt' },
      // retention: items by `retainUntil`, for the sweep-expired schedule
      { name: 'expiring', partitionKey: 'expiryShard', sortKey: 'expiryKey' },
    ],
  },
  // access and audit: append-only log of writes through the admin, CX and privacy APIs, one partition per UTC month
  // ("2026-11"), newest first by entryKey ("<ISO time>#<random>"); functions may only put new items
  audit: { partitionKey: 'month', sortKey: 'entryKey' },
  // privacy: one marker per erased customer (customerRefHash, erasedAt): the process step drops a queued response of
  // that customer received before the erasure; kept 30 days, two lives of a queued message (see dynamo-erasure-markers.ts)
  erasures: { partitionKey: 'customerRefHash', ttlAttribute: 'expiresAt' },
  // one lease per scheduled function whose runs must never overlap ("lease#rollup": holder, leaseUntil in epoch ms),
  // taken at the start of a run and given back at its end (functions/commons/one-run-at-a-time.ts). No TTL: at most one
  // item per such function, deleted at the end of its run or taken over once expired
  runLeases: { partitionKey: 'leaseId', ephemeral: true },
} as const satisfies Record<string, TableDeclaration>;

/**
 * Visibility 240 s: Lambda's guidance of 6 × the consumer's timeout (30 s each; room for an invocation retried while
 * throttled), plus the longest batching window a deploy may set (60 s, processBatchWindowSeconds): the event source
 * holds the messages it received while it gathers a batch, and one that turned visible meanwhile would be received
 * again, and counted toward the DLQ, before its first invocation (infra/cdk checks the sum at synth)
 */
const queues = {
  responses: { visibilityTimeoutSeconds: 240, maxReceiveCount: 5, retentionDays: 14 },
  followups: { visibilityTimeoutSeconds: 240, maxReceiveCount: 5, retentionDays: 14 },
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
    rateLimits: ['client', 'survey'],
  },
  process: {
    entry: 'functions/process/handler.ts',
    description: 'Scores comment sentiment and stores responses, one per id',
    timeoutSeconds: 30,
    memoryMb: 1024,
    tables: { surveys: 'read', responses: 'readwrite', dirtyBuckets: 'readwrite', erasures: 'read' },
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
    // runLeases: one run at a time (functions/commons/one-run-at-a-time.ts), whatever the account's concurrency quota:
    // two overlapping runs could write a bucket's older recomputation last (the local scheduler never overlaps either)
    tables: { surveys: 'read', responses: 'read', dirtyBuckets: 'readwrite', aggregates: 'readwrite', alerts: 'readwrite', runLeases: 'lease' },
    alertWebhook: true,
  },
  admin: {
    entry: 'functions/admin/handler.ts',
    description: 'Admin API: survey definitions, stored responses, metrics and alerts',
    timeoutSeconds: 10,
    memoryMb: 512,
    // cxLeads: tokens (admin-role tokens are managed here; CX lead tokens read the survey routes they are granted)
    tables: { surveys: 'readwrite', responses: 'read', aggregates: 'read', alerts: 'read', followups: 'read', cxLeads: 'readwrite', audit: 'readappend' },
    adminToken: true,
    consoleCors: true,
  },
  followupRouter: {
    entry: 'functions/followup-router/handler.ts',
    description: 'Sends detractor responses not yet routed to the follow-up queue, then marks them routed',
    timeoutSeconds: 60,
    memoryMb: 512,
    // runLeases: one run at a time, as the rollup's
    tables: { responses: 'readwrite', runLeases: 'lease' },
    sendsTo: ['followups'],
  },
  followupTasks: {
    entry: 'functions/followup-tasks/handler.ts',
    description: 'Opens one follow-up task per routed detractor (conditional put) and queues its notification',
    timeoutSeconds: 30,
    memoryMb: 512,
    // cxLeads: auto-assignment reads the survey's leads; its round-robin counter lives in notifications
    tables: { surveys: 'read', followups: 'readwrite', notifications: 'readwrite', cxLeads: 'read' },
    consoleLinks: true,
  },
  followupSla: {
    entry: 'functions/followup-sla/handler.ts',
    description: 'Finds follow-up tasks past their SLA (notify, escalate once) and delivers follow-up webhooks',
    timeoutSeconds: 120,
    memoryMb: 512,
    // runLeases: one run at a time, as the rollup's
    tables: { followups: 'readwrite', notifications: 'readwrite', runLeases: 'lease' },
    followupWebhook: true,
    consoleLinks: true,
  },
  followups: {
    entry: 'functions/followups/handler.ts',
    description: 'CX API: follow-up tasks (leads and admin) and CX lead tokens (admin)',
    timeoutSeconds: 10,
    memoryMb: 512,
    // notifications: a task's detail lists the notifications sent about it; responses and surveys: its customer's
    // history (their other responses, and each survey's NPS question); surveys: resolving checks the root cause
    tables: { followups: 'readwrite', cxLeads: 'readwrite', audit: 'append', notifications: 'read', responses: 'read', surveys: 'read' },
    adminToken: true,
    linkKeys: true,
    consoleCors: true,
  },
  resurvey: {
    entry: 'functions/resurvey/handler.ts',
    description: 'Public re-survey page of a resolved follow-up task (signed link): shows and stores its one answer',
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { followups: 'readwrite' },
    linkKeys: true,
    rateLimits: ['client'],
  },
  // email survey links
  invitations: {
    entry: 'functions/invitations/handler.ts',
    description: 'Admin API: mints a campaign\'s personal email survey links and reports on the campaign',
    timeoutSeconds: 30,
    memoryMb: 512,
    // cxLeads: admin-role tokens are accepted (functions/commons/principal.ts); audit: minting is recorded
    tables: { surveys: 'read', invitations: 'readwrite', responses: 'read', cxLeads: 'read', audit: 'append' },
    adminToken: true,
    linkKeys: true,
  },
  emailSurvey: {
    entry: 'functions/email-survey/handler.ts',
    description: 'Public hosted survey page of a personal email link (signed): opens, honeypot, provisional and submitted answers',
    timeoutSeconds: 10,
    memoryMb: 256,
    // responses: the stored answer (its comment, redacted) that the page shows when the link is opened again
    // responses: the answer a reopened link shows, read by the id its signed token derives (never listed)
    tables: { surveys: 'read', invitations: 'readwrite', responses: 'lookup' },
    sendsTo: ['responses'],
    linkKeys: true,
    rateLimits: ['client'],
  },
  emailSurveyFinalise: {
    entry: 'functions/email-survey-finalise/handler.ts',
    description: 'Makes provisional email answers final responses once they have stood the delay with no submit',
    timeoutSeconds: 60,
    memoryMb: 256,
    // runLeases: one run at a time, as the rollup's
    tables: { surveys: 'read', invitations: 'readwrite', runLeases: 'lease' },
    sendsTo: ['responses'],
  },
  // privacy: a customer's erasure and export (admin only)
  privacy: {
    entry: 'functions/privacy/handler.ts',
    description: 'Erases or exports everything held about one customer (customerRef): responses, tasks, notifications, invitations',
    timeoutSeconds: 60,
    memoryMb: 512,
    tables: { responses: 'readwrite', dirtyBuckets: 'readwrite', followups: 'readwrite', notifications: 'readwrite', cxLeads: 'read', audit: 'append', erasures: 'readwrite', invitations: 'readwrite' },
    adminToken: true,
  },
  // retention (personal data): deletes expired responses, follow-up tasks and notifications
  sweepExpired: {
    entry: 'functions/sweep-expired/handler.ts',
    description: 'Deletes responses, follow-up tasks, notifications and invitations past their retention (DynamoDB TTL is lazy, and absent locally); then upgrade backfills',
    timeoutSeconds: 300,
    memoryMb: 512,
    // runLeases: one run at a time, as the rollup's
    tables: { responses: 'readwrite', followups: 'readwrite', notifications: 'readwrite', invitations: 'readwrite', runLeases: 'lease' },
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
  { method: 'GET', path: '/v1/me', function: 'followups' },
  { method: 'GET', path: '/v1/followups', function: 'followups' },
  { method: 'GET', path: '/v1/followups/{id}', function: 'followups' },
  { method: 'POST', path: '/v1/followups/{id}/claim', function: 'followups' },
  { method: 'POST', path: '/v1/followups/{id}/notes', function: 'followups' },
  { method: 'POST', path: '/v1/followups/{id}/contacted', function: 'followups' },
  { method: 'POST', path: '/v1/followups/{id}/resolve', function: 'followups' },
  { method: 'POST', path: '/v1/followups/{id}/assign', function: 'followups' },
  { method: 'POST', path: '/v1/followups/bulk', function: 'followups' },
  { method: 'GET', path: '/v1/cx-leads', function: 'followups' },
  // the re-survey page: public, the signed token is the credential
  { method: 'GET', path: '/r/{token}', function: 'resurvey' },
  { method: 'POST', path: '/r/{token}', function: 'resurvey' },
  // CX console: the surveys a token may see, and filtered responses as CSV
  { method: 'GET', path: '/v1/surveys', function: 'admin' },
  { method: 'GET', path: '/v1/surveys/{id}/responses.csv', function: 'admin' },
  // email survey links: minting and the campaign report (admin), the hosted page (public, the signed token is the
  // credential): the page, its form, the page script's human signal, and the honeypot link only machines follow
  { method: 'POST', path: '/v1/surveys/{id}/invitations', function: 'invitations' },
  { method: 'GET', path: '/v1/surveys/{id}/campaigns/{campaign}', function: 'invitations' },
  { method: 'GET', path: '/s/{token}', function: 'emailSurvey' },
  { method: 'POST', path: '/s/{token}', function: 'emailSurvey' },
  { method: 'POST', path: '/s/{token}/signal', function: 'emailSurvey' },
  { method: 'GET', path: '/s/{token}/h', function: 'emailSurvey' },
  // access tokens, audit log (admin), customer erasure and export (admin)
  { method: 'POST', path: '/v1/tokens', function: 'admin' },
  { method: 'GET', path: '/v1/tokens', function: 'admin' },
  { method: 'DELETE', path: '/v1/tokens/{id}', function: 'admin' },
  { method: 'GET', path: '/v1/audit', function: 'admin' },
  { method: 'DELETE', path: '/v1/customers/{customerRef}', function: 'privacy' },
  { method: 'GET', path: '/v1/customers/{customerRef}/export', function: 'privacy' },
];

// CX console: CORS preflights (the console sends a bearer token, so every call is preflighted when it is served from
// another origin) for every path it calls, answered by the function that serves the path
const consolePaths = new Map<string, FunctionName>();
for (const route of routes) {
  if (route.method !== 'PUT' && !(route.method === 'POST' && route.path === '/v1/cx-leads') && (route.function === 'admin' || route.function === 'followups')) consolePaths.set(route.path, route.function);
}
for (const [path, fn] of consolePaths) routes.push({ method: 'OPTIONS', path, function: fn });

const eventSources: EventSourceDeclaration[] = [
  // the throughput settings' defaults (./throughput.ts); a deploy may set others (context processBatchSize, …)
  {
    queue: 'responses',
    function: 'process',
    batchSize: THROUGHPUT_DEFAULTS.processBatchSize,
    maxBatchingWindowSeconds: THROUGHPUT_DEFAULTS.processBatchWindowSeconds,
    maxConcurrency: THROUGHPUT_DEFAULTS.processConcurrency,
  },
  { queue: 'followups', function: 'followupTasks', batchSize: 10, maxBatchingWindowSeconds: 1, maxConcurrency: 2 },
];

const schedules: ScheduleDeclaration[] = [
  { name: 'rescore-pending-sentiment', function: 'rescore', everyMinutes: 1 },
  { name: 'roll-up-metrics', function: 'rollup', everyMinutes: 1 },
  { name: 'route-detractors', function: 'followupRouter', everyMinutes: 1 },
  { name: 'follow-up-sla', function: 'followupSla', everyMinutes: 1 },
  // email survey links
  { name: 'finalise-email-answers', function: 'emailSurveyFinalise', everyMinutes: 1 },
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
  // CX console: the origins it is served from (CORS on the routes it calls)
  consoleOrigins: 'CONSOLE_ORIGINS',
  // CX console: its page, for the deep links to a task that follow-up notifications carry
  consoleUrl: 'CONSOLE_URL',
} as const;

/** the environment variable a function reads a table's name from, e.g. RESPONSES_TABLE */
export const tableEnvName = <T extends TableName>(table: T) => `${table.toUpperCase() as Uppercase<T>}_TABLE` as const;
/** the environment variable that names a table's deployed legacy index, e.g. RESPONSES_TABLE_LEGACY_INDEX (absent: none) */
export const legacyIndexEnvName = <T extends TableName>(table: T) => `${tableEnvName(table)}_LEGACY_INDEX` as const;
/** a table's legacy index, if the topology declares one (deployed only with `-c legacyBySurveyIndex=true`) */
export const legacyIndexOf = (table: TableName): IndexDeclaration | undefined => ((topology.tables[table] as TableDeclaration).indexes ?? []).find((index) => index.legacy);
/** a table's indexes as deployed: its legacy ones only while the deployment keeps them (`-c legacyBySurveyIndex`) */
export const deployedIndexes = (table: TableName, legacyIndexes: boolean): IndexDeclaration[] =>
  ((topology.tables[table] as TableDeclaration).indexes ?? []).filter((index) => legacyIndexes || !index.legacy);
/** the environment variable a function reads a queue's URL from, e.g. RESPONSES_QUEUE_URL */
export const queueEnvName = <Q extends QueueName>(queue: Q) => `${queue.toUpperCase() as Uppercase<Q>}_QUEUE_URL` as const;
