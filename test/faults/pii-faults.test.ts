// faults: Comprehend DetectPiiEntities failing never lets an unredacted comment be stored or scored; the rescore
// schedule finishes the redaction once it recovers. Real handlers, aws-sdk-client-mock (the engines have no Comprehend).
import {
  BatchDetectDominantLanguageCommand,
  BatchDetectSentimentCommand,
  ComprehendClient,
  DetectPiiEntitiesCommand,
  InternalServerException,
  InvalidRequestException,
  TextSizeLimitExceededException,
  TooManyRequestsException,
} from '../../shared/aws/comprehend.js';
import { AwsServiceError } from '../../shared/aws/json-protocol.js';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '../../shared/aws/dynamodb.js';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockAws } from '../support/aws-mock.js';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PENDING, pendingValueOf } from '../../shared/response/response-indexes.js';
import { applyEntities, createComprehendPiiRedactor } from '../../shared/privacy/comprehend-redactor.js';
import sqsBatch from '../events/sqs/responses-batch.json' with { type: 'json' };
import { setCloudFunctionEnvironment } from '../support/cloud-function-environment.js';
import { oneAttemptCalls } from '../support/comprehend-calls.js';
import { createComprehendCalls } from '../../shared/sentiment/comprehend-calls.js';
import { COMPREHEND_RETRY } from '../../shared/sentiment/comprehend-limits.js';
import { virtualTimer } from '../support/virtual-timer.js';

setCloudFunctionEnvironment('process', 'rescore');

const db = mockAws(DynamoDBDocumentClient);
const comprehend = mockAws(ComprehendClient);
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

/** `locale: null`: a submission that sent none (an API client, say) */
function eventWith(comment: string, { locale = 'en-GB' as string | null } = {}): SQSEvent {
  const event = structuredClone(sqsBatch) as SQSEvent;
  const record = event.Records[0]!;
  const { locale: _, ...body } = JSON.parse(record.body) as Record<string, unknown>;
  record.body = JSON.stringify({ ...body, comment, ...(locale ? { locale } : {}) });
  return { Records: [record] };
}

/** Comprehend's dominant language for each text: `language` for all of them */
const detectsAs = (language: string) =>
  comprehend.on(BatchDetectDominantLanguageCommand).callsFake(({ TextList }: { TextList: string[] }) => ({
    ResultList: TextList.map((_, Index) => ({ Index, Languages: [{ LanguageCode: language, Score: 0.98 }] })),
    ErrorList: [],
  }));

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

describe('the Comprehend PII redactor, for a comment without a language', () => {
  it('detects an English one first, then finds its name, and says which language it found', async () => {
    // Prepare
    detectsAs('en');
    comprehend.on(DetectPiiEntitiesCommand).resolves({ Entities: [NAME_ENTITY] });
    const redactor = createComprehendPiiRedactor(new ComprehendClient({}), oneAttemptCalls());

    // Act
    const [outcome] = await redactor.redact([{ id: 'r1', text: COMMENT }]);

    // Assess: detected on the locally redacted text, so the e-mail address never reaches Comprehend
    expect(outcome).toEqual({ id: 'r1', status: 'redacted', text: 'I am [NAME], write to [EMAIL] about the broken box', found: { EMAIL: 1, NAME: 1 }, language: 'en' });
    expect(comprehend.commandCalls(BatchDetectDominantLanguageCommand).map((c) => c.args[0].input.TextList)).toEqual([['I am Ana Lopez, write to [EMAIL] about the broken box']]);
    expect(comprehend.commandCalls(DetectPiiEntitiesCommand).map((c) => c.args[0].input.LanguageCode)).toEqual(['en']);
  });

  it('leaves a language DetectPiiEntities does not take to the local redactor, and asks nothing of a comment that has its language', async () => {
    // Prepare
    detectsAs('de');
    const redactor = createComprehendPiiRedactor(new ComprehendClient({}), oneAttemptCalls());

    // Act
    const outcomes = await redactor.redact([
      { id: 'de', text: 'Schreiben Sie an max@example.de' },
      { id: 'fr', text: 'écrivez à jean@example.fr', language: 'fr' },
    ]);

    // Assess
    expect(outcomes).toEqual([
      { id: 'de', status: 'redacted', text: 'Schreiben Sie an [EMAIL]', found: { EMAIL: 1 }, language: 'de' },
      { id: 'fr', status: 'redacted', text: 'écrivez à [EMAIL]', found: { EMAIL: 1 } },
    ]);
    expect(comprehend.commandCalls(BatchDetectDominantLanguageCommand).map((c) => c.args[0].input.TextList)).toEqual([['Schreiben Sie an [EMAIL]']]);
    expect(comprehend.commandCalls(DetectPiiEntitiesCommand)).toHaveLength(0);
  });

  it('fails the redaction (to be retried) when the language cannot be detected for a fault, with the local redaction only', async () => {
    // Prepare
    comprehend.on(BatchDetectDominantLanguageCommand).rejects(new InternalServerException({ message: 'down', $metadata: {} }));
    const redactor = createComprehendPiiRedactor(new ComprehendClient({}), oneAttemptCalls());

    // Act
    const [outcome] = await redactor.redact([{ id: 'r1', text: COMMENT }]);

    // Assess
    expect(outcome).toEqual({ id: 'r1', status: 'failed', text: 'I am Ana Lopez, write to [EMAIL] about the broken box', found: { EMAIL: 1 }, reason: 'comprehend:InternalServerException' });
    expect(comprehend.commandCalls(DetectPiiEntitiesCommand)).toHaveLength(0);
  });
});

describe('the Comprehend PII redactor, when Comprehend does not redact', () => {
  it('marks a failure `rejected` only when Comprehend refused the document itself, never for a fault on the way', async () => {
    // Prepare: DetectPiiEntities answering each comment with its own error
    const errors: Record<string, () => Error> = {
      invalid: () => new InvalidRequestException({ message: 'invalid', $metadata: { httpStatusCode: 400 } }),
      'too long': () => new TextSizeLimitExceededException({ message: 'too long', $metadata: { httpStatusCode: 400 } }),
      throttled: () => new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }),
      'unmodeled throttling': () => Object.assign(new AwsServiceError('ThrottlingException', { $metadata: { httpStatusCode: 400 } }), { $retryable: { throttling: true } }),
      down: () => new InternalServerException({ message: 'down', $metadata: { httpStatusCode: 500 } }),
      reset: () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      // this account's fault, not the text's: fixing the grant finishes the comment
      denied: () => new AwsServiceError('AccessDeniedException', { $metadata: { httpStatusCode: 400 } }),
    };
    comprehend.on(DetectPiiEntitiesCommand).callsFake(({ Text }: { Text: string }) => {
      throw errors[Text]!();
    });
    const redactor = createComprehendPiiRedactor(new ComprehendClient({}), oneAttemptCalls());

    // Act
    const outcomes = await redactor.redact(Object.keys(errors).map((text) => ({ id: text, text, language: 'en' })));

    // Assess
    expect(outcomes.map((o) => [o.id, o.status, o.status === 'failed' && o.rejected === true, o.status === 'failed' && o.untried === true])).toEqual([
      ['invalid', 'failed', true, false],
      ['too long', 'failed', true, false],
      ['throttled', 'failed', false, false],
      ['unmodeled throttling', 'failed', false, false],
      ['down', 'failed', false, false],
      ['reset', 'failed', false, false],
      ['denied', 'failed', false, false],
    ]);
    expect(outcomes[0]).toMatchObject({ reason: 'comprehend:InvalidRequestException' });
  });

  it('marks `untried` the comments its instance\'s rate cap never let it send, and sends none of them', async () => {
    // Prepare: one call a second and no time to wait for a second slot
    comprehend.on(DetectPiiEntitiesCommand).resolves({ Entities: [] });
    const gate = createComprehendCalls({ callsPerSecond: 1, retry: { ...COMPREHEND_RETRY, budgetMs: 0 }, timer: virtualTimer() });
    const redactor = createComprehendPiiRedactor(new ComprehendClient({}), gate);

    // Act
    const outcomes = await redactor.redact(['a', 'b', 'c'].map((id) => ({ id, text: `comment ${id}`, language: 'en' })));

    // Assess
    expect(outcomes.map((o) => [o.id, o.status, o.status === 'failed' ? o.untried : undefined])).toEqual([
      ['a', 'redacted', undefined],
      ['b', 'failed', true],
      ['c', 'failed', true],
    ]);
    expect(outcomes.some((o) => o.status === 'failed' && o.rejected)).toBe(false);
    expect(comprehend.commandCalls(DetectPiiEntitiesCommand)).toHaveLength(1);
  });

  it('takes a language detection refused for one document as a rejection, and a service fault in its place as a fault', async () => {
    // Prepare: the second and third texts fail in ErrorList
    comprehend.on(BatchDetectDominantLanguageCommand).resolves({
      ResultList: [{ Index: 0, Languages: [{ LanguageCode: 'de', Score: 0.98 }] }],
      ErrorList: [
        { Index: 1, ErrorCode: 'InvalidRequestException', ErrorMessage: 'refused' },
        { Index: 2, ErrorCode: 'INTERNAL_SERVER_ERROR', ErrorMessage: 'down' },
      ],
    });
    const redactor = createComprehendPiiRedactor(new ComprehendClient({}), oneAttemptCalls());

    // Act
    const outcomes = await redactor.redact([{ id: 'fine', text: 'Guten Tag' }, { id: 'refused', text: 'Refused' }, { id: 'fault', text: 'Hit by a fault' }]);

    // Assess
    expect(outcomes).toEqual([
      { id: 'fine', status: 'redacted', text: 'Guten Tag', found: {}, language: 'de' },
      { id: 'refused', status: 'failed', text: 'Refused', found: {}, reason: 'comprehend-item:InvalidRequestException', rejected: true },
      { id: 'fault', status: 'failed', text: 'Hit by a fault', found: {}, reason: 'comprehend-item:INTERNAL_SERVER_ERROR' },
    ]);
  });
});

describe('process: a comment without a locale', () => {
  it('loses its name before it is stored, and is scored in the language the redactor detected, which is detected once', async () => {
    // Prepare
    detectsAs('en');
    comprehend.on(DetectPiiEntitiesCommand).resolves({ Entities: [NAME_ENTITY] });
    db.on(PutCommand).resolves({});

    // Act
    const result = await processHandler(eventWith(COMMENT, { locale: null }), context);

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    const [item] = stored();
    expect(item).toMatchObject({ comment: 'I am [NAME], write to [EMAIL] about the broken box', redaction: { status: 'redacted', found: { EMAIL: 1, NAME: 1 } }, sentiment: { status: 'scored', label: 'NEGATIVE', language: 'en' } });
    expect(item?.locale).toBeUndefined();
    expect(comprehend.commandCalls(BatchDetectDominantLanguageCommand)).toHaveLength(1);
    expect(comprehend.commandCalls(BatchDetectSentimentCommand).map((c) => c.args[0].input.LanguageCode)).toEqual(['en']);
    expect(JSON.stringify(stored())).not.toContain('Ana Lopez');
  });
});

describe('process: a comment whose locale names no language (und, xx, qaa)', () => {
  it.each(['und', 'xx', 'qaa'])('is detected as English, loses its name and is scored as English (%s)', async (locale) => {
    // Prepare
    detectsAs('en');
    comprehend.on(DetectPiiEntitiesCommand).resolves({ Entities: [NAME_ENTITY] });
    db.on(PutCommand).resolves({});

    // Act
    const result = await processHandler(eventWith(COMMENT, { locale }), context);

    // Assess: the locale is kept as given; the language is Comprehend's, asked once, for the redaction and the scoring
    expect(result.batchItemFailures).toEqual([]);
    const [item] = stored();
    expect(item).toMatchObject({ locale, comment: 'I am [NAME], write to [EMAIL] about the broken box', redaction: { status: 'redacted', found: { EMAIL: 1, NAME: 1 } }, sentiment: { status: 'scored', label: 'NEGATIVE', language: 'en' } });
    expect(comprehend.commandCalls(BatchDetectDominantLanguageCommand)).toHaveLength(1);
    expect(comprehend.commandCalls(DetectPiiEntitiesCommand).map((c) => c.args[0].input.LanguageCode)).toEqual(['en']);
    expect(JSON.stringify(stored())).not.toContain('Ana Lopez');
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
    // the pending index holds an item, which its own shard's query alone answers
    db.on(ScanCommand).resolves({ Count: 1 });
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

  it('keeps it pending and unscored while Comprehend still fails, counting the attempt and waiting before the next', async () => {
    // Prepare
    db.on(ScanCommand).resolves({ Count: 1 });
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
    // a 5xx is a fault, not a refusal: counted for the backoff (4 minutes after a third failure), never toward local-only
    expect(values).toMatchObject({ ':s': { status: 'pending' }, ':r': { status: 'pending', attempts: 3 } });
    expect(values?.[':r']).not.toHaveProperty('rejections');
    const wait = Date.parse(values?.[':s'].nextAttemptAt) - Date.now();
    expect(wait).toBeGreaterThan(3 * 60_000);
    expect(wait).toBeLessThanOrEqual(4 * 60_000);
    expect(sentTexts()).toEqual([]);
  });
});
