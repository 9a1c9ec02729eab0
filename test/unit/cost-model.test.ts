// unit: the monthly cost estimate behind `npm run cost` (cli/cost-model.ts), its deployment counts
// (cli/cost-deployment.ts) and its table (cli/cost.ts). Pure: no network, no synth (the templates are small fixtures
// of the resource shapes the stacks synthesize).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topology } from '../../infra/topology.js';
import { deploymentOf, type CfnTemplate } from '../../cli/cost-deployment.js';
import { comprehendUnits, DEFAULT_USAGE, estimate, tieredPrice, type Usage } from '../../cli/cost-model.js';
import { prices } from '../../cli/cost-prices.js';
import { costTable, parseCostArguments } from '../../cli/cost.js';

const templates: CfnTemplate[] = [
  {
    Resources: {
      AdminToken: { Type: 'AWS::SecretsManager::Secret' },
      LinkKeys: { Type: 'AWS::SecretsManager::Secret' },
      Responses: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [{ AttributeName: 'responseId', KeyType: 'HASH' }],
          GlobalSecondaryIndexes: ['bySurvey', 'pendingSentiment', 'unrouted', 'byCustomer', 'expiring', 'bySurveyShard'].map((IndexName) => ({ IndexName })),
        },
      },
      Surveys: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'surveyId', KeyType: 'HASH' }], GlobalSecondaryIndexes: [{ IndexName: 'other' }] } },
    },
  },
  {
    Resources: {
      Admin: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { ADMIN_TOKEN_SECRET_ARN: 'arn', SURVEYS_TABLE: 't' } } } },
      Ingest: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { SURVEYS_TABLE: 't', ORIGIN_VERIFY_SECRET_ARN: 'arn' } } } },
      Deployment: { Type: 'AWS::Lambda::Function', Properties: {} },
      ErrorsAlarm: { Type: 'AWS::CloudWatch::Alarm' },
      DlqAlarm: { Type: 'AWS::CloudWatch::Alarm' },
      Dlq2Alarm: { Type: 'AWS::CloudWatch::Alarm' },
    },
  },
  { Resources: { Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Rules: [{ name: 'rate' }, { name: 'reputation' }] } } } },
];
const deployment = deploymentOf(topology, templates);
const at = (responsesPerMonth: number, usage: Partial<Usage> = {}) => estimate(deployment, { ...DEFAULT_USAGE, ...usage, responsesPerMonth }, prices);
const usd = (e: ReturnType<typeof estimate>, item: string) => e.lines.find((line) => line.item === item)!.usd;

describe('the deployment the estimate prices', () => {
  it('takes functions, schedules and consumers from the topology, and counts secrets, alarms, WAF rules and secret readers in the templates', () => {
    expect(deployment).toMatchObject({ secrets: 2, secretReaders: 2, edgeGuarded: 1, alarms: 3, webAcls: 1, wafRules: 2, responseIndexes: 3 });
    // the schedules whose functions hold a run lease (functions/commons/one-run-at-a-time.ts)
    expect(deployment.schedules.filter((s) => s.leased).map((s) => s.function).sort()).toEqual(['emailSurveyFinalise', 'followupRouter', 'followupSla', 'rollup', 'sweepExpired']);
    expect(deployment.functions.process).toEqual({ memoryMb: topology.functions.process.memoryMb });
    expect(deployment.schedules).toHaveLength(topology.schedules.length);
    expect(deployment.eventSources.map((s) => s.queue)).toEqual(topology.eventSources.map((s) => s.queue));
  });
});

describe('the monthly estimate', () => {
  it('costs nothing idle for what only responses use, and something for what is deployed and scheduled', () => {
    // Act
    const idle = at(0);

    // Assess
    for (const item of ['API Gateway (HTTP API)', 'DynamoDB storage + PITR', 'Comprehend', 'CloudFront']) expect(usd(idle, item), item).toBe(0);
    expect(usd(idle, 'WAF')).toBe(2 * prices.waf.perRuleMonth + prices.waf.perWebAclMonth);
    expect(usd(idle, 'Secrets Manager')).toBeGreaterThanOrEqual(2 * prices.secretsManager.perSecretMonth);
    expect(usd(idle, 'CloudWatch alarms')).toBe(0.3);
    for (const item of ['Lambda', 'SQS', 'EventBridge Scheduler']) expect(usd(idle, item), item).toBeGreaterThan(0);
  });

  it('prices the run leases: two writes a run of each leased schedule, even idle', () => {
    // Prepare: the month's leased runs, from the topology's schedules
    const leasedRuns = deployment.schedules.filter((s) => s.leased).reduce((sum, s) => sum + (730 * 60) / s.everyMinutes, 0);

    // Act
    const idle = at(0).lines.find((line) => line.item === 'DynamoDB requests')!;

    // Assess: nothing else writes while no response arrives
    expect(idle.quantity).toMatch(new RegExp(`^${(2 * leasedRuns / 1e3).toFixed(0)} k WRU`));
    expect(leasedRuns).toBeGreaterThan(0);
  });

  it('never falls as responses grow, item by item, and the total rises', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000_000 }), fc.integer({ min: 1, max: 50_000_000 }), (low, more) => {
        const [a, b] = [at(low), at(low + more)];
        a.lines.forEach((line, i) => expect(b.lines[i]!.usd, line.item).toBeGreaterThanOrEqual(line.usd));
        expect(b.totalUsd).toBeGreaterThanOrEqual(a.totalUsd);
      }),
    );
    expect(at(1_000_000).totalUsd).toBeGreaterThan(at(100_000).totalUsd);
  });

  it('totals exactly the items as printed (cents)', () => {
    for (const responses of [0, 1, 9_999, 10_000, 123_457, 1_000_000]) {
      const e = at(responses);
      for (const line of e.lines) expect(line.usd * 100).toBeCloseTo(Math.round(line.usd * 100), 6);
      const sumOfCents = e.lines.reduce((sum, line) => sum + Math.round(line.usd * 100), 0);
      expect(e.totalUsd * 100).toBeCloseTo(sumOfCents, 6);
    }
  });

  it('bills Comprehend at least 3 units a document per API, per 100 characters beyond, on volume tiers', () => {
    expect([50, 300, 301, 1_000].map((chars) => comprehendUnits(chars, prices.comprehend))).toEqual([3, 3, 4, 10]);
    expect(tieredPrice(60_000_000, prices.comprehend.perUnitTiers)).toBeCloseTo(10e6 * 0.0001 + 40e6 * 0.00005 + 10e6 * 0.000025, 6);
    // 10k responses, all commented, 120 characters, English with a locale: 3 units for sentiment and 3 for PII each
    expect(usd(at(10_000, { commentShare: 1, commentChars: 120, noLocaleShare: 0 }), 'Comprehend')).toBe(6);
    expect(usd(at(10_000, { commentShare: 0 }), 'Comprehend')).toBe(0);
    // without a locale: 3 units for language detection, then 3 for PII (its language detected as English) and 3 for sentiment
    expect(usd(at(10_000, { commentShare: 1, commentChars: 120, noLocaleShare: 1 }), 'Comprehend')).toBe(9);
    // …and in a language DetectPiiEntities does not take: detection and sentiment only
    expect(usd(at(10_000, { commentShare: 1, commentChars: 120, noLocaleShare: 1, piiLanguageShare: 0 }), 'Comprehend')).toBe(6);
  });

  it('writes each response to the table and each always-present index: one index fewer costs a quarter less storage', () => {
    const without = { ...deployment, responseIndexes: 2 };
    const storage = (d: typeof deployment) => usd(estimate(d, { ...DEFAULT_USAGE, responsesPerMonth: 1_000_000 }, prices), 'DynamoDB storage + PITR');
    expect(storage(without) / storage(deployment)).toBeCloseTo(3 / 4, 2);
  });

  it('stores the logs as long as their retention: the stored part grows with it, in equal steps', () => {
    const logs = (days: number) => usd(estimate({ ...deployment, logRetentionDays: days }, { ...DEFAULT_USAGE, responsesPerMonth: 1_000_000 }, prices), 'CloudWatch Logs');
    expect(logs(365)).toBeGreaterThan(logs(30) * 1.5);
    expect(logs(60) - logs(30)).toBeCloseTo(logs(90) - logs(60), 1);
  });

  it('has no WAF line without the web ACL', () => {
    expect([0, 1_000_000].map((n) => usd(at(n, { waf: false }), 'WAF'))).toEqual([0, 0]);
  });
});

describe('npm run cost', () => {
  it('prints one column per volume with a bold total, and the billed quantities for a single volume', () => {
    const table = costTable(deployment, DEFAULT_USAGE, [0, 10_000, 100_000, 1_000_000]).split('\n');
    expect(table[0]).toBe('| item | idle | 10k responses | 100k responses | 1M responses |');
    expect(table).toHaveLength(2 + at(0).lines.length + 1);
    expect(table.at(-1)).toBe(`| **total / month** | ${[0, 10_000, 100_000, 1_000_000].map((n) => `**$${at(n).totalUsd.toFixed(2)}**`).join(' | ')} |`);
    const single = costTable(deployment, DEFAULT_USAGE, [250_000]).split('\n');
    expect(single[0]).toBe('| item | 250k responses | billed |');
    expect(single.find((row) => row.startsWith('| Comprehend |'))).toMatch(/\| 300 k sentiment \+ 300 k PII \+ 60 k language units \|$/);
  });

  it('refuses an unknown option and a share outside 0..1', () => {
    expect(parseCostArguments(['--responses', '100000', '--no-waf'])).toMatchObject({ responses: 100_000, usage: { waf: false }, legacyIndex: false });
    expect(parseCostArguments(['--with-legacy-index'])).toMatchObject({ legacyIndex: true });
    expect(parseCostArguments(['--log-retention-days', '365'])).toMatchObject({ logRetentionDays: 365 });
    expect(() => parseCostArguments(['--log-retention-days', '45'])).toThrow('--log-retention-days: one of 1, 3, 5, 7, 14, 30, 60, 90');
    expect(() => parseCostArguments(['--comment-share', '1.5'])).toThrow('--comment-share: a number from 0 to 1');
    expect(() => parseCostArguments(['--responses', '-3'])).toThrow('--responses: a whole number from 0');
    expect(() => parseCostArguments(['--respones', '3'])).toThrow('unknown option --respones');
  });
});
