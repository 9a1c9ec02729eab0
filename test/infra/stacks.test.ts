// CDK Template assertions for both stacks, driven by infra/topology.ts: whatever the topology declares must show up
// in the synthesized templates with the settings the platform promises (runtime, DLQs, PITR, least privilege, nag).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedbackApp, WEBHOOK_URL_CONTEXTS, type FeedbackApp } from '../../infra/cdk/app.js';
import { EDGE_RATE_LIMIT_PER_5_MINUTES, EDGE_RETRY_AFTER_SECONDS, WIDGET_PATH_PREFIX } from '../../infra/cdk/edge-waf-stack.js';
import { releaseShapeOf, upgradeBreaks, type ReleaseShape, type StackTemplate } from '../../infra/cdk/release-shape.js';
import { BUDGET_NOTIFICATIONS, budgetNameOf, QUEUE_BACKLOG_ALARM_SECONDS, RUNBOOK, RUNBOOK_SECTIONS, UNCACHED_API_ERRORS, WIDGET_FILES } from '../../infra/cdk/stateless-stack.js';
import { THROUGHPUT_BOUNDS, THROUGHPUT_DEFAULTS } from '../../infra/throughput.js';
import { VIEWER_ADDRESS_HEADER } from '../../infra/cdk/viewer-address.js';
import { compileViewerRequest } from '../../infra/deployed/viewer-request.js';
import { PREVIOUS_VERSION_SETTLE_MS } from '../../shared/previous-version.js';
import { ERASURE_MARKER_KEEP_SECONDS } from '../../shared/privacy/erasure-markers.js';
import { buildConsoleSync } from '../../web-console/build.js';
import {
  deployedIndexes,
  queueEnvName,
  tableEnvName,
  topology,
  type Access,
  type FunctionDeclaration,
  type FunctionName,
  type QueueName,
  type TableDeclaration,
  type TableName,
} from '../../infra/topology.js';
import released from '../fixtures/released-stack.json' with { type: 'json' };

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const functionNames = Object.keys(topology.functions) as FunctionName[];
const tableNames = Object.keys(topology.tables) as TableName[];
const queueNames = Object.keys(topology.queues) as QueueName[];
const declarationOf = (name: FunctionName): FunctionDeclaration => topology.functions[name];

const DYNAMODB_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const COMPREHEND = ['comprehend:BatchDetectSentiment', 'comprehend:BatchDetectDominantLanguage', 'comprehend:DetectPiiEntities'];
const ALARM_EMAIL = 'alarms@example.com';
/** the main app's budget, as `-c monthlyBudgetUsd=…` gives it (cdk-nag checks the template with it) */
const MONTHLY_BUDGET_USD = '75';
/** the in-function rate limits as `-c rateLimitPerMinute=…` gives them: the main app carries them (the 4 KB check) */
const RATE_LIMITS = { rateLimitPerMinute: '300', rateLimitSurveyPerMinute: '20000', rateLimitAuthFailuresPerMinute: '5' };
/** the functions that apply each limit (functions/commons/rate-limit.ts: rateLimit() and authFailureThrottle) */
const PUBLIC_RATE_LIMITED: FunctionName[] = ['ingest', 'resurvey', 'emailSurvey'];
const BEARER_TOKEN_FUNCTIONS: FunctionName[] = ['admin', 'followups', 'invitations', 'privacy'];
/** an edge domain as `-c edgeDomainName=… -c edgeCertificateArn=…` gives it */
const EDGE_DOMAIN = { edgeDomainName: 'feedback.example.com', edgeCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789' };
// the same feature flags `cdk synth` gets from cdk.json, so the templates under test are the deployed ones
const cdkContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<string, unknown>;

// every app of this file synthesizes under one folder, removed after the file (the bundled app's is tens of MB)
const synthRoot = mkdtempSync(join(tmpdir(), 'feedback-cdk-'));
const cdkOutdir = () => mkdtempSync(join(synthRoot, 'app-'));
afterAll(() => rmSync(synthRoot, { recursive: true, force: true }));

let built: FeedbackApp;
let stateful: Template;
let api: Template;

beforeAll(() => {
  const app = new App({
    outdir: cdkOutdir(),
    context: {
      ...cdkContext,
      alarmEmail: ALARM_EMAIL,
      monthlyBudgetUsd: MONTHLY_BUDGET_USD,
      ...RATE_LIMITS,
    },
  });
  built = createFeedbackApp(app);
  // the one synthesis of this file: bundles every function with esbuild, and throws if cdk-nag reports anything
  app.synth();
  stateful = Template.fromStack(built.stateful);
  api = Template.fromStack(built.api);
  // one esbuild bundle per function (14 with email survey links): on two shared cores this can outlast the 60 s default
}, 240_000);

const logicalId = (construct: IConstruct) => {
  const element = construct instanceof CfnElement ? construct : (construct.node.defaultChild as CfnElement);
  return Stack.of(element).getLogicalId(element);
};
const resource = (template: Template, construct: IConstruct): Resource => {
  const found = template.toJSON().Resources[logicalId(construct)] as Resource | undefined;
  if (!found) throw new Error(`no resource for ${construct.node.path}`);
  return found;
};
const resourcesOf = (template: Template, type: string) => Object.entries(template.findResources(type)) as [string, Resource][];

/** cross-stack values arrive as Fn::ImportValue of an export named after the producing resource */
const importOf = (kind: 'Ref' | 'FnGetAtt', construct: IConstruct, attribute = '') =>
  ({ 'Fn::ImportValue': expect.stringMatching(new RegExp(`ExportsOutput${kind}${logicalId(construct)}${attribute}`)) }) as unknown;

/** the same, as a CDK assertions matcher */
const importMatching = (kind: 'Ref' | 'FnGetAtt', construct: IConstruct, attribute = '') => ({
  'Fn::ImportValue': Match.stringLikeRegexp(`ExportsOutput${kind}${logicalId(construct)}${attribute}`),
});

// no bundling (the context skips it): these apps only check what a context value changes in the template
const unbundledApp = (context: Record<string, unknown>) =>
  new App({ outdir: cdkOutdir(), context: { ...cdkContext, 'aws:cdk:bundling-stacks': [], ...context } });
const fnOf = (name: FunctionName) => built.api.functions[name];
/** https://<the edge distribution's domain> as the template spells it */
const edgeUrlOf = (stack: FeedbackApp['api'], suffix = '') => ({
  'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack.edge), 'DomainName'] }, ...(suffix ? [suffix] : [])]],
});

/** every Allow statement attached to a function's role */
function statementsOf(name: FunctionName): Statement[] {
  const roleId = logicalId(fnOf(name).role);
  return resourcesOf(api, 'AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[])
    .filter((statement) => statement.Effect === 'Allow');
}
const actionsOf = (statement: Statement) => [statement.Action].flat();
const allActionsOf = (name: FunctionName) => statementsOf(name).flatMap(actionsOf);
/** actions a function holds on anything that mentions `construct` (e.g. a table, including its index ARNs) */
const actionsOn = (name: FunctionName, construct: IConstruct) =>
  statementsOf(name)
    .filter((statement) => JSON.stringify(statement.Resource).includes(logicalId(construct)))
    .flatMap(actionsOf);

describe('functions', () => {
  it.each(functionNames)('%s: Node.js 22 on arm64, sized and configured from the topology', (name) => {
    const declaration = declarationOf(name);
    const { Properties: fn } = resource(api, fnOf(name).function);
    expect(fn.Runtime).toBe('nodejs22.x');
    expect(fn.Architectures).toEqual(['arm64']);
    expect(fn.MemorySize).toBe(declaration.memoryMb);
    expect(fn.Timeout).toBe(declaration.timeoutSeconds);
    // an upgrade's one-off passes over stored items wait this long for the previous version to stop
    expect(fn.Timeout * 1000).toBeLessThan(PREVIOUS_VERSION_SETTLE_MS);
    // no reservation: one in a low-quota account fails the deploy (see 'one run at a time' below)
    expect(fn.ReservedConcurrentExecutions).toBeUndefined();

    const { stateful: data } = built;
    const expected: Record<string, unknown> = {
      POWERTOOLS_SERVICE_NAME: expect.any(String),
      LOG_LEVEL: 'INFO',
    };
    for (const table of Object.keys(declaration.tables ?? {}) as TableName[]) {
      expected[tableEnvName(table)] = importOf('Ref', data.tables[table]);
    }
    for (const queue of declaration.sendsTo ?? []) expected[queueEnvName(queue)] = importOf('Ref', data.queues[queue].queue);
    if (declaration.adminToken) expected.ADMIN_TOKEN_SECRET_ARN = importOf('Ref', data.adminToken);
    if (declaration.sentiment) expected.SENTIMENT_PROVIDER = 'comprehend';
    if (declaration.sentiment) expected.COMPREHEND_CALLS_PER_SECOND = String(THROUGHPUT_DEFAULTS.comprehendCallsPerSecond);
    // webhook URLs are read from the WebhookUrls secret, never set in the environment
    if (declaration.alertWebhook) expected.ALERT_WEBHOOK_SECRET_ARN = importOf('Ref', data.alertWebhookSecret);
    if (declaration.followupWebhook) expected.FOLLOWUP_WEBHOOK_SECRET_ARN = importOf('Ref', data.alertWebhookSecret);
    if (declaration.alertWebhook || declaration.followupWebhook) expected.WEBHOOK_URLS_SECRET_ARN = importOf('Ref', data.webhookUrls);
    if (declaration.linkKeys) expected.LINK_SIGNING_KEYS_SECRET_ARN = importOf('Ref', data.linkSigningKeys);
    // CX console: the functions it calls allow its CloudFront origin
    if (declaration.consoleCors) expected.CONSOLE_ORIGINS = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(built.api.console.distribution), 'DomainName'] }]] };
    // follow-up notifications link to the task in the console
    if (declaration.consoleLinks) expected.CONSOLE_URL = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(built.api.console.distribution), 'DomainName'] }, '/']] };
    // public routes behind CloudFront key their rate limits on the viewer address it forwards
    if (topology.routes.some((route) => route.function === name)) expected.RATE_LIMIT_CLIENT_IP_HEADER = VIEWER_ADDRESS_HEADER;
    // every function with a route refuses requests that did not come through the edge
    if (topology.routes.some((route) => route.function === name)) expected.ORIGIN_VERIFY_SECRET_ARN = { Ref: logicalId(built.api.originVerifySecret) };
    // the in-function limits given as context, on the functions that apply them (see 'in-function rate limits')
    if (PUBLIC_RATE_LIMITED.includes(name) || BEARER_TOKEN_FUNCTIONS.includes(name)) expected.RATE_LIMIT_PER_MINUTE = RATE_LIMITS.rateLimitPerMinute;
    if (name === 'ingest') expected.RATE_LIMIT_SURVEY_PER_MINUTE = RATE_LIMITS.rateLimitSurveyPerMinute;
    if (BEARER_TOKEN_FUNCTIONS.includes(name)) expected.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE = RATE_LIMITS.rateLimitAuthFailuresPerMinute;
    // minted email links point at the edge URL (no emailSurveyBaseUrl context here)
    if (name === 'invitations') expected.EMAIL_SURVEY_BASE_URL = edgeUrlOf(built.api);
    // exact: a function gets the names it needs and no others
    expect(fn.Environment.Variables).toEqual(expected);
  });

  it.each(functionNames)('%s: logs to its own log group with a retention period', (name) => {
    const { Properties: fn } = resource(api, fnOf(name).function);
    expect(fn.LoggingConfig).toEqual({ LogGroup: { Ref: logicalId(fnOf(name).logGroup) } });
    expect(resource(api, fnOf(name).logGroup).Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it("has CDK's bucket-emptying provider log to a group of ours, kept 30 days and deleted with the stack, not one that never expires and outlives it", () => {
    // Prepare: the one function of the stack that is neither ours nor the console's deployment handler
    const ours = new Set([...functionNames.map((name) => logicalId(fnOf(name).function))]);
    const emptying = resourcesOf(api, 'AWS::Lambda::Function').filter(([id]) => !ours.has(id) && /S3AutoDeleteObjects/.test(id));
    expect(emptying).toHaveLength(1);
    const [, handler] = emptying[0]!;

    // Assess: it names its log group, which the template creates with a retention and deletes with the stack
    const group = handler.Properties.LoggingConfig?.LogGroup as { Ref: string } | undefined;
    expect(group).toEqual({ Ref: expect.any(String) });
    const logGroup = api.toJSON().Resources[group!.Ref];
    expect(logGroup).toMatchObject({ Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Delete', Properties: { RetentionInDays: 30 } });
  });

  it('creates exactly the functions the topology declares', () => {
    // + aws-cdk-lib's own, run during deploys only: the CX console's BucketDeployment handler, and the provider that
    // empties the console's bucket when the stack is deleted
    api.resourceCountIs('AWS::Lambda::Function', functionNames.length + 2);
  });

  it.each(functionNames)("%s: an environment within Lambda's 4 KB, each value CloudFormation resolves counted at its longest", (name) => {
    // Lambda refuses a function whose variables' names and values pass 4 KB in all. A value CloudFormation resolves at
    // deploy time (a table name, a queue URL, an ARN, a domain) is at most 256 characters
    const variables = Object.entries(resource(api, fnOf(name).function).Properties.Environment.Variables as Record<string, unknown>);
    const bytes = variables.reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 256), 0);
    expect(bytes).toBeLessThanOrEqual(4096);
  });
});

/** the longest each pseudo parameter resolves to: a GovCloud partition, a 15-character region, a China URL suffix */
const PSEUDO_AT_LONGEST: Record<string, string> = {
  'AWS::Partition': 'aws-us-gov',
  'AWS::Region': 'x'.repeat(15),
  'AWS::AccountId': '0'.repeat(12),
  'AWS::URLSuffix': 'amazonaws.com.cn',
};
/**
 * any other value CloudFormation resolves (an ARN, a name): 200 characters, an ARN with the longest partition, region
 * and account and a generated name of up to 140 characters (the stack's table ARNs resolve to about 120)
 */
const INTRINSIC_AT_LONGEST = 'x'.repeat(200);
/** a value as IAM stores it once CloudFormation has resolved it, each intrinsic at its longest */
function resolvedAtLongest(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolvedAtLongest);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const [key, argument] = entries[0] ?? [];
  if (entries.length === 1 && key === 'Ref') return PSEUDO_AT_LONGEST[argument as string] ?? INTRINSIC_AT_LONGEST;
  if (entries.length === 1 && key === 'Fn::Join') {
    const [separator, parts] = argument as [string, unknown[]];
    return parts.map((part) => String(resolvedAtLongest(part))).join(separator);
  }
  if (entries.length === 1 && key === 'Fn::Sub') {
    const template = Array.isArray(argument) ? (argument[0] as string) : (argument as string);
    return template.replace(/\$\{([^}]+)\}/g, (_, name: string) => PSEUDO_AT_LONGEST[name] ?? INTRINSIC_AT_LONGEST);
  }
  if (entries.length === 1 && key!.startsWith('Fn::')) return INTRINSIC_AT_LONGEST;
  return Object.fromEntries(entries.map(([name, inner]) => [name, resolvedAtLongest(inner)]));
}
/** IAM counts a policy's characters without whitespace; JSON.stringify writes none */
const policyCharacters = (document: unknown) => JSON.stringify(resolvedAtLongest(document)).length;

describe("IAM's limits", () => {
  it.each(functionNames)("%s: a role within IAM's quotas on its policies, each value CloudFormation resolves counted at its longest", (name) => {
    // Past any of them IAM refuses the role, and the deploy fails there; no local runtime sees it. CDK writes a
    // function's grants inline (its role's DefaultPolicy) and moves what passes its own estimate of 10,000 characters
    // (each ARN at 150) into managed OverflowPolicy documents, so all three quotas apply: 10,240 characters of inline
    // policy a role, 10 managed policies a role (the default quota), 6,144 characters a managed policy. On 7 Dec 2026
    // the largest, Privacy's DefaultPolicy, counted 6,483 this way, with no overflow
    const roleId = logicalId(fnOf(name).role);
    const role = api.toJSON().Resources[roleId] as Resource;
    const attachedToRole = ([, policy]: [string, Resource]) =>
      ((policy.Properties.Roles as unknown[] | undefined) ?? []).some((attached) => JSON.stringify(attached) === JSON.stringify({ Ref: roleId }));
    const inline = [
      ...((role.Properties.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map((policy) => policy.PolicyDocument),
      ...resourcesOf(api, 'AWS::IAM::Policy').filter(attachedToRole).map(([, policy]) => policy.Properties.PolicyDocument),
    ];
    const managed = resourcesOf(api, 'AWS::IAM::ManagedPolicy').filter(attachedToRole).map(([, policy]) => policy.Properties.PolicyDocument);
    const managedCount = managed.length + ((role.Properties.ManagedPolicyArns as unknown[] | undefined) ?? []).length;

    expect(inline.length).toBeGreaterThan(0);
    expect(inline.reduce((sum: number, document) => sum + policyCharacters(document), 0)).toBeLessThanOrEqual(10_240);
    expect(managedCount).toBeLessThanOrEqual(10);
    for (const document of managed) expect(policyCharacters(document)).toBeLessThanOrEqual(6_144);
  });
});

describe("Lambda's limits", () => {
  it.each(functionNames)("%s: a resource-based policy within Lambda's 20 KB, each value CloudFormation resolves counted at its longest", (name) => {
    // Each AWS::Lambda::Permission on a function is a statement of its one resource-based policy, and CDK gives every
    // HTTP API route its own. Past 20 KB Lambda refuses the next permission ("The final policy size … is bigger than
    // the limit"), so a deploy that adds routes to a function fails there; no local runtime sees it. A statement's Sid
    // is the permission's physical id, at most 100 characters. On 7 Dec 2026 the largest, Admin's 22 route
    // permissions, counted 16,545 bytes this way: about five more routes would not deploy
    const target = JSON.stringify({ 'Fn::GetAtt': [logicalId(fnOf(name).function), 'Arn'] });
    const statements = resourcesOf(api, 'AWS::Lambda::Permission')
      .filter(([, permission]) => JSON.stringify(permission.Properties.FunctionName) === target)
      .map(([, { Properties: permission }]) => ({
        Sid: 'x'.repeat(100),
        Effect: 'Allow',
        Principal: { Service: permission.Principal },
        Action: permission.Action,
        Resource: INTRINSIC_AT_LONGEST,
        ...(permission.SourceArn ? { Condition: { ArnLike: { 'AWS:SourceArn': resolvedAtLongest(permission.SourceArn) } } } : {}),
      }));
    const bytes = Buffer.byteLength(JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements }));
    expect(bytes).toBeLessThanOrEqual(20_480);
  });
});

describe("CloudFormation's limits", () => {
  it.each(['stateful', 'api', 'edgeWaf'] as const)('%s: within 500 resources, 200 outputs and a 1 MB template', (name) => {
    // a stack past any of them cannot be deployed at all: CloudFormation refuses its template (on 7 Dec 2026 the API
    // stack had 234 resources and 231 KB, the stateful one 23 resources and 35 outputs)
    const template = Template.fromStack(built[name]).toJSON() as { Resources: object; Outputs?: object };
    expect(Object.keys(template.Resources).length).toBeLessThanOrEqual(500);
    expect(Object.keys(template.Outputs ?? {}).length).toBeLessThanOrEqual(200);
    expect(Buffer.byteLength(JSON.stringify(template))).toBeLessThanOrEqual(1_000_000);
  });
});

describe('queues', () => {
  it.each(queueNames)('%s: has a DLQ after 5 receives, visibility ≥ 6 × its consumers\' timeout', (name) => {
    const { queue, deadLetterQueue } = built.stateful.queues[name];
    const { Properties: props } = resource(stateful, queue);
    expect(props.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(deadLetterQueue), 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(topology.queues[name].maxReceiveCount).toBe(5);

    // 6 × the consumer's timeout (Lambda's guidance) plus the longest batching window a deploy may give it: the event
    // source holds received messages while it gathers a batch
    const consumers = topology.eventSources.filter((source) => source.queue === name);
    const longestWindow = (source: (typeof consumers)[number]) =>
      source.function === 'process' ? THROUGHPUT_BOUNDS.processBatchWindowSeconds.max : source.maxBatchingWindowSeconds;
    const needed = Math.max(0, ...consumers.map((source) => 6 * declarationOf(source.function).timeoutSeconds + longestWindow(source)));
    expect(props.VisibilityTimeout).toBe(topology.queues[name].visibilityTimeoutSeconds);
    expect(props.VisibilityTimeout).toBeGreaterThanOrEqual(needed);
    expect(props.MessageRetentionPeriod).toBe(topology.queues[name].retentionDays * 86_400);
  });

  it.each(queueNames)('%s: queue and DLQ are encrypted and refuse plain HTTP', (name) => {
    for (const q of [built.stateful.queues[name].queue, built.stateful.queues[name].deadLetterQueue]) {
      expect(resource(stateful, q).Properties.SqsManagedSseEnabled).toBe(true);
      stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(q) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });
});

describe('SQS event sources', () => {
  it('maps every topology event source, reporting batch item failures', () => {
    api.resourceCountIs('AWS::Lambda::EventSourceMapping', topology.eventSources.length);
    for (const source of topology.eventSources) {
      const mapping = resourcesOf(api, 'AWS::Lambda::EventSourceMapping').find(
        ([, m]) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: logicalId(fnOf(source.function).function) }),
      );
      expect(mapping, `${source.queue} → ${source.function}`).toBeDefined();
      expect(mapping![1].Properties).toEqual({
        EventSourceArn: importOf('FnGetAtt', built.stateful.queues[source.queue].queue, 'Arn'),
        FunctionName: { Ref: logicalId(fnOf(source.function).function) },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: source.batchSize,
        MaximumBatchingWindowInSeconds: source.maxBatchingWindowSeconds,
        ScalingConfig: { MaximumConcurrency: source.maxConcurrency },
      });
    }
  });
});

describe('tables', () => {
  it.each(tableNames)('%s: on demand, PITR, encrypted, TTL and keys from the topology, retained and deletion-protected unless ephemeral', (name) => {
    const declaration: TableDeclaration = topology.tables[name];
    const table = resource(stateful, built.stateful.tables[name]);
    expect(table.DeletionPolicy).toBe(declaration.ephemeral ? 'Delete' : 'Retain');
    expect(table.UpdateReplacePolicy).toBe(declaration.ephemeral ? 'Delete' : 'Retain');
    const props = table.Properties;
    // a retained table refuses DeleteTable from anyone until it is switched off; an ephemeral one must not, or
    // `cdk destroy` would fail on it
    expect(props.DeletionProtectionEnabled).toBe(declaration.ephemeral ? undefined : true);
    expect(props.BillingMode).toBe('PAY_PER_REQUEST');
    expect(props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(props.SSESpecification).toMatchObject({ SSEEnabled: true });
    expect(props.TimeToLiveSpecification).toEqual(
      declaration.ttlAttribute ? { AttributeName: declaration.ttlAttribute, Enabled: true } : undefined,
    );
    expect(props.KeySchema).toEqual([
      { AttributeName: declaration.partitionKey, KeyType: 'HASH' },
      ...(declaration.sortKey ? [{ AttributeName: declaration.sortKey, KeyType: 'RANGE' }] : []),
    ]);
    expect((props.GlobalSecondaryIndexes ?? []).map((index: any) => [index.IndexName, index.KeySchema])).toEqual(
      deployedIndexes(name, false).map((index) => [
        index.name,
        [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
      ]),
    );
  });
});

describe('one run at a time', () => {
  // the scheduled functions whose runs must never overlap: each holds a run lease (shared/run-lease.ts) for its run
  const singleRun: FunctionName[] = ['rollup', 'followupRouter', 'followupSla', 'emailSurveyFinalise', 'sweepExpired'];

  it('reserves no concurrency for any function: a reservation fails the deploy in an account with a low concurrency quota', () => {
    // Lambda keeps 100 (or the account's minimum) unreserved: at a quota of 10, any reservation is refused and the
    // stack rolls back. The check is on the template itself, so a reservation added any way at all is caught
    const reserved = resourcesOf(api, 'AWS::Lambda::Function').filter(([, fn]) => fn.Properties.ReservedConcurrentExecutions !== undefined);
    expect(reserved.map(([id]) => id)).toEqual([]);
    expect(resourcesOf(stateful, 'AWS::Lambda::Function').filter(([, fn]) => fn.Properties.ReservedConcurrentExecutions !== undefined)).toEqual([]);
  });

  it.each(singleRun)('%s: runs on a schedule, has the run leases table\'s name, and may only put and delete on that table', (name) => {
    const leaseTable = built.stateful.tables.runLeases;
    expect(topology.schedules.map((schedule) => schedule.function)).toContain(name);
    expect(resource(api, fnOf(name).function).Properties.Environment.Variables[tableEnvName('runLeases')]).toEqual(importOf('Ref', leaseTable));
    expect(actionsOn(name, leaseTable).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem']);
    // on the table itself, no index (it has none)
    const resources = statementsOf(name).filter((statement) => JSON.stringify(statement.Resource).includes(logicalId(leaseTable))).flatMap((statement) => [statement.Resource].flat());
    expect(resources).toEqual([importOf('FnGetAtt', leaseTable, 'Arn')]);
  });

  it('grants the run leases table to those functions and no other', () => {
    const holders = functionNames.filter((name) => actionsOn(name, built.stateful.tables.runLeases).length > 0);
    expect(holders.sort()).toEqual([...singleRun].sort());
  });

  it('keeps the run leases table on demand and without an index, and deletes it with its stack: it holds only runs in flight', () => {
    const table = resource(stateful, built.stateful.tables.runLeases);
    expect(table.DeletionPolicy).toBe('Delete');
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties.KeySchema).toEqual([{ AttributeName: 'leaseId', KeyType: 'HASH' }]);
    expect(table.Properties.GlobalSecondaryIndexes).toBeUndefined();
  });
});

describe('the legacy bySurvey index (context legacyBySurveyIndex)', () => {
  const readersOfResponses = functionNames.filter((name) => declarationOf(name).tables && 'responses' in declarationOf(name).tables!);
  /** for each function bound to the responses table: its legacy-index variable, and whether its role names that index */
  function legacyBindings(stack: FeedbackApp['api'], tables: FeedbackApp['stateful']['tables']) {
    const template = Template.fromStack(stack).toJSON();
    const responsesTableId = logicalId(tables.responses);
    return readersOfResponses.map((name) => {
      const fn = stack.functions[name];
      const variables = (template.Resources[logicalId(fn.function)] as Resource).Properties.Environment.Variables as Record<string, unknown>;
      const roleId = logicalId(fn.role);
      const granted = Object.values(template.Resources as Record<string, Resource>)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(roleId))
        .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[])
        .flatMap((statement) => [statement.Resource].flat())
        .some((arn) => JSON.stringify(arn).includes(responsesTableId) && JSON.stringify(arn).includes('/index/bySurvey"'));
      return { name, variable: variables.RESPONSES_TABLE_LEGACY_INDEX, granted };
    });
  }
  const indexNamesOf = (template: Template, table: IConstruct) =>
    ((resource(template, table).Properties.GlobalSecondaryIndexes ?? []) as { IndexName: string }[]).map((index) => index.IndexName);

  it('by default is left out: no index, no variable, no grant on it; the sharded index stays', () => {
    const indexes = indexNamesOf(stateful, built.stateful.tables.responses);
    expect(indexes).not.toContain('bySurvey');
    expect(indexes).toContain('bySurveyShard');
    // the follow-up tasks table's own bySurvey index is not a legacy one
    expect(indexNamesOf(stateful, built.stateful.tables.followups)).toContain('bySurvey');
    expect(readersOfResponses.length).toBeGreaterThan(4);
    for (const binding of legacyBindings(built.api, built.stateful.tables)) expect(binding).toEqual({ name: binding.name, variable: undefined, granted: false });
  });

  it('with -c legacyBySurveyIndex=true (an upgrade, until its backfill is done) is deployed, named to every function bound to the responses table, and granted to it', () => {
    // Act
    const app = createFeedbackApp(unbundledApp({ legacyBySurveyIndex: 'true' }));

    // Assess
    expect(indexNamesOf(Template.fromStack(app.stateful), app.stateful.tables.responses)).toEqual(expect.arrayContaining(['bySurvey', 'bySurveyShard']));
    for (const binding of legacyBindings(app.api, app.stateful.tables)) expect(binding).toEqual({ name: binding.name, variable: 'bySurvey', granted: true });
  });

  it('refuses any other value at synth', () => {
    expect(() => createFeedbackApp(unbundledApp({ legacyBySurveyIndex: 'no' }))).toThrow(/^context legacyBySurveyIndex: expected true or false, got "no"/);
    expect(() => createFeedbackApp(unbundledApp({ legacyBySurveyIndex: false }))).not.toThrow();
  });
});

describe('schedules', () => {
  it('one EventBridge Scheduler schedule per topology schedule, and no Events rules', () => {
    api.resourceCountIs('AWS::Scheduler::Schedule', topology.schedules.length);
    api.resourceCountIs('AWS::Events::Rule', 0);
    for (const schedule of topology.schedules) {
      api.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: `rate(${schedule.everyMinutes} ${schedule.everyMinutes === 1 ? 'minute' : 'minutes'})`,
        State: 'ENABLED',
        Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(fnOf(schedule.function).function), 'Arn'] } }),
      });
    }
  });
});

describe('HTTP API', () => {
  const integrationFor = (name: FunctionName) => {
    const found = resourcesOf(api, 'AWS::ApiGatewayV2::Integration').find(
      ([, integration]) =>
        JSON.stringify(integration.Properties.IntegrationUri) ===
        JSON.stringify({ 'Fn::GetAtt': [logicalId(fnOf(name).function), 'Arn'] }),
    );
    if (!found) throw new Error(`no integration for ${name}`);
    return found[0];
  };

  it.each(topology.routes.map((route) => [`${route.method} ${route.path}`, route.function] as const))(
    '%s → %s',
    (routeKey, name) => {
      const route = resourcesOf(api, 'AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === routeKey);
      expect(route, routeKey).toBeDefined();
      expect(JSON.stringify(route![1].Properties.Target)).toContain(JSON.stringify({ Ref: integrationFor(name) }));
    },
  );

  it('has no routes beyond the topology', () => {
    api.resourceCountIs('AWS::ApiGatewayV2::Route', topology.routes.length);
  });

  it('logs access on its stage and outputs its URL: the edge (CloudFront), never the execute-api endpoint', () => {
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }, Format: Match.stringLikeRegexp('requestId') },
    });
    expect(api.findOutputs('ApiUrl').ApiUrl!.Value).toEqual(edgeUrlOf(built.api, '/'));
    expect(JSON.stringify(api.toJSON().Outputs)).not.toContain('execute-api');
  });

  it('logs each request\'s route, never its path or query string: paths carry customer refs and link tokens', () => {
    // Act
    const [stage] = Object.values(api.findResources('AWS::ApiGatewayV2::Stage'));
    const format = String(stage!.Properties.AccessLogSettings.Format);

    // Assess
    expect(format).toContain('$context.routeKey');
    expect(format).not.toMatch(/\$context\.(path|http\.path|resourcePath)|\$request\.(path|querystring)/);
  });
});

describe('alarms', () => {
  const topicRef = () => ({ Ref: logicalId(built.api.alarmTopic) });

  it.each(queueNames)('%s: DLQ depth ≥ 1 alarms to the topic', (name) => {
    api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: importMatching('FnGetAtt', built.stateful.queues[name].deadLetterQueue, 'QueueName') }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topicRef()],
    });
  });

  it.each(queueNames)('%s: a message waiting an hour alarms to the topic (a consumer taking nothing raises no error, and SQS drops a message after 14 days)', (name) => {
    api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: importMatching('FnGetAtt', built.stateful.queues[name].queue, 'QueueName') }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: QUEUE_BACKLOG_ALARM_SECONDS,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topicRef()],
      OKActions: [topicRef()],
    });
    // well within the time SQS keeps a message, and longer than a failing message takes to reach the DLQ (whose own
    // alarm that is): every receive's visibility timeout spent
    const { retentionDays, maxReceiveCount, visibilityTimeoutSeconds } = topology.queues[name];
    expect(QUEUE_BACKLOG_ALARM_SECONDS).toBeLessThan((retentionDays * 86_400) / 24);
    expect(QUEUE_BACKLOG_ALARM_SECONDS).toBeGreaterThan(maxReceiveCount * visibilityTimeoutSeconds);
  });

  it.each(functionNames)('%s: any error alarms to the topic', (name) => {
    api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(fnOf(name).function) } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topicRef()],
    });
  });

  it('the HTTP API: any 5xx alarms to the topic (a route answers its handler\'s unexpected error with 500, which Lambda does not count as an error)', () => {
    api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalId(built.api.api) } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topicRef()],
    });
  });

  it('names in each alarm\'s description where to look and a section of the runbook that exists', () => {
    // Prepare: the runbook's headings as GitHub anchors them
    const anchors = [...readFileSync(new URL(`../../${RUNBOOK}`, import.meta.url), 'utf8').matchAll(/^#{2,4} (.+)$/gm)].map(([, heading]) =>
      heading!.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-'),
    );
    const descriptions = resourcesOf(api, 'AWS::CloudWatch::Alarm').map(([, alarm]) => JSON.stringify(alarm.Properties.AlarmDescription));

    // Assess: every alarm points at a section that exists; a DLQ alarm names its queue and its consumer's log group,
    // a function's alarm its log group
    expect(Object.values(RUNBOOK_SECTIONS).filter((section) => !anchors.includes(section))).toEqual([]);
    expect(descriptions.filter((description) => !Object.values(RUNBOOK_SECTIONS).some((section) => description.includes(`${RUNBOOK}#${section}`)))).toEqual([]);
    for (const source of topology.eventSources) {
      const described = descriptions.find((description) => description.includes(`from the ${source.queue} queue`));
      expect(described).toContain(JSON.stringify({ Ref: logicalId(fnOf(source.function).logGroup) }));
      expect(described).toMatch(new RegExp(`ExportsOutputFnGetAtt${logicalId(built.stateful.queues[source.queue].deadLetterQueue)}QueueName`));
      const backlog = descriptions.find((description) => description.includes(`waited in the ${source.queue} queue`));
      expect(backlog).toContain(JSON.stringify({ Ref: logicalId(fnOf(source.function).logGroup) }));
      expect(backlog).toMatch(new RegExp(`ExportsOutputFnGetAtt${logicalId(built.stateful.queues[source.queue].queue)}QueueName`));
    }
    for (const name of functionNames) {
      expect(descriptions.find((description) => description.includes(`The ${name} function failed`))).toContain(JSON.stringify({ Ref: logicalId(fnOf(name).logGroup) }));
    }
    // the API's 5xx alarm, the access log that says which routes failed and why
    expect(descriptions.find((description) => description.includes('The HTTP API answered 5xx'))).toContain(JSON.stringify({ Ref: logicalId(built.api.accessLogs) }));
  });

  it('lets every alarm publish to the topics it notifies (a topic policy replaces the default one that allowed it)', () => {
    const alarms = resourcesOf(api, 'AWS::CloudWatch::Alarm') as [string, Resource][];
    const policies = resourcesOf(api, 'AWS::SNS::TopicPolicy') as [string, Resource][];
    const notified = new Set(alarms.flatMap(([, alarm]) => [...(alarm.Properties.AlarmActions ?? []), ...(alarm.Properties.OKActions ?? [])].map((action) => JSON.stringify(action))));
    expect(alarms.length).toBeGreaterThan(0);
    expect(notified.size).toBeGreaterThan(0);
    for (const topic of notified) {
      const statements = policies
        .filter(([, policy]) => policy.Properties.Topics.some((ref: unknown) => JSON.stringify(ref) === topic))
        .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Record<string, any>[]);
      const allows = statements.filter(
        (statement) =>
          statement.Effect === 'Allow' &&
          statement.Principal?.Service === 'cloudwatch.amazonaws.com' &&
          [statement.Action].flat().map((action: string) => action.toLowerCase()).includes('sns:publish') &&
          JSON.stringify(statement.Resource) === topic,
      );
      expect(allows, topic).toHaveLength(1);
      // only this account's alarms
      expect(allows[0]!.Condition).toEqual({
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']] } },
      });
    }
  });

  it('the topic enforces TLS and mails the alarmEmail context value', () => {
    api.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: ALARM_EMAIL, TopicArn: topicRef() });
    api.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
});

describe('log retention (context value logRetentionDays)', () => {
  const retentionsOf = (app: FeedbackApp) =>
    [app.stateful, app.api, app.edgeWaf].flatMap((stack) => resourcesOf(Template.fromStack(stack), 'AWS::Logs::LogGroup').map(([, group]) => group.Properties.RetentionInDays as number));

  it('keeps every log group\'s lines a month by default, and as long as the value says in every one (the functions\', the access log, the console\'s)', () => {
    const byDefault = retentionsOf(createFeedbackApp(unbundledApp({})));
    const aYear = retentionsOf(createFeedbackApp(unbundledApp({ logRetentionDays: '365' })));
    expect(byDefault.length).toBe(functionNames.length + 3);
    expect(new Set(byDefault)).toEqual(new Set([30]));
    expect(aYear).toEqual(byDefault.map(() => 365));
  });

  it.each([['45'], ['forever'], [9999], ['0'], [-30]])('refuses logRetentionDays=%s at synth, naming it and CloudWatch\'s periods', (value) => {
    expect(() => createFeedbackApp(unbundledApp({ logRetentionDays: value }))).toThrow(/^context logRetentionDays: expected one of CloudWatch Logs' periods, 1, 3, 5, 7, 14, 30, .* 3653 days, got /);
  });
});

describe('tags on every resource (context value resourceTags)', () => {
  const TAGS = { CostCenter: 'cx', Owner: 'feedback team' };
  /** the types these stacks create that take tags (their Tags, or a budget's ResourceTags), by the resource reference */
  const TAGGABLE = [
    'AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::SecretsManager::Secret', 'AWS::Logs::LogGroup', 'AWS::IAM::Role', 'AWS::Lambda::Function',
    'AWS::Lambda::EventSourceMapping', 'AWS::ApiGatewayV2::Api', 'AWS::ApiGatewayV2::Stage', 'AWS::CloudFront::Function', 'AWS::CloudFront::Distribution',
    'AWS::SNS::Topic', 'AWS::Budgets::Budget', 'AWS::CloudWatch::Alarm', 'AWS::S3::Bucket', 'AWS::WAFv2::WebACL',
  ];
  /** and those that take none */
  const UNTAGGABLE = [
    'AWS::SQS::QueuePolicy', 'AWS::IAM::Policy', 'AWS::ApiGatewayV2::Integration', 'AWS::ApiGatewayV2::Route', 'AWS::Lambda::Permission', 'AWS::Scheduler::Schedule',
    'AWS::SNS::TopicPolicy', 'AWS::S3::BucketPolicy', 'AWS::CloudFront::ResponseHeadersPolicy', 'AWS::CloudFront::OriginAccessControl', 'AWS::Lambda::LayerVersion',
  ];
  const tagsOf = (resource: Resource): Record<string, string> => {
    const tags = resource.Properties?.Tags ?? resource.Properties?.ResourceTags;
    if (Array.isArray(tags)) return Object.fromEntries(tags.map((tag: { Key: string; Value: string }) => [tag.Key, tag.Value]));
    return (tags ?? {}) as Record<string, string>;
  };

  it('writes them on every resource that takes tags, the CDK\'s own bucket-emptying function and role included, in all three stacks', () => {
    // Act: a JSON object, as `-c resourceTags='…'` passes it
    const { stateful: s, api: a, edgeWaf } = createFeedbackApp(unbundledApp({ resourceTags: JSON.stringify(TAGS), monthlyBudgetUsd: '10' }));
    const resources = [s, a, edgeWaf].flatMap((stack) => Object.entries(Template.fromStack(stack).toJSON().Resources as Record<string, Resource>));

    // Assess: every type is known to take tags or not (a new one must be placed), and each that does has them all
    expect(resources.map(([, r]) => r.Type).filter((type) => !type.startsWith('Custom::') && !TAGGABLE.includes(type) && !UNTAGGABLE.includes(type))).toEqual([]);
    const missing = resources.filter(([, r]) => TAGGABLE.includes(r.Type) && !Object.entries(TAGS).every(([key, value]) => tagsOf(r)[key] === value));
    expect(missing.map(([id, r]) => `${r.Type} ${id}`)).toEqual([]);
    expect(resources.filter(([, r]) => TAGGABLE.includes(r.Type)).length).toBeGreaterThan(100);
  });

  it('takes an object from cdk.context.json too, and without the value writes no tag of its own', () => {
    const tagged = createFeedbackApp(unbundledApp({ resourceTags: { CostCenter: 'cx' } }));
    expect(tagsOf(resource(Template.fromStack(tagged.stateful), tagged.stateful.tables.responses))).toMatchObject({ CostCenter: 'cx' });
    const untagged = createFeedbackApp(unbundledApp({ resourceTags: '' }));
    expect(tagsOf(resource(Template.fromStack(untagged.stateful), untagged.stateful.tables.responses))).toEqual({});
  });

  it.each([
    ['CostCenter=cx', /expected a JSON object of tag names and values/],
    ['["cx"]', /expected an object of tag names and values/],
    [JSON.stringify({ 'aws:team': 'cx' }), /tag name "aws:team": the aws: prefix is AWS's own/],
    [JSON.stringify({ 'cost#center': 'cx' }), /tag name "cost#center": 1 to 128 letters/],
    [JSON.stringify({ CostCenter: 42 }), /tag "CostCenter": its value must be text/],
    [JSON.stringify({ CostCenter: 'x'.repeat(257) }), /tag "CostCenter": its value must be text of up to 256/],
    [JSON.stringify(Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`t${i}`, 'v']))), /at most 40 tags, got 41/],
  ])('refuses resourceTags=%s at synth, naming it and the reason', (value, message) => {
    expect(() => createFeedbackApp(unbundledApp({ resourceTags: value }))).toThrow(new RegExp(`^context resourceTags: ${message.source}`));
  });
});

describe('alarm e-mail (context value alarmEmail)', () => {
  const subscribedOf = (context: Record<string, unknown>) => {
    const { api: stack } = createFeedbackApp(unbundledApp(context));
    return resourcesOf(Template.fromStack(stack), 'AWS::SNS::Subscription').map(([, subscription]) => `${subscription.Properties.Protocol as string} ${subscription.Properties.Endpoint as string}`);
  };

  it('subscribes each of several addresses, from `-c` (separated by commas) or a list in cdk.context.json', () => {
    expect(subscribedOf({ alarmEmail: 'oncall@example.com, cx-lead@example.org' })).toEqual(['email oncall@example.com', 'email cx-lead@example.org']);
    expect(subscribedOf({ alarmEmail: ['oncall@example.com', 'cx-lead@example.org'] })).toEqual(['email oncall@example.com', 'email cx-lead@example.org']);
    expect(subscribedOf({ alarmEmail: '' })).toEqual([]);
    expect(subscribedOf({ alarmEmail: "o'neil+alarms@mail.example.co.uk" })).toEqual(["email o'neil+alarms@mail.example.co.uk"]);
  });

  it.each([
    ['oncall'], ['oncall@example.com;cx@example.com'], ['oncall@example.com,,'], [42], [['oncall@example.com', 7]], ['oncall@example.com, ONCALL@example.com'], [[]],
    ['["oncall@example.com"]'], ['"oncall@example.com"'], ['oncall@.example.com'], ['Ana <oncall@example.com>'], ['oncall@example'],
  ])(
    'refuses alarmEmail=%j at synth, naming it and the reason, rather than subscribing no one',
    (value) => {
      expect(() => createFeedbackApp(unbundledApp({ alarmEmail: value }))).toThrow(/^context alarmEmail: (expected an e-mail address, or several separated by commas|.+ is not an e-mail address|an address is given twice)/);
    },
  );
});

describe('a monthly cost budget (context value monthlyBudgetUsd)', () => {
  const topicRef = (stack: FeedbackApp['api']) => ({ Ref: logicalId(stack.alarmTopic) });
  const budgetStatementsOf = (template: Template) =>
    resourcesOf(template, 'AWS::SNS::TopicPolicy')
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Record<string, any>[])
      .filter((statement) => statement.Principal?.Service === 'budgets.amazonaws.com');

  it('budgets the account\'s monthly cost in US dollars and tells the alarm topic at a forecast over it, and at 80 % and 100 % of it spent', () => {
    const budgets = resourcesOf(api, 'AWS::Budgets::Budget');
    expect(budgets).toHaveLength(1);
    const [, { Properties: budget }] = budgets[0]!;
    expect(budget.Budget).toMatchObject({ BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: Number(MONTHLY_BUDGET_USD), Unit: 'USD' } });
    // a whole account's cost: no filter, which would count only what a cost allocation tag marks once it is activated
    expect(budget.Budget.CostFilters).toBeUndefined();
    expect(budget.Budget.FilterExpression).toBeUndefined();
    const notifications = (budget.NotificationsWithSubscribers as Record<string, any>[]).map(({ Notification: n, Subscribers }) => ({
      when: `${n.NotificationType} ${n.ComparisonOperator} ${n.Threshold} ${n.ThresholdType}`,
      Subscribers,
    }));
    expect(notifications).toEqual(
      ['FORECASTED GREATER_THAN 100 PERCENTAGE', 'ACTUAL GREATER_THAN 80 PERCENTAGE', 'ACTUAL GREATER_THAN 100 PERCENTAGE'].map((when) => ({
        when,
        Subscribers: [{ SubscriptionType: 'SNS', Address: topicRef(built.api) }],
      })),
    );
  });

  it('names the runbook\'s section, the Region and its notifications\' digest in the budget\'s name, within AWS Budgets\' rule for names', () => {
    // Prepare: the longest Region name AWS has
    const [[, { Properties: budget }]] = resourcesOf(api, 'AWS::Budgets::Budget') as [[string, Resource]];
    const longest = budgetNameOf(built.api.stackName, 'ap-southeast-5', BUDGET_NOTIFICATIONS);

    // Assess: the name as the template writes it, the Region resolved at deploy; at most 100 characters, no colon or backslash
    expect(budget.Budget.BudgetName).toEqual({
      'Fn::Join': ['', [`${built.api.stackName}-`, { Ref: 'AWS::Region' }, expect.stringMatching(new RegExp(` monthly cost [0-9a-f]{6} - runbook ${RUNBOOK}#${RUNBOOK_SECTIONS.budget}$`))]],
    });
    expect(longest.length).toBeLessThanOrEqual(100);
    expect(longest).not.toMatch(/[:\\]/);
  });

  it('renames the budget when its notifications change, since CloudFormation replaces it then and refuses to under the same name', () => {
    const name = (notifications: typeof BUDGET_NOTIFICATIONS | { notificationType: string; threshold: number }[]) => budgetNameOf('FeedbackApi', 'eu-west-1', notifications);
    expect(name(BUDGET_NOTIFICATIONS)).toBe(name([...BUDGET_NOTIFICATIONS]));
    expect(name([...BUDGET_NOTIFICATIONS, { notificationType: 'ACTUAL', threshold: 150 }])).not.toBe(name(BUDGET_NOTIFICATIONS));
    expect(name(BUDGET_NOTIFICATIONS.map((n) => ({ ...n, threshold: n.threshold === 80 ? 90 : n.threshold })))).not.toBe(name(BUDGET_NOTIFICATIONS));
  });

  it('lets only this account\'s budgets publish to the topic, and creates the budget after that permission (AWS Budgets checks it on creation)', () => {
    expect(budgetStatementsOf(api)).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sns:Publish',
        Resource: topicRef(built.api),
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':budgets::', { Ref: 'AWS::AccountId' }, ':*']] } },
        },
      }),
    ]);
    const [[, budget]] = resourcesOf(api, 'AWS::Budgets::Budget') as [[string, Resource & { DependsOn?: string[] }]];
    const policyIds = resourcesOf(api, 'AWS::SNS::TopicPolicy').map(([id]) => id);
    expect(policyIds).toHaveLength(1);
    expect(budget.DependsOn).toContain(policyIds[0]);
  });

  it('takes the number as cdk.json gives it too', () => {
    const { api: stack } = createFeedbackApp(unbundledApp({ monthlyBudgetUsd: 1200 }));
    const [[, { Properties: budget }]] = resourcesOf(Template.fromStack(stack), 'AWS::Budgets::Budget') as [[string, Resource]];
    expect(budget.Budget.BudgetLimit).toEqual({ Amount: 1200, Unit: 'USD' });
  });

  it('without it, creates no budget and lets no budget publish to the topic', () => {
    const { api: stack } = createFeedbackApp(unbundledApp({ monthlyBudgetUsd: '' }));
    const template = Template.fromStack(stack);
    expect(resourcesOf(template, 'AWS::Budgets::Budget')).toEqual([]);
    expect(budgetStatementsOf(template)).toEqual([]);
  });

  it.each([['0'], ['-20'], ['12.50'], ['fifty'], [2.5], ['true']])('refuses monthlyBudgetUsd=%s at synth, naming it and the reason', (value) => {
    expect(() => createFeedbackApp(unbundledApp({ monthlyBudgetUsd: value }))).toThrow(
      `context monthlyBudgetUsd: expected whole US dollars a month, 1 or more, got ${JSON.stringify(value)}`,
    );
  });
});

describe('least privilege', () => {
  it('ingest can send to the queue but cannot write to any table', () => {
    expect(actionsOn('ingest', built.stateful.queues.responses.queue)).toContain('sqs:SendMessage');
    const writes = allActionsOf('ingest').filter((action) => DYNAMODB_WRITES.includes(action) || action.startsWith('dynamodb:*'));
    expect(writes).toEqual([]);
  });

  it('admin cannot send to any queue', () => {
    expect(allActionsOf('admin').filter((action) => action.startsWith('sqs:'))).toEqual([]);
  });

  it.each(functionNames)('%s: Comprehend only if it scores sentiment', (name) => {
    const comprehend = allActionsOf(name).filter((action) => action.startsWith('comprehend:'));
    expect(comprehend.sort()).toEqual(declarationOf(name).sentiment ? [...COMPREHEND].sort() : []);
  });

  it.each(functionNames)('%s: table access exactly as declared (reads only where "read")', (name) => {
    const declared: Partial<Record<TableName, Access>> = declarationOf(name).tables ?? {};
    for (const table of tableNames) {
      const actions = actionsOn(name, built.stateful.tables[table]);
      const access = declared[table];
      if (!access) expect(actions, `${name} on ${table}`).toEqual([]);
      else if (access === 'append') expect(actions).toEqual(['dynamodb:PutItem']);
      else if (access === 'lease') expect(actions.sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem']);
      else if (access === 'lookup') expect(actions.sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem']);
      else {
        expect(actions).toContain('dynamodb:Query');
        const writes = actions.filter((action) => DYNAMODB_WRITES.includes(action));
        if (access === 'readappend') expect(writes).toEqual(['dynamodb:PutItem']);
        else expect(writes.length > 0).toBe(access === 'readwrite');
      }
    }
  });

  it.each(functionNames)('%s: reads the webhook signing secret only if it posts alerts or follow-up notifications', (name) => {
    const actions = actionsOn(name, built.stateful.alertWebhookSecret);
    if (declarationOf(name).alertWebhook || declarationOf(name).followupWebhook) expect(actions).toContain('secretsmanager:GetSecretValue');
    else expect(actions).toEqual([]);
  });

  it.each(functionNames)('%s: reads the link signing keys only if it signs or verifies links', (name) => {
    const actions = actionsOn(name, built.stateful.linkSigningKeys);
    if (declarationOf(name).linkKeys) expect(actions).toContain('secretsmanager:GetSecretValue');
    else expect(actions).toEqual([]);
  });

  it('only the follow-up router sends to the follow-up queue, and the admin API cannot write follow-up tasks', () => {
    const senders = functionNames.filter((name) => actionsOn(name, built.stateful.queues.followups.queue).includes('sqs:SendMessage'));
    expect(senders).toEqual(['followupRouter']);
    expect(actionsOn('admin', built.stateful.tables.followups).some((action) => DYNAMODB_WRITES.includes(action))).toBe(false);
  });

  it.each(functionNames)('%s: the admin token only if declared; no wildcard actions; no managed policies', (name) => {
    expect(actionsOn(name, built.stateful.adminToken).includes('secretsmanager:GetSecretValue')).toBe(!!declarationOf(name).adminToken);
    expect(allActionsOf(name).filter((action) => action.includes('*'))).toEqual([]);
    expect(resource(api, fnOf(name).role).Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('alert webhook', () => {
  it('generates a signing secret in the stateful stack and outputs its name', () => {
    const { Properties: props } = resource(stateful, built.stateful.alertWebhookSecret);
    expect(props.GenerateSecretString).toEqual({ PasswordLength: 64, ExcludePunctuation: true });
    expect(props.GenerateSecretString.SecretStringTemplate).toBeUndefined();
    stateful.hasOutput('AlertWebhookSecretName', { Value: { 'Fn::Join': Match.anyValue() } });
  });

  it('is declared for the rollup function only', () => {
    const posting = functionNames.filter((name) => declarationOf(name).alertWebhook);
    expect(posting).toEqual(['rollup']);
  });


  it('keeps the webhook URLs in a retained WebhookUrls secret, created empty ({}), and outputs its name', () => {
    const secret = resource(stateful, built.stateful.webhookUrls);
    expect(secret.Properties.SecretString).toBe('{}');
    expect(secret.Properties.GenerateSecretString).toBeUndefined();
    expect(secret.DeletionPolicy).toBe('Retain');
    stateful.hasOutput('WebhookUrlsSecretName', { Value: { 'Fn::Join': Match.anyValue() } });
  });

  it('only the rollup and follow-up SLA functions may read the WebhookUrls secret, and no function has a URL in its environment', () => {
    const readers = functionNames.filter((name) => actionsOn(name, built.stateful.webhookUrls).includes('secretsmanager:GetSecretValue'));
    expect(readers.sort()).toEqual(['followupSla', 'rollup']);
    for (const name of functionNames) {
      const variables = resource(api, fnOf(name).function).Properties.Environment.Variables as Record<string, unknown>;
      expect(Object.keys(variables).filter((variable) => variable.endsWith('WEBHOOK_URL')), name).toEqual([]);
      expect(JSON.stringify(variables), name).not.toMatch(/hooks\.|https:\/\/(?!")/);
    }
  });

  it.each(['alertWebhookUrl', 'followupWebhookUrl', 'followupEscalationWebhookUrl'])(
    'refuses the %s context at synth, pointing at the WebhookUrls secret without echoing the URL',
    (context) => {
      expect(() => createFeedbackApp(unbundledApp({ [context]: 'https://hooks.test/t0ken' }))).toThrow(
        new RegExp(`^context ${context}: (?!.*t0ken).*WebhookUrls secret.*put-secret-value`),
      );
    },
  );
});

/** a function's environment variables in a template */
const variablesOf = (template: Template, stack: FeedbackApp['api'], name: FunctionName) =>
  ((template.toJSON().Resources[logicalId(stack.functions[name].function)] as Resource).Properties.Environment.Variables ?? {}) as Record<string, unknown>;

describe('email survey settings (context values emailSurvey*)', () => {
  const settingNames = ['EMAIL_SURVEY_BASE_URL', 'EMAIL_SURVEY_DWELL_SECONDS', 'EMAIL_SURVEY_FINALISE_MINUTES'];

  it('sets each on the function that reads it, and on no other', () => {
    // Prepare
    const { api: stack } = createFeedbackApp(
      unbundledApp({ ...EDGE_DOMAIN, dnsReady: 'true', emailSurveyBaseUrl: 'https://feedback.example.com', emailSurveyDwellSeconds: '5', emailSurveyFinaliseMinutes: '45' }),
    );

    // Act
    const template = Template.fromStack(stack);

    // Assess
    expect(variablesOf(template, stack, 'invitations')).toMatchObject({ EMAIL_SURVEY_BASE_URL: 'https://feedback.example.com' });
    expect(variablesOf(template, stack, 'emailSurvey')).toMatchObject({ EMAIL_SURVEY_DWELL_SECONDS: '5' });
    expect(variablesOf(template, stack, 'emailSurveyFinalise')).toMatchObject({ EMAIL_SURVEY_FINALISE_MINUTES: '45' });
    const setOn = functionNames.flatMap((name) => settingNames.filter((setting) => setting in variablesOf(template, stack, name)).map((setting) => `${name} ${setting}`));
    expect(setOn.sort()).toEqual(['emailSurvey EMAIL_SURVEY_DWELL_SECONDS', 'emailSurveyFinalise EMAIL_SURVEY_FINALISE_MINUTES', 'invitations EMAIL_SURVEY_BASE_URL']);
  });

  it('without the context values, points links at the edge URL and sets nothing else (the functions keep their defaults)', () => {
    const { api: stack } = createFeedbackApp(unbundledApp({}));
    const template = Template.fromStack(stack);
    const setOn = functionNames.flatMap((name) => settingNames.filter((setting) => setting in variablesOf(template, stack, name)).map((setting) => `${name} ${setting}`));
    expect(setOn).toEqual(['invitations EMAIL_SURVEY_BASE_URL']);
    expect(variablesOf(template, stack, 'invitations').EMAIL_SURVEY_BASE_URL).toEqual(edgeUrlOf(stack));
  });

  it.each([
    ['emailSurveyDwellSeconds', 'soon'],
    ['emailSurveyDwellSeconds', '600'],
    ['emailSurveyFinaliseMinutes', '-1'],
    ['emailSurveyBaseUrl', 'feedback.example.com'],
    ['emailSurveyBaseUrl', 'javascript:alert(1)'],
    ['emailSurveyBaseUrl', 'http://feedback.example.com'],
    ['emailSurveyBaseUrl', 'http://127.0.0.1:3000'],
  ])('refuses the context %s=%s at synth, as the function would at start', (name, value) => {
    expect(() => createFeedbackApp(unbundledApp({ [name]: value }))).toThrow(new RegExp(`^context ${name}: `));
  });

  it('refuses a links base URL the edge does not answer: without an edge domain, or naming another host', () => {
    expect(() => createFeedbackApp(unbundledApp({ emailSurveyBaseUrl: 'https://feedback.example.com' }))).toThrow(/^context emailSurveyBaseUrl: .*edgeDomainName/);
    expect(() => createFeedbackApp(unbundledApp({ ...EDGE_DOMAIN, dnsReady: 'true', emailSurveyBaseUrl: 'https://links.example.com' }))).toThrow(/^context emailSurveyBaseUrl: .*https:\/\/feedback\.example\.com/);
    // the edge's domain, before its DNS record exists: links would fail until it does
    expect(() => createFeedbackApp(unbundledApp({ ...EDGE_DOMAIN, emailSurveyBaseUrl: 'https://feedback.example.com' }))).toThrow(/^context emailSurveyBaseUrl: .*dnsReady=true/);
    expect(() => createFeedbackApp(unbundledApp({ ...EDGE_DOMAIN, emailSurveyBaseUrl: 'https://feedback.example.com/links' }))).toThrow(/^context emailSurveyBaseUrl: .*no path/);
  });
});

describe('in-function rate limits (context values rateLimitPerMinute, rateLimitSurveyPerMinute, rateLimitAuthFailuresPerMinute)', () => {
  const rateLimitVariables = ['RATE_LIMIT_PER_MINUTE', 'RATE_LIMIT_SURVEY_PER_MINUTE', 'RATE_LIMIT_AUTH_FAILURES_PER_MINUTE'];
  const setOnOf = (template: Template, stack: FeedbackApp['api']) =>
    functionNames.flatMap((name) => rateLimitVariables.filter((variable) => variable in variablesOf(template, stack, name)).map((variable) => `${name} ${variable}=${variablesOf(template, stack, name)[variable] as string}`));

  it('sets each on exactly the functions that read it: the per-client limit and its off switch on every limited function, the per-survey limit on ingest, the failed authentications on the bearer-token functions', () => {
    // Prepare: a string, as `-c name=value` passes it, and numbers, as cdk.json does
    const { api: stack } = createFeedbackApp(unbundledApp({ rateLimitPerMinute: '30', rateLimitSurveyPerMinute: 600, rateLimitAuthFailuresPerMinute: 0 }));

    // Act
    const template = Template.fromStack(stack);

    // Assess
    expect(setOnOf(template, stack).sort()).toEqual(
      [
        ...[...PUBLIC_RATE_LIMITED, ...BEARER_TOKEN_FUNCTIONS].map((name) => `${name} RATE_LIMIT_PER_MINUTE=30`),
        'ingest RATE_LIMIT_SURVEY_PER_MINUTE=600',
        ...BEARER_TOKEN_FUNCTIONS.map((name) => `${name} RATE_LIMIT_AUTH_FAILURES_PER_MINUTE=0`),
      ].sort(),
    );
  });

  it('sets only the ones given', () => {
    const { api: stack } = createFeedbackApp(unbundledApp({ rateLimitAuthFailuresPerMinute: '3' }));
    expect(setOnOf(Template.fromStack(stack), stack).sort()).toEqual(BEARER_TOKEN_FUNCTIONS.map((name) => `${name} RATE_LIMIT_AUTH_FAILURES_PER_MINUTE=3`).sort());
  });

  it('without the context values, sets none of them: the functions keep the code\'s defaults', () => {
    const { api: stack } = createFeedbackApp(unbundledApp({ rateLimitPerMinute: '' }));
    expect(setOnOf(Template.fromStack(stack), stack)).toEqual([]);
  });

  it.each([
    ['rateLimitPerMinute', 'lots', /^context rateLimitPerMinute: expected a whole number, 0 or more \(requests per client IP a minute; 0 turns every in-function limit off\), got "lots"$/],
    ['rateLimitPerMinute', '-1', /^context rateLimitPerMinute: expected a whole number, 0 or more/],
    ['rateLimitSurveyPerMinute', '2.5', /^context rateLimitSurveyPerMinute: expected a whole number, 0 or more \(requests per survey a minute/],
    ['rateLimitSurveyPerMinute', 1.5, /^context rateLimitSurveyPerMinute: expected a whole number, 0 or more .*got 1\.5$/],
    ['rateLimitAuthFailuresPerMinute', -3, /^context rateLimitAuthFailuresPerMinute: expected a whole number, 0 or more \(failed authentications per client IP a minute/],
    ['rateLimitAuthFailuresPerMinute', 'true', /^context rateLimitAuthFailuresPerMinute: expected a whole number/],
  ])('refuses the context %s=%s at synth, naming it and the reason', (name, value, message) => {
    expect(() => createFeedbackApp(unbundledApp({ [name]: value }))).toThrow(message);
  });
});

describe('the edge\'s own domain (context values edgeDomainName, edgeCertificateArn)', () => {
  it('answers on it with its us-east-1 certificate (TLS 1.2, SNI), names it everywhere the edge URL goes, and outputs the record\'s target', () => {
    // Act
    const { api: stack } = createFeedbackApp(unbundledApp({ ...EDGE_DOMAIN, dnsReady: 'true' }));
    const template = Template.fromStack(stack);
    const config = resource(template, stack.edge).Properties.DistributionConfig;

    // Assess
    expect(config.Aliases).toEqual(['feedback.example.com']);
    expect(config.ViewerCertificate).toEqual({ AcmCertificateArn: EDGE_DOMAIN.edgeCertificateArn, SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' });
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.ApiUrl!.Value).toBe('https://feedback.example.com/');
    expect(outputs.WidgetUrl!.Value).toBe('https://feedback.example.com/widget.js');
    expect(outputs.EdgeDomainTarget!.Value).toEqual({ 'Fn::GetAtt': [logicalId(stack.edge), 'DomainName'] });
    expect(variablesOf(template, stack, 'invitations').EMAIL_SURVEY_BASE_URL).toBe('https://feedback.example.com');
    const [, headers] = resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy')[0]!;
    expect(JSON.stringify(headers.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy)).toContain('https://feedback.example.com');
  });

  it('before -c dnsReady=true (no DNS record yet: it is made from this deploy\'s output), answers on it but hands out only the CloudFront name', () => {
    // Act
    const { api: stack } = createFeedbackApp(unbundledApp(EDGE_DOMAIN));
    const template = Template.fromStack(stack);
    const config = resource(template, stack.edge).Properties.DistributionConfig;

    // Assess: the alias is there (it needs no DNS record), no URL names it yet
    expect(config.Aliases).toEqual(['feedback.example.com']);
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown; Description: string }>;
    expect(JSON.stringify([outputs.ApiUrl, outputs.WidgetUrl])).not.toContain('feedback.example.com');
    expect(outputs.ApiUrl!.Value).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack.edge), 'DomainName'] }, '/']] });
    expect(variablesOf(template, stack, 'invitations').EMAIL_SURVEY_BASE_URL).toEqual(edgeUrlOf(stack));
    expect(outputs.EdgeDomainTarget!.Description).toMatch(/then deploy again with -c dnsReady=true/);
  });

  it.each([
    [{ dnsReady: 'true' }, /^context dnsReady: no custom domain/],
    [{ ...EDGE_DOMAIN, dnsReady: 'yes' }, /^context dnsReady: expected true/],
    [{ edgeDomainName: 'feedback.example.com' }, /^context edgeCertificateArn: /],
    [{ edgeCertificateArn: EDGE_DOMAIN.edgeCertificateArn }, /^context edgeDomainName: /],
    [{ ...EDGE_DOMAIN, edgeDomainName: 'Feedback.Example.com' }, /^context edgeDomainName: /],
    [{ ...EDGE_DOMAIN, edgeCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789' }, /^context edgeCertificateArn: .*us-east-1/],
  ])('refuses an incomplete or malformed edge domain context %j at synth', (context, message) => {
    expect(() => createFeedbackApp(unbundledApp(context))).toThrow(message);
  });
});

describe('throughput settings (context values apiThrottleRate, processConcurrency, …)', () => {
  it('puts custom values in the template: stage throttle, the process event source, the Comprehend rate of process and rescore', () => {
    // Prepare: strings, as `-c name=value` passes them, and numbers, as cdk.json does
    const { api: stack } = createFeedbackApp(
      unbundledApp({
        apiThrottleRate: '1000',
        apiThrottleBurst: 2000,
        processConcurrency: '20',
        processBatchSize: '50',
        processBatchWindowSeconds: 5,
        comprehendCallsPerSecond: '10',
      }),
    );

    // Act
    const template = Template.fromStack(stack);

    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stack.functions.process.function) },
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 5,
      ScalingConfig: { MaximumConcurrency: 20 },
    });
    // the other consumer keeps its topology settings
    const followups = topology.eventSources.find((source) => source.function === 'followupTasks')!;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stack.functions.followupTasks.function) },
      BatchSize: followups.batchSize,
      ScalingConfig: { MaximumConcurrency: followups.maxConcurrency },
    });
    const ratesOf = functionNames.flatMap((name) => {
      const variables = (template.toJSON().Resources[logicalId(stack.functions[name].function)] as Resource).Properties.Environment.Variables;
      return 'COMPREHEND_CALLS_PER_SECOND' in variables ? [`${name} ${variables.COMPREHEND_CALLS_PER_SECOND}`] : [];
    });
    expect(ratesOf.sort()).toEqual(['process 10', 'rescore 10']);
  });

  it('without the context values, deploys the defaults the topology declares for the local runtime', () => {
    const process = topology.eventSources.find((source) => source.function === 'process')!;
    expect(process).toMatchObject({
      batchSize: THROUGHPUT_DEFAULTS.processBatchSize,
      maxBatchingWindowSeconds: THROUGHPUT_DEFAULTS.processBatchWindowSeconds,
      maxConcurrency: THROUGHPUT_DEFAULTS.processConcurrency,
    });
    expect(THROUGHPUT_DEFAULTS).toEqual({
      apiThrottleRate: 200,
      apiThrottleBurst: 400,
      processConcurrency: 5,
      processBatchSize: 25,
      processBatchWindowSeconds: 1,
      comprehendCallsPerSecond: 4,
    });
  });

  it.each([
    ['apiThrottleRate', 'fast', /^context apiThrottleRate: expected a whole number from 1 to 10000 \(the account's API Gateway throttle quota/],
    ['apiThrottleRate', '20000', /^context apiThrottleRate: expected a whole number from 1 to 10000/],
    ['apiThrottleBurst', '0', /^context apiThrottleBurst: expected a whole number from 1 to 5000 \(API Gateway's account burst/],
    ['processConcurrency', '1', /^context processConcurrency: expected a whole number from 2 to 1000 \(an SQS event source's maximum concurrency/],
    ['processConcurrency', '2.5', /^context processConcurrency: expected a whole number/],
    ['processBatchSize', '10001', /^context processBatchSize: expected a whole number from 1 to 10000/],
    ['processBatchWindowSeconds', '61', /^context processBatchWindowSeconds: expected a whole number from 0 to 60 \(the responses queue's visibility timeout/],
    ['comprehendCallsPerSecond', '0', /^context comprehendCallsPerSecond: expected a whole number from 1 to 1000/],
  ])('refuses the context %s=%s at synth, naming the limit', (name, value, message) => {
    expect(() => createFeedbackApp(unbundledApp({ [name]: value }))).toThrow(message);
  });

  it('refuses a batch of more than 10 messages without a batching window, which Lambda would refuse at deploy', () => {
    expect(() => createFeedbackApp(unbundledApp({ processBatchSize: '20', processBatchWindowSeconds: '0' }))).toThrow(
      /^context processBatchSize: more than 10 messages a batch needs a batching window; set processBatchWindowSeconds/,
    );
  });

  it('refuses a batch whose comments cannot all be redacted at the Comprehend rate within the batch\'s time for it', () => {
    expect(() => createFeedbackApp(unbundledApp({ processBatchSize: '100', comprehendCallsPerSecond: '4' }))).toThrow(
      /^context processBatchSize: 100 comments need up to 104 Comprehend calls a batch to redact \(100 PII, 4 language detection\), but at comprehendCallsPerSecond 4 only 32 fit/,
    );
    expect(() => createFeedbackApp(unbundledApp({ processBatchSize: '100', comprehendCallsPerSecond: '13' }))).not.toThrow();
    // at the edge: 30 comments take 30 PII calls and 2 detections, the 32 calls of 8 s at 4 a second; 31 take 33
    expect(() => createFeedbackApp(unbundledApp({ processBatchSize: '30', comprehendCallsPerSecond: '4' }))).not.toThrow();
    expect(() => createFeedbackApp(unbundledApp({ processBatchSize: '31', comprehendCallsPerSecond: '4' }))).toThrow(/need up to 33 Comprehend calls a batch to redact \(31 PII, 2 language detection\)/);
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('reports no unacknowledged finding, error or warning, in either stack', () => {
    // cdk-nag v3 reports through CDK policy validation (synth above would have thrown); this asks it directly so a
    // failure names the rules
    const report = new AwsSolutionsChecks().validateScope(built.app);
    expect(report.violations.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);

    for (const stack of [built.stateful, built.api, built.edgeWaf]) {
      const annotations = Annotations.fromStack(stack);
      expect(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
      expect(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    }
  });

  it('acknowledges findings on specific constructs only, each with a written reason', () => {
    const acknowledgements: { path: string; id: string; reason: string }[] = [];
    const visit = (construct: IConstruct) => {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          acknowledgements.push({ path: construct.node.path, id, reason });
        }
      }
      construct.node.children.forEach(visit);
    };
    visit(built.app);

    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledgements) {
      expect(path, id).not.toBe('');
      expect([built.stateful.node.path, built.api.node.path], `${id} on a whole stack`).not.toContain(path);
      expect(reason.length, `${id} on ${path}`).toBeGreaterThan(60);
    }
  });
});

describe('the CX console hosting', () => {
  const hosting = () => built.api.console;

  it('keeps its files in a private, encrypted, TLS-only bucket that only CloudFront reads (origin access control)', () => {
    const bucket = resource(api, hosting().bucket).Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    api.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }) });
    const policy = resourcesOf(api, 'AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: logicalId(hosting().bucket) }))![1];
    const statements = policy.Properties.PolicyDocument.Statement as { Effect: string; Principal?: unknown; Condition?: unknown; Action: unknown }[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const allows = statements.filter((st) => st.Effect === 'Allow' && JSON.stringify(st.Principal).includes('cloudfront'));
    // two readers: the console's distribution, and the API's edge for the widget's files (each by its own ARN)
    expect(allows.map((st) => st.Principal)).toEqual([{ Service: 'cloudfront.amazonaws.com' }, { Service: 'cloudfront.amazonaws.com' }]);
    // and no other principal but the provider that empties the bucket when the stack is deleted
    const others = statements.filter((st) => st.Effect === 'Allow' && !allows.includes(st));
    expect(others.map((st) => JSON.stringify(st.Principal))).toEqual([expect.stringContaining('CustomS3AutoDeleteObjectsCustomResourceProviderRole')]);
    for (const allow of allows) {
      expect(allow.Action).toBe('s3:GetObject');
      expect(JSON.stringify(allow.Condition)).toContain('AWS:SourceArn');
    }
  });

  it('empties every bucket it deletes with the stack, so `cdk destroy` is not stopped by a bucket not empty', () => {
    const deleted = resourcesOf(api, 'AWS::S3::Bucket').filter(([id]) => api.toJSON().Resources[id].DeletionPolicy === 'Delete');
    expect(deleted.map(([id]) => id)).toEqual([logicalId(hosting().bucket)]);
    const emptied = resourcesOf(api, 'Custom::S3AutoDeleteObjects').map(([, r]) => JSON.stringify(r.Properties.BucketName));
    for (const [id] of deleted) expect(emptied, id).toContain(JSON.stringify({ Ref: id }));
  });

  it('serves HTTPS only, with index.html at the root and a security headers policy (CSP naming the API, HSTS, no framing)', () => {
    const distribution = resource(api, hosting().distribution).Properties.DistributionConfig;
    expect(distribution.DefaultRootObject).toBe('index.html');
    expect(distribution.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(distribution.DefaultCacheBehavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    const [, headers] = resourcesOf(api, 'AWS::CloudFront::ResponseHeadersPolicy')[0]!;
    expect(distribution.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: resourcesOf(api, 'AWS::CloudFront::ResponseHeadersPolicy')[0]![0] });
    const security = headers.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalId(built.api.edge), 'DomainName'] }));
    expect(csp).not.toContain('ApiEndpoint');
    expect(security.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31_536_000, Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(security.ContentTypeOptions).toEqual({ Override: true });
  });

  it('deploys the built console, widget.js and a config.json naming the API\'s edge URL, and invalidates the CDN', () => {
    const [, deployment] = resourcesOf(api, 'Custom::CDKBucketDeployment')[0]!;
    const props = deployment.Properties;
    expect(props.DestinationBucketName).toEqual({ Ref: logicalId(hosting().bucket) });
    // every console file (the page, the shell, each view's chunk, the styles), config.json, and the widget's two
    expect(props.SourceObjectKeys).toHaveLength(Object.keys(buildConsoleSync()).length + 3);
    expect(props.DistributionId).toEqual({ Ref: logicalId(hosting().distribution) });
    expect(props.DistributionPaths).toEqual(['/*']);
    // config.json is the one source with a deploy-time value: the API's edge URL (the functions refuse direct calls)
    expect(JSON.stringify(props.SourceMarkers)).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalId(built.api.edge), 'DomainName'] }));
    expect(JSON.stringify(props.SourceMarkers)).not.toContain('ApiEndpoint');
    api.hasOutput('ConsoleUrl', { Value: Match.anyValue() });
    api.hasOutput('WidgetUrl', { Value: Match.anyValue() });
  });

  it('answers CORS preflights for every path the console calls, and the admin API reads CX lead tokens', () => {
    const preflights = topology.routes.filter((route) => route.method === 'OPTIONS' && route.path !== '/v1/responses').map((route) => route.path).sort();
    expect(preflights).toEqual(expect.arrayContaining(['/v1/surveys', '/v1/surveys/{id}/metrics', '/v1/surveys/{id}/responses.csv', '/v1/followups', '/v1/followups/{id}/claim']));
    // the console lists the leads a task may be assigned to (GET /v1/cx-leads?surveyId=), and assigns one or in bulk
    expect(preflights).toEqual(expect.arrayContaining(['/v1/cx-leads', '/v1/followups/{id}/assign', '/v1/followups/bulk']));
    expect(actionsOn('admin', built.stateful.tables.cxLeads)).toContain('dynamodb:GetItem');
  });
});

// email survey links
describe('email survey links', () => {
  it('keep invitations in a retained table with a TTL and the campaign, customer and provisional indexes', () => {
    const table = resource(stateful, built.stateful.tables.invitations);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'retainUntil', Enabled: true });
    expect(table.Properties.GlobalSecondaryIndexes.map((index: { IndexName: string }) => index.IndexName)).toEqual(['byCampaign', 'byCustomer', 'provisionalDue', 'expiring']);
  });

  it('the public page and the finaliser can enqueue responses but cannot list them; only the admin-token function mints', () => {
    const senders = functionNames.filter((name) => actionsOn(name, built.stateful.queues.responses.queue).includes('sqs:SendMessage'));
    expect(senders.sort()).toEqual(['emailSurvey', 'emailSurveyFinalise', 'ingest']);
    // the page reads back only the response its link's token names, by key (a reopened link shows the answer given)
    expect(actionsOn('emailSurvey', built.stateful.tables.responses).sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem']);
    expect(actionsOn('emailSurveyFinalise', built.stateful.tables.responses)).toEqual([]);
    for (const name of ['emailSurvey', 'emailSurveyFinalise'] as const) {
      expect(actionsOn(name, built.stateful.adminToken), name).toEqual([]);
    }
    expect(actionsOn('emailSurveyFinalise', built.stateful.linkSigningKeys)).toEqual([]);
    expect(actionsOn('invitations', built.stateful.adminToken)).toContain('secretsmanager:GetSecretValue');
    expect(actionsOn('invitations', built.stateful.tables.responses).some((action) => DYNAMODB_WRITES.includes(action))).toBe(false);
    // admin-role tokens are resolved from the token table (read only); minting is audited
    expect(actionsOn('invitations', built.stateful.tables.cxLeads)).toContain('dynamodb:GetItem');
    expect(actionsOn('invitations', built.stateful.tables.cxLeads).some((action) => DYNAMODB_WRITES.includes(action))).toBe(false);
    const writers = functionNames.filter((name) => actionsOn(name, built.stateful.tables.invitations).some((action) => DYNAMODB_WRITES.includes(action)));
    // and the privacy function (a customer's erasure) and the retention sweeper
    expect(writers.sort()).toEqual(['emailSurvey', 'emailSurveyFinalise', 'invitations', 'privacy', 'sweepExpired']);
  });

  it('route the hosted page publicly and run the finaliser every minute, one run at a time', () => {
    const keys = resourcesOf(api, 'AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties.RouteKey as string);
    expect(keys).toEqual(expect.arrayContaining(['GET /s/{token}', 'POST /s/{token}', 'POST /s/{token}/signal', 'GET /s/{token}/h', 'POST /v1/surveys/{id}/invitations', 'GET /v1/surveys/{id}/campaigns/{campaign}']));
    // one run at a time through its run lease, not a concurrency reservation
    expect(resource(api, fnOf('emailSurveyFinalise').function).Properties.Environment.Variables[tableEnvName('runLeases')]).toEqual(importOf('Ref', built.stateful.tables.runLeases));
    api.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(fnOf('emailSurveyFinalise').function), 'Arn'] } }),
    });
  });
});

describe('abuse protection (cloud)', () => {
  // CloudFront's managed policies, by their fixed ids
  const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
  const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

  it('throttles the HTTP API\'s default stage (steady rate and burst)', () => {
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: THROUGHPUT_DEFAULTS.apiThrottleRate, ThrottlingBurstLimit: THROUGHPUT_DEFAULTS.apiThrottleBurst },
    });
  });

  it('puts CloudFront in front of the HTTP API (WAF cannot attach to an HTTP API): nothing cached, every header but Host forwarded, HTTPS only', () => {
    const [[, distribution]] = resourcesOf(api, 'AWS::CloudFront::Distribution') as [[string, Resource]];
    const config = distribution.Properties.DistributionConfig;
    expect(JSON.stringify(config.Origins[0].DomainName)).toContain(logicalId(built.api.api));
    expect(config.Origins[0].CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    expect(config.DefaultCacheBehavior).toMatchObject({
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS']),
    });
    // without -c edgeWebAclArn the distribution has no web ACL yet (the us-east-1 stack holds it)
    expect(config.WebACLId).toBeUndefined();
  });

  it('writes the viewer\'s address into the header the routed functions key their limits on, at the edge, replacing one a viewer sends', () => {
    // Prepare: the code the template gives the default behaviour's viewer-request function, run as the runner runs it
    const config = resource(api, built.api.edge).Properties.DistributionConfig;
    const associations = config.DefaultCacheBehavior.FunctionAssociations as { EventType: string; FunctionARN: { 'Fn::GetAtt': [string, string] } }[];
    expect(associations.map((association) => association.EventType)).toEqual(['viewer-request']);
    const [fnId] = associations[0]!.FunctionARN['Fn::GetAtt'];
    const fn = api.toJSON().Resources[fnId] as Resource;
    expect(fn.Type).toBe('AWS::CloudFront::Function');
    expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    const viewerRequest = compileViewerRequest(fn.Properties.FunctionCode);

    // Act
    const plain = viewerRequest({ method: 'POST', uri: '/v1/responses', headers: { origin: 'https://shop.example', 'content-type': 'application/json' }, viewerIp: '203.0.113.7' });
    const forged = viewerRequest({ method: 'GET', uri: '/v1/me', headers: { [VIEWER_ADDRESS_HEADER]: '198.51.100.1' }, viewerIp: '2001:db8::7' });

    // Assess: the address added, every other header kept; a forged value replaced
    expect(plain).toEqual({ kind: 'forward', headers: { origin: 'https://shop.example', 'content-type': 'application/json', [VIEWER_ADDRESS_HEADER]: '203.0.113.7' } });
    expect(forged).toEqual({ kind: 'forward', headers: { [VIEWER_ADDRESS_HEADER]: '2001:db8::7' } });
    // the routed functions read that header (see the environment test above), and the cache behaviours for the widget's files run no function
    for (const behaviour of config.CacheBehaviors as { FunctionAssociations?: unknown }[]) expect(behaviour.FunctionAssociations).toBeUndefined();
  });

  it('waits for the API longer than API Gateway does (its 503 answers a slow route, and CloudFront never retries a GET on its own), and caches no API error', () => {
    const config = resource(api, built.api.edge).Properties.DistributionConfig;
    const apiOrigin = config.Origins.find((origin: { Id: string }) => origin.Id === config.DefaultCacheBehavior.TargetOriginId);
    // API Gateway's integration timeout is at most 30 s; none of the template's integrations sets a longer one
    expect(apiOrigin.CustomOriginConfig.OriginReadTimeout).toBeGreaterThan(30);
    for (const [, integration] of resourcesOf(api, 'AWS::ApiGatewayV2::Integration')) expect(integration.Properties.TimeoutInMillis ?? 30_000).toBeLessThanOrEqual(30_000);
    expect(config.CustomErrorResponses).toEqual(UNCACHED_API_ERRORS.map((status) => ({ ErrorCode: status, ErrorCachingMinTTL: 0 })));
  });

  it('serves the widget\'s files from the API\'s edge URL (its default endpoint is its script\'s origin), out of the console\'s bucket through origin access control', () => {
    const config = resource(api, built.api.edge).Properties.DistributionConfig;
    const behaviours = config.CacheBehaviors as { PathPattern: string; TargetOriginId: string; AllowedMethods: string[]; ViewerProtocolPolicy: string }[];
    expect(behaviours.map((behaviour) => behaviour.PathPattern).sort()).toEqual([...WIDGET_FILES].sort());
    for (const behaviour of behaviours) {
      const origin = config.Origins.find((o: { Id: string }) => o.Id === behaviour.TargetOriginId);
      expect(origin.DomainName).toEqual({ 'Fn::GetAtt': [logicalId(built.api.console.bucket), 'RegionalDomainName'] });
      expect(origin.OriginAccessControlId).toBeDefined();
      expect(behaviour).toMatchObject({ AllowedMethods: ['GET', 'HEAD'], ViewerProtocolPolicy: 'https-only' });
    }
    // the bucket lets each distribution read it, and only by its own ARN
    const [, policy] = resourcesOf(api, 'AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: logicalId(built.api.console.bucket) }))!;
    const readers = JSON.stringify(policy.Properties.PolicyDocument.Statement.filter((statement: { Principal?: { Service?: string } }) => statement.Principal?.Service === 'cloudfront.amazonaws.com'));
    expect(readers).toContain(logicalId(built.api.edge));
    expect(readers).toContain(logicalId(built.api.console.distribution));
    expect(api.findOutputs('WidgetUrl').WidgetUrl!.Value).toEqual(edgeUrlOf(built.api, '/widget.js'));
  });

  it('adds the origin verify secret to every request it forwards, as a deploy-time reference, never the value', () => {
    const [[, distribution]] = resourcesOf(api, 'AWS::CloudFront::Distribution').filter(([id]) => id === logicalId(built.api.edge)) as [[string, Resource]];
    const [origin] = distribution.Properties.DistributionConfig.Origins;
    expect(origin.OriginCustomHeaders).toEqual([
      {
        HeaderName: 'x-origin-verify',
        HeaderValue: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: logicalId(built.api.originVerifySecret) }, ':SecretString:::}}']] },
      },
    ]);
    const secret = resource(api, built.api.originVerifySecret).Properties;
    expect(secret.GenerateSecretString).toMatchObject({ PasswordLength: 48, ExcludePunctuation: true });
    expect(secret.SecretString).toBeUndefined();
  });

  it('makes every function with an HTTP route check that header (env + read on the secret), and no other', () => {
    const routed = new Set<FunctionName>(topology.routes.map((route) => route.function));
    for (const name of functionNames) {
      const variables = resource(api, fnOf(name).function).Properties.Environment.Variables as Record<string, unknown>;
      if (routed.has(name)) {
        expect(variables.ORIGIN_VERIFY_SECRET_ARN, name).toEqual({ Ref: logicalId(built.api.originVerifySecret) });
        expect(actionsOn(name, built.api.originVerifySecret), name).toContain('secretsmanager:GetSecretValue');
      } else {
        expect(variables, name).not.toHaveProperty('ORIGIN_VERIFY_SECRET_ARN');
        expect(actionsOn(name, built.api.originVerifySecret), name).toEqual([]);
      }
    }
    expect(routed.size).toBe(7);
  });

  it('keeps the execute-api endpoint on without a custom API domain (the origin verify header guards it)', () => {
    const [[, httpApi]] = resourcesOf(api, 'AWS::ApiGatewayV2::Api') as [[string, Resource]];
    expect(httpApi.Properties.DisableExecuteApiEndpoint).toBe(false);
    api.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
  });

  it('with -c apiDomainName and -c apiCertificateArn, serves the API on that domain only: execute-api off, CloudFront\'s origin the domain', () => {
    // Prepare
    const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';

    // Act
    const { api: stack } = createFeedbackApp(unbundledApp({ apiDomainName: 'api.feedback.example.com', apiCertificateArn: certificateArn, dnsReady: true }));
    const template = Template.fromStack(stack);

    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'api.feedback.example.com',
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: certificateArn, EndpointType: 'REGIONAL' })],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { ApiId: { Ref: logicalId(stack.api) }, DomainName: { Ref: logicalId(stack.apiDomain!) } });
    const distribution = template.toJSON().Resources[logicalId(stack.edge)] as Resource;
    const [origin] = distribution.Properties.DistributionConfig.Origins;
    // the domain name resource's Ref is the name itself (and orders CloudFront after the domain exists)
    expect(origin.DomainName).toEqual({ Ref: logicalId(stack.apiDomain!) });
    expect(origin.OriginCustomHeaders).toEqual([expect.objectContaining({ HeaderName: 'x-origin-verify' })]);
    template.hasOutput('ApiDomainTarget', {
      Description: Match.stringLikeRegexp('^Point a CNAME .* for api\\.feedback\\.example\\.com at this'),
      Value: { 'Fn::GetAtt': [logicalId(stack.apiDomain!), 'RegionalDomainName'] },
    });
  });

  it('before -c dnsReady=true, creates the domain and its mapping but keeps CloudFront on the execute-api endpoint, which stays on', () => {
    // Prepare: the first deploy with a domain, whose record can only be made from this deploy's output
    const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';

    // Act
    const { api: stack } = createFeedbackApp(unbundledApp({ apiDomainName: 'api.feedback.example.com', apiCertificateArn: certificateArn }));
    const template = Template.fromStack(stack);

    // Assess: no request depends on a name that no DNS answers yet
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: false });
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { ApiId: { Ref: logicalId(stack.api) }, DomainName: { Ref: logicalId(stack.apiDomain!) } });
    const [origin] = resource(template, stack.edge).Properties.DistributionConfig.Origins;
    expect(JSON.stringify(origin.DomainName)).toContain('execute-api');
    template.hasOutput('ApiDomainTarget', { Description: Match.stringLikeRegexp('then deploy again with -c dnsReady=true') });
  });

  it.each([
    [{ apiDomainName: 'api.feedback.example.com' }, /apiCertificateArn/],
    [{ apiCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' }, /apiDomainName/],
    [{ apiDomainName: 'https://api.example.com', apiCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' }, /apiDomainName/],
    [{ apiDomainName: 'api.example.com', apiCertificateArn: 'arn:aws:iam::123456789012:server-certificate/x' }, /apiCertificateArn/],
  ])('refuses an incomplete or malformed API domain context %j at synth', (context, message) => {
    expect(() => createFeedbackApp(unbundledApp(context))).toThrow(message);
  });

  it('holds a CLOUDFRONT-scope web ACL with a per-IP rate-based rule in its own us-east-1 stack', () => {
    const edge = Template.fromStack(built.edgeWaf);
    expect(built.edgeWaf.region).toBe('us-east-1');
    edge.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      Rules: Match.arrayWith([
        Match.objectLike({
          Action: { Block: { CustomResponse: Match.objectLike({ ResponseCode: 429 }) } },
          Statement: { RateBasedStatement: { Limit: EDGE_RATE_LIMIT_PER_5_MINUTES, AggregateKeyType: 'IP' } },
        }),
      ]),
    });
    edge.hasOutput('WebAclArn', {});
  });

  it('counts, per client IP, API requests and CORS preflights apart, each against the whole limit, and the widget\'s files in neither', () => {
    const [[, acl]] = resourcesOf(Template.fromStack(built.edgeWaf), 'AWS::WAFv2::WebACL') as [[string, Resource]];
    const rateRules = (acl.Properties.Rules as { Name: string; Priority: number; Statement: any; Action: any }[]).filter((rule) => rule.Statement.RateBasedStatement);
    // the requests each rate rule counts, as WAF evaluates the rule's scope-down statement on a request's method and
    // path (the statement kinds the web ACL uses; any other fails the test rather than passing unevaluated)
    const matches = (statement: any, request: { method: string; path: string }): boolean => {
      if (statement.AndStatement) return statement.AndStatement.Statements.every((inner: any) => matches(inner, request));
      if (statement.NotStatement) return !matches(statement.NotStatement.Statement, request);
      const { ByteMatchStatement: byteMatch } = statement;
      if (!byteMatch) throw new Error(`a statement this test does not evaluate: ${JSON.stringify(statement)}`);
      expect(byteMatch.TextTransformations).toEqual([{ Priority: 0, Type: 'NONE' }]);
      const value = byteMatch.FieldToMatch.Method ? request.method : byteMatch.FieldToMatch.UriPath ? request.path : undefined;
      if (value === undefined) throw new Error(`a field this test does not evaluate: ${JSON.stringify(byteMatch.FieldToMatch)}`);
      if (byteMatch.PositionalConstraint === 'EXACTLY') return value === byteMatch.SearchString;
      if (byteMatch.PositionalConstraint === 'STARTS_WITH') return value.startsWith(byteMatch.SearchString);
      throw new Error(`a constraint this test does not evaluate: ${byteMatch.PositionalConstraint}`);
    };
    const countedBy = (method: string, path: string) =>
      rateRules.filter((rule) => matches(rule.Statement.RateBasedStatement.ScopeDownStatement, { method, path })).map((rule) => rule.Name);

    expect(rateRules.map((rule) => rule.Name).sort()).toEqual(['rate-per-client-ip', 'rate-preflights-per-client-ip']);
    for (const rule of rateRules) {
      expect(rule.Statement.RateBasedStatement).toMatchObject({ Limit: EDGE_RATE_LIMIT_PER_5_MINUTES, AggregateKeyType: 'IP', EvaluationWindowSec: 300 });
      expect(rule.Action.Block.CustomResponse.ResponseCode).toBe(429);
    }
    // a submission from the widget, the console's calls: each request counted once, in the request rule
    for (const [method, path] of [['POST', '/v1/responses'], ['GET', '/v1/surveys/demo/public'], ['GET', '/v1/followups'], ['POST', '/v1/followups/t-1/claim'], ['GET', '/r/some-token']]) {
      expect(countedBy(method!, path!), `${method} ${path}`).toEqual(['rate-per-client-ip']);
    }
    // preflights (the console's, before each request with its token): counted apart, so they do not halve what its requests may send
    for (const path of ['/v1/responses', '/v1/followups/t-1/claim']) expect(countedBy('OPTIONS', path), `OPTIONS ${path}`).toEqual(['rate-preflights-per-client-ip']);
    // the widget's files (one or two per page view, from CloudFront's cache): in neither count
    for (const file of WIDGET_FILES) {
      expect(file.startsWith(WIDGET_PATH_PREFIX), file).toBe(true);
      expect(countedBy('GET', file), file).toEqual([]);
    }
    expect(topology.routes.filter((route) => route.path.startsWith(WIDGET_PATH_PREFIX))).toEqual([]);
  });

  it('answers a rate-limited client as the API does: a JSON error, Retry-After, and a CORS header so the page can read it', () => {
    const [[, acl]] = resourcesOf(Template.fromStack(built.edgeWaf), 'AWS::WAFv2::WebACL') as [[string, Resource]];
    const [{ CustomResponse: response }, { CustomResponse: preflightResponse }] = ['rate-per-client-ip', 'rate-preflights-per-client-ip'].map(
      (name) => acl.Properties.Rules.find((rule: { Name: string }) => rule.Name === name).Action.Block,
    );
    expect(preflightResponse).toEqual(response);
    const headers = Object.fromEntries(response.ResponseHeaders.map(({ Name, Value }: { Name: string; Value: string }) => [Name, Value]));
    expect(headers).toEqual({ 'retry-after': String(EDGE_RETRY_AFTER_SECONDS), 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
    const body = acl.Properties.CustomResponseBodies[response.CustomResponseBodyKey];
    expect(body.ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(body.Content)).toMatchObject({ error: 'too many requests', retryAfterSeconds: EDGE_RETRY_AFTER_SECONDS, details: [{ path: '', reason: expect.stringContaining('retry after') }] });
  });

  it('attaches the web ACL given as -c edgeWebAclArn, and refuses anything that is not a CLOUDFRONT web ACL ARN', () => {
    const arn = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/feedback-edge/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
    const { api: stack } = createFeedbackApp(unbundledApp({ edgeWebAclArn: arn }));
    const [[, distribution]] = resourcesOf(Template.fromStack(stack), 'AWS::CloudFront::Distribution') as [[string, Resource]];
    expect(distribution.Properties.DistributionConfig.WebACLId).toBe(arn);
    expect(() => createFeedbackApp(unbundledApp({ edgeWebAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/y' }))).toThrow(/edgeWebAclArn/);
  });

  it('the audit table: whoever writes it may only put new items, never update or delete', () => {
    const writers = functionNames.filter((name) => actionsOn(name, built.stateful.tables.audit).includes('dynamodb:PutItem'));
    expect(writers.sort()).toEqual(['admin', 'followups', 'invitations', 'privacy']);
    for (const name of functionNames) {
      const actions = actionsOn(name, built.stateful.tables.audit);
      expect(actions.filter((action) => ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'].includes(action)), name).toEqual([]);
    }
  });
});

describe('erasure markers', () => {
  it('outlive two lives of a queued response (its first, and a redrive from the DLQ, which queues it anew)', () => {
    const retention = (queue: IConstruct) => resource(stateful, queue).Properties.MessageRetentionPeriod as number;
    const { queue, deadLetterQueue } = built.stateful.queues.responses;
    expect(ERASURE_MARKER_KEEP_SECONDS).toBeGreaterThanOrEqual(2 * Math.max(retention(queue), retention(deadLetterQueue)));
  });
});

describe('the region it is deployed in', () => {
  it('must offer Amazon Comprehend: CloudFormation refuses another before creating anything, and synth refuses the CLI\'s target', () => {
    // Prepare: the API stack's rule, evaluated as CloudFormation would (Fn::Contains of the list and the region)
    const rules = api.toJSON().Rules as Record<string, { Assertions: { Assert: { 'Fn::Contains': [string[], unknown] }; AssertDescription: string }[] }>;
    const [{ Assert: assert, AssertDescription: description }] = rules.ComprehendInThisRegion!.Assertions as [{ Assert: { 'Fn::Contains': [string[], unknown] }; AssertDescription: string }];
    const [regions, region] = assert['Fn::Contains'];
    const allowed = (name: string) => regions.includes(name);

    // Act: synth for a region the CDK CLI names
    const saved = process.env.CDK_DEFAULT_REGION;
    const synthFor = (name: string) => {
      process.env.CDK_DEFAULT_REGION = name;
      try {
        return createFeedbackApp(unbundledApp({}));
      } finally {
        if (saved === undefined) delete process.env.CDK_DEFAULT_REGION;
        else process.env.CDK_DEFAULT_REGION = saved;
      }
    };

    // Assess
    expect(region).toEqual({ Ref: 'AWS::Region' });
    expect(['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'].every(allowed)).toBe(true);
    expect(['eu-north-1', 'eu-west-3', 'sa-east-1', 'us-west-1', 'af-south-1'].some(allowed)).toBe(false);
    // Comprehend is there, but not the CloudFront and us-east-1 WAF the stacks put in front of the API
    expect(allowed('us-gov-west-1')).toBe(false);
    expect(description).toContain('Amazon Comprehend');
    expect(() => synthFor('eu-north-1')).toThrow(/Amazon Comprehend, which reads every comment, is not offered in eu-north-1: deploy to one of us-east-1, /);
    expect(() => synthFor('eu-west-1')).not.toThrow();
  });
});

describe('CloudFront\'s account-wide names', () => {
  it('hold the region the stack is deployed in, so the stacks deploy in a second region of the same account', () => {
    // Prepare: the template is region-agnostic; a name holding the region resolves to another one in each region
    const named = Object.values(api.toJSON().Resources as Record<string, Resource>).flatMap((r) => {
      const name: unknown = r.Properties.OriginAccessControlConfig?.Name ?? r.Properties.ResponseHeadersPolicyConfig?.Name ?? (r.Type === 'AWS::CloudFront::Function' ? r.Properties.Name : undefined);
      return name === undefined ? [] : [{ type: r.Type, name }];
    });

    // Assess: origin access controls, the headers policy and the edge function
    expect(named.map((n) => n.type).sort()).toEqual(['AWS::CloudFront::Function', 'AWS::CloudFront::OriginAccessControl', 'AWS::CloudFront::OriginAccessControl', 'AWS::CloudFront::ResponseHeadersPolicy']);
    for (const { type, name } of named) expect(JSON.stringify(name), type).toContain('{"Ref":"AWS::Region"}');
    // within CloudFront's 64 characters at the longest region name (15)
    for (const { name } of named) expect(JSON.stringify(name).replace('{"Ref":"AWS::Region"}', 'ap-southeast-22').replace(/[^\w-]|Fn::Join/g, '').length).toBeLessThanOrEqual(64);
  });
});

describe('deploy settings, as the README gives them', () => {
  it('names in the first column of "Settings at deploy time" every context value the app reads, and reads every one named there', () => {
    // Prepare: the context values the app asks for, by name (the CDK's own flags, read through the same call, are
    // namespaced with ':'; the retired webhook URL values are read only to be refused)
    const app = unbundledApp({});
    const read = new Set<string>();
    const tryGetContext = app.node.tryGetContext.bind(app.node);
    app.node.tryGetContext = (key: string) => {
      read.add(key);
      return tryGetContext(key) as unknown;
    };
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('#### Settings at deploy time'), readme.indexOf('#### Outputs'));

    // Act
    createFeedbackApp(app);
    const settings = [...read].filter((key) => /^[a-z][A-Za-z0-9]*$/.test(key) && !(key in WEBHOOK_URL_CONTEXTS)).sort();
    const documented = [...section.matchAll(/^\| ([^|]+) \|/gm)].flatMap(([, cell]) => [...cell!.matchAll(/`([a-z][A-Za-z0-9]*)`/g)].map(([, name]) => name!));

    // Assess
    expect(settings.length).toBeGreaterThan(10);
    expect(settings.filter((key) => !documented.includes(key))).toEqual([]);
    expect(documented.filter((name) => !read.has(name))).toEqual([]);
  });
});

describe('rolling back, as the runbook tells it', () => {
  it('deploys the previous API stack before the stateful one, whose rollback would otherwise remove exports the newer API stack imports', () => {
    // Prepare: the runbook's commands for a rollback, in order
    const runbook = readFileSync(new URL(`../../${RUNBOOK}`, import.meta.url), 'utf8');
    const section = runbook.slice(runbook.indexOf('## Rolling back a bad release'), runbook.indexOf('\n## ', runbook.indexOf('## Rolling back a bad release') + 1));
    const deploys = [...section.matchAll(/^npx cdk deploy (.+)$/gm)].map(([, args]) => args!.trim());

    // Assess: the API stack alone first (the stacks' dependency would deploy the stateful one before it), then the rest
    expect(deploys).toEqual([`${built.api.stackName} --exclusively`, '--all']);
    expect(built.api.dependencies).toContain(built.stateful);
  });
});

describe('tearing down, as the README tells it', () => {
  it('names everything `cdk destroy` keeps (RemovalPolicy.RETAIN) in the README\'s "Tearing down", and the tables by count', () => {
    // Prepare: the section, and every retained resource of the three stacks
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Tearing down'), readme.indexOf('### What it costs'));
    const retained = [built.stateful, built.api, built.edgeWaf].flatMap((stack) =>
      Object.entries(Template.fromStack(stack).toJSON().Resources as Record<string, Resource>).filter(([, r]) => r.DeletionPolicy === 'Retain'),
    );
    const tables = retained.filter(([, r]) => r.Type === 'AWS::DynamoDB::Table');
    const others = retained.filter(([, r]) => r.Type !== 'AWS::DynamoDB::Table');

    // Assess: each table by its topology name, and the rest by their construct's name (the logical id less its hash)
    expect(section).toContain(`the ${tables.length} DynamoDB tables`);
    for (const name of tableNames.filter((table) => !(topology.tables[table] as TableDeclaration).ephemeral)) expect(section, name).toContain(`\`${name}\``);
    expect(others.length).toBeGreaterThan(0);
    for (const [id] of others) expect(section, id).toContain(`\`${id.replace(/[0-9A-F]{8}$/, '')}\``);
  });
});

describe('an update from the last release, as `cdk deploy --all` makes it', () => {
  it('keeps every stateful resource, what can only be set at its creation, and every export another stack may import', () => {
    // Prepare: the three stacks' templates as this version synthesizes them
    const current = releaseShapeOf(Object.fromEntries([built.stateful, built.api, built.edgeWaf].map((stack) => [stack.stackName, Template.fromStack(stack).toJSON() as StackTemplate])));

    // Act
    const breaks = upgradeBreaks(released as ReleaseShape, current);

    // Assess: the last release's tables, queues and secrets are all still here, as they were
    expect(Object.keys((released as ReleaseShape).resources).length).toBeGreaterThan(0);
    expect(breaks).toEqual([]);
  });
});
