// integration: one bad record of an SQS batch fails alone (reported as a batch item failure, retried, DLQ after its
// receives); the others of the batch are stored. Real dynalite; Powertools' BatchProcessor as the process handler uses it.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { PutCommand } from '../../shared/aws/dynamodb.js';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../shared/clock.js';
import type { PiiRedactor } from '../../shared/privacy/port.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { makeProcessResponses, RecordNotStoredError } from '../../shared/response/process-responses.js';
import type { ResponseStore } from '../../shared/response/stored-response.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import type { SentimentAnalyzer } from '../../shared/sentiment/port.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import sqsBatch from '../events/sqs/responses-batch.json' with { type: 'json' };
import { startTestDynamo } from '../support/dynamo.js';
import { surveyWith } from '../support/fixtures.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let store: ResponseStore;

beforeAll(async () => {
  dynamo = await startTestDynamo('batch-failures');
  store = createDynamoResponseStore(dynamo.db, 'responses');
  await createDynamoSurveyStore(dynamo.db, 'surveys').put(surveyWith([{ id: 'nps', type: 'nps' }], { id: 'shop', privacy: { comments: 'keep' } }));
  // a survey whose stored definition no longer parses: reading it throws
  await dynamo.db.send(new PutCommand({ TableName: 'surveys', Item: { surveyId: 'broken', definition: { id: 'broken', questions: 'none' } } }));
});
afterAll(async () => {
  await dynamo?.close();
});

const neutral: SentimentAnalyzer = {
  analyze: async (requests) => requests.map(({ id }) => ({ id, status: 'scored', language: 'en', label: 'NEUTRAL', scores: { positive: 0.1, negative: 0.1, neutral: 0.7, mixed: 0.1 } })),
};

/** the fixture batch, its responses given fresh ids and the surveys named */
function batchFor(prefix: string, surveyIds: string[]): SQSEvent {
  const event = structuredClone(sqsBatch) as SQSEvent;
  event.Records.forEach((record, i) => {
    const body = JSON.parse(record.body) as Record<string, unknown>;
    record.body = JSON.stringify({ ...body, id: `${prefix}-${i}`, surveyId: surveyIds[i], channel: 'web', expiresAt: Math.floor(Date.now() / 1000) + 3600 });
  });
  return event;
}

async function processBatch(event: SQSEvent, redactor?: PiiRedactor) {
  const prepareBatch = makeProcessResponses({
    store,
    sentiment: neutral,
    dirty: createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets'),
    clock: systemClock,
    surveys: createDynamoSurveyStore(dynamo.db, 'surveys'),
    redactor,
  });
  const batch = await prepareBatch(event.Records.map(({ messageId, body }) => ({ messageId, body })));
  const errors: unknown[] = [];
  const result = await processPartialResponse(
    event,
    async (record: { messageId: string }) => {
      try {
        return await batch.store(record.messageId);
      } catch (error) {
        errors.push(error);
        throw error;
      }
    },
    new BatchProcessor(EventType.SQS),
  );
  return { result, errors };
}

const storedIds = async (surveyId: string) => (await store.listBySurvey({ surveyId, limit: 100, now: new Date() })).items.map((r) => r.id).sort();

describe('a batch with one bad record', () => {
  it('fails only the record whose survey cannot be read, and stores the others', async () => {
    // Prepare
    const event = batchFor('survey-fault', ['shop', 'broken', 'shop']);

    // Act
    const { result, errors } = await processBatch(event);

    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: event.Records[1]!.messageId }]);
    expect(await storedIds('shop')).toEqual(['survey-fault-0', 'survey-fault-2']);
    expect(await storedIds('broken')).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(RecordNotStoredError);
    expect(errors[0]).toMatchObject({ responseId: 'survey-fault-1', reason: expect.stringMatching(/^PreparationError: survey lookup failed/) });
  });

  it('fails only the record the redactor gave no outcome for, never storing its comment unredacted', async () => {
    // Prepare: the redactor drops the second comment's outcome; the survey redacts comments
    const event = batchFor('redaction-gap', ['shop', 'shop', 'shop']);
    const redacting = surveyWith([{ id: 'nps', type: 'nps' }], { id: 'shop' });
    await createDynamoSurveyStore(dynamo.db, 'surveys').put(redacting);
    const second = event.Records[1]!.messageId;
    const forgetful: PiiRedactor = {
      redact: async (requests) => requests.filter(({ id }) => id !== second).map(({ id, text }) => ({ id, status: 'redacted', text, found: {} })),
    };

    // Act
    const { result, errors } = await processBatch(event, forgetful);

    // Assess: the first has a comment and is stored redacted, the third has none
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: second }]);
    expect((await storedIds('shop')).filter((id) => id.startsWith('redaction-gap'))).toEqual(['redaction-gap-0', 'redaction-gap-2']);
    expect(errors[0]).toMatchObject({ responseId: 'redaction-gap-1', reason: expect.stringMatching(/no outcome/) });
  });

  it('fails only the records with a comment when the redactor rejects, and stores the one without', async () => {
    // Prepare
    const event = batchFor('redactor-down', ['shop', 'shop', 'shop']);
    const down: PiiRedactor = { redact: async () => Promise.reject(new Error('provider unreachable')) };

    // Act
    const { result } = await processBatch(event, down);

    // Assess: records 0 and 1 carry comments, record 2 has none
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([event.Records[0]!.messageId, event.Records[1]!.messageId]);
    expect((await storedIds('shop')).filter((id) => id.startsWith('redactor-down'))).toEqual(['redactor-down-2']);
  });
});
