// fault suite: the sentiment provider failing 100% for a minute, then recovering, while responses keep arriving.
// Nothing is lost and every response is scored afterwards; the aggregates' sentiment counts follow.
// Simulated time (a fake clock over real dynalite): responses arrive every 5 s for 3 minutes (10 at a time; 5 in the
// short form), the provider fails
// every call from 0:30 to 1:30 (half of them by answering `failed`, half by rejecting outright, which the port
// forbids but an adapter might do anyway). The rescore runs every 10 s, six times the real schedule's rate; a comment
// whose rescore failed waits out its backoff (1, 2, 4 … minutes) before the next; the rollup runs every 30 s.
// Each response goes through the submit use case (what POST /v1/responses runs) onto an in-memory queue, and each
// step the queue delivers the previous step's first message again, as SQS may: the summary row counts what the
// use cases answered, not what the test meant to send.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Clock } from '../../shared/clock.js';
import { ApiError } from '../../shared/errors.js';
import { histogramOf } from '../../shared/metrics/histogram-of.js';
import { createLocalPiiRedactor } from '../../shared/privacy/local-pii-redactor.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { makeProcessResponses, type QueueMessage } from '../../shared/response/process-responses.js';
import type { StoredResponse } from '../../shared/response/stored-response.js';
import { createDynamoAggregateStore } from '../../shared/rollup/dynamo-aggregate-store.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { makeRollUp } from '../../shared/rollup/roll-up.js';
import { createLocalSentimentAnalyzer } from '../../shared/sentiment/local-analyzer.js';
import type { SentimentAnalyzer } from '../../shared/sentiment/port.js';
import { makeRescorePending } from '../../shared/sentiment/rescore-pending.js';
import type { QueuedResponse } from '../../shared/submission/schema.js';
import { makeSubmitResponse } from '../../shared/submission/submit-response.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { startTestDynamo } from '../support/dynamo.js';
import { surveyWith } from '../support/fixtures.js';
import { recordSummary } from './support/summary.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
beforeAll(async () => {
  dynamo = await startTestDynamo('sentiment-outage');
});
afterAll(async () => {
  await dynamo?.close();
});

const START = Date.parse('2026-11-23T10:00:00.000Z');
const OUTAGE = { from: START + 30_000, until: START + 90_000 };
// 10 responses every 5 s in the full form (360 in all), 5 in `npm test`'s short form
const PER_STEP = process.env.FAULTS_FULL ? 10 : 5;
const COMMENTS = ['Great service, thank you!', 'The parcel was late and the box was broken.', 'It was okay.', 'Terrible support, never again.'];

describe('the sentiment provider failing 100% for a minute, then recovering', () => {
  it('loses nothing, scores every response afterwards, and the aggregates count every sentiment', async () => {
    // Prepare
    let now = START;
    const clock: Clock = { now: () => new Date(now) };
    const local = createLocalSentimentAnalyzer();
    let calls = 0;
    let failedCalls = 0;
    const provider: SentimentAnalyzer = {
      async analyze(requests) {
        calls += 1;
        if (now >= OUTAGE.from && now < OUTAGE.until) {
          failedCalls += 1;
          if (calls % 2 === 0) throw new Error('provider down');
          return requests.map(({ id }) => ({ id, status: 'failed' as const, reason: 'outage' }));
        }
        return local.analyze(requests);
      },
    };
    const survey = surveyWith([{ id: 'nps', type: 'nps' }, { id: 'comment', type: 'text' }], { id: 'outage-minute' });
    const surveys = createDynamoSurveyStore(dynamo.db, 'surveys');
    await surveys.put(survey);
    const store = createDynamoResponseStore(dynamo.db, 'responses', clock);
    const dirty = createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets');
    const aggregates = createDynamoAggregateStore(dynamo.db, 'aggregates');
    const deps = { store, sentiment: provider, dirty, clock, surveys, redactor: createLocalPiiRedactor() };
    const process = makeProcessResponses(deps);
    const rescore = makeRescorePending(deps);
    const rollUp = makeRollUp({ responses: store, aggregates, dirty, surveys, clock, settleSeconds: 0 });
    const queued: QueuedResponse[] = [];
    const submit = makeSubmitResponse({ surveys, queue: { send: async (message) => void queued.push(message) }, clock });
    const sent: string[] = []; // idempotency keys of the submissions tried
    const acknowledged = new Set<string>(); // ids the submit use case answered (a 202 over HTTP)
    const outcomes = { stored: 0, duplicate: 0, erased: 0, notStored: 0 };
    let serverErrors = 0;
    let redelivery: QueueMessage | undefined;
    let pendingSeen = 0;

    // Act: three simulated minutes
    for (let step = 0; now < START + 180_000; step += 1, now += 5_000) {
      for (let i = 0; i < PER_STEP; i += 1) {
        const idempotencyKey = `outage-${step}-${i}`;
        sent.push(idempotencyKey);
        try {
          const { id } = await submit({ body: { surveyId: survey.id, idempotencyKey, channel: 'web', locale: 'en', answers: { nps: (step + i) % 11 }, comment: COMMENTS[(step + i) % COMMENTS.length] } });
          acknowledged.add(id);
        } catch (error) {
          if (!(error instanceof ApiError) || error.status >= 500) serverErrors += 1;
        }
      }
      const messages: QueueMessage[] = queued.splice(0).map((message) => ({ messageId: `m-${message.id}`, body: JSON.stringify(message) }));
      const delivered = redelivery ? [...messages, { ...redelivery, messageId: `${redelivery.messageId}-again` }] : messages;
      redelivery = messages[0];
      const batch = await process(delivered);
      for (const { messageId } of delivered) {
        try {
          outcomes[await batch.store(messageId)] += 1;
        } catch {
          outcomes.notStored += 1; // back to the queue in the cloud: counted, and the assertions below require none
        }
      }
      if (step % 2 === 0) pendingSeen = Math.max(pendingSeen, (await store.listPendingSentiment(1_000)).length);
      if (step % 2 === 1) await rescore(100);
      if (step % 6 === 5) await rollUp();
    }
    // after the recovery the schedule keeps running, a minute apart, until nothing is pending (a comment that failed
    // during the outage waits out its backoff first: 1, 2, 4 … minutes)
    for (let run = 0; run < 20 && (await store.listPendingSentiment(1)).length > 0; run += 1, now += 60_000) await rescore(100);
    await rollUp();

    // Assess
    const stored: StoredResponse[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listBySurvey({ surveyId: survey.id, limit: 200, cursor, now: clock.now() });
      stored.push(...page.items);
      cursor = page.cursor ?? undefined;
    } while (cursor);
    const storedIds = new Set(stored.map((r) => r.id));
    const [day] = await aggregates.list(survey.id, 'day', '2026-11-23', '2026-11-23');
    recordSummary(inject('faultsSummaryFile'), {
      suite: 'sentiment outage (100% for 1 min)',
      tried: sent.length,
      acknowledged: acknowledged.size,
      stored: stored.length,
      duplicatesSuppressed: outcomes.duplicate,
      lost: [...acknowledged].filter((id) => !storedIds.has(id)).length,
      serverErrors,
      note: `${failedCalls} provider calls failed, up to ${pendingSeen} responses pending at once, ${outcomes.stored} stored + ${outcomes.duplicate} redeliveries found already stored + ${outcomes.notStored} not stored by the process step`,
    });
    expect(failedCalls).toBeGreaterThanOrEqual(12);
    expect(pendingSeen).toBeGreaterThanOrEqual(10 * PER_STEP);
    expect(serverErrors).toBe(0);
    expect(acknowledged.size).toBe(sent.length);
    expect(outcomes).toEqual({ stored: sent.length, duplicate: outcomes.duplicate, erased: 0, notStored: 0 });
    expect(outcomes.duplicate).toBeGreaterThan(0);
    expect(stored.map((r) => r.id).sort()).toEqual([...acknowledged].sort());
    expect(stored.filter((r) => r.sentiment?.status !== 'scored')).toEqual([]);
    expect(await store.listPendingSentiment(10)).toEqual([]);
    expect(day?.total).toEqual(histogramOf(stored, survey));
    expect(Object.values(day?.total.sentiment ?? {}).reduce((a, b) => a + b, 0)).toBe(sent.length);
  });
});
