// unit: how the deploy-faithful runner reads a cloud assembly (infra/deployed/cloud-assembly.ts): cross-stack
// imports, the intrinsics CDK writes, and each resource as the runner needs it, on a small hand-written assembly.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDeployedShape } from '../../infra/deployed/cloud-assembly.js';

const ENDPOINT = 'http://127.0.0.1:4000';

// every assembly of this file under one folder, removed after it
const assembliesRoot = mkdtempSync(join(tmpdir(), 'feedback-assembly-unit-'));
afterAll(() => rmSync(assembliesRoot, { recursive: true, force: true }));

function assembly(): string {
  const dir = mkdtempSync(join(assembliesRoot, 'assembly-'));
  mkdirSync(join(dir, 'asset.fn'));
  const stateful = {
    Resources: {
      OrdersTable1: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] } },
      JobsDlq2: { Type: 'AWS::SQS::Queue', Properties: {} },
      JobsQueue3: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 180, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['JobsDlq2', 'Arn'] }, maxReceiveCount: 5 } } },
      Token4: { Type: 'AWS::SecretsManager::Secret', Properties: { GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true } } },
    },
    Outputs: {
      ExportTable: { Value: { Ref: 'OrdersTable1' }, Export: { Name: 'Stateful:Table' } },
      ExportTableArn: { Value: { 'Fn::GetAtt': ['OrdersTable1', 'Arn'] }, Export: { Name: 'Stateful:TableArn' } },
      ExportQueueUrl: { Value: { Ref: 'JobsQueue3' }, Export: { Name: 'Stateful:QueueUrl' } },
      ExportQueueArn: { Value: { 'Fn::GetAtt': ['JobsQueue3', 'Arn'] }, Export: { Name: 'Stateful:QueueArn' } },
      ExportToken: { Value: { Ref: 'Token4' }, Export: { Name: 'Stateful:Token' } },
    },
  };
  const api = {
    Resources: {
      FnRole5: { Type: 'AWS::IAM::Role', Properties: {} },
      FnPolicy6: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Roles: [{ Ref: 'FnRole5' }],
          PolicyDocument: {
            Statement: [
              { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: [{ 'Fn::ImportValue': 'Stateful:TableArn' }, { 'Fn::Join': ['', [{ 'Fn::ImportValue': 'Stateful:TableArn' }, '/index/byDay']] }] },
            ],
          },
        },
      },
      Fn7: {
        Type: 'AWS::Lambda::Function',
        Metadata: { 'aws:asset:path': 'asset.fn', 'aws:cdk:path': 'Api/Orders/Function/Resource' },
        Properties: {
          Handler: 'index.handler',
          Timeout: 10,
          MemorySize: 512,
          ReservedConcurrentExecutions: 1,
          Role: { 'Fn::GetAtt': ['FnRole5', 'Arn'] },
          Environment: {
            Variables: {
              ORDERS_TABLE: { 'Fn::ImportValue': 'Stateful:Table' },
              JOBS_QUEUE_URL: { 'Fn::ImportValue': 'Stateful:QueueUrl' },
              TOKEN_ARN: { 'Fn::ImportValue': 'Stateful:Token' },
              ORIGIN: { 'Fn::Sub': 'https://${AWS::Region}.${Api8}.example' },
              FIRST: { 'Fn::Select': [0, { 'Fn::Split': ['-', 'a-b-c'] }] },
            },
          },
        },
      },
      Api8: { Type: 'AWS::ApiGatewayV2::Api', Properties: {} },
      Integration9: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': ['Fn7', 'Arn'] }, PayloadFormatVersion: '2.0' } },
      Route10: { Type: 'AWS::ApiGatewayV2::Route', Properties: { RouteKey: 'GET /orders/{id}', Target: { 'Fn::Join': ['', ['integrations/', { Ref: 'Integration9' }]] } } },
      Mapping11: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: { EventSourceArn: { 'Fn::ImportValue': 'Stateful:QueueArn' }, FunctionName: { Ref: 'Fn7' }, BatchSize: 25, MaximumBatchingWindowInSeconds: 1, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 5 } },
      },
      Schedule12: { Type: 'AWS::Scheduler::Schedule', Properties: { ScheduleExpression: 'rate(15 minutes)', Target: { Arn: { 'Fn::GetAtt': ['Fn7', 'Arn'] }, RoleArn: { 'Fn::GetAtt': ['FnRole5', 'Arn'] } } } },
    },
  };
  writeFileSync(join(dir, 'Stateful.template.json'), JSON.stringify(stateful));
  writeFileSync(join(dir, 'Api.template.json'), JSON.stringify(api));
  writeFileSync(join(dir, 'Waf.template.json'), JSON.stringify({ Resources: { Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Missing: { Ref: 'Nowhere' } } } } }));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      artifacts: {
        Stateful: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'Stateful.template.json' } },
        Api: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'Api.template.json' } },
        // the edge WAF stack lives in us-east-1 and guards CloudFront only: not run
        Waf: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/us-east-1', properties: { templateFile: 'Waf.template.json' } },
        Tree: { type: 'cdk:tree' },
      },
    }),
  );
  return dir;
}

describe('reading a cloud assembly', () => {
  it('gives a function the environment its template gives it, with cross-stack imports resolved', () => {
    // Act
    const shape = readDeployedShape(assembly(), ENDPOINT);

    // Assess
    const [fn] = shape.functions;
    expect(shape.functions).toHaveLength(1);
    expect(fn).toMatchObject({ name: 'Api-Fn7', handler: 'index.handler', timeoutSeconds: 10, memoryMb: 512, reservedConcurrency: 1, displayName: 'Orders' });
    expect(fn!.environment).toEqual({
      ORDERS_TABLE: 'Stateful-OrdersTable1',
      JOBS_QUEUE_URL: `${ENDPOINT}/000000000000/Stateful-JobsQueue3`,
      TOKEN_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:Token4-local0000000-AbCdEf',
      ORIGIN: 'https://us-east-1.api8.example',
      FIRST: 'a',
    });
    expect(fn!.assetDir.endsWith('asset.fn')).toBe(true);
  });

  it('collects the role’s statements, the routes, event source mappings, schedules and queues', () => {
    // Act
    const shape = readDeployedShape(assembly(), ENDPOINT);

    // Assess
    const table = 'arn:aws:dynamodb:us-east-1:000000000000:table/Stateful-OrdersTable1';
    expect(shape.policies.get('arn:aws:iam::000000000000:role/Api-FnRole5')).toEqual([{ Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: [table, `${table}/index/byDay`] }]);
    expect(shape.routes).toEqual([{ method: 'GET', path: '/orders/{id}', functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:Api-Fn7' }]);
    expect(shape.eventSourceMappings).toEqual([
      expect.objectContaining({ queueArn: 'arn:aws:sqs:us-east-1:000000000000:Stateful-JobsQueue3', functionName: 'Api-Fn7', batchSize: 25, maximumBatchingWindowSeconds: 1, reportBatchItemFailures: true, maximumConcurrency: 5 }),
    ]);
    expect(shape.schedules).toEqual([expect.objectContaining({ expression: 'rate(15 minutes)', targetArn: 'arn:aws:lambda:us-east-1:000000000000:function:Api-Fn7' })]);
    expect(shape.queues.find((q) => q.name === 'Stateful-JobsQueue3')).toMatchObject({ visibilityTimeoutSeconds: 180, redrive: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:Stateful-JobsDlq2', maxReceiveCount: 5 } });
  });

  it('fails naming what it cannot resolve', () => {
    // Prepare: an import no stack exports
    const dir = assembly();
    const api = JSON.parse(readFileSync(join(dir, 'Api.template.json'), 'utf8'));
    api.Resources.Fn7.Properties.Environment.Variables.GONE = { 'Fn::ImportValue': 'Stateful:Gone' };
    writeFileSync(join(dir, 'Api.template.json'), JSON.stringify(api));

    // Act / Assess
    expect(() => readDeployedShape(dir, ENDPOINT)).toThrow('Api: no stack exports Stateful:Gone');
  });
});
