// unit: how the deploy-faithful runner reads a cloud assembly (infra/deployed/cloud-assembly.ts): cross-stack
// imports, the intrinsics CDK writes, and each resource as the runner needs it, on a small hand-written assembly.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDeployedShape } from '../../infra/deployed/cloud-assembly.js';
import { handWrittenAssembly, removeHandWrittenAssemblies } from '../support/hand-written-assembly.js';

afterAll(removeHandWrittenAssemblies);
const assembly = () => handWrittenAssembly();

const ENDPOINT = 'http://127.0.0.1:4000';

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
    // API Gateway's default integration timeout, the template setting none
    expect(shape.routes).toEqual([{ method: 'GET', path: '/orders/{id}', functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:Api-Fn7', timeoutMs: 30_000 }]);
    expect(shape.eventSourceMappings).toEqual([
      expect.objectContaining({ queueArn: 'arn:aws:sqs:us-east-1:000000000000:Stateful-JobsQueue3', functionName: 'Api-Fn7', batchSize: 25, maximumBatchingWindowSeconds: 1, reportBatchItemFailures: true, maximumConcurrency: 5 }),
    ]);
    expect(shape.schedules).toEqual([expect.objectContaining({ expression: 'rate(15 minutes)', targetArn: 'arn:aws:lambda:us-east-1:000000000000:function:Api-Fn7' })]);
    expect(shape.queues.find((q) => q.name === 'Stateful-JobsQueue3')).toMatchObject({ visibilityTimeoutSeconds: 180, redrive: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:Stateful-JobsDlq2', maxReceiveCount: 5 } });
  });

  it("takes a route's integration timeout from the template, at most HTTP API's 30 s", () => {
    // Prepare
    const withTimeout = (timeoutMs: number) => {
      const dir = assembly();
      const api = JSON.parse(readFileSync(join(dir, 'Api.template.json'), 'utf8'));
      api.Resources.Integration9.Properties.TimeoutInMillis = timeoutMs;
      writeFileSync(join(dir, 'Api.template.json'), JSON.stringify(api));
      return dir;
    };

    // Act + Assess
    expect(readDeployedShape(withTimeout(400), ENDPOINT).routes[0]).toMatchObject({ timeoutMs: 400 });
    expect(readDeployedShape(withTimeout(60_000), ENDPOINT).routes[0]).toMatchObject({ timeoutMs: 30_000 });
  });

  it("stands the runner's origin in for the API distribution's URLs, its CloudFront domain and its aliases, and nothing else", () => {
    // Prepare: a distribution in front of the API, answering as feedback.example.com too, and a function that names both
    const dir = assembly();
    const api = JSON.parse(readFileSync(join(dir, 'Api.template.json'), 'utf8'));
    api.Resources.Edge20 = {
      Type: 'AWS::CloudFront::Distribution',
      Properties: { DistributionConfig: { Aliases: ['feedback.example.com'], Origins: [{ Id: 'api', DomainName: 'api8.example', CustomOriginConfig: { OriginProtocolPolicy: 'https-only' } }] } },
    };
    Object.assign(api.Resources.Fn7.Properties.Environment.Variables, {
      LINK_BASE: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['Edge20', 'DomainName'] }]] },
      TASK_LINK: { 'Fn::Sub': 'https://${Edge20.DomainName}/s/{id}' },
      ALIAS_BASE: 'https://feedback.example.com',
      ALIASES: { 'Fn::Join': [',', ['https://feedback.example.com/s', 'https://feedback.example.community', 'https://feedback.example.com.evil.example']] },
    });
    writeFileSync(join(dir, 'Api.template.json'), JSON.stringify(api));

    // Act
    const local = readDeployedShape(dir, ENDPOINT, { apiOrigin: 'http://127.0.0.1:3100' }).functions[0]!.environment;
    const asDeployed = readDeployedShape(dir, ENDPOINT).functions[0]!.environment;

    // Assess: built or literal (a custom domain is a literal), a URL on the distribution names the runner; no other does
    expect(local).toMatchObject({
      LINK_BASE: 'http://127.0.0.1:3100',
      TASK_LINK: 'http://127.0.0.1:3100/s/{id}',
      ALIAS_BASE: 'http://127.0.0.1:3100',
      ALIASES: 'http://127.0.0.1:3100/s,https://feedback.example.community,https://feedback.example.com.evil.example',
    });
    expect(asDeployed).toMatchObject({ LINK_BASE: 'https://edge20.cloudfront.net', TASK_LINK: 'https://edge20.cloudfront.net/s/{id}', ALIAS_BASE: 'https://feedback.example.com' });
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
