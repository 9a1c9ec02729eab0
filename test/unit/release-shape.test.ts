// unit: what an update from the last release would break (infra/cdk/release-shape.ts), on small templates of the
// shapes the stacks synthesize. test/infra/stacks.test.ts holds the real stacks to test/fixtures/released-stack.json.
import { describe, expect, it } from 'vitest';
import { releaseShapeOf, upgradeBreaks, type StackTemplate } from '../../infra/cdk/release-shape.js';

const released = (): Record<string, StackTemplate> => ({
  Stateful: {
    Resources: {
      ResponsesTable: {
        Type: 'AWS::DynamoDB::Table',
        DeletionPolicy: 'Retain',
        Properties: {
          KeySchema: [{ AttributeName: 'responseId', KeyType: 'HASH' }],
          AttributeDefinitions: [
            { AttributeName: 'responseId', AttributeType: 'S' },
            { AttributeName: 'surveyId', AttributeType: 'S' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
        },
      },
      ResponsesQueue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 240 } },
      WebhookUrls: { Type: 'AWS::SecretsManager::Secret', DeletionPolicy: 'Retain', Properties: { SecretString: '{}', Description: 'webhook URLs' } },
      LinkSigningKeys: { Type: 'AWS::SecretsManager::Secret', DeletionPolicy: 'Retain', Properties: { GenerateSecretString: { PasswordLength: 48 } } },
      Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { Threshold: 1 } },
    },
    Outputs: { ExportsOutputRefResponsesTable: { Value: { Ref: 'ResponsesTable' }, Export: { Name: 'Stateful:ExportsOutputRefResponsesTable' } } },
  },
});

const breaksAfter = (change: (templates: Record<string, StackTemplate>) => void) => {
  const next = released();
  change(next);
  return upgradeBreaks(releaseShapeOf(released()), releaseShapeOf(next));
};
const resources = (templates: Record<string, StackTemplate>) => templates.Stateful!.Resources!;

describe('an update from the last release', () => {
  it('breaks nothing when the stateful resources change only what an update changes in place, or stateless ones change at all', () => {
    const breaks = breaksAfter((templates) => {
      resources(templates).ResponsesTable!.Properties!.BillingMode = 'PROVISIONED';
      (resources(templates).ResponsesTable!.Properties!.AttributeDefinitions as unknown[]).push({ AttributeName: 'customerRef', AttributeType: 'S' });
      resources(templates).ResponsesQueue!.Properties!.VisibilityTimeout = 300;
      resources(templates).WebhookUrls!.Properties!.Description = 'the webhook URLs';
      delete resources(templates).Alarm;
      resources(templates).NewTable = { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [] } };
    });

    expect(breaks).toEqual([]);
  });

  it('breaks a table whose logical id changes: the update would create an empty one and orphan the old', () => {
    const breaks = breaksAfter((templates) => {
      resources(templates).ResponsesTableV2 = resources(templates).ResponsesTable!;
      delete resources(templates).ResponsesTable;
    });

    expect(breaks).toEqual([expect.stringContaining('Stateful/ResponsesTable (AWS::DynamoDB::Table) is gone')]);
  });

  it('breaks a table whose key schema, or a key attribute\'s type, changes: CloudFormation replaces it', () => {
    const keyRenamed = breaksAfter((templates) => {
      resources(templates).ResponsesTable!.Properties!.KeySchema = [{ AttributeName: 'id', KeyType: 'HASH' }];
    });
    const keyRetyped = breaksAfter((templates) => {
      resources(templates).ResponsesTable!.Properties!.AttributeDefinitions = [{ AttributeName: 'responseId', AttributeType: 'N' }];
    });

    expect(keyRenamed).toContainEqual(expect.stringContaining('changes KeySchema'));
    expect(keyRetyped).toEqual([expect.stringContaining('changes KeyAttributes')]);
  });

  it('breaks a queue that an update would replace, with the acknowledged responses it holds', () => {
    const breaks = breaksAfter((templates) => {
      resources(templates).ResponsesQueue!.Properties!.QueueName = 'responses';
    });

    expect(breaks).toEqual([expect.stringContaining('Stateful/ResponsesQueue (AWS::SQS::Queue) changes QueueName')]);
  });

  it('breaks a secret whose template value changes: the operator\'s value would be overwritten, or the link keys generated again', () => {
    const overwritten = breaksAfter((templates) => {
      resources(templates).WebhookUrls!.Properties!.SecretString = '{"followup":""}';
    });
    const regenerated = breaksAfter((templates) => {
      resources(templates).LinkSigningKeys!.Properties!.GenerateSecretString = { PasswordLength: 64 };
    });

    expect(overwritten).toEqual([expect.stringContaining('WebhookUrls (AWS::SecretsManager::Secret) changes SecretString')]);
    expect(regenerated).toEqual([expect.stringContaining('LinkSigningKeys (AWS::SecretsManager::Secret) changes GenerateSecretString')]);
  });

  it('breaks an export that a deployed stack may still import, when it goes or its value changes', () => {
    const gone = breaksAfter((templates) => {
      delete templates.Stateful!.Outputs;
    });
    const changed = breaksAfter((templates) => {
      templates.Stateful!.Outputs!.ExportsOutputRefResponsesTable!.Value = { 'Fn::GetAtt': ['ResponsesTable', 'Arn'] };
    });

    expect(gone).toEqual([expect.stringContaining('export Stateful/"Stateful:ExportsOutputRefResponsesTable" is gone')]);
    expect(changed).toEqual([expect.stringContaining('changes value')]);
  });
});
