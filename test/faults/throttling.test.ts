// faults: throttling at every step of the process step (PII redaction, language detection, sentiment, the response's
// put, the bucket's dirty mark) loses nothing and delays by a bounded amount. The process use case runs with its real
// Comprehend and DynamoDB adapters on clients mocked with aws-sdk-client-mock (the engines cannot throttle); the
// Comprehend call gate runs on virtual time, so attempts and waits are counted, never slept. The SDK's own retries
// never run under the mock: Comprehend's are off by design (the gate retries), DynamoDB's would only add attempts
// before the same outcome, a record failure the queue redelivers.
import {
  BatchDetectDominantLanguageCommand,
  BatchDetectSentimentCommand,
  ComprehendClient,
  DetectPiiEntitiesCommand,
  TooManyRequestsException,
} from '../../shared/aws/comprehend.js';
import { ConditionalCheckFailedException, DynamoDBClient, ProvisionedThroughputExceededException, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '../../shared/aws/dynamodb.js';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockAws } from '../support/aws-mock.js';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../functions/commons/powertools.js';
import { makeProcessBatch } from '../../functions/process/batch.js';
import { topology } from '../../infra/topology.js';
import { createComprehendPiiRedactor } from '../../shared/privacy/comprehend-redactor.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { makeProcessResponses } from '../../shared/response/process-responses.js';
import { coalescingDirtyBuckets } from '../../shared/rollup/coalescing-dirty-buckets.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { createComprehendSentimentAnalyzer } from '../../shared/sentiment/comprehend-analyzer.js';
import { createComprehendCalls } from '../../shared/sentiment/comprehend-calls.js';
import { COMPREHEND_RETRY } from '../../shared/sentiment/comprehend-limits.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import sqsBatch from '../events/sqs/responses-batch.json' with { type: 'json' };
import { virtualTimer, type VirtualTimer } from '../support/virtual-timer.js';

const db = mockAws(DynamoDBDocumentClient);
const comprehend = mockAws(ComprehendClient);
const context = { functionName: 'process', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
const { maxReceiveCount, visibilityTimeoutSeconds } = topology.queues.responses;

// what DynamoDB holds: responses by id (conditional puts honoured), dirty marks by bucket
let responses: Map<string, Record<string, any>>;
let marks: Set<string>;

const comprehendThrottled = () => new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
const comprehendUnavailable = () => Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailableException', $fault: 'server', $metadata: { httpStatusCode: 503 } });
const dynamoThrottled = () => new ProvisionedThroughputExceededException({ message: 'throughput exceeded', $metadata: { httpStatusCode: 400 } });
const dynamoThrottling = () => Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 } });

/** a step that fails `times` times with `fault`, then works; counts its calls */
function flaky(times: number, fault: () => unknown) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    /** throws while the fault lasts */
    check() {
      calls += 1;
      if (calls <= times) throw fault();
    },
  };
}

type Step = 'redaction' | 'language' | 'sentiment' | 'put' | 'mark';
let faults: Partial<Record<Step, ReturnType<typeof flaky>>>;

beforeEach(() => {
  // each failed record is logged by its ids and reason (aws-faults.test.ts checks what); quiet here
  vi.spyOn(logger, 'error').mockImplementation(() => undefined);
  db.reset();
  comprehend.reset();
  responses = new Map();
  marks = new Set();
  faults = {};
  // no survey stored: the safe defaults (comments redacted, no follow-up)
  db.on(GetCommand).resolves({});
  const write = ({ TableName, Item, Key, ConditionExpression }: { TableName?: string; Item?: Record<string, any>; Key?: Record<string, any>; ConditionExpression?: string }) => {
    if (TableName === 'responses') {
      faults.put?.check();
      const id = (Item ?? Key)!.responseId as string;
      if (ConditionExpression?.startsWith('attribute_not_exists(responseId)') && !ConditionExpression.includes(' OR ') && responses.has(id)) {
        throw new ConditionalCheckFailedException({ message: 'exists', $metadata: {} });
      }
      responses.set(id, { ...responses.get(id), ...Item });
    } else if (TableName === 'dirtyBuckets') {
      faults.mark?.check();
      marks.add(String((Item ?? Key)!.bucketId));
    }
    return {};
  };
  db.on(PutCommand).callsFake(write);
  db.on(UpdateCommand).callsFake(write);
  comprehend.on(DetectPiiEntitiesCommand).callsFake(() => {
    faults.redaction?.check();
    return { Entities: [] };
  });
  comprehend.on(BatchDetectDominantLanguageCommand).callsFake(({ TextList = [] }: { TextList?: string[] }) => {
    faults.language?.check();
    return { ResultList: TextList.map((_, Index) => ({ Index, Languages: [{ LanguageCode: 'en', Score: 0.99 }] })), ErrorList: [] };
  });
  comprehend.on(BatchDetectSentimentCommand).callsFake(({ TextList = [] }: { TextList?: string[] }) => {
    faults.sentiment?.check();
    return {
      ResultList: TextList.map((_, Index) => ({ Index, Sentiment: 'NEGATIVE', SentimentScore: { Positive: 0.02, Negative: 0.95, Neutral: 0.02, Mixed: 0.01 } })),
      ErrorList: [],
    };
  });
});

/** the process function as deployed, its Comprehend gate on `timer` */
function processFunction(timer: VirtualTimer, callsPerSecond?: number) {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const client = new ComprehendClient({ region: 'us-east-1' });
  const gate = createComprehendCalls({ timer, ...(callsPerSecond ? { callsPerSecond } : {}) });
  return makeProcessBatch(
    makeProcessResponses({
      store: createDynamoResponseStore(documents, 'responses'),
      sentiment: createComprehendSentimentAnalyzer(client, gate),
      redactor: createComprehendPiiRedactor(client, gate),
      dirty: coalescingDirtyBuckets(createDynamoDirtyBuckets(documents, 'dirtyBuckets')),
      clock: { now: () => new Date('2026-11-20T10:05:00.000Z') },
      surveys: createDynamoSurveyStore(documents, 'surveys'),
    }),
  );
}

/**
 * SQS as the event source sees it: delivers the batch, then redelivers the records it reported failed (all of them
 * when the invocation fails) after the visibility timeout, until none fails or a record reaches maxReceiveCount
 */
async function deliver(process: ReturnType<typeof processFunction>, event: SQSEvent) {
  let records = event.Records;
  let deliveries = 0;
  while (records.length > 0 && deliveries < maxReceiveCount) {
    deliveries += 1;
    const failed = await process({ Records: records }, context).then(
      ({ batchItemFailures }) => new Set(batchItemFailures.map((failure) => failure.itemIdentifier)),
      () => new Set(records.map((record) => record.messageId)),
    );
    records = records.filter((record: SQSRecord) => failed.has(record.messageId));
  }
  return { deliveries, dlq: records.length, delaySeconds: (deliveries - 1) * visibilityTimeoutSeconds };
}

/**
 * the fixture batch: an English comment, a comment without a locale (its language detected, English), no comment;
 * both comments go to DetectPiiEntities, side by side
 */
const batch = () => structuredClone(sqsBatch) as SQSEvent;
const ids = ['resp-0001', 'resp-0002', 'resp-0003'];

describe('throttling while a batch is processed', () => {
  // `calls`, `waits`: the redaction step's two calls (one per comment) run side by side, so the two faults fall one on
  // each and each waits once; the language and sentiment steps make one call, retried twice
  it.each<[Step, () => unknown, { calls: number; waits: number[] }]>([
    ['redaction', comprehendThrottled, { calls: 4, waits: [200, 200] }],
    ['language', comprehendThrottled, { calls: 3, waits: [200, 400] }],
    ['sentiment', comprehendUnavailable, { calls: 3, waits: [200, 400] }],
  ])('a Comprehend %s call throttled twice is retried inside the batch: everything stored and scored, in bounded time', async (step, fault, expected) => {
    // Prepare
    const timer = virtualTimer();
    faults[step] = flaky(2, fault);

    // Act
    const { deliveries, dlq } = await deliver(processFunction(timer), batch());

    // Assess: one delivery, three attempts, waits at the backoff ceilings (random = 1)
    expect(deliveries).toBe(1);
    expect(dlq).toBe(0);
    expect(faults[step]!.calls).toBe(expected.calls);
    expect(timer.sleeps.filter((ms) => ms >= 200)).toEqual(expected.waits);
    expect([...responses.keys()].sort()).toEqual(ids);
    expect(responses.get('resp-0001')?.sentiment).toMatchObject({ status: 'scored', label: 'NEGATIVE' });
    expect(responses.get('resp-0002')?.sentiment).toMatchObject({ status: 'scored', label: 'NEGATIVE' });
    expect(marks).toEqual(new Set(['demo#2026-11-20T10:00']));
  });

  it.each<[Step, string[]]>([
    // a comment whose redaction is pending is neither scored nor followed up: its sentiment waits with it
    ['redaction', ['resp-0001', 'resp-0002']],
    // the language of the comment without a locale is what its redaction needs first
    ['language', ['resp-0002']],
    ['sentiment', ['resp-0001', 'resp-0002']],
  ])('a Comprehend %s call that stays throttled stores the responses pending, never fails the batch', async (step, pending) => {
    // Prepare
    const timer = virtualTimer();
    faults[step] = flaky(Number.POSITIVE_INFINITY, comprehendThrottled);

    // Act
    const { deliveries, dlq } = await deliver(processFunction(timer), batch());

    // Assess: stored on the first delivery, the throttled ones pending for the rescore schedule
    expect(deliveries).toBe(1);
    expect(dlq).toBe(0);
    expect([...responses.keys()].sort()).toEqual(ids);
    for (const id of pending) expect(responses.get(id), id).toMatchObject({ sentiment: { status: 'pending' }, sentimentPending: expect.stringMatching(/^pending#[0-7]$/) });
    if (step !== 'sentiment') for (const id of pending) expect(responses.get(id)?.redaction, id).toMatchObject({ status: 'pending' });
    expect(marks).toEqual(new Set(['demo#2026-11-20T10:00']));
    // bounded: at most maxAttempts per call, and no more waiting than the gate's budget for each of redaction and sentiment
    expect(faults[step]!.calls).toBe(COMPREHEND_RETRY.maxAttempts * (step === 'redaction' ? 2 : 1));
    expect(timer.elapsed()).toBeLessThanOrEqual(2 * COMPREHEND_RETRY.budgetMs);
  });

  it.each<[Step, string, () => unknown]>([
    ['put', 'ProvisionedThroughputExceededException', dynamoThrottled],
    ['put', 'ThrottlingException', dynamoThrottling],
    ['mark', 'ProvisionedThroughputExceededException', dynamoThrottled],
    ['mark', 'ThrottlingException', dynamoThrottling],
  ])('a DynamoDB %s throttled (%s) on two deliveries is redelivered by the queue until stored, once, and marked', async (step, _, fault) => {
    // Prepare: every write of that step fails during the first two deliveries
    const timer = virtualTimer();
    const process = processFunction(timer);
    const failFor = step === 'put' ? 3 * 2 : 2;
    faults[step] = flaky(failFor, fault);

    // Act
    const { deliveries, dlq, delaySeconds } = await deliver(process, batch());

    // Assess: nothing reaches the DLQ, each response is stored once and its bucket marked after its put
    expect(dlq).toBe(0);
    expect(deliveries).toBe(3);
    expect([...responses.keys()].sort()).toEqual(ids);
    expect(marks).toEqual(new Set(['demo#2026-11-20T10:00']));
    // bounded: two visibility timeouts, and within the receives before the DLQ
    expect(deliveries).toBeLessThan(maxReceiveCount);
    expect(delaySeconds).toBe(2 * visibilityTimeoutSeconds);
  });

  it('a put throttled for one record fails that record alone; the others are stored on the first delivery', async () => {
    // Prepare: the second response's put is throttled once
    const timer = virtualTimer();
    let throttledOnce = false;
    db.on(PutCommand, { TableName: 'responses', Item: { responseId: 'resp-0002' } } as never).callsFake(({ Item }: { Item: Record<string, any> }) => {
      if (!throttledOnce) {
        throttledOnce = true;
        throw dynamoThrottled();
      }
      responses.set(Item.responseId, Item);
      return {};
    });

    // Act
    const first = await processFunction(timer)(batch(), context);

    // Assess
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: batch().Records[1]!.messageId }]);
    expect([...responses.keys()].sort()).toEqual(['resp-0001', 'resp-0003']);
  });

  it('the instance\'s Comprehend rate cap holds a batch of 25 English comments to the rate; what does not fit the budget is stored pending', async () => {
    // Prepare: 25 English comments, at 2 calls a second (16 fit in the 8 s budget, 2 more in the bucket's first second)
    const timer = virtualTimer();
    const template = batch().Records[0]!;
    const event: SQSEvent = {
      Records: Array.from({ length: 25 }, (_, i) => ({
        ...template,
        messageId: `m-${i}`,
        body: JSON.stringify({ ...JSON.parse(template.body), id: `resp-${i}`, comment: `Comment number ${i}` }),
      })),
    };

    // Act
    const { deliveries, dlq } = await deliver(processFunction(timer, 2), event);

    // Assess: every response stored on the first delivery; those redacted by Comprehend are scored, the rest pending
    expect(deliveries).toBe(1);
    expect(dlq).toBe(0);
    expect(responses.size).toBe(25);
    const redacted = [...responses.values()].filter((r) => r.redaction?.status === 'redacted');
    const pending = [...responses.values()].filter((r) => r.redaction?.status === 'pending');
    expect(redacted.length + pending.length).toBe(25);
    expect(comprehend.commandCalls(DetectPiiEntitiesCommand)).toHaveLength(redacted.length);
    expect(redacted.length).toBeLessThanOrEqual(2 + 2 * (COMPREHEND_RETRY.budgetMs / 1000));
    expect(pending.length).toBeGreaterThan(0);
    for (const r of pending) expect(r).toMatchObject({ sentiment: { status: 'pending' }, sentimentPending: expect.stringMatching(/^pending#[0-7]$/) });
    expect(timer.elapsed()).toBeLessThanOrEqual(2 * COMPREHEND_RETRY.budgetMs);
  });
});
