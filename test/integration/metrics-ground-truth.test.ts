// integration: the metrics report (GET /v1/surveys/{id}/metrics' use case) against the responses the store holds,
// through the real process step, rescore, erasure and rollup on dynalite, with a controllable clock. The expected
// figures come from a small oracle written from the product's definitions (PRODUCT.md, Indices) over a scan of the
// responses table: none of the code under test computes them.
import { DeleteCommand, ScanCommand } from '../../shared/aws/dynamodb.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../shared/clock.js';
import type { Metrics } from '../../shared/metrics/indices.js';
import { makeMetricsReport } from '../../shared/metrics/report-metrics.js';
import { makeEraseCustomer } from '../../shared/privacy/customer-data.js';
import { responsesHolder } from '../../shared/privacy/dynamo-customer-data.js';
import { createDynamoErasureMarkers } from '../../shared/privacy/dynamo-erasure-markers.js';
import type { ErasureMarkers } from '../../shared/privacy/erasure-markers.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { makeProcessResponses } from '../../shared/response/process-responses.js';
import type { ResponseStore } from '../../shared/response/stored-response.js';
import type { AggregateStore } from '../../shared/rollup/aggregate-store.js';
import type { DirtyBuckets } from '../../shared/rollup/dirty-buckets.js';
import { createDynamoAggregateStore } from '../../shared/rollup/dynamo-aggregate-store.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { makeRollUp } from '../../shared/rollup/roll-up.js';
import { makeRescorePending } from '../../shared/sentiment/rescore-pending.js';
import type { SentimentAnalyzer } from '../../shared/sentiment/port.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import type { Survey } from '../../shared/survey/schema.js';
import type { SurveyStore } from '../../shared/survey/survey-store.js';
import { startTestDynamo } from '../support/dynamo.js';
import { surveyWith } from '../support/fixtures.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let responses: ResponseStore;
let aggregates: AggregateStore;
let dirty: DirtyBuckets;
let surveys: SurveyStore;
let erasures: ErasureMarkers;

/** the moment every step sees; a test moves it */
let now = new Date('2026-11-03T12:00:00.000Z');
const clock: Clock = { now: () => now };

/** the sentiment provider: up (a comment with "bad" is negative, any other positive) or down (every comment pending) */
let providerUp = true;
const sentiment: SentimentAnalyzer = {
  analyze: async (requests) =>
    requests.map(({ id, text }) =>
      !providerUp
        ? { id, status: 'failed' as const, reason: 'provider-error' }
        : { id, status: 'scored' as const, language: 'en', label: text.includes('bad') ? ('NEGATIVE' as const) : ('POSITIVE' as const), scores: { positive: 0.5, negative: 0.5, neutral: 0, mixed: 0 } },
    ),
};

const surveyNamed = (id: string): Survey =>
  surveyWith(
    [
      { id: 'nps', type: 'nps' },
      { id: 'csat', type: 'csat' },
      { id: 'ces', type: 'ces' },
      { id: 'product', type: 'rating', dimension: 'product-quality', max: 5, weight: 3 },
      { id: 'price', type: 'rating', dimension: 'price', max: 10, weight: 1 },
    ],
    { id },
  );

beforeAll(async () => {
  dynamo = await startTestDynamo('metrics-ground-truth');
  const { db } = dynamo;
  responses = createDynamoResponseStore(db, 'responses', clock);
  aggregates = createDynamoAggregateStore(db, 'aggregates');
  dirty = createDynamoDirtyBuckets(db, 'dirtyBuckets');
  surveys = createDynamoSurveyStore(db, 'surveys');
  erasures = createDynamoErasureMarkers(db, 'erasures');
});
afterAll(async () => {
  await dynamo?.close();
});

interface Sent {
  id: string;
  surveyId: string;
  receivedAt: string;
  channel: string;
  touchpoint?: string;
  journeyStage?: string;
  customerRef?: string;
  answers: Record<string, number>;
  comment?: string;
  invitationId?: string;
  campaign?: string;
  revision?: number;
  /** the survey's retention when the response was received (default 365 days) */
  retentionDays?: number;
}

let deliveries = 0;
const messageOf = ({ retentionDays = 365, ...r }: Sent) => ({
  messageId: `m-${r.id}-${(deliveries += 1)}`,
  body: JSON.stringify({ ...r, expiresAt: Math.floor(Date.parse(r.receivedAt) / 1000) + retentionDays * 86_400 }),
});

/** one SQS batch through the real process step; the ids of the messages that failed (the queue redelivers them) */
async function deliver(sent: Sent[], stores: { dirty?: DirtyBuckets; erasures?: ErasureMarkers } = {}): Promise<string[]> {
  const messages = sent.map(messageOf);
  const batch = await makeProcessResponses({ store: responses, sentiment, dirty: stores.dirty ?? dirty, clock, surveys, erasures: stores.erasures ?? erasures })(messages);
  const failed: string[] = [];
  for (const [i, { messageId }] of messages.entries()) await batch.store(messageId).catch(() => failed.push(sent[i]!.id));
  return failed;
}

const rollUp = () => makeRollUp({ responses, aggregates, dirty, surveys, clock, settleSeconds: 0 })();
const report = (surveyId: string, query: Record<string, string>) => makeMetricsReport({ surveys, aggregates, clock })(surveyId, query);

// ---- the oracle: PRODUCT.md's definitions over the responses the table holds ----

interface Row {
  answers: Record<string, number>;
  channel: string;
  touchpoint?: string;
  journeyStage?: string;
  receivedAt: string;
  sentiment?: { status: string; label?: string } | null;
}

/** the survey's responses as the table holds them (a response being erased has lost its surveyId: it is gone) */
async function storedRows(surveyId: string): Promise<Row[]> {
  const rows: Row[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.db.send(new ScanCommand({ TableName: 'responses', ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) if (item.surveyId === surveyId) rows.push(item as unknown as Row);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return rows;
}

interface Expected {
  responses: number;
  nps: { answers: number; score: number } | null;
  csat: { answers: number; percentage: number } | null;
  ces: { answers: number; mean: number; easyPercentage: number } | null;
  csi: number | null;
  sentiment: Record<string, number>;
}

function oracle(rows: readonly Row[], survey: Survey): Expected {
  const scores = (id: string) => rows.flatMap((r) => (typeof r.answers?.[id] === 'number' ? [r.answers[id]] : []));
  const share = (values: number[], ok: (v: number) => boolean) => (100 * values.filter(ok).length) / values.length;
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const nps = scores('nps');
  const csat = scores('csat');
  const ces = scores('ces');
  // index method: each answered dimension's mean rescaled to 0–100, weighted mean with weights normalised to sum 1
  const dimensions = survey.questions.flatMap((q) => (q.type === 'rating' && scores(q.id).length > 0 ? [{ weight: q.weight, score: (100 * (mean(scores(q.id)) - 1)) / (q.max - 1) }] : []));
  const totalWeight = dimensions.reduce((sum, d) => sum + d.weight, 0);
  const sentiment: Record<string, number> = {};
  for (const r of rows) if (r.sentiment?.status === 'scored' && r.sentiment.label) sentiment[r.sentiment.label] = (sentiment[r.sentiment.label] ?? 0) + 1;
  return {
    responses: rows.length,
    nps: nps.length ? { answers: nps.length, score: share(nps, (v) => v >= 9) - share(nps, (v) => v <= 6) } : null,
    csat: csat.length ? { answers: csat.length, percentage: share(csat, (v) => v >= 4) } : null,
    ces: ces.length ? { answers: ces.length, mean: mean(ces), easyPercentage: share(ces, (v) => v >= 5) } : null,
    csi: dimensions.length ? dimensions.reduce((sum, d) => sum + (d.weight / totalWeight) * d.score, 0) : null,
    sentiment,
  };
}

/** the report's figures in the oracle's terms */
function figures(m: Metrics): Expected {
  const sentimentCounts = Object.fromEntries(Object.entries(m.sentiment?.counts ?? {}).filter(([, n]) => n > 0));
  return {
    responses: m.responses,
    nps: m.nps && { answers: m.nps.answers, score: round(m.nps.score) },
    csat: m.csat && { answers: m.csat.answers, percentage: round(m.csat.percentage) },
    ces: m.ces && { answers: m.ces.answers, mean: round(m.ces.mean), easyPercentage: round(m.ces.easyPercentage) },
    csi: m.csi && round(m.csi.score),
    sentiment: sentimentCounts,
  };
}
const round = (v: number) => Math.round(v * 1e6) / 1e6;
const rounded = (e: Expected): Expected => ({
  ...e,
  nps: e.nps && { ...e.nps, score: round(e.nps.score) },
  csat: e.csat && { ...e.csat, percentage: round(e.csat.percentage) },
  ces: e.ces && { answers: e.ces.answers, mean: round(e.ces.mean), easyPercentage: round(e.ces.easyPercentage) },
  csi: e.csi === null ? null : round(e.csi),
});

/** the day's report totals against the oracle over what the table holds */
async function expectTruth(survey: Survey, day: string) {
  const answered = await report(survey.id, { from: day, to: day, interval: 'day' });
  expect(figures(answered.totals.metrics)).toEqual(rounded(oracle(await storedRows(survey.id), survey)));
  return answered;
}

describe('the metrics report agrees with the stored responses', () => {
  it('after a message delivered twice, a batch that partly failed and was redelivered, and an idempotency key sent again an hour later', async () => {
    // Prepare: the second batch's marks fail for two records (the queue redelivers those); "k1" is the same
    // idempotency key sent again an hour later (same id, a later receipt)
    const survey = surveyNamed('duplicates');
    await surveys.put(survey);
    const at = (time: string) => `2026-11-02T${time}.000Z`;
    const sent: Sent[] = [
      { id: 'd1', surveyId: survey.id, receivedAt: at('09:00:10'), channel: 'web', answers: { nps: 10, csat: 5, product: 5 } },
      { id: 'd2', surveyId: survey.id, receivedAt: at('09:00:20'), channel: 'web', answers: { nps: 6, csat: 2, ces: 3, price: 4 }, comment: 'bad' },
      { id: 'd3', surveyId: survey.id, receivedAt: at('09:30:00'), channel: 'api', answers: { nps: 8, ces: 6 } },
      { id: 'k1', surveyId: survey.id, receivedAt: at('09:45:00'), channel: 'api', answers: { nps: 9, csat: 4, product: 2, price: 9 }, comment: 'fine' },
    ];
    const flaky: DirtyBuckets = { ...dirty, mark: async (surveyId, bucket, markedAt) => (bucket.endsWith(':30') || bucket.endsWith(':45') ? Promise.reject(new Error('throttled')) : dirty.mark(surveyId, bucket, markedAt)) };

    // Act
    await deliver(sent.slice(0, 2));
    await deliver([sent[0]!]);
    await rollUp();
    const failed = await deliver(sent.slice(2), { dirty: flaky });
    await rollUp();
    const redelivered = await deliver(sent.filter((s) => failed.includes(s.id)));
    await deliver([{ ...sent[3]!, receivedAt: at('10:45:00'), answers: { nps: 0 } }]);
    await rollUp();

    // Assess: four responses, "k1" as first stored
    expect(failed).toEqual(['d3', 'k1']);
    expect(redelivered).toEqual([]);
    const answered = await expectTruth(survey, '2026-11-02');
    expect(answered.totals.metrics.responses).toBe(4);
  });

  it('after an email answer is changed before and after its hour was rolled up, and an older revision arrives last', async () => {
    // Prepare: one invitation answered at 09:59:59 (every revision keeps that receipt), one anonymous response
    const survey = surveyNamed('revisions');
    await surveys.put(survey);
    const invitation = { id: 'inv-1', surveyId: survey.id, receivedAt: '2026-11-02T09:59:59.000Z', channel: 'email', invitationId: 'i-1', campaign: 'nov', customerRef: 'c-1' };
    const revision = (n: number, answers: Record<string, number>): Sent => ({ ...invitation, revision: 1_000 + n, answers });
    await deliver([{ id: 'other', surveyId: survey.id, receivedAt: '2026-11-02T09:10:00.000Z', channel: 'web', answers: { nps: 10 } }]);

    // Act
    await deliver([revision(1, { nps: 2, csat: 1 })]);
    await deliver([revision(2, { nps: 7, csat: 3 })]);
    await rollUp();
    const beforeChange = await expectTruth(survey, '2026-11-02');
    await deliver([revision(4, { nps: 10, csat: 5, ces: 7 })]);
    await rollUp();
    await deliver([revision(3, { nps: 0 })]);
    await rollUp();

    // Assess
    expect(beforeChange.totals.metrics.nps?.score).toBe(50);
    const answered = await expectTruth(survey, '2026-11-02');
    expect(answered.totals.metrics.nps).toMatchObject({ answers: 2, score: 100 });
    expect(answered.totals.metrics.responses).toBe(2);
  });

  it('after a comment is rescored once its hour was rolled up', async () => {
    // Prepare: the provider is down when two comments arrive
    const survey = surveyNamed('rescored');
    await surveys.put(survey);
    providerUp = false;
    await deliver([
      { id: 'r1', surveyId: survey.id, receivedAt: '2026-11-02T11:00:00.000Z', channel: 'web', answers: { nps: 9 }, comment: 'bad service' },
      { id: 'r2', surveyId: survey.id, receivedAt: '2026-11-02T11:01:00.000Z', channel: 'web', answers: { nps: 9 }, comment: 'lovely' },
    ]);
    await rollUp();
    const pending = await report(survey.id, { from: '2026-11-02', to: '2026-11-02' });

    // Act
    providerUp = true;
    await makeRescorePending({ store: responses, sentiment, dirty, clock, surveys })();
    await rollUp();

    // Assess
    expect(pending.totals.metrics.unscoredComments.pending).toBe(2);
    const answered = await expectTruth(survey, '2026-11-02');
    expect(answered.totals.metrics.sentiment?.counts).toMatchObject({ POSITIVE: 1, NEGATIVE: 1 });
    expect(answered.totals.metrics.unscoredComments.pending).toBe(0);
  });

  it('after a customer is erased once their response was rolled up', async () => {
    // Prepare
    const survey = surveyNamed('erased');
    await surveys.put(survey);
    await deliver([
      { id: 'e1', surveyId: survey.id, receivedAt: '2026-11-02T12:00:00.000Z', channel: 'web', customerRef: 'erase-me', answers: { nps: 0, csat: 1 } },
      { id: 'e2', surveyId: survey.id, receivedAt: '2026-11-02T12:00:30.000Z', channel: 'web', customerRef: 'keep-me', answers: { nps: 10, csat: 5 } },
    ]);
    await rollUp();

    // Act
    await makeEraseCustomer({ holders: [responsesHolder(dynamo.db, 'responses', dirty, clock)], markers: erasures, clock })({ value: 'erase-me' });
    await rollUp();

    // Assess
    const answered = await expectTruth(survey, '2026-11-02');
    expect(answered.totals.metrics.responses).toBe(1);
  });

  it('after the redelivery of a response whose customer was erased deletes it, once a neighbour in its minute was rolled up', async () => {
    // Prepare: the first attempt stores "gone" and fails at its second erasure lookup (the customer was erased between
    // the batch's lookup and its put, after the erasure's own search); a response of the same minute is stored and
    // rolled up meanwhile, so the minute's aggregate counts "gone"
    const survey = surveyNamed('erased-on-redelivery');
    await surveys.put(survey);
    const gone: Sent = { id: 'gone', surveyId: survey.id, receivedAt: '2026-11-02T13:00:01.000Z', channel: 'web', customerRef: 'gone@example.com', answers: { nps: 0, csat: 1 } };
    let lookups = 0;
    const failingSecondLook: ErasureMarkers = {
      ...erasures,
      async erasedAt(refs) {
        lookups += 1;
        if (lookups === 2) {
          await erasures.mark('gone@example.com', new Date('2026-11-02T13:00:02.000Z'));
          throw new Error('erasures: a batch read kept returning unprocessed keys');
        }
        return erasures.erasedAt(refs);
      },
    };
    const failed = await deliver([gone], { erasures: failingSecondLook });
    await deliver([{ id: 'neighbour', surveyId: survey.id, receivedAt: '2026-11-02T13:00:40.000Z', channel: 'web', answers: { nps: 10, csat: 5 } }]);
    await rollUp();
    const counted = await report(survey.id, { from: '2026-11-02', to: '2026-11-02' });

    // Act: the queue redelivers "gone": its first lookup finds the customer erased, and deletes what was stored
    const redelivered = await deliver([gone]);
    await rollUp();

    // Assess
    expect(failed).toEqual(['gone']);
    expect(counted.totals.metrics.responses).toBe(2);
    expect(redelivered).toEqual([]);
    const answered = await expectTruth(survey, '2026-11-02');
    expect(answered.totals.metrics.responses).toBe(1);
  });

  it('per hour, day and ISO week across a week boundary, per segment, with skipped questions and weighted dimensions', async () => {
    // Prepare: answers on both sides of midnight between Sunday 8 and Monday 9 November and of the hour after it;
    // some skip CSAT, CES or a rating dimension (the CSI weights are 3 and 1)
    const survey = surveyNamed('boundaries');
    await surveys.put(survey);
    const instants = ['2026-11-08T23:59:59.999Z', '2026-11-09T00:00:00.000Z', '2026-11-09T00:59:59.999Z', '2026-11-09T01:00:00.000Z', '2026-11-15T23:59:59.999Z', '2026-11-16T00:00:00.000Z'];
    const channels = ['web', 'email', 'api'];
    const sent: Sent[] = Array.from({ length: 24 }, (_, i) => ({
      id: `b${i}`,
      surveyId: survey.id,
      receivedAt: instants[i % instants.length]!,
      channel: channels[i % 3]!,
      ...(i % 4 === 0 ? {} : { touchpoint: i % 2 ? 'checkout' : 'delivery' }),
      ...(i % 5 === 0 ? { journeyStage: 'retention' as const } : {}),
      answers: {
        nps: (i * 7) % 11,
        ...(i % 3 === 0 ? {} : { csat: 1 + (i % 5) }),
        ...(i % 2 === 0 ? { ces: 1 + (i % 7) } : {}),
        ...(i % 4 === 1 ? {} : { product: 1 + ((i * 3) % 5) }),
        ...(i % 3 === 2 ? { price: 1 + ((i * 7) % 10) } : {}),
      },
    }));
    now = new Date('2026-11-20T12:00:00.000Z');

    // Act
    await deliver(sent);
    await rollUp();
    const rows = await storedRows(survey.id);
    const byInterval = await Promise.all(
      (['hour', 'day', 'week'] as const).map((interval) => report(survey.id, { from: '2026-11-08T23:00:00Z', to: '2026-11-16T01:00:00Z', interval, ...(interval === 'hour' ? {} : { groupBy: 'channel' }) })),
    );
    const bySegment = await Promise.all((['touchpoint', 'journeyStage'] as const).map((groupBy) => report(survey.id, { from: '2026-11-08', to: '2026-11-16', groupBy })));

    // Assess: every point, the totals, and every group equal the oracle over the responses they cover
    const within = (from: string, to: string, keep: (r: Row) => boolean = () => true) => rows.filter((r) => r.receivedAt >= from.replace('Z', '.000Z') && r.receivedAt < to.replace('Z', '.000Z') && keep(r));
    for (const answered of byInterval) {
      expect(figures(answered.totals.metrics)).toEqual(rounded(oracle(within(answered.from, answered.to), survey)));
      expect(answered.series.reduce((sum, point) => sum + point.metrics.responses, 0)).toBe(24);
      for (const point of answered.series) expect(figures(point.metrics)).toEqual(rounded(oracle(within(point.start, point.end), survey)));
      for (const group of answered.groups ?? []) {
        expect(group.approximate).toBe(false);
        expect(figures(group.totals.metrics)).toEqual(rounded(oracle(within(answered.from, answered.to, (r) => r.channel === group.key), survey)));
      }
      if (answered.groups) expect(answered.groups.reduce((sum, g) => sum + g.totals.metrics.responses, 0)).toBe(answered.totals.metrics.responses);
    }
    for (const [dimension, answered] of [['touchpoint', bySegment[0]!], ['journeyStage', bySegment[1]!]] as const) {
      expect((answered.groups ?? []).reduce((sum, g) => sum + g.totals.metrics.responses, 0)).toBe(answered.totals.metrics.responses);
      for (const group of answered.groups ?? []) {
        const value = (r: Row) => r[dimension] ?? '(none)';
        expect(figures(group.totals.metrics)).toEqual(rounded(oracle(within(answered.from, answered.to, (r) => value(r) === group.key), survey)));
      }
    }
    expect(byInterval[0]!.series.filter((point) => point.metrics.responses > 0).map((point) => point.start)).toEqual([
      '2026-11-08T23:00:00Z', '2026-11-09T00:00:00Z', '2026-11-09T01:00:00Z', '2026-11-15T23:00:00Z', '2026-11-16T00:00:00Z',
    ]);
    expect(byInterval[2]!.series.map((point) => [point.start, point.metrics.responses])).toEqual([
      ['2026-11-02T00:00:00Z', 4], ['2026-11-09T00:00:00Z', 16], ['2026-11-16T00:00:00Z', 4],
    ]);
  });

  it('after a late response lands in an hour already rolled up, and a rollup run dies half-way and runs again', async () => {
    // Prepare
    const survey = surveyNamed('late');
    await surveys.put(survey);
    now = new Date('2026-11-02T10:05:00.000Z');
    await deliver([{ id: 'l1', surveyId: survey.id, receivedAt: '2026-11-02T09:30:00.000Z', channel: 'web', answers: { nps: 10, csat: 5 } }]);
    await rollUp();

    // Act: a response received at 09:31 is stored half an hour later (a backlog); the next run dies after its first
    // write (the minute), and the one after it completes
    now = new Date('2026-11-02T10:40:00.000Z');
    await deliver([{ id: 'l2', surveyId: survey.id, receivedAt: '2026-11-02T09:31:00.000Z', channel: 'web', answers: { nps: 0, ces: 2 } }]);
    let writes = 0;
    const dying: AggregateStore = { ...aggregates, put: async (aggregate) => ((writes += 1) > 1 ? Promise.reject(new Error('killed')) : aggregates.put(aggregate)) };
    const died = await makeRollUp({ responses, aggregates: dying, dirty, surveys, clock, settleSeconds: 0 })();
    const meanwhile = await report(survey.id, { from: '2026-11-02', to: '2026-11-02' });
    await rollUp();

    // Assess
    expect(died.failed).toHaveLength(1);
    expect(meanwhile.totals.metrics.responses).toBe(1);
    const answered = await expectTruth(survey, '2026-11-02');
    expect(answered.totals.metrics.nps).toMatchObject({ answers: 2, score: 0 });
  });

  it('keeps counting expired responses after the survey\'s retention was raised and a changed email answer re-marks their hour', async () => {
    // Prepare: a survey kept 30 days; an email answer and a web response of the same minute, rolled up
    const kept30 = { ...surveyNamed('retention-raised'), retentionDays: 30 };
    await surveys.put(kept30);
    now = new Date('2026-11-02T10:05:00.000Z');
    const invitation = { id: 'raised-inv', surveyId: kept30.id, receivedAt: '2026-11-02T09:00:10.000Z', channel: 'email', invitationId: 'i-raised', campaign: 'nov' };
    await deliver([
      { ...invitation, revision: 1, answers: { nps: 3 }, retentionDays: 30 },
      { id: 'raised-web', surveyId: kept30.id, receivedAt: '2026-11-02T09:00:20.000Z', channel: 'web', answers: { nps: 10, csat: 5 }, retentionDays: 30 },
    ]);
    await rollUp();
    const before = await report(kept30.id, { from: '2026-11-02', to: '2026-11-02' });

    // Act: the retention is raised to a year; 40 days on, the web response has expired (its expiry was set when it
    // was received) while the invitation, whose answers now close a year after the first one, takes a change
    await surveys.put({ ...kept30, retentionDays: 365 });
    now = new Date('2026-12-12T10:00:00.000Z');
    await deliver([{ ...invitation, revision: 2, answers: { nps: 9 }, retentionDays: 365 }]);
    await rollUp();
    const after = await report(kept30.id, { from: '2026-11-02', to: '2026-11-02' });

    // Assess: aggregates keep counting an expired response (docs/security-and-privacy.md, Retention)
    expect(before.totals.metrics.responses).toBe(2);
    expect(after.totals.metrics.responses).toBe(2);
    expect(after.totals.metrics.csat?.answers).toBe(1);
  });

  it('keeps counting a minute recomputed while the retention was lowered, once the retention is raised again', async () => {
    // Prepare: a survey kept a year; two responses of one minute, rolled up
    const survey = surveyNamed('retention-lowered');
    await surveys.put(survey);
    now = new Date('2026-11-02T10:05:00.000Z');
    await deliver([
      { id: 'lowered-kept', surveyId: survey.id, receivedAt: '2026-11-02T09:00:10.000Z', channel: 'web', answers: { nps: 10 } },
      { id: 'lowered-erased', surveyId: survey.id, receivedAt: '2026-11-02T09:00:20.000Z', channel: 'web', customerRef: 'lowered-erase-me', answers: { nps: 0 } },
    ]);
    await rollUp();

    // Act: the retention is lowered to 30 days; 10 days on, an erasure re-marks the minute, which is recomputed with
    // the TTL of that retention though the response it keeps expires in a year; 45 days on, the retention is a year
    // again and a late response re-marks the hour. DynamoDB's TTL (which dynalite lacks) has deleted what expired.
    await surveys.put({ ...survey, retentionDays: 30 });
    now = new Date('2026-11-12T10:00:00.000Z');
    await makeEraseCustomer({ holders: [responsesHolder(dynamo.db, 'responses', dirty, clock)], markers: erasures, clock })({ value: 'lowered-erase-me' });
    await rollUp();
    await surveys.put(survey);
    now = new Date('2026-12-17T10:00:00.000Z');
    await deleteExpiredAggregates();
    await deliver([{ id: 'lowered-late', surveyId: survey.id, receivedAt: '2026-11-02T09:30:00.000Z', channel: 'web', answers: { nps: 9 } }]);
    await rollUp();

    // Assess: the hour was recomputable again, so its minutes had to outlive the responses they count
    const answered = await expectTruth(survey, '2026-11-02');
    expect(answered.totals.metrics.responses).toBe(2);
  });
});

/** what DynamoDB's TTL does to the aggregates table: an item whose expiresAt has passed is gone */
async function deleteExpiredAggregates(): Promise<void> {
  const { Items = [] } = await dynamo.db.send(new ScanCommand({ TableName: 'aggregates' }));
  const expired = Items.filter((item) => typeof item.expiresAt === 'number' && item.expiresAt <= Math.floor(now.getTime() / 1000));
  for (const { surveyId, bucket } of expired) await dynamo.db.send(new DeleteCommand({ TableName: 'aggregates', Key: { surveyId, bucket } }));
}
