// CLI (cost estimate): the AWS list prices the estimate (cli/cost-model.ts) multiplies by, in one table so a price
// change is one edit. us-east-1, on-demand, no free tier (the estimate ignores it: see cli/cost.ts).

export const PRICE_SOURCE = 'AWS public price list, us-east-1, as of 2025-06-01';

export const prices = {
  lambda: {
    /** Arm (Graviton2): every function is ARM_64 (infra/cdk/feedback-function.ts) */
    perGbSecond: 0.0000133334,
    perMillionRequests: 0.2,
  },
  /** HTTP API, first 300 million requests a month */
  httpApiPerMillionRequests: 1.0,
  /** standard queue, per million requests (each 64 KB of a request counts as one) */
  sqsPerMillionRequests: 0.4,
  /** EventBridge Scheduler, per million scheduled invocations */
  schedulerPerMillionInvocations: 1.0,
  dynamodb: {
    /** on-demand, after the November 2024 reduction */
    perMillionWriteUnits: 0.625,
    perMillionReadUnits: 0.125,
    storagePerGbMonth: 0.25,
    /** continuous backups (point-in-time recovery, on for every table) */
    pitrPerGbMonth: 0.2,
  },
  comprehend: {
    /** DetectSentiment, DetectDominantLanguage and DetectPiiEntities alike: one unit = 100 characters */
    charactersPerUnit: 100,
    /** every document is billed at least 3 units (300 characters) */
    minimumUnitsPerDocument: 3,
    /** per unit, by monthly volume of each API: up to 10 M units, 10–50 M, above 50 M */
    perUnitTiers: [
      { upToUnits: 10_000_000, perUnit: 0.0001 },
      { upToUnits: 50_000_000, perUnit: 0.00005 },
      { upToUnits: Number.POSITIVE_INFINITY, perUnit: 0.000025 },
    ],
  },
  cloudfront: {
    /** PriceClass_100 (North America and Europe), first 10 TB a month */
    perGbOut: 0.085,
    perTenThousandHttpsRequests: 0.01,
    /** CloudFront Functions: the API's viewer-request function (the viewer's address, infra/cdk/viewer-address.ts) */
    perMillionFunctionInvocations: 0.1,
  },
  waf: {
    perWebAclMonth: 5.0,
    /** a rule or an AWS managed rule group */
    perRuleMonth: 1.0,
    perMillionRequests: 0.6,
  },
  secretsManager: {
    perSecretMonth: 0.4,
    perTenThousandCalls: 0.05,
  },
  cloudwatch: {
    /** standard-resolution alarm on one metric */
    perAlarmMonth: 0.1,
    perGbLogsIngested: 0.5,
    perGbLogsStoredMonth: 0.03,
  },
} as const;

export type Prices = typeof prices;
