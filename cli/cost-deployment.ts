// CLI (cost estimate): what a deployment is made of, for the cost model (cli/cost-model.ts). Functions, their memory,
// schedules and queue consumers come from the topology (infra/topology.ts), which both the stacks and the local runtime
// are built from; what only the stacks add (secrets, alarms, the web ACL's rules, which functions read a secret, the
// logs' retention) is
// counted in the synthesized templates, so the estimate follows the stacks as they change.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { createFeedbackApp } from '../infra/cdk/app.js';
import type { Topology } from '../infra/topology.js';
import type { Deployment } from './cost-model.js';

export interface CfnTemplate {
  Resources?: Record<string, { Type: string; Properties?: Record<string, any> }>;
}

/** responses' indexes only some items carry a key for (infra/topology.ts): pending sentiments, unrouted detractors, customers */
const SPARSE_RESPONSE_INDEXES = new Set(['pendingSentiment', 'unrouted', 'byCustomer']);

/** whether a function's runs hold a run lease (its topology grants it the lease table) */
const leasedBy = (fn: { tables?: Partial<Record<string, string>> } | undefined) => Object.values(fn?.tables ?? {}).includes('lease');

/** pure: the topology's parts and the templates' counts */
export function deploymentOf(topology: Pick<Topology, 'functions' | 'schedules' | 'eventSources'>, templates: CfnTemplate[]): Deployment {
  const resources = templates.flatMap((template) => Object.values(template.Resources ?? {}));
  const ofType = (type: string) => resources.filter((resource) => resource.Type === type);
  const webAcls = ofType('AWS::WAFv2::WebACL');
  // the responses table (keyed by responseId) and its indexes every stored response is written to: all but the sparse ones
  const responsesTable = ofType('AWS::DynamoDB::Table').find((table) => table.Properties?.KeySchema?.[0]?.AttributeName === 'responseId');
  const responseIndexes = ((responsesTable?.Properties?.GlobalSecondaryIndexes ?? []) as { IndexName: string }[]).filter((index) => !SPARSE_RESPONSE_INDEXES.has(index.IndexName));
  return {
    functions: Object.fromEntries(Object.entries(topology.functions).map(([name, fn]) => [name, { memoryMb: fn.memoryMb }])),
    schedules: topology.schedules.map(({ function: fn, everyMinutes }) => ({ function: fn, everyMinutes, leased: leasedBy(topology.functions[fn]) })),
    eventSources: topology.eventSources.map(({ queue, function: fn, batchSize, maxBatchingWindowSeconds }) => ({ queue, function: fn, batchSize, maxBatchingWindowSeconds })),
    secrets: ofType('AWS::SecretsManager::Secret').length,
    // the stack hands a function a secret as an environment variable *_SECRET_ARN (infra/topology.ts, boundEnvNames)
    secretReaders: ofType('AWS::Lambda::Function').filter((fn) => Object.keys(fn.Properties?.Environment?.Variables ?? {}).some((name) => name.endsWith('_SECRET_ARN'))).length,
    edgeGuarded: ofType('AWS::Lambda::Function').filter((fn) => 'ORIGIN_VERIFY_SECRET_ARN' in (fn.Properties?.Environment?.Variables ?? {})).length,
    alarms: ofType('AWS::CloudWatch::Alarm').length,
    webAcls: webAcls.length,
    wafRules: webAcls.reduce((sum, acl) => sum + (Array.isArray(acl.Properties?.Rules) ? acl.Properties.Rules.length : 0), 0),
    responseIndexes: responseIndexes.length,
    logRetentionDays: Math.max(0, ...ofType('AWS::Logs::LogGroup').map((group) => Number(group.Properties?.RetentionInDays ?? 0))),
  };
}

/**
 * The stacks' templates, synthesized in memory as `npx cdk synth` would, but without bundling the functions (the
 * 'aws:cdk:bundling-stacks' context names none): the estimate needs the resources, not the code. `context`: the deploy
 * context values that change what is priced.
 */
export function synthesizedTemplates(context: { legacyBySurveyIndex?: boolean; logRetentionDays?: number } = {}): CfnTemplate[] {
  // an App without an outdir synthesizes into a new temporary folder that nothing removes (tens of MB of staged assets)
  const outdir = mkdtempSync(join(tmpdir(), 'feedback-cost-'));
  try {
    const { app } = createFeedbackApp(new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } }));
    return app.synth().stacks.map((stack) => stack.template as CfnTemplate);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
