// test support: a small hand-written cloud assembly, the shape `cdk synth` writes, for tests of the deploy-faithful
// runner's reading of templates (test/unit/deployed-assembly.test.ts) and of its API Gateway (deployed-gateway.test.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let assembliesRoot: string | undefined;

/** removes every assembly made so far (a test file's afterAll) */
export function removeHandWrittenAssemblies(): void {
  if (assembliesRoot) rmSync(assembliesRoot, { recursive: true, force: true });
  assembliesRoot = undefined;
}

/**
 * a cloud assembly of two stacks (and an edge stack the runner leaves out) with one function "Orders" (Api-Fn7),
 * written to a new folder: its table, queue and secret, a route with its integration, an event source and a schedule
 */
export function handWrittenAssembly(): string {
  assembliesRoot ??= mkdtempSync(join(tmpdir(), 'feedback-assembly-unit-'));
  const dir = mkdtempSync(join(assembliesRoot, 'assembly-'));
  mkdirSync(join(dir, 'asset.fn'));
  const stateful = {
    Resources: {
      OrdersTable1: {
        Type: 'AWS::DynamoDB::Table',
        Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' },
      },
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
      // API Gateway may invoke the function (from any route of the API)
      Permission13: { Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': ['Fn7', 'Arn'] }, Principal: 'apigateway.amazonaws.com' } },
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
