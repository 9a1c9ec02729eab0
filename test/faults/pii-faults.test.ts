// faults: Comprehend DetectPiiEntities failing never lets an unredacted comment be stored or scored; the rescore
// schedule finishes the redaction once it recovers. Real handlers, aws-sdk-client-mock (the engines have no Comprehend).
import {
  BatchDetectSentimentCommand,
  ComprehendClient,
  DetectPiiEntitiesCommand,
  InternalServerException,
} from '@aws-sdk/client-comprehend';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PENDING, pendingValueOf } from '../../shared/response/response-indexes.js';
import { applyEntities, createComprehendPiiRedactor } from '../../shared/privacy/comprehend-redactor.js';
import sqsBatch from '../events/sqs/responses-batch.json' with { type: 'json' };
import { setCloudFunctionEnvironment } from '../support/cloud-function-environment.js';
import { oneAttemptCalls } from '../support/comprehend-calls.js';

setCloudFunctionEnvironment('process', 'rescore');

const db = mockClient(DynamoDBDocumentClient);
const comprehend = mockClient(ComprehendClient);
const context = { functionName: 'test', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
type ScheduledHandler = (event: unknown, context: Context) => Promise<unknown>;
let processHandler: SqsHandler;
let rescoreHandler: ScheduledHandler;

const COMMENT = 'I am Ana Lopez, write to ana.lopez@example.com about the broken box';
// code points of COMMENT after the local redaction ("I am Ana Lopez, write to [EMAIL] …"): "Ana Lopez" is 5..14
const NAME_ENTITY = { Type: 'NAME' as const, BeginOffset: 5, EndOffset: 14, Score: 0.99 };

beforeAll(async () => {
  processHandler = (await import('../../functions/process/handler.js')).handler as unknown as SqsHandler;
  rescoreHandler = (await import('../../functions/rescore/handler.js')).handler as unknown as ScheduledHandler;
});

beforeEach(() => {
  db.reset();
  comprehend.reset();
  db.on(GetCommand).resolves({});
  comprehend.on(BatchDetectSentimentCommand).callsFake(({ TextList }: { TextList: string[] }) => ({
    ResultList: TextList.map((_, Index) => ({ Index, Sentiment: 'NEGATIVE', SentimentScore: { Positive: 0.01, Negative: 0.95, Neutral: 0.03, Mixed: 0.01 } })),
    ErrorList: [],
  }));
});

function eventWith(comment: string): SQSEvent {
  const event = structuredClone(sqsBatch) as SQSEvent;
  const record = event.Records[0]!;
  record.body = JSON.stringify({ ...JSON.parse(record.body), comment, locale: 'en-GB' });
  return { Records: [record] };
}

const sentTexts = () => comprehend.commandCalls(BatchDetectSentimentCommand).flatMap((call) => call.args[0].input.TextList ?? []);
const stored = () => db.commandCalls(PutCommand).filter((c) => c.args[0].input.TableName === 'responses').map((c) => c.args[0].input.Item as Record<string, any>);

describe('the Comprehend PII redactor', () => {
  it('replaces entity spans counted in code points, so an emoji before a name does not shift the cut', () => {
    // Prepare: "😀" is one code point but two UTF-16 units
    const text = '😀 Ana here';

    // Act
    const { text: redacted, found } = applyEntities(text, [{ Type: 'NAME', BeginOffset: 2, EndOffset: 5, Score: 0.9 }]);

    // Assess
    expect(redacted).toBe('😀 [NAME] here');
    expect(found).toEqual({ NAME: 1 });
  });

  it('asks Comprehend only for English and Spanish, and applies the local redactor to every language', async () => {
    // Prepare
    comprehend.on(DetectPiiEntitiesCommand).resolves({ Entities: [] });
    const redactor = createComprehendPiiRedactor(new ComprehendClient({}), oneAttemptCalls());

    // Act
    const outcomes = await redactor.redact([
      { id: 'fr', text: 'écrivez à jean@example.fr', language: 'fr' },
      { id: 'es', text: 'escríbeme a ana@example.es', language: 'es' },
    ]);

    // Assess
    expect(outcomes.map((o) => [o.id, o.status, o.text])).toEqual([
      ['fr', 'redacted', 'écrivez à [EMAIL]'],
      ['es', 'redacted', 'escríbeme a [EMAIL]'],
    ]);
    expect(comprehend.commandCalls(DetectPiiEntitiesCommand).map((c) => c.args[0].input.LanguageCode)).toEqual(['es']);
  });
});

describe('process: a Comprehend PII outage', () => {
  it('stores the comment with the local redaction only, redaction and sentiment pending, never scored or followed up', async () => {
    // Prepare
    comprehend.on(DetectPiiEntitiesCommand).rejects(new InternalServerException({ message: 'down', $metadata: {} }));
    db.on(PutCommand).resolves({});

    // Act
    const result = await processHandler(eventWith(COMMENT), context);

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    const [item] = stored();
    expect(item?.comment).toBe('I am Ana Lopez, write to [EMAIL] about the broken box');
    expect(item).toMatchObject({ redaction: { status: 'pending', found: { EMAIL: 1 }, attempts: 0 }, sentiment: { status: 'pending' }, sentimentPending: expect.stringMatching(/^pending#[0-7]$/) });
    expect(item?.followUp).toBeUndefined();
    expect(JSON.stringify(stored())).not.toContain('ana.lopez@example.com');
    expect(sentTexts()).toEqual([]);
  });

  it('is finished by the rescore once Comprehend recovers: the name is redacted before the comment is scored', async () => {
    // Prepare: the item the outage left
    const pendingItem = {
      ...JSON.parse(eventWith(COMMENT).Records[0]!.body),
      responseId: 'resp-0001',
      comment: 'I am Ana Lopez, write to [EMAIL] about the broken box',
      redaction: { status: 'pending', found: { EMAIL: 1 }, attempts: 0 },
      sentiment: { status: 'pending' },
      sentimentPending: pendingValueOf(PENDING, 'resp-0001'),
      storedAt: '2026-11-20T10:00:01.000Z',
    };
    // the pending index answers the item on its own shard only
    db.on(QueryCommand).resolves({});
    db.on(QueryCommand, { ExpressionAttributeValues: { ':p': pendingItem.sentimentPending } }).resolves({ Items: [pendingItem] });
    db.on(UpdateCommand).resolves({});
    comprehend.on(DetectPiiEntitiesCommand).resolves({ Entities: [NAME_ENTITY] });

    // Act
    await rescoreHandler({}, context);

    // Assess
    const update = db.commandCalls(UpdateCommand).find((c) => c.args[0].input.ExpressionAttributeValues?.[':c'] !== undefined);
    expect(update?.args[0].input.ExpressionAttributeValues).toMatchObject({
      ':c': 'I am [NAME], write to [EMAIL] about the broken box',
      ':r': { status: 'redacted', found: { EMAIL: 1, NAME: 1 } },
      ':s': { status: 'scored', label: 'NEGATIVE' },
    });
    expect(sentTexts()).toEqual(['I am [NAME], write to [EMAIL] about the broken box']);
  });

  it('keeps it pending and unscored while Comprehend still fails, counting the attempt', async () => {
    // Prepare
    db.on(QueryCommand).resolves({});
    db.on(QueryCommand, { ExpressionAttributeValues: { ':p': pendingValueOf(PENDING, 'r1') } }).resolves({
      Items: [{ id: 'r1', responseId: 'r1', surveyId: 'demo', receivedAt: '2026-11-20T10:00:00.000Z', expiresAt: 4_000_000_000, channel: 'web', answers: {}, locale: 'en', comment: 'I am Ana', redaction: { status: 'pending', attempts: 2 }, sentiment: { status: 'pending' }, sentimentPending: pendingValueOf(PENDING, 'r1'), storedAt: '' }],
    });
    db.on(UpdateCommand).resolves({});
    comprehend.on(DetectPiiEntitiesCommand).rejects(new InternalServerException({ message: 'down', $metadata: {} }));

    // Act
    await rescoreHandler({}, context);

    // Assess
    const values = db.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues;
    expect(values).toMatchObject({ ':s': { status: 'pending' }, ':r': { status: 'pending', attempts: 3 } });
    expect(sentTexts()).toEqual([]);
  });
});
