// unit: the deploy-faithful runner's IAM evaluation (infra/deployed/iam.ts) against statements of the shapes CDK
// writes into the templates: action lists, wildcards in actions and ARNs, index ARNs, explicit denies.
import { describe, expect, it } from 'vitest';
import type { PolicyStatement } from '../../infra/deployed/cloud-assembly.js';
import { decide, wildcardMatches } from '../../infra/deployed/iam.js';

const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/FeedbackStateful-ResponsesTable1';
const allow = (Action: string[], Resource: string[]): PolicyStatement => ({ Effect: 'Allow', Action, Resource });

describe('IAM decisions of the deployed runner', () => {
  it('allows an action listed on the exact resource, case-insensitively in the action', () => {
    // Prepare
    const statements = [allow(['dynamodb:PutItem', 'dynamodb:GetItem'], [TABLE])];

    // Act / Assess
    expect(decide(statements, 'dynamodb:putitem', TABLE)).toEqual({ allowed: true });
    expect(decide(statements, 'dynamodb:DeleteItem', TABLE)).toEqual({ allowed: false, reason: 'no identity-based policy allows it' });
  });

  it('treats an index as its own resource: a grant on the table does not cover its indexes', () => {
    // Prepare
    const tableOnly = [allow(['dynamodb:Query'], [TABLE])];
    const withIndex = [allow(['dynamodb:Query'], [TABLE, `${TABLE}/index/bySurvey`])];
    const anyIndex = [allow(['dynamodb:Query'], [`${TABLE}/index/*`])];

    // Act / Assess
    expect(decide(tableOnly, 'dynamodb:Query', `${TABLE}/index/bySurvey`).allowed).toBe(false);
    expect(decide(withIndex, 'dynamodb:Query', `${TABLE}/index/bySurvey`).allowed).toBe(true);
    expect(decide(withIndex, 'dynamodb:Query', `${TABLE}/index/byCustomer`).allowed).toBe(false);
    expect(decide(anyIndex, 'dynamodb:Query', `${TABLE}/index/byCustomer`).allowed).toBe(true);
    expect(decide(anyIndex, 'dynamodb:Query', TABLE).allowed).toBe(false);
  });

  it('matches * and ? in actions and ARNs, * across / and :', () => {
    // Act / Assess
    expect(wildcardMatches('sqs:*', 'sqs:SendMessage', true)).toBe(true);
    expect(wildcardMatches('dynamodb:Get*', 'dynamodb:GetItem', true)).toBe(true);
    expect(wildcardMatches('dynamodb:Get*', 'dynamodb:BatchGetItem', true)).toBe(false);
    expect(wildcardMatches('arn:aws:lambda:us-east-1:000000000000:function:F?', 'arn:aws:lambda:us-east-1:000000000000:function:F1')).toBe(true);
    expect(wildcardMatches('arn:aws:lambda:us-east-1:000000000000:function:F?', 'arn:aws:lambda:us-east-1:000000000000:function:F12')).toBe(false);
    expect(wildcardMatches('arn:aws:execute-api:us-east-1:000000000000:api/*/*/v1/surveys/{id}', 'arn:aws:execute-api:us-east-1:000000000000:api/$default/GET/v1/surveys/{id}')).toBe(true);
    expect(wildcardMatches('*', 'arn:aws:sqs:us-east-1:000000000000:q')).toBe(true);
    // ARNs are case-sensitive
    expect(wildcardMatches(TABLE, TABLE.toUpperCase())).toBe(false);
  });

  it('lets an explicit deny win over any allow', () => {
    // Prepare
    const statements: PolicyStatement[] = [allow(['dynamodb:*'], ['*']), { Effect: 'Deny', Action: ['dynamodb:DeleteItem'], Resource: [TABLE] }];

    // Act / Assess
    expect(decide(statements, 'dynamodb:DeleteItem', TABLE)).toEqual({ allowed: false, reason: 'explicit deny' });
    expect(decide(statements, 'dynamodb:PutItem', TABLE)).toEqual({ allowed: true });
  });

  it('denies everything to a role without statements', () => {
    expect(decide([], 'comprehend:BatchDetectSentiment', '*').allowed).toBe(false);
  });
});
