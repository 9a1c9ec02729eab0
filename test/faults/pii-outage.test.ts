// fault suite: Amazon Comprehend's PII detection failing under the rescore schedule. A fault (throttling, a 5xx, a
// lost connection, the function's own rate cap) never makes the weaker local redaction final: the comment waits,
// less and less often, and gets Comprehend's redaction once it answers; only Comprehend refusing the comment itself
// MAX_REJECTIONS times does. The PII redactor and the sentiment analyzer run on a client mocked with
// aws-sdk-client-mock (dynalite has no Comprehend, and the local redactor cannot fail); the responses live in a real
// dynalite, and a fake clock stands in for the every-minute schedule.
import {
  BatchDetectSentimentCommand,
  ComprehendClient,
  DetectPiiEntitiesCommand,
  InternalServerException,
  InvalidRequestException,
  TooManyRequestsException,
} from '../../shared/aws/comprehend.js';
import type { BatchDetectSentimentCommandInput } from '@aws-sdk/client-comprehend';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../shared/clock.js';
import { createComprehendPiiRedactor } from '../../shared/privacy/comprehend-redactor.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import type { ResponseStore, StoredRedaction, StoredResponse } from '../../shared/response/stored-response.js';
import type { DirtyBuckets } from '../../shared/rollup/dirty-buckets.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { createComprehendSentimentAnalyzer } from '../../shared/sentiment/comprehend-analyzer.js';
import { createComprehendCalls, type ComprehendCalls } from '../../shared/sentiment/comprehend-calls.js';
import { COMPREHEND_RETRY } from '../../shared/sentiment/comprehend-limits.js';
import { MAX_REJECTIONS, makeRescorePending } from '../../shared/sentiment/rescore-pending.js';
import { rescoreDelayMinutes } from '../../shared/sentiment/rescore-schedule.js';
import { mockAws } from '../support/aws-mock.js';
import { oneAttemptCalls } from '../support/comprehend-calls.js';
import { startTestDynamo } from '../support/dynamo.js';
import { storedResponse } from '../support/fixtures.js';
import { virtualTimer } from '../support/virtual-timer.js';

const MINUTE = 60_000;
const SURVEY = 'pii-outage';
/** a comment as the process step stored it during the outage: the local redaction only, the name still in it */
const LOCALLY_REDACTED = 'I am Ana Lopez, write to [EMAIL] about the broken box';
const COMPREHEND_REDACTED = 'I am [NAME], write to [EMAIL] about the broken box';
// code points of LOCALLY_REDACTED: "Ana Lopez" is 5..14
const NAME_ENTITY = { Type: 'NAME' as const, BeginOffset: 5, EndOffset: 14, Score: 0.99 };

const comprehend = mockAws(ComprehendClient);
let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let store: ResponseStore;
let dirty: DirtyBuckets;
let now: number;
const clock: Clock = { now: () => new Date(now) };

beforeAll(async () => {
  dynamo = await startTestDynamo('pii-outage');
  store = createDynamoResponseStore(dynamo.db, 'responses', clock);
  dirty = createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets');
});
afterAll(async () => {
  await dynamo?.close();
});
beforeEach(() => {
  comprehend.reset();
  scoringEverything();
  now = Date.parse('2026-11-23T10:00:00.000Z');
});

/** BatchDetectSentiment answering every document NEGATIVE */
function scoringEverything() {
  comprehend.on(BatchDetectSentimentCommand).callsFake(({ TextList = [] }: BatchDetectSentimentCommandInput) => ({
    ResultList: TextList.map((_, Index) => ({ Index, Sentiment: 'NEGATIVE' as const, SentimentScore: { Positive: 0.02, Negative: 0.95, Neutral: 0.02, Mixed: 0.01 } })),
    ErrorList: [],
  }));
}

/** the rescore function's use case, on the mocked client and a gate (default: one attempt per call, no rate cap) */
function rescoreWith(calls: ComprehendCalls = oneAttemptCalls()) {
  const client = new ComprehendClient({ region: 'us-east-1' });
  return makeRescorePending({ store, dirty, clock, sentiment: createComprehendSentimentAnalyzer(client, calls), redactor: createComprehendPiiRedactor(client, calls) });
}

/** a response the process step stored while DetectPiiEntities was failing (`redaction`: as an older release left it) */
async function storePendingRedaction(id: string, { receivedAt = new Date(now).toISOString(), redaction = { status: 'pending', found: { EMAIL: 1 }, attempts: 0 } as StoredRedaction } = {}) {
  const response = storedResponse({ id, surveyId: SURVEY, receivedAt, storedAt: receivedAt, locale: 'en', comment: LOCALLY_REDACTED, redaction, sentiment: { status: 'pending' } });
  expect(await store.putIfAbsent(response)).toBe('stored');
}

async function read(id: string): Promise<StoredResponse | undefined> {
  const { items } = await store.listBySurvey({ surveyId: SURVEY, limit: 1_000, now: clock.now() });
  return items.find((r) => r.id === id);
}
async function pendingIds(): Promise<string[]> {
  return (await store.listPendingSentiment(1_000)).map((r) => r.id);
}
const piiCalls = () => comprehend.commandCalls(DetectPiiEntitiesCommand);

describe('DetectPiiEntities down or throttled for three days', () => {
  it('keeps the redaction pending through far more than 10 failed attempts, trying less and less often, and redacts with Comprehend once it is back', async () => {
    // Prepare: every PII call fails, by turns throttled, a 5xx and a lost connection
    const faults = [
      () => new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }),
      () => new InternalServerException({ message: 'Internal error', $metadata: { httpStatusCode: 500 } }),
      () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    ];
    const attemptsAt: number[] = [];
    comprehend.on(DetectPiiEntitiesCommand).callsFake(() => {
      attemptsAt.push(now);
      throw faults[attemptsAt.length % faults.length]!();
    });
    const rescore = rescoreWith();
    const start = now;
    await storePendingRedaction('long-outage');

    // Act: the schedule every minute for the first 130 minutes, then (to keep the test short) every 30 minutes to day 3
    let runs = 0;
    for (; now < start + 130 * MINUTE; now += MINUTE, runs += 1) await rescore(100);
    for (; now < start + 3 * 24 * 60 * MINUTE; now += 30 * MINUTE, runs += 1) await rescore(100);
    const duringOutage = await read('long-outage');
    const scoredDuringOutage = comprehend.commandCalls(BatchDetectSentimentCommand);
    comprehend.reset();
    scoringEverything();
    comprehend.on(DetectPiiEntitiesCommand).resolves({ Entities: [NAME_ENTITY] });
    for (let more = 0; more < 2 * 24 && (await pendingIds()).includes('long-outage'); more += 1, now += 30 * MINUTE) await rescore(100);

    // Assess: far more than 10 failed attempts, never made local-only, and never scored while pending
    expect(runs).toBeGreaterThan(250);
    expect(attemptsAt.length).toBeGreaterThan(10);
    expect(duringOutage).toMatchObject({ comment: LOCALLY_REDACTED, redaction: { status: 'pending', found: { EMAIL: 1 }, attempts: attemptsAt.length } });
    expect(duringOutage?.redaction?.rejections).toBeUndefined();
    expect(duringOutage?.sentiment).toMatchObject({ status: 'pending' });
    expect(scoredDuringOutage).toEqual([]);
    // the waits between attempts follow the sentiment's schedule: 1, 2, 4 … 128 minutes while the runs are a minute
    // apart, and never shorter than the schedule after that (runs 30 minutes apart round them up)
    const waits = attemptsAt.slice(1).map((at, i) => (at - attemptsAt[i]!) / MINUTE);
    expect(waits.slice(0, 7)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    waits.forEach((wait, i) => expect(wait).toBeGreaterThanOrEqual(rescoreDelayMinutes(i + 1)));
    expect(waits.at(-1)).toBe(24 * 60);
    // and once Comprehend answers: its redaction, then the score, as for a comment that never waited
    const finished = await read('long-outage');
    expect(finished).toMatchObject({ comment: COMPREHEND_REDACTED, redaction: { status: 'redacted', found: { EMAIL: 1, NAME: 1 } }, sentiment: { status: 'scored', label: 'NEGATIVE' } });
    expect(finished?.redaction).toEqual({ status: 'redacted', found: { EMAIL: 1, NAME: 1 } });
    expect(await pendingIds()).toEqual([]);
    expect((await dirty.list(100)).map((mark) => `${mark.surveyId}#${mark.bucket}`)).toContain(`${SURVEY}#2026-11-23T10:00`);
  }, 300_000); // some 270 runs, each querying every shard of the pending index twice (pending, settling) in dynalite

  it('redacts with Comprehend after a fault: the comment waits out its backoff, untried, then is redacted and scored', async () => {
    // Prepare: throttled once, then answering
    comprehend.on(DetectPiiEntitiesCommand).rejectsOnce(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } })).resolves({ Entities: [NAME_ENTITY] });
    const rescore = rescoreWith();
    await storePendingRedaction('fault-then-answer');

    // Act: a run that meets the fault, one before the comment is due again, one after
    const first = await rescore(100);
    const afterFault = await read('fault-then-answer');
    now += 30_000;
    const early = await rescore(100);
    const callsEarly = piiCalls().length;
    now += 30_000;
    const due = await rescore(100);

    // Assess
    expect(first).toEqual({ settled: 0, stillPending: 1 });
    expect(afterFault).toMatchObject({ redaction: { status: 'pending', attempts: 1 }, sentiment: { status: 'pending', nextAttemptAt: '2026-11-23T10:01:00.000Z' } });
    expect(early).toEqual({ settled: 0, stillPending: 0 });
    expect(callsEarly).toBe(1);
    expect(due).toEqual({ settled: 1, stillPending: 0 });
    expect(await read('fault-then-answer')).toMatchObject({ comment: COMPREHEND_REDACTED, redaction: { status: 'redacted', found: { EMAIL: 1, NAME: 1 } }, sentiment: { status: 'scored', label: 'NEGATIVE' } });
  });
});

describe('a backlog larger than one run of the rescore can send', () => {
  it('redacts every comment with Comprehend in age order: one the rate cap held back is neither counted nor delayed', async () => {
    // Prepare: one Comprehend call a second and 2 s a redaction, so a run sends 3 PII calls (1 in the bucket, 2 in its
    // budget); 40 comments stored while Comprehend was down, a second apart
    const timer = virtualTimer({ start: now });
    const rescore = rescoreWith(createComprehendCalls({ callsPerSecond: 1, retry: { ...COMPREHEND_RETRY, budgetMs: 2_000 }, timer }));
    comprehend.on(DetectPiiEntitiesCommand).resolves({ Entities: [NAME_ENTITY] });
    const ids = Array.from({ length: 40 }, (_, i) => `backlog-${String(i).padStart(2, '0')}`);
    for (const [i, id] of ids.entries()) await storePendingRedaction(id, { receivedAt: new Date(now - (40 - i) * 1_000).toISOString() });

    // Act: a run a minute until the backlog is gone
    let runs = 0;
    let lastAfterFirstRun: StoredResponse | undefined;
    for (; runs < 40 && (await pendingIds()).length > 0; runs += 1, now += MINUTE, await timer.sleep(MINUTE)) {
      await rescore(100);
      if (runs === 0) lastAfterFirstRun = await read(ids.at(-1)!);
    }

    // Assess: at the gate's rate, 3 a run, none sent twice and none left with the local redaction only (the release
    // before this counted each held-back comment as a failed attempt and made it local-only after 10 runs)
    expect(runs).toBe(Math.ceil(ids.length / 3));
    expect(piiCalls()).toHaveLength(ids.length);
    expect(lastAfterFirstRun).toMatchObject({ redaction: { status: 'pending', attempts: 0 }, sentiment: { status: 'pending' } });
    expect(lastAfterFirstRun?.sentiment).not.toHaveProperty('nextAttemptAt');
    for (const id of ids) {
      expect(await read(id), id).toMatchObject({ comment: COMPREHEND_REDACTED, redaction: { status: 'redacted' }, sentiment: { status: 'scored' } });
    }
  }, 120_000);
});

describe('Comprehend refusing the comment itself', () => {
  it(`makes the local redaction final after ${MAX_REJECTIONS} refusals, faults between them not counted, then scores it`, async () => {
    // Prepare: refusals and faults by turns
    const refused = () => new InvalidRequestException({ message: 'invalid document', $metadata: { httpStatusCode: 400 } });
    const throttled = () => new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    const answers = [refused, throttled, refused, throttled, refused];
    comprehend.on(DetectPiiEntitiesCommand).callsFake(() => {
      throw answers[piiCalls().length - 1]!();
    });
    const rescore = rescoreWith();
    await storePendingRedaction('refused');

    // Act: a run whenever the comment is due
    const seen: (StoredRedaction | undefined)[] = [];
    for (let attempt = 1; attempt <= answers.length; attempt += 1) {
      await rescore(100);
      seen.push((await read('refused'))?.redaction);
      now += rescoreDelayMinutes(attempt) * MINUTE;
    }

    // Assess: pending until the third refusal, then final with the local redaction and Comprehend's reason
    expect(piiCalls()).toHaveLength(answers.length);
    expect(seen.slice(0, -1)).toEqual([
      { status: 'pending', found: { EMAIL: 1 }, attempts: 1, rejections: 1 },
      { status: 'pending', found: { EMAIL: 1 }, attempts: 2, rejections: 1 },
      { status: 'pending', found: { EMAIL: 1 }, attempts: 3, rejections: 2 },
      { status: 'pending', found: { EMAIL: 1 }, attempts: 4, rejections: 2 },
    ]);
    expect(seen.at(-1)).toEqual({ status: 'local-only', found: { EMAIL: 1 }, reason: 'comprehend:InvalidRequestException' });
    expect(await read('refused')).toMatchObject({ comment: LOCALLY_REDACTED, sentiment: { status: 'scored', label: 'NEGATIVE' } });
    expect(await pendingIds()).not.toContain('refused');
  });
});

describe('a comment stored by the release that counted every failure alike', () => {
  it('goes on from its attempts as faults: another fault or a first refusal does not make it final, and Comprehend finishes it', async () => {
    // Prepare: 9 failed attempts, one short of that release's limit of 10, and no refusals counted
    const legacy = { status: 'pending', found: { EMAIL: 1 }, attempts: 9 } as StoredRedaction;
    await storePendingRedaction('legacy', { redaction: legacy });
    comprehend
      .on(DetectPiiEntitiesCommand)
      .rejectsOnce(new InternalServerException({ message: 'Internal error', $metadata: { httpStatusCode: 500 } }))
      .rejectsOnce(new InvalidRequestException({ message: 'invalid document', $metadata: { httpStatusCode: 400 } }))
      .resolves({ Entities: [NAME_ENTITY] });
    const rescore = rescoreWith();

    // Act: a run meeting the fault, one when due meeting the refusal, one when due again
    await rescore(100);
    const afterFault = await read('legacy');
    now += rescoreDelayMinutes(10) * MINUTE;
    await rescore(100);
    const afterRefusal = await read('legacy');
    now += rescoreDelayMinutes(11) * MINUTE;
    await rescore(100);

    // Assess: its waits are those of its 10th and 11th failures (4 hours each)
    expect(afterFault).toMatchObject({ redaction: { status: 'pending', attempts: 10 }, sentiment: { status: 'pending', nextAttemptAt: '2026-11-23T14:00:00.000Z' } });
    expect(afterFault?.redaction?.rejections).toBeUndefined();
    expect(afterRefusal).toMatchObject({ redaction: { status: 'pending', attempts: 11, rejections: 1 }, sentiment: { status: 'pending', nextAttemptAt: '2026-11-23T18:00:00.000Z' } });
    expect(await read('legacy')).toMatchObject({ comment: COMPREHEND_REDACTED, redaction: { status: 'redacted', found: { EMAIL: 1, NAME: 1 } }, sentiment: { status: 'scored' } });
  });
});
