// CLI (cost estimate): the monthly AWS bill of a deployment, item by item, from what it deploys (a Deployment, read
// from the topology and the synthesized templates: cli/cost-deployment.ts), how it is used (Usage) and the list
// prices (cli/cost-prices.ts). Pure: no AWS call, no clock. What is not measured is an assumption named in
// ASSUMPTIONS, printed with every table.

import type { Prices } from './cost-prices.js';

export interface Deployment {
  /** every function the topology declares, with its memory */
  functions: Record<string, { memoryMb: number }>;
  /** `leased`: each run takes and gives back a run lease (two conditional writes) */
  schedules: { function: string; everyMinutes: number; leased: boolean }[];
  eventSources: { queue: string; function: string; batchSize: number; maxBatchingWindowSeconds: number }[];
  /** Secrets Manager secrets in the templates */
  secrets: number;
  /** functions whose environment names a secret: each reads it once per container */
  secretReaders: number;
  /** functions that check the origin verify header: each container reads that secret's current and previous values */
  edgeGuarded: number;
  /** CloudWatch alarms in the templates */
  alarms: number;
  /** AWS WAF web ACLs and their rules (a managed rule group counts as one) in the templates */
  webAcls: number;
  wafRules: number;
  /** the responses table's indexes every stored response is written to (the sparse ones aside) */
  responseIndexes: number;
  /** how long the log groups keep lines, in days (context value logRetentionDays; the longest if they differ) */
  logRetentionDays: number;
}

export interface Usage {
  responsesPerMonth: number;
  /** share of responses that carry a comment (only those reach Comprehend) */
  commentShare: number;
  /** average comment length in characters */
  commentChars: number;
  /** share of the comments in English or Spanish (by locale, or as detected): DetectPiiEntities runs on those only */
  piiLanguageShare: number;
  /** share of comments whose language is detected first: sent without a locale, or written in another script than the locale's language */
  noLocaleShare: number;
  /** share of responses that are detractors: each opens a follow-up task */
  detractorShare: number;
  /** surveys the responses spread over evenly (1: the rollup's worst case, one busy hour bucket) */
  surveys: number;
  /** how long responses are kept (the surveys' retentionDays, default 365): storage at steady state */
  retentionMonths: number;
  /** the edge web ACL is deployed (`cdk deploy --all` does) and attached (`-c edgeWebAclArn`) */
  waf: boolean;
}

export const DEFAULT_USAGE: Omit<Usage, 'responsesPerMonth'> = {
  commentShare: 0.4,
  commentChars: 150,
  piiLanguageShare: 1,
  noLocaleShare: 0.2,
  detractorShare: 0.2,
  surveys: 1,
  retentionMonths: 12,
  waf: true,
};

/** what the estimate assumes where nothing measures it; printed under each table */
export const ASSUMPTIONS = {
  hoursPerMonth: 730,
  /** per response: the widget's public survey read and its submission (ingest), through the edge and the HTTP API */
  apiRequestsPerResponse: 2,
  /** per response: those two, and the widget loader, all on the API's edge distribution (and its web ACL) */
  cloudfrontRequestsPerResponse: 3,
  /** per response: the widget files (gzip), the survey and the submission */
  cloudfrontKbPerResponse: 30,
  ingestMs: 40,
  /** a process batch: a fixed part, and per comment the Comprehend calls */
  processBaseMs: 80,
  processMsPerComment: 250,
  followupTaskMs: 100,
  /** a scheduled run with nothing to do, and the extra of a rollup run over one dirty bucket */
  scheduledRunMs: 100,
  rollupRunPerBucketMs: 50,
  /** a stored response (DynamoDB item), written to the table and each always-present index (Deployment.responseIndexes) */
  responseKb: 1.5,
  /** a detractor's extra writes: routing mark set and cleared, its task and indexes (bySurveyStatus since it was added), its notification */
  detractorWriteUnits: 17,
  /** a rollup run over one dirty minute: minute, hour and day aggregates rewritten, the mark deleted */
  rollupRunWriteUnits: 8,
  /** and its reads besides the minute's responses: the hour's minute aggregates and the day's hours (consistent reads) */
  rollupRunReadUnits: 11,
  /** the reads of a scheduled run that finds nothing to do (index queries, each at least 0.5 unit) */
  scheduledRunReadUnits: 1,
  /** Lambda's SQS event source: long-polling pollers per queue while idle (20 s waits) */
  idlePollersPerQueue: 5,
  idlePollSeconds: 20,
  /** a container start per secret-reading function per hour (warm containers keep the secret) */
  containerStartsPerHour: 1,
  /** the origin verify values read again by a warm container serving traffic (every 5 minutes, both stages) */
  originVerifyRereadsPerHour: 24,
  /** a run lease taken and given back: two writes of one unit */
  leaseWriteUnitsPerRun: 2,
  /** per invocation: START, END, REPORT and one INFO line; per HTTP API request: its access log line */
  logKbPerInvocation: 0.6,
  logKbPerApiRequest: 0.35,
} as const;

export interface CostLine {
  item: string;
  /** US dollars a month, rounded to the cent */
  usd: number;
  /** the billed quantities, for a reader to check */
  quantity: string;
}

export interface Estimate {
  lines: CostLine[];
  /** the sum of the lines as printed */
  totalUsd: number;
}

const KB_PER_GB = 1024 * 1024;
const cents = (usd: number) => Math.round(usd * 100) / 100;
const count = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)} k` : n.toFixed(n % 1 ? 1 : 0));

/** price of `units` under volume tiers (each tier's price applies to the units within it) */
export function tieredPrice(units: number, tiers: readonly { upToUnits: number; perUnit: number }[]): number {
  let usd = 0;
  let from = 0;
  for (const tier of tiers) {
    if (units <= from) break;
    usd += (Math.min(units, tier.upToUnits) - from) * tier.perUnit;
    from = tier.upToUnits;
  }
  return usd;
}

/** Comprehend units of one document: per 100 characters, at least 3 */
export function comprehendUnits(characters: number, p: Prices['comprehend']): number {
  return Math.max(p.minimumUnitsPerDocument, Math.ceil(characters / p.charactersPerUnit));
}

export function estimate(deployment: Deployment, usage: Usage, p: Prices): Estimate {
  const a = ASSUMPTIONS;
  const responses = usage.responsesPerMonth;
  const comments = responses * usage.commentShare;
  const detractors = responses * usage.detractorShare;
  const minutes = a.hoursPerMonth * 60;
  const gb = (name: string) => (deployment.functions[name]?.memoryMb ?? 0) / 1024;

  // a queue consumer's batch: what arrives within its batching window, at least 1 (one per message at low rates)
  const batchOf = (queue: string, messages: number) => {
    const source = deployment.eventSources.find((s) => s.queue === queue);
    if (!source) return { size: 1, fn: '' };
    const perWindow = (messages / (minutes * 60)) * source.maxBatchingWindowSeconds;
    return { size: Math.min(source.batchSize, Math.max(1, perWindow)), fn: source.function };
  };
  const processBatch = batchOf('responses', responses);
  const taskBatch = batchOf('followups', detractors);
  const processRuns = responses / processBatch.size;
  const taskRuns = detractors / taskBatch.size;

  // rollup, per (survey, minute): each minute that received a response is recomputed once from its own responses (each
  // read once) and merged into its hour and day; rollupRuns counts those dirty minutes
  const perSurveyHour = responses / (a.hoursPerMonth * Math.max(1, usage.surveys));
  const dirtyMinutesPerHour = Math.min(60, perSurveyHour);
  const rollupRuns = dirtyMinutesPerHour * a.hoursPerMonth * Math.max(1, usage.surveys);

  // Lambda
  const scheduled = deployment.schedules.map((s) => ({ ...s, runs: minutes / s.everyMinutes }));
  const scheduledRuns = scheduled.reduce((sum, s) => sum + s.runs, 0);
  const scheduledGbSeconds = scheduled.reduce((sum, s) => sum + s.runs * (a.scheduledRunMs / 1000) * gb(s.function), 0);
  const ingestRuns = responses * a.apiRequestsPerResponse;
  const processMs = a.processBaseMs + processBatch.size * usage.commentShare * a.processMsPerComment;
  const gbSeconds =
    scheduledGbSeconds +
    ingestRuns * (a.ingestMs / 1000) * gb('ingest') +
    processRuns * (processMs / 1000) * gb(processBatch.fn) +
    taskRuns * (a.followupTaskMs / 1000) * gb(taskBatch.fn) +
    rollupRuns * (a.rollupRunPerBucketMs / 1000) * gb('rollup');
  const invocations = scheduledRuns + ingestRuns + processRuns + taskRuns;
  const lambda = gbSeconds * p.lambda.perGbSecond + (invocations / 1e6) * p.lambda.perMillionRequests;

  // API Gateway
  const apiRequests = responses * a.apiRequestsPerResponse;
  const httpApi = (apiRequests / 1e6) * p.httpApiPerMillionRequests;

  // SQS: idle long polls per consumed queue; per message a send, and a receive and a delete per batch
  const idleReceives = deployment.eventSources.length * a.idlePollersPerQueue * (minutes * 60) / a.idlePollSeconds;
  const sqsRequests = idleReceives + responses + 2 * processRuns + detractors + 2 * taskRuns;
  const sqs = (sqsRequests / 1e6) * p.sqsPerMillionRequests;

  // EventBridge Scheduler
  const scheduler = (scheduledRuns / 1e6) * p.schedulerPerMillionInvocations;

  // DynamoDB requests (on-demand): writes of 1 KB units, eventually consistent reads of 4 KB at half a unit
  const responseCopies = 1 + deployment.responseIndexes;
  const responseWriteUnits = Math.ceil(a.responseKb) * responseCopies;
  const leasedRuns = scheduled.reduce((sum, s) => sum + (s.leased ? s.runs : 0), 0);
  const writeUnits =
    responses * (responseWriteUnits + 1) + detractors * a.detractorWriteUnits + rollupRuns * a.rollupRunWriteUnits + leasedRuns * a.leaseWriteUnitsPerRun;
  const readUnits = scheduledRuns * a.scheduledRunReadUnits + rollupRuns * a.rollupRunReadUnits + responses * (a.responseKb / 4) * 0.5;
  const dynamoRequests = (writeUnits / 1e6) * p.dynamodb.perMillionWriteUnits + (readUnits / 1e6) * p.dynamodb.perMillionReadUnits;

  // DynamoDB storage at steady state (responses kept retentionMonths), with point-in-time recovery on the same size
  const storedGb = (responses * usage.retentionMonths * a.responseKb * responseCopies) / KB_PER_GB;
  const dynamoStorage = storedGb * (p.dynamodb.storagePerGbMonth + p.dynamodb.pitrPerGbMonth);

  // Comprehend: each API's units priced on its own tiers
  const unitsPerComment = comprehendUnits(usage.commentChars, p.comprehend);
  const sentimentUnits = comments * unitsPerComment;
  // the redactor calls DetectPiiEntities for a comment in English or Spanish, by its locale or, without one, by the
  // language it detects first (assumed in the same share as the others)
  const piiUnits = comments * usage.piiLanguageShare * unitsPerComment;
  const languageUnits = comments * usage.noLocaleShare * unitsPerComment;
  const comprehend = [sentimentUnits, piiUnits, languageUnits].reduce((sum, units) => sum + tieredPrice(units, p.comprehend.perUnitTiers), 0);

  // CloudFront
  const cdnRequests = responses * a.cloudfrontRequestsPerResponse;
  const cdnGb = (responses * a.cloudfrontKbPerResponse) / KB_PER_GB;
  // the viewer-request function runs on the API's requests, not on the widget's files (cache behaviours of their own)
  const edgeFunctionInvocations = responses * a.apiRequestsPerResponse;
  const cloudfront =
    (cdnRequests / 1e4) * p.cloudfront.perTenThousandHttpsRequests + cdnGb * p.cloudfront.perGbOut + (edgeFunctionInvocations / 1e6) * p.cloudfront.perMillionFunctionInvocations;

  // WAF: the web ACL and its rules monthly, the requests it inspects (the API's edge only)
  const wafRequests = usage.waf ? cdnRequests : 0;
  const waf = usage.waf ? deployment.webAcls * p.waf.perWebAclMonth + deployment.wafRules * p.waf.perRuleMonth + (wafRequests / 1e6) * p.waf.perMillionRequests : 0;

  // Secrets Manager
  // a read per secret and container start, the origin verify's previous value beside its current one, and the public
  // function's warm container reading both again every 5 minutes while responses arrive
  const secretCalls =
    (deployment.secretReaders + deployment.edgeGuarded) * a.containerStartsPerHour * a.hoursPerMonth +
    (responses > 0 ? a.originVerifyRereadsPerHour * a.hoursPerMonth : 0);
  const secrets = deployment.secrets * p.secretsManager.perSecretMonth + (secretCalls / 1e4) * p.secretsManager.perTenThousandCalls;

  // CloudWatch
  const alarms = deployment.alarms * p.cloudwatch.perAlarmMonth;
  const logGb = (invocations * a.logKbPerInvocation + apiRequests * a.logKbPerApiRequest) / KB_PER_GB;
  // at steady state a log group holds its retention's worth of lines: a month's ingestion for each 30 days kept
  const logs = logGb * (p.cloudwatch.perGbLogsIngested + (deployment.logRetentionDays / 30) * p.cloudwatch.perGbLogsStoredMonth);

  const lines: CostLine[] = [
    { item: 'Lambda', usd: lambda, quantity: `${count(invocations)} invocations, ${count(gbSeconds)} GB-s` },
    { item: 'API Gateway (HTTP API)', usd: httpApi, quantity: `${count(apiRequests)} requests` },
    { item: 'SQS', usd: sqs, quantity: `${count(sqsRequests)} requests (${count(idleReceives)} idle polls)` },
    { item: 'EventBridge Scheduler', usd: scheduler, quantity: `${count(scheduledRuns)} invocations` },
    { item: 'DynamoDB requests', usd: dynamoRequests, quantity: `${count(writeUnits)} WRU, ${count(readUnits)} RRU` },
    { item: 'DynamoDB storage + PITR', usd: dynamoStorage, quantity: `${storedGb.toFixed(1)} GB` },
    { item: 'Comprehend', usd: comprehend, quantity: `${count(sentimentUnits)} sentiment + ${count(piiUnits)} PII + ${count(languageUnits)} language units` },
    { item: 'CloudFront', usd: cloudfront, quantity: `${count(cdnRequests)} requests, ${cdnGb.toFixed(1)} GB, ${count(edgeFunctionInvocations)} function invocations` },
    { item: 'WAF', usd: waf, quantity: usage.waf ? `${deployment.webAcls} web ACL, ${deployment.wafRules} rules, ${count(wafRequests)} requests` : 'not deployed' },
    { item: 'Secrets Manager', usd: secrets, quantity: `${deployment.secrets} secrets, ${count(secretCalls)} calls` },
    { item: 'CloudWatch alarms', usd: alarms, quantity: `${deployment.alarms} alarms` },
    { item: 'CloudWatch Logs', usd: logs, quantity: `${logGb.toFixed(2)} GB` },
  ].map((line) => ({ ...line, usd: cents(line.usd) }));
  return { lines, totalUsd: cents(lines.reduce((sum, line) => sum + line.usd, 0)) };
}
