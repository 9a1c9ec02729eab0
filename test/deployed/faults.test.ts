// deploy-faithful: the platform's promise under the faults a deployed stack meets. "A 202 is a promise: an
// acknowledged response is always stored; a fault never loses an acknowledged response and never counts one twice."
// AWS calls answered with the service's error (throttling, an outage) and sandboxes that die mid-invocation are armed
// at the runner's AWS endpoint (infra/deployed/fault-plan.ts); what Lambda and API Gateway then do is the runner's:
// a failed batch comes back after its visibility timeout (1 s here), a failed integration answers 500. The oracle is
// the public API: the responses a survey lists and the metrics it reports.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { responseIdFor } from '../../shared/response/response-id.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { startTestDeployedRunner } from '../support/deployed-runner.js';
import { eventually, listAll, request } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startTestDeployedRunner>>;
const ORIGIN = 'https://shop.example';
/**
 * the Rollup's Timeout, down from the template's 120 s: a run killed mid-way holds its run lease until its deadline
 * plus a margin, and the test waits for that. The rollup's settle time is 0: dynalite's indexes are synchronous
 */
const ROLLUP_TIMEOUT_SECONDS = 4;

beforeAll(async () => {
  env = await startTestDeployedRunner({ functionOverrides: { Rollup: { timeoutSeconds: ROLLUP_TIMEOUT_SECONDS, environment: { ROLLUP_SETTLE_SECONDS: '0' } } } });
}, 600_000);
afterEach(() => env.runner.clearFaults());
afterAll(async () => {
  await env?.close();
});

const tableNamed = (logicalIdPrefix: string) => env.runner.shape.tables.find((table) => table.logicalId.startsWith(logicalIdPrefix))!.name;
/** a PutItem's input on the table, for the item with this responseId (any when absent) */
const putOf = (table: string, responseId?: string) => (input: Record<string, unknown>) =>
  input.TableName === table && (responseId === undefined || (input.Item as { responseId?: { S?: string } } | undefined)?.responseId?.S === responseId);

/** invocations of the function that ended without an answer: Lambda's REPORT line with a Status (the sandbox died) */
const sandboxDeaths = (displayName: string) => env.runner.logsOf(displayName).filter((line) => line.startsWith('REPORT') && line.includes('\tStatus: error')).length;

async function putSurvey(id: string): Promise<void> {
  const reply = await request(env.runner, 'PUT', `/v1/surveys/${id}`, { admin: true, body: { ...demoSurvey([ORIGIN]), id } });
  if (reply.status !== 200) throw new Error(`PUT survey ${id}: ${reply.status} ${JSON.stringify(reply.body)}`);
}

const submit = (surveyId: string, idempotencyKey: string) =>
  request(env.runner, 'POST', '/v1/responses', {
    headers: { origin: ORIGIN },
    body: { surveyId, channel: 'web', idempotencyKey, locale: 'en', answers: { nps: 9, csat: 4 }, comment: 'Great service, fast delivery' },
  });

/** one after the other (the runner runs at most 4 ingest sandboxes at once, and a fifth request would be throttled) */
async function submitAll(surveyId: string, keys: string[]) {
  const replies = [];
  for (const key of keys) replies.push(await submit(surveyId, key));
  return replies;
}

/** submitted while the process function's event source is disabled: enabled again, it takes them as one batch */
async function submitAsOneBatch(surveyId: string, keys: string[]) {
  await env.runner.setEventSourceEnabled('Process', false);
  try {
    return await submitAll(surveyId, keys);
  } finally {
    await env.runner.setEventSourceEnabled('Process', true);
  }
}

/** the survey's responses once the queue is drained, `count` are stored and none of them waits for its sentiment */
const settled = (surveyId: string, count: number) =>
  eventually(async () => {
    if ((await env.runner.queueDepth('ResponsesQueue')) > 0) return undefined;
    const all = await listAll(env.runner, surveyId);
    return all.length >= count && all.every((r) => r.sentiment?.status !== 'pending') ? all : undefined;
  }, 30_000, `${count} settled responses of ${surveyId}`);

/**
 * the survey's response count in its metrics once the queue is drained and the rollup has no mark left: every
 * response stored and rolled up, so a count past the stored responses is a double count, not one still on its way
 */
async function countedInMetrics(surveyId: string): Promise<number> {
  await eventually(async () => ((await env.runner.queueDepth('ResponsesQueue')) === 0 ? true : undefined), 30_000, 'the responses queue drained');
  await eventually(async () => {
    const run = (await env.runner.triggerSchedule('Rollup')) as { left?: number };
    return run.left === 0 ? true : undefined;
  }, 30_000, 'a rollup run that left no mark');
  const metrics = await request(env.runner, 'GET', `/v1/surveys/${surveyId}/metrics?interval=day`, { admin: true });
  expect(metrics.status).toBe(200);
  return metrics.body.totals.metrics.responses;
}

describe('the deployed shape under faults', { timeout: 90_000 }, () => {
  it.each(['ServiceUnavailable', 'ThrottlingException'] as const)('answers a 5xx, not 202, when the queue answers the send %s, and stores the retry with the same key once', async (error) => {
    // Prepare: SQS failing the SDK's three attempts of the ingest's send
    const surveyId = `faults-send-${error.toLowerCase()}`;
    await putSurvey(surveyId);
    env.runner.failAwsCalls({ function: 'Ingest', operation: 'sqs:SendMessageBatch', error, times: 3 });

    // Act: the client's request during the outage, then its retry with the same idempotency key
    const refused = await submit(surveyId, 'order-send-0001');
    const struck = env.runner.pendingFaults();
    const retried = await submit(surveyId, 'order-send-0001');
    const stored = await settled(surveyId, 1);
    const counted = await countedInMetrics(surveyId);

    // Assess: never acknowledged while the send failed; the retry is one stored, one counted response
    expect(struck).toBe(0);
    expect(refused.status).toBe(500);
    expect(refused.body).toEqual({ error: 'internal error', details: [], requestId: expect.any(String) });
    // the id the client can quote finds the bundle's own log line of that request (docs/operations.md)
    const quoted = env.runner.logsOf('Ingest').filter((line) => line.includes('"unhandled error"') && line.includes(`"correlation_id":"${refused.body.requestId}"`));
    expect(quoted).toHaveLength(1);
    expect(retried.status).toBe(202);
    expect(stored.map((r) => r.id)).toEqual([retried.body.id]);
    expect(counted).toBe(1);
  });

  it('stores once and counts once a response whose ingest sandbox died after the send, when the client retries', async () => {
    // Prepare: the ingest's sandbox dies once SQS has taken its message, before it answers
    const surveyId = 'faults-ingest-dies';
    await putSurvey(surveyId);
    env.runner.dieAfterAwsCall({ function: 'Ingest', operation: 'sqs:SendMessageBatch' });

    // Act
    const failed = await submit(surveyId, 'order-dies-0001');
    const retried = await submit(surveyId, 'order-dies-0001');
    // both messages are on the queue: the first (never acknowledged) and the retry's
    const stored = await settled(surveyId, 1);
    const counted = await countedInMetrics(surveyId);

    // Assess: the client saw API Gateway's error for the dead integration, then a 202 for the retry
    expect(env.runner.pendingFaults()).toBe(0);
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({ message: 'Internal Server Error' });
    expect(retried.status).toBe(202);
    expect(stored.map((r) => r.id)).toEqual([retried.body.id]);
    expect(counted).toBe(1);
  });

  it('retries the records whose writes DynamoDB throttled as partial batch failures, and stores and counts each response once', async () => {
    // Prepare: two of a batch of five responses' puts throttled for every SDK attempt of their first delivery
    const surveyId = 'faults-throttled';
    await putSurvey(surveyId);
    const keys = Array.from({ length: 5 }, (_, i) => `order-throttled-${i}`);
    const throttledIds = keys.slice(0, 2).map((key) => responseIdFor(surveyId, key));
    for (const id of throttledIds) {
      env.runner.failAwsCalls({ function: 'Process', operation: 'dynamodb:PutItem', error: 'ProvisionedThroughputExceededException', times: 3, when: putOf(tableNamed('ResponsesTable'), id) });
    }

    // Act
    const accepted = await submitAsOneBatch(surveyId, keys);
    const stored = await settled(surveyId, keys.length);
    const counted = await countedInMetrics(surveyId);

    // Assess: the throttled records were reported failed (the others of their batch stored), came back and were stored
    const notStored = env.runner.logsOf('Process').filter((line) => line.includes('response not stored'));
    expect(env.runner.pendingFaults()).toBe(0);
    expect(accepted.map((reply) => reply.status)).toEqual(keys.map(() => 202));
    for (const id of throttledIds) expect(notStored.filter((line) => line.includes(id) && line.includes('ProvisionedThroughputExceededException'))).toHaveLength(1);
    expect(stored.map((r) => r.id).sort()).toEqual(accepted.map((reply) => reply.body.id).sort());
    expect(counted).toBe(keys.length);
  });

  it('redelivers the whole batch when the process sandbox dies mid-batch, and stores each response once with its sentiment', async () => {
    // Prepare: the process sandbox dies once two responses of its batch of five are stored
    const surveyId = 'faults-process-dies';
    await putSurvey(surveyId);
    const keys = Array.from({ length: 5 }, (_, i) => `order-crash-${i}`);
    env.runner.dieAfterAwsCall({ function: 'Process', operation: 'dynamodb:PutItem', after: 2, when: putOf(tableNamed('ResponsesTable')) });
    const diedBefore = sandboxDeaths('Process');

    // Act
    const accepted = await submitAsOneBatch(surveyId, keys);
    const stored = await settled(surveyId, keys.length);
    const counted = await countedInMetrics(surveyId);

    // Assess: the sandbox died (Lambda's REPORT line of an invocation that ended with it), and the redelivery stored
    // every response once, scored
    expect(env.runner.pendingFaults()).toBe(0);
    expect(sandboxDeaths('Process')).toBeGreaterThan(diedBefore);
    expect(accepted.map((reply) => reply.status)).toEqual(keys.map(() => 202));
    expect(stored.map((r) => r.id).sort()).toEqual(accepted.map((reply) => reply.body.id).sort());
    for (const response of stored) expect(response.sentiment).toMatchObject({ status: 'scored', label: 'POSITIVE' });
    expect(counted).toBe(keys.length);
  });

  it('stores responses pending while Comprehend is unavailable to the process function, and the rescore schedule redacts and scores them later', async () => {
    // Prepare: the process function's PII calls unavailable and its sentiment calls throttled, until the test lifts it
    const surveyId = 'faults-comprehend';
    await putSurvey(surveyId);
    env.runner.failAwsCalls({ function: 'Process', operation: 'comprehend:DetectPiiEntities', error: 'ServiceUnavailable', times: 1_000 });
    env.runner.failAwsCalls({ function: 'Process', operation: 'comprehend:BatchDetectSentiment', error: 'ThrottlingException', times: 1_000 });

    // Act
    const accepted = await submitAll(surveyId, ['order-comprehend-0', 'order-comprehend-1']);
    const pending = await eventually(async () => {
      const all = await listAll(env.runner, surveyId);
      return all.length === 2 ? all : undefined;
    }, 30_000, 'both responses stored');
    env.runner.clearFaults();
    const scored = await eventually(async () => {
      await env.runner.triggerSchedule('Rescore');
      const all = await listAll(env.runner, surveyId);
      return all.every((r) => r.sentiment?.status === 'scored' && r.redaction?.status === 'redacted') ? all : undefined;
    }, 30_000, 'both responses redacted and scored');
    const counted = await countedInMetrics(surveyId);

    // Assess
    expect(accepted.map((reply) => reply.status)).toEqual([202, 202]);
    for (const response of pending) expect(response).toMatchObject({ redaction: { status: 'pending' }, sentiment: { status: 'pending' } });
    for (const response of scored) expect(response.sentiment).toMatchObject({ status: 'scored', label: 'POSITIVE' });
    expect(scored.map((r) => r.id).sort()).toEqual(accepted.map((reply) => reply.body.id).sort());
    expect(counted).toBe(2);
  });

  it('completes the rollup after a run that died mid-way, once its lease has expired, without counting twice', async () => {
    // Prepare: three stored responses, and a rollup sandbox that dies once it has written its first aggregate
    const surveyId = 'faults-rollup-dies';
    await putSurvey(surveyId);
    const accepted = await submitAll(surveyId, ['order-rollup-0', 'order-rollup-1', 'order-rollup-2']);
    await settled(surveyId, 3);
    await eventually(async () => ((await env.runner.queueDepth('ResponsesQueue')) === 0 ? true : undefined), 30_000, 'the responses queue drained');
    env.runner.dieAfterAwsCall({ function: 'Rollup', operation: 'dynamodb:PutItem', when: (input) => input.TableName === tableNamed('AggregatesTable') });

    // Act: the run that dies; the next, while its lease still stands; then runs until one is not skipped
    const died = await env.runner.triggerSchedule('Rollup').then(
      () => undefined,
      (error: Error) => error.name,
    );
    const blocked = await env.runner.triggerSchedule('Rollup');
    const completed = await eventually(async () => {
      const run = (await env.runner.triggerSchedule('Rollup')) as { skipped?: string };
      return run.skipped === undefined ? run : undefined;
    }, 60_000, 'a rollup run past the dead run\'s lease');
    const counted = await countedInMetrics(surveyId);

    // Assess
    expect(accepted.map((reply) => reply.status)).toEqual([202, 202, 202]);
    expect(died).toBe('Runtime.ExitError');
    expect(blocked).toEqual({ skipped: 'previous run still in progress' });
    expect(completed).toMatchObject({ minutesRecomputed: expect.any(Number) });
    expect(counted).toBe(3);
  });

  it('made no AWS call that a function’s role does not allow, and every function started', () => {
    // Assess: faults made functions fail, never call what their role does not allow or fail to start
    expect(env.runner.denials).toEqual([]);
    expect(env.runner.initFailures).toEqual([]);
  });
});
