// integration: the rescore dying between any two of its writes (settle → bucket mark → detractor mark → done) never
// leaves an aggregate stale or a late detractor unrouted: the next run writes the marks again. Real dynalite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../shared/clock.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { makeProcessResponses } from '../../shared/response/process-responses.js';
import type { ResponseStore } from '../../shared/response/stored-response.js';
import type { DirtyBuckets } from '../../shared/rollup/dirty-buckets.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import type { SentimentAnalyzer } from '../../shared/sentiment/port.js';
import { makeRescorePending } from '../../shared/sentiment/rescore-pending.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import type { SurveyStore } from '../../shared/survey/survey-store.js';
import { startTestDynamo } from '../support/dynamo.js';
import { surveyWith } from '../support/fixtures.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let store: ResponseStore;
let dirty: DirtyBuckets;
let surveys: SurveyStore;

beforeAll(async () => {
  dynamo = await startTestDynamo('rescore-crash');
  store = createDynamoResponseStore(dynamo.db, 'responses');
  dirty = createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets');
  surveys = createDynamoSurveyStore(dynamo.db, 'surveys');
  // detractor rules by default: a comment scored negative with confidence ≥ 0.8 is a detractor
  await surveys.put(surveyWith([{ id: 'nps', type: 'nps' }], { id: 'late', privacy: { comments: 'keep' } }));
});
afterAll(async () => {
  await dynamo?.close();
});

const outage: SentimentAnalyzer = { analyze: async (requests) => requests.map(({ id }) => ({ id, status: 'failed', reason: 'outage' })) };
const negative: SentimentAnalyzer = {
  analyze: async (requests) => requests.map(({ id }) => ({ id, status: 'scored', language: 'en', label: 'NEGATIVE', scores: { positive: 0.02, negative: 0.95, neutral: 0.02, mixed: 0.01 } })),
};

const clearAllMarks = async () => {
  for (const mark of await dirty.list(100)) await dirty.clear(mark);
};

describe('a rescore that dies between two of its writes', () => {
  it('is finished by the next run: the hour is marked dirty again, the late detractor is marked, nothing stays settling', async () => {
    // every write of a rescore of one response, in order: settle, bucket mark, detractor mark, settling done
    const results = [];
    for (let dieAt = 1; dieAt <= 4; dieAt += 1) {
      // Prepare: a response stored during an outage (pending), and its mark already rolled up
      const id = `late-${dieAt}`;
      const body = { id, surveyId: 'late', receivedAt: `2026-11-10T0${dieAt}:15:00.000Z`, expiresAt: Math.floor(Date.now() / 1000) + 3600, channel: 'web', answers: { nps: 9 }, comment: 'awful' };
      const batch = await makeProcessResponses({ store, sentiment: outage, dirty, clock: systemClock, surveys })([{ messageId: `m-${id}`, body: JSON.stringify(body) }]);
      await batch.store(`m-${id}`);
      await clearAllMarks();
      let writes = 0;
      const beforeWrite = () => {
        writes += 1;
        if (writes === dieAt) throw new Error(`killed before write ${dieAt}`);
      };
      const dyingStore: ResponseStore = {
        ...store,
        settleSentiment: async (...args) => (beforeWrite(), store.settleSentiment(...args)),
        markDetractor: async (...args) => (beforeWrite(), store.markDetractor(...args)),
        settlingDone: async (...args) => (beforeWrite(), store.settlingDone(...args)),
      };
      const dyingDirty: DirtyBuckets = { ...dirty, mark: async (...args) => (beforeWrite(), dirty.mark(...args)) };

      // Act: the run dies; the rollup runs meanwhile (clearing every mark); the next run
      const dead = await makeRescorePending({ store: dyingStore, sentiment: negative, dirty: dyingDirty, clock: systemClock, surveys })(100).catch((error: Error) => error.message);
      await clearAllMarks();
      await makeRescorePending({ store, sentiment: negative, dirty, clock: systemClock, surveys })(100);

      // Assess (below): the minute is dirty for the rollup, the detractor waits for routing, nothing is left over
      const marks = (await dirty.list(100)).map((mark) => `${mark.surveyId}#${mark.bucket}`);
      const unrouted = (await store.listUnrouted(100)).find((r) => r.id === id);
      results.push({
        dieAt,
        dead,
        minuteMarked: marks.includes(`late#2026-11-10T0${dieAt}:15`),
        detractor: unrouted?.followUp?.reasons.map((reason) => reason.rule),
        sentiment: unrouted?.sentiment?.status,
        left: (await store.listPendingSentiment(100)).length + (await store.listSettling(100)).length,
      });
      await clearAllMarks();
    }

    // Assess
    expect(results).toEqual(
      [1, 2, 3, 4].map((dieAt) => ({ dieAt, dead: `killed before write ${dieAt}`, minuteMarked: true, detractor: ['negative-comment'], sentiment: 'scored', left: 0 })),
    );
  });
});
