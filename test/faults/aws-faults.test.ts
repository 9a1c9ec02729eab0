// faults the local engines cannot produce (throttling, service faults), on the real handlers with aws-sdk-client-mock.
import { ComprehendClient, BatchDetectSentimentCommand, TooManyRequestsException } from '../../shared/aws/comprehend.js';
import { ProvisionedThroughputExceededException, DynamoDBDocumentClient, GetCommand, PutCommand } from '../../shared/aws/dynamodb.js';
import { SendMessageBatchCommand, SQSClient } from '../../shared/aws/sqs.js';
import type { APIGatewayProxyEventV2, Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockAws } from '../support/aws-mock.js';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../functions/commons/powertools.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { surveySchema } from '../../shared/survey/schema.js';
import sqsBatch from '../events/sqs/responses-batch.json' with { type: 'json' };
import postResponse from '../events/http/post-response.json' with { type: 'json' };
import { setCloudFunctionEnvironment } from '../support/cloud-function-environment.js';
import { taskIdOf } from '../../shared/followups/task.js';

setCloudFunctionEnvironment('ingest', 'process', 'followupTasks');

const db = mockAws(DynamoDBDocumentClient);
const sqs = mockAws(SQSClient);
const comprehend = mockAws(ComprehendClient);
const context = { functionName: 'test', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

type ProcessHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<{ statusCode: number; body: string }>;
let processHandler: ProcessHandler;
let ingestHandler: HttpHandler;
let followupTasksHandler: ProcessHandler;

beforeAll(async () => {
  processHandler = (await import('../../functions/process/handler.js')).handler as unknown as ProcessHandler;
  ingestHandler = (await import('../../functions/ingest/handler.js')).handler as unknown as HttpHandler;
  followupTasksHandler = (await import('../../functions/followup-tasks/handler.js')).handler as unknown as ProcessHandler;
});

beforeEach(() => {
  db.reset();
  sqs.reset();
  comprehend.reset();
  // the process step reads each survey's detractor rules: none stored here, so no response is marked for follow-up
  db.on(GetCommand).resolves({});
  comprehend.on(BatchDetectSentimentCommand).callsFake(({ TextList }: { TextList: string[] }) => ({
    ResultList: TextList.map((_, Index) => ({ Index, Sentiment: 'NEUTRAL', SentimentScore: { Positive: 0.1, Negative: 0.1, Neutral: 0.7, Mixed: 0.1 } })),
    ErrorList: [],
  }));
});

const storedItems = () =>
  db
    .commandCalls(PutCommand)
    .filter((call) => call.args[0].input.TableName === 'responses')
    .map((call) => call.args[0].input.Item as Record<string, any>);

describe('process: a DynamoDB fault', () => {
  it('fails only the throttled record, which the queue then redelivers; the others are stored', async () => {
    // Prepare
    const event = structuredClone(sqsBatch) as SQSEvent;
    db.on(PutCommand).callsFake(({ Item }: { Item: { responseId: string } }) => {
      if (Item.responseId === 'resp-0002') throw new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: {} });
      return {};
    });

    // Act
    const result = await processHandler(event, context);

    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: event.Records[1]!.messageId }]);
    expect(storedItems().map((item) => item.responseId)).toEqual(['resp-0001', 'resp-0002', 'resp-0003']);
  });

  it('on the bucket mark after the responses are stored fails the batch, so the redelivery marks the bucket', async () => {
    // Prepare: the response puts succeed, the dirty-bucket mark of the first hour is throttled
    const event = structuredClone(sqsBatch) as SQSEvent;
    db.on(PutCommand).callsFake(({ TableName }: { TableName: string }) => {
      if (TableName === 'dirtyBuckets') throw new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: {} });
      return {};
    });

    // Act
    const outcome = processHandler(event, context);

    // Assess: stored, but not acknowledged: the rollup would otherwise never learn about them
    await expect(outcome).rejects.toThrow(/All records failed/);
    expect(storedItems()).toHaveLength(3);
  });

  it('on every record fails the whole batch, so nothing is acknowledged', async () => {
    const event = structuredClone(sqsBatch) as SQSEvent;
    db.on(PutCommand).rejects(new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: {} }));
    await expect(processHandler(event, context)).rejects.toThrow();
  });
});

describe('process: a record whose survey cannot be read', () => {
  it('fails alone, and is logged with its response id and the reason, never its content', async () => {
    // Prepare: the second record answers a survey whose read fails
    const event = structuredClone(sqsBatch) as SQSEvent;
    const second = event.Records[1]!;
    second.body = JSON.stringify({ ...JSON.parse(second.body), surveyId: 'unreadable', customerRef: 'cust-secret-42' });
    db.on(GetCommand).callsFake(({ Key }: { Key: { surveyId?: string } }) => {
      if (Key.surveyId === 'unreadable') throw new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: {} });
      return {};
    });
    db.on(PutCommand).resolves({});
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    // Act
    const result = await processHandler(event, context);

    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: second.messageId }]);
    expect(storedItems().map((item) => item.responseId)).toEqual(['resp-0001', 'resp-0003']);
    const logged = errors.mock.calls.filter(([message]) => message === 'response not stored');
    expect(logged).toEqual([
      ['response not stored', { messageId: second.messageId, responseId: 'resp-0002', reason: expect.stringMatching(/survey lookup failed.*ProvisionedThroughputExceededException/) }],
    ]);
    const everything = JSON.stringify(errors.mock.calls);
    expect(everything).not.toContain('Wonderful service');
    expect(everything).not.toContain('cust-secret-42');
    errors.mockRestore();
  });
});

describe('follow-up tasks: a message that cannot open a task', () => {
  it('fails it, and logs its message id and the reason, never its content, so a DLQ alarm\'s cause can be read', async () => {
    // Prepare: two messages no router could have sent, one carrying a customer's comment
    const event = structuredClone(sqsBatch) as SQSEvent;
    event.Records = event.Records.slice(0, 2);
    event.Records[0]!.body = JSON.stringify({ response: { comment: 'Wonderful service', customerRef: 'cust-secret-42' } });
    event.Records[1]!.body = 'not json';
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    // Act: every record failed, so the whole batch is reported failed
    const outcome = await followupTasksHandler(event, context).then(() => 'returned', (error: Error) => error.name);
    const logged = errors.mock.calls.filter(([message]) => message === 'task not opened');
    errors.mockRestore();

    // Assess
    expect(outcome).toBe('FullBatchFailureError');
    expect(logged).toEqual(
      event.Records.map(({ messageId }) => ['task not opened', { messageId, reason: 'MalformedFollowUpMessage: message is not a routed detractor' }]),
    );
    expect(JSON.stringify(logged)).not.toMatch(/Wonderful|cust-secret/);
  });

  it("logs a store fault by its name and AWS's message, and a client-side error without what its message quotes after a colon", async () => {
    // Prepare: two routed detractors with a comment and a customer; the first one's task read is throttled, the
    // second one's fails in the client with a message that quotes a value, as the SDK's marshalling errors do
    const routed = (responseId: string) =>
      JSON.stringify({
        response: { responseId, surveyId: 'demo', receivedAt: '2026-12-01T10:00:00.000Z', answers: { nps: 2 }, comment: 'Wonderful service', sentiment: null, channel: 'web', customerRef: 'cust-secret-42' },
        reasons: [{ rule: 'nps', question: 'nps', score: 2, atMost: 6 }],
      });
    const event = structuredClone(sqsBatch) as SQSEvent;
    event.Records = event.Records.slice(0, 2);
    event.Records[0]!.body = routed('resp-throttled');
    event.Records[1]!.body = routed('resp-client');
    const throttledTask = taskIdOf('resp-throttled');
    db.on(GetCommand).callsFake(({ Key }: { Key: Record<string, unknown> }) => {
      if (Object.values(Key).includes(throttledTask)) throw new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded', $metadata: {} });
      throw new Error('Unsupported type passed: cust-secret-42');
    });
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    // Act
    const outcome = await followupTasksHandler(event, context).then(() => 'returned', (error: Error) => error.name);
    const logged = errors.mock.calls.filter(([message]) => message === 'task not opened');
    errors.mockRestore();

    // Assess
    expect(outcome).toBe('FullBatchFailureError');
    expect(logged).toEqual([
      ['task not opened', { messageId: event.Records[0]!.messageId, reason: 'ProvisionedThroughputExceededException: The level of configured provisioned throughput for the table was exceeded' }],
      ['task not opened', { messageId: event.Records[1]!.messageId, reason: 'Error: Unsupported type passed' }],
    ]);
    expect(JSON.stringify(logged)).not.toMatch(/Wonderful|cust-secret/);
  });
});

describe('process: a Comprehend outage', () => {
  it('stores every response with sentiment pending, for the rescore schedule to score later', async () => {
    // Prepare
    const event = structuredClone(sqsBatch) as SQSEvent;
    comprehend.on(BatchDetectSentimentCommand).rejects(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));
    db.on(PutCommand).resolves({});

    // Act
    const result = await processHandler(event, context);

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    const [late, happy, noComment] = storedItems();
    expect(late).toMatchObject({ responseId: 'resp-0001', sentiment: { status: 'pending' }, sentimentPending: expect.stringMatching(/^pending#[0-7]$/) });
    expect(happy).toMatchObject({ responseId: 'resp-0002', sentiment: { status: 'pending' }, sentimentPending: expect.stringMatching(/^pending#[0-7]$/) });
    expect(noComment).toMatchObject({ responseId: 'resp-0003', sentiment: null });
    expect(noComment?.sentimentPending).toBeUndefined();
  });
});

describe('ingest: an SQS fault', () => {
  it('answers 500 when SQS refuses the entry inside an accepted batch call', async () => {
    const event = structuredClone(postResponse) as unknown as APIGatewayProxyEventV2;
    const survey = surveySchema.parse(demoSurvey(['https://shop.example.com']));
    db.on(GetCommand).resolves({ Item: { surveyId: 'demo', definition: survey } });
    sqs.on(SendMessageBatchCommand).callsFake(({ Entries }: { Entries: { Id: string }[] }) => ({
      Successful: [],
      Failed: Entries.map(({ Id }) => ({ Id, Code: 'InternalError', SenderFault: false })),
    }));

    const reply = await ingestHandler(event, context);

    expect(reply.statusCode).toBe(500);
  });

  it('answers 500 with no internals, so the client retries and nothing is acknowledged', async () => {
    // Prepare
    const event = structuredClone(postResponse) as unknown as APIGatewayProxyEventV2;
    const survey = surveySchema.parse(demoSurvey(['https://shop.example.com']));
    db.on(GetCommand).resolves({ Item: { surveyId: 'demo', definition: survey } });
    sqs.on(SendMessageBatchCommand).rejects(new Error('connect ECONNREFUSED'));

    // Act
    const reply = await ingestHandler(event, context);

    // Assess
    expect(reply.statusCode).toBe(500);
    expect(JSON.parse(reply.body)).toEqual({ error: 'internal error', details: [], requestId: 'JKJaXmPLvHcESHA=' });
  });

  it('hands the client the request\'s id with its 500, the id the error\'s log line carries as correlation_id, and drops it after the request', async () => {
    // Prepare: a request API Gateway gave its own id
    const event = structuredClone(postResponse) as unknown as APIGatewayProxyEventV2;
    event.requestContext.requestId = 'Xq3vFiR2oAMEbXw=';
    const survey = surveySchema.parse(demoSurvey(['https://shop.example.com']));
    db.on(GetCommand).resolves({ Item: { surveyId: 'demo', definition: survey } });
    sqs.on(SendMessageBatchCommand).rejects(new Error('connect ECONNREFUSED'));
    const logged: { message: unknown; correlationId: unknown }[] = [];
    const errors = vi.spyOn(logger, 'error').mockImplementation((...[message]) => {
      logged.push({ message, correlationId: logger.getCorrelationId() });
    });

    // Act
    const reply = await ingestHandler(event, context);
    const afterwards = logger.getCorrelationId();
    errors.mockRestore();

    // Assess: the id the client can quote finds the error's line (and every other line of that request)
    expect(JSON.parse(reply.body)).toMatchObject({ error: 'internal error', requestId: 'Xq3vFiR2oAMEbXw=' });
    expect(logged).toContainEqual({ message: 'unhandled error', correlationId: 'Xq3vFiR2oAMEbXw=' });
    expect(afterwards).toBeUndefined();
  });

  it('answers 202 once SQS has accepted the message', async () => {
    const event = structuredClone(postResponse) as unknown as APIGatewayProxyEventV2;
    const survey = surveySchema.parse(demoSurvey(['https://shop.example.com']));
    db.on(GetCommand).resolves({ Item: { surveyId: 'demo', definition: survey } });
    sqs.on(SendMessageBatchCommand).callsFake(({ Entries }: { Entries: { Id: string }[] }) => ({
      Successful: Entries.map(({ Id }) => ({ Id, MessageId: `m-${Id}`, MD5OfMessageBody: '' })),
      Failed: [],
    }));

    const reply = await ingestHandler(event, context);

    expect(reply.statusCode).toBe(202);
    const sent = JSON.parse(sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries![0]!.MessageBody as string);
    expect(sent).toMatchObject({ surveyId: 'demo', channel: 'web', answers: { nps: 9 }, id: JSON.parse(reply.body).id });
  });
});
