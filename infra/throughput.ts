// infra: the throughput settings, each a deploy-time context value (`-c processConcurrency=10`) checked at synth
// against the AWS limit it guards. The defaults fit a new account's default quotas; the topology's process event
// source and the local runtime use them, and the stack applies what the context gives.
import { COMPREHEND_CALLS_PER_SECOND, COMPREHEND_RETRY, MAX_DOCUMENTS_PER_CALL } from '../shared/sentiment/comprehend-limits.js';
import { contextWholeNumber } from './context-number.js';

export interface ThroughputSettings {
  /** the HTTP API stage's default route throttle: steady requests a second */
  apiThrottleRate: number;
  /** the HTTP API stage's default route throttle: the token bucket's size (requests at once) */
  apiThrottleBurst: number;
  /** the responses queue event source's maximum concurrency: `process` instances at once */
  processConcurrency: number;
  /** messages per `process` batch */
  processBatchSize: number;
  /** how long the event source gathers a batch */
  processBatchWindowSeconds: number;
  /** Comprehend calls a second per function instance (process and rescore), enforced by the Comprehend adapters */
  comprehendCallsPerSecond: number;
}

export type ThroughputSetting = keyof ThroughputSettings;

interface Bounds {
  default: number;
  min: number;
  max: number;
  /** why the range is what it is, for the message of a value outside it */
  limit: string;
}

/**
 * Each setting's default and valid range, and the limit behind the range. Sources (checked 2026-12):
 * - API Gateway, "Amazon API Gateway quotas": 10,000 requests a second per account and Region across all APIs, burst
 *   5,000 (2,500 and 1,250 in the newer Regions); the burst is not a quota a customer can raise.
 * - Lambda, "Lambda parameters for Amazon SQS event source mappings" and the CDK's SqsEventSourceProps: batch size 1 to
 *   10 without a batching window, up to 10,000 with one; window 0 to 300 s (here at most 60: infra/topology.ts, queues);
 *   maximum concurrency 2 to 1,000.
 * - Comprehend: see COMPREHEND_CALLS_PER_SECOND (shared/sentiment/comprehend-limits.ts).
 * The defaults: 200 requests a second (burst 400) keeps the anonymous route well inside the smallest account quota,
 * and inside what the default 5 `process` instances drain; 5 instances fit a new account, whose Lambda concurrency AWS
 * starts below the 1,000 default ("New AWS accounts have reduced concurrency", Lambda quotas).
 */
export const THROUGHPUT_BOUNDS: Record<ThroughputSetting, Bounds> = {
  apiThrottleRate: { default: 200, min: 1, max: 10_000, limit: "the account's API Gateway throttle quota per Region (10,000 requests a second by default)" },
  apiThrottleBurst: { default: 400, min: 1, max: 5_000, limit: "API Gateway's account burst (5,000), which cannot be raised" },
  processConcurrency: { default: 5, min: 2, max: 1_000, limit: "an SQS event source's maximum concurrency (2 to 1,000)" },
  processBatchSize: { default: 25, min: 1, max: 10_000, limit: 'an SQS event source\'s batch size (up to 10,000 on a standard queue)' },
  processBatchWindowSeconds: {
    default: 1,
    min: 0,
    max: 60,
    limit: "the responses queue's visibility timeout: 240 s covers 6 × process's 30 s timeout and at most 60 s of gathering (Lambda's own range is 0 to 300 s)",
  },
  comprehendCallsPerSecond: {
    default: COMPREHEND_CALLS_PER_SECOND.default,
    min: COMPREHEND_CALLS_PER_SECOND.min,
    max: COMPREHEND_CALLS_PER_SECOND.max,
    limit: 'a per-instance cap on Comprehend calls (the account quotas are per second, shared by every instance)',
  },
};

export const THROUGHPUT_DEFAULTS = Object.fromEntries(
  Object.entries(THROUGHPUT_BOUNDS).map(([setting, bounds]) => [setting, bounds.default]),
) as unknown as Readonly<ThroughputSettings>;

/** an SQS event source takes more than 10 messages a batch only with a batching window (Lambda refuses it otherwise) */
const MAX_BATCH_WITHOUT_WINDOW = 10;
/** the Comprehend time a batch's redaction may take (the gate's budget): its language and PII calls must fit in it */
const COMPREHEND_BUDGET_SECONDS = COMPREHEND_RETRY.budgetMs / 1000;

/**
 * The settings from context values (numbers from cdk.json, strings from `-c name=value`; absent or '' keeps the
 * default). Throws an Error naming the context value and the reason on the first that is not a whole number in its
 * range, or on a combination AWS refuses or that would leave part of every batch unscored.
 */
export function throughputSettingsOf(context: Partial<Record<ThroughputSetting, unknown>>): ThroughputSettings {
  const settings = { ...THROUGHPUT_DEFAULTS };
  for (const [setting, bounds] of Object.entries(THROUGHPUT_BOUNDS) as [ThroughputSetting, Bounds][]) {
    const value = context[setting];
    const number = contextWholeNumber(value);
    if (number === undefined) continue;
    if (!Number.isInteger(number) || number < bounds.min || number > bounds.max) {
      throw new Error(`context ${setting}: expected a whole number from ${bounds.min} to ${bounds.max} (${bounds.limit}), got ${JSON.stringify(value)}`);
    }
    settings[setting] = number;
  }
  if (settings.processBatchSize > MAX_BATCH_WITHOUT_WINDOW && settings.processBatchWindowSeconds < 1) {
    throw new Error(
      `context processBatchSize: more than ${MAX_BATCH_WITHOUT_WINDOW} messages a batch needs a batching window; set processBatchWindowSeconds to 1 or more`,
    );
  }
  // one DetectPiiEntities call per comment, after one language detection per 25 comments without a locale: a batch of
  // comments must fit in the redaction's budget at the instance's rate
  const callsInBudget = settings.comprehendCallsPerSecond * COMPREHEND_BUDGET_SECONDS;
  const redactionCalls = settings.processBatchSize + Math.ceil(settings.processBatchSize / MAX_DOCUMENTS_PER_CALL);
  if (redactionCalls > callsInBudget) {
    throw new Error(
      `context processBatchSize: ${settings.processBatchSize} comments need up to ${redactionCalls} Comprehend calls a batch to redact ` +
        `(${settings.processBatchSize} PII, ${redactionCalls - settings.processBatchSize} language detection), ` +
        `but at comprehendCallsPerSecond ${settings.comprehendCallsPerSecond} only ${callsInBudget} fit in the ${COMPREHEND_BUDGET_SECONDS} s a batch may spend on them ` +
        '(the rest would be stored pending every time); lower processBatchSize or raise comprehendCallsPerSecond',
    );
  }
  return settings;
}
