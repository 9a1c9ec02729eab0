// local runtime: the environment the cloud stack gives each function, pointed at the embedded engines. Both threads of
// the local runtime (see runtime.ts) set it before their first handler import, as Lambda does before a cold start.
import { boundEnvNames, legacyIndexEnvName, legacyIndexOf, queueEnvName, tableEnvName, topology, type QueueName, type TableName } from '../topology.js';

export interface EngineAddresses {
  dynamoEndpoint: string;
  queueUrls: Record<QueueName, string>;
  queueArns: Record<QueueName, string>;
  deadLetterQueueUrls: Record<QueueName, string>;
}

export interface FunctionSettings {
  adminToken: string;
  surveyCacheSeconds?: number;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** JSON link signing keys (functions/commons/link-keys.ts); start.ts keeps them in the data folder */
  linkKeys: string;
  /** abuse protection: RATE_LIMIT_PER_MINUTE (per client IP; 0 off) and RATE_LIMIT_SURVEY_PER_MINUTE; unset: the
   * process's own environment (or the functions' defaults) applies */
  rateLimitPerMinute?: number;
  rateLimitSurveyPerMinute?: number;
  /** the console's page (CONSOLE_URL) for the task links in follow-up notifications, when the port is known up front */
  consoleUrl?: string;
}

export function applyFunctionEnvironment(engines: EngineAddresses, settings: FunctionSettings): void {
  Object.assign(process.env, {
    // the pinned SDK runs on Node 20; its notice about future releases is not for this process's users
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: engines.dynamoEndpoint,
    // the queue URLs' own host, so the SQS client's endpoint and the queue URL agree
    AWS_ENDPOINT_URL_SQS: new URL(engines.queueUrls.responses).origin,
    SENTIMENT_PROVIDER: 'local',
    FEEDBACK_ADMIN_TOKEN: settings.adminToken,
    LINK_SIGNING_KEYS: settings.linkKeys,
    POWERTOOLS_LOG_LEVEL: settings.logLevel ?? 'WARN',
    POWERTOOLS_SERVICE_NAME: 'feedback-local',
    SURVEY_CACHE_SECONDS: String(settings.surveyCacheSeconds ?? 2),
    // dynalite's indexes are written with the item, so the rollup need not wait for them to catch up
    ROLLUP_SETTLE_SECONDS: '0',
  });
  // a CONSOLE_URL of the process's own environment wins (a proxy in front, another host name)
  if (settings.consoleUrl && !process.env[boundEnvNames.consoleUrl]) process.env[boundEnvNames.consoleUrl] = settings.consoleUrl;
  if (settings.rateLimitPerMinute !== undefined) process.env.RATE_LIMIT_PER_MINUTE = String(settings.rateLimitPerMinute);
  if (settings.rateLimitSurveyPerMinute !== undefined) process.env.RATE_LIMIT_SURVEY_PER_MINUTE = String(settings.rateLimitSurveyPerMinute);
  for (const table of Object.keys(topology.tables) as TableName[]) {
    process.env[tableEnvName(table)] = table;
    // the embedded engines create every index the topology declares, legacy ones included (see engines.ts)
    const legacy = legacyIndexOf(table);
    if (legacy) process.env[legacyIndexEnvName(table)] = legacy.name;
  }
  for (const queue of Object.keys(topology.queues) as QueueName[]) process.env[queueEnvName(queue)] = engines.queueUrls[queue];
}
