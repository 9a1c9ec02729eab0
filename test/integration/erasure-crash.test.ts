// integration: an erasure that dies between any two of its writes to a response (out of the rollup's view → bucket
// mark → delete) never leaves the erased answers counted: called again, it finishes, and the next rollup recomputes
// the hour without them, even when a rollup ran in between. Real dynalite, the real rollup.
import type { DynamoDBDocumentClient } from '../../shared/aws/dynamodb.js';
import { DeleteCommand, UpdateCommand } from '../../shared/aws/dynamodb.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../shared/clock.js';
import { makeEraseCustomer } from '../../shared/privacy/customer-data.js';
import { responsesHolder } from '../../shared/privacy/dynamo-customer-data.js';
import { createDynamoErasureMarkers } from '../../shared/privacy/dynamo-erasure-markers.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { makeProcessResponses } from '../../shared/response/process-responses.js';
import type { ResponseStore } from '../../shared/response/stored-response.js';
import type { AggregateStore } from '../../shared/rollup/aggregate-store.js';
import type { DirtyBuckets } from '../../shared/rollup/dirty-buckets.js';
import { createDynamoAggregateStore } from '../../shared/rollup/dynamo-aggregate-store.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { makeRollUp } from '../../shared/rollup/roll-up.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import type { SurveyStore } from '../../shared/survey/survey-store.js';
import { startTestDynamo } from '../support/dynamo.js';
import { surveyWith } from '../support/fixtures.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let responses: ResponseStore;
let aggregates: AggregateStore;
let dirty: DirtyBuckets;
let surveys: SurveyStore;
const clock: Clock = { now: () => new Date() };

beforeAll(async () => {
  dynamo = await startTestDynamo('erasure-crash');
  responses = createDynamoResponseStore(dynamo.db, 'responses');
  aggregates = createDynamoAggregateStore(dynamo.db, 'aggregates');
  dirty = createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets');
  surveys = createDynamoSurveyStore(dynamo.db, 'surveys');
});
afterAll(async () => {
  await dynamo?.close();
});

const rollUp = () => makeRollUp({ responses, aggregates, dirty, surveys, clock, settleSeconds: 0 })();
const eraseWith = (db: DynamoDBDocumentClient, marks: DirtyBuckets) =>
  makeEraseCustomer({ holders: [responsesHolder(db, 'responses', marks, clock)], markers: createDynamoErasureMarkers(dynamo.db, 'erasures'), clock });
const hourCount = async (surveyId: string, hour: string) => (await aggregates.list(surveyId, 'hour', hour, hour))[0]?.total.responses;

describe('an erasure that dies between two of its writes', () => {
  it('is finished by calling it again: the hour is recomputed without the erased answers, a rollup in between or not', async () => {
    // every write of erasing one response, in order: out of the rollup's view, bucket mark, delete
    const results = [];
    for (let dieAt = 1; dieAt <= 3; dieAt += 1) {
      // Prepare: one response of the customer and one of someone else in the same hour, rolled up
      const surveyId = `erase-${dieAt}`;
      const hour = `2026-11-12T0${dieAt}`;
      await surveys.put(surveyWith([{ id: 'nps', type: 'nps' }], { id: surveyId }));
      const messages = [`cust-${dieAt}`, 'someone-else'].map((customerRef, i) => ({
        messageId: `m-${surveyId}-${i}`,
        body: JSON.stringify({ id: `${surveyId}-${i}`, surveyId, receivedAt: `${hour}:10:0${i}.000Z`, expiresAt: Math.floor(Date.now() / 1000) + 86_400, channel: 'web', answers: { nps: 3 + i }, customerRef }),
      }));
      const batch = await makeProcessResponses({ store: responses, sentiment: { analyze: async () => [] }, dirty, clock })(messages);
      for (const { messageId } of messages) await batch.store(messageId);
      await rollUp();
      const before = await hourCount(surveyId, hour);
      let writes = 0;
      const beforeWrite = () => {
        writes += 1;
        if (writes === dieAt) throw new Error(`killed before write ${dieAt}`);
      };
      const dyingDb = {
        send: async (command: unknown) => {
          if (command instanceof UpdateCommand || command instanceof DeleteCommand) beforeWrite();
          return dynamo.db.send(command as UpdateCommand);
        },
      } as unknown as DynamoDBDocumentClient;
      const dyingDirty: DirtyBuckets = { ...dirty, mark: async (...args) => (beforeWrite(), dirty.mark(...args)) };

      // Act: the erasure dies; a rollup runs; the erasure is called again; the next rollup
      const dead = await eraseWith(dyingDb, dyingDirty)({ value: `cust-${dieAt}` }).catch((error: Error) => error.message);
      await rollUp();
      const again = await eraseWith(dynamo.db, dirty)({ value: `cust-${dieAt}` });
      await rollUp();

      // Assess (below)
      results.push({ dieAt, before, dead, erasedAgain: again.erased.responses, after: await hourCount(surveyId, hour) });
    }

    // Assess: only the other customer's response is counted; the second call found the response unless the first deleted it
    expect(results).toEqual([1, 2, 3].map((dieAt) => ({ dieAt, before: 2, dead: `killed before write ${dieAt}`, erasedAgain: 1, after: 1 })));
  });
});
