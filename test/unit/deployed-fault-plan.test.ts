// unit: the faults a test arms at the deploy-faithful runner's AWS endpoint (infra/deployed/fault-plan.ts): a call
// answered with the service's error (its status, DynamoDB's `__type` prefix) as many times as asked, only for the
// function and input it names; a sandbox that dies after the nth matching call; a code a service never answers refused.
import { describe, expect, it } from 'vitest';
import { createFaultPlan, LAMBDA_SERVICE_CALLER } from '../../infra/deployed/fault-plan.js';

const PUT = { TableName: 'Responses', Item: { responseId: { S: 'r1' } } };

describe('the deployed runner’s fault plan', () => {
  it('answers the next matching calls with the service error, as many times as asked, then serves them again', () => {
    // Prepare
    const plan = createFaultPlan();
    plan.failCalls({ operation: 'dynamodb:PutItem', caller: 'Process', error: 'ProvisionedThroughputExceededException', times: 2 });

    // Act
    const errors = [1, 2, 3].map(() => plan.errorFor('Process', 'dynamodb:PutItem', PUT));

    // Assess: DynamoDB's status and namespaced `__type`; the third call is served
    expect(errors[0]).toMatchObject({ code: 'ProvisionedThroughputExceededException', status: 400, typePrefix: 'com.amazonaws.dynamodb.v20120810#' });
    expect(errors[1]).toBeDefined();
    expect(errors[2]).toBeUndefined();
    expect(plan.pending()).toBe(0);
  });

  it('strikes only the function and the input it names', () => {
    // Prepare
    const plan = createFaultPlan();
    plan.failCalls({ operation: 'sqs:SendMessageBatch', caller: 'Ingest', error: 'ServiceUnavailable', times: 1 });
    plan.failCalls({ operation: 'dynamodb:PutItem', error: 'InternalServerError', times: 1, when: (input) => input.TableName === 'Aggregates' });

    // Act / Assess
    expect(plan.errorFor('EmailSurvey', 'sqs:SendMessageBatch', {})).toBeUndefined();
    expect(plan.errorFor('Process', 'dynamodb:PutItem', PUT)).toBeUndefined();
    expect(plan.pending()).toBe(2);
    expect(plan.errorFor('Ingest', 'sqs:SendMessageBatch', {})).toMatchObject({ code: 'ServiceUnavailable', status: 503, typePrefix: '' });
    expect(plan.errorFor('Rollup', 'dynamodb:PutItem', { TableName: 'Aggregates' })).toMatchObject({ code: 'InternalServerError', status: 500 });
  });

  it('never strikes Lambda’s own event source pollers, even when no function is named: AWS shows a function none of their faults', () => {
    // Prepare
    const plan = createFaultPlan();
    plan.failCalls({ operation: 'sqs:DeleteMessageBatch', error: 'InternalFailure', times: 1 });

    // Act / Assess: the poller's delete is served, a function's takes the fault
    expect(plan.errorFor(LAMBDA_SERVICE_CALLER, 'sqs:DeleteMessageBatch', {})).toBeUndefined();
    expect(plan.errorFor('Process', 'sqs:DeleteMessageBatch', {})).toMatchObject({ code: 'InternalFailure' });
  });

  it('kills the caller’s sandbox after the nth matching call only, once', () => {
    // Prepare
    const plan = createFaultPlan();
    plan.dieAfter({ operation: 'dynamodb:PutItem', caller: 'Process', after: 2 });

    // Act
    const dies = [1, 2, 3].map(() => plan.diesAfter('Process', 'dynamodb:PutItem', PUT));

    // Assess
    expect(dies).toEqual([false, true, false]);
    expect(plan.pending()).toBe(0);
  });

  it('refuses an error the service never answers, and a count that is not a whole number', () => {
    // Prepare
    const plan = createFaultPlan();

    // Act / Assess
    expect(() => plan.failCalls({ operation: 'sqs:SendMessageBatch', error: 'ProvisionedThroughputExceededException', times: 1 })).toThrow(/sqs answers ThrottlingException, InternalFailure, ServiceUnavailable/);
    expect(() => plan.failCalls({ operation: 'lambda:Invoke', error: 'ThrottlingException', times: 1 })).toThrow(/only dynamodb, sqs, comprehend, secretsmanager calls/);
    expect(() => plan.failCalls({ operation: 'dynamodb:PutItem', error: 'ThrottlingException', times: 0 })).toThrow(/times must be a whole number/);
    expect(() => plan.dieAfter({ operation: 'dynamodb:PutItem', after: 1.5 })).toThrow(/after must be a whole number/);
    expect(plan.pending()).toBe(0);
  });
});
