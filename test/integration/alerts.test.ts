// integration: drop alerts against real dynalite, delivered to a real webhook receiver (node:http on 127.0.0.1) that
// checks every signature. Raising is idempotent per (survey, metric, day); delivery retries within a run and across
// runs, gives up on permanent answers and after its attempts, and sends nothing when no webhook is configured.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '../../shared/aws/dynamodb.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { topology, type TableDeclaration } from '../../infra/topology.js';
import type { Alert } from '../../shared/alerts/alert.js';
import type { AlertStore } from '../../shared/alerts/alert-store.js';
import { makeDeliverPendingAlerts, MAX_DELIVERY_ATTEMPTS, type DeliverPendingAlertsDeps } from '../../shared/alerts/deliver-pending-alerts.js';
import { createDynamoAlertStore } from '../../shared/alerts/dynamo-alert-store.js';
import { makeListAlerts } from '../../shared/alerts/list-alerts.js';
import { makeRaiseDropAlerts } from '../../shared/alerts/raise-drop-alerts.js';
import { verifyWebhookSignature, type WebhookBody } from '../../shared/alerts/webhook.js';
import type { Clock } from '../../shared/clock.js';
import { ApiError } from '../../shared/errors.js';
import { emptyHistogram, type Histogram } from '../../shared/metrics/histogram.js';
import type { AggregateStore } from '../../shared/rollup/aggregate-store.js';
import type { BucketAggregate } from '../../shared/rollup/bucket.js';
import { createDynamoAggregateStore } from '../../shared/rollup/dynamo-aggregate-store.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { surveySchema } from '../../shared/survey/schema.js';
import type { SurveyStore } from '../../shared/survey/survey-store.js';
import { startTestDynamo } from '../support/dynamo.js';

const SECRET = 'integration-signing-secret-0123456789';
const MINUTE = 60_000;

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let client: DynamoDBClient;
let db: DynamoDBDocumentClient;
let surveys: SurveyStore;
let aggregates: AggregateStore;

// a settable clock: 15:00 UTC on Monday 23 November 2026, unless a test moves it
let now: Date;
const clock: Clock = { now: () => now };

beforeAll(async () => {
  dynamo = await startTestDynamo('alerts');
  ({ client, db } = dynamo);
  surveys = createDynamoSurveyStore(db, 'surveys');
  aggregates = createDynamoAggregateStore(db, 'aggregates');
});
afterAll(async () => {
  await dynamo?.close();
});
beforeEach(() => {
  now = new Date('2026-11-23T15:00:00.000Z');
});

// ---- fixtures ----

let tables = 0;
/** a fresh alerts table per test (as declared in the topology), so one test's pending deliveries are not another's */
async function freshAlertStore(): Promise<AlertStore> {
  const name = `alerts-${++tables}`;
  const declaration: TableDeclaration = topology.tables.alerts;
  const index = declaration.indexes![0]!;
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [declaration.partitionKey, declaration.sortKey!, index.partitionKey, index.sortKey].map((AttributeName) => ({
        AttributeName,
        AttributeType: 'S',
      })),
      KeySchema: [
        { AttributeName: declaration.partitionKey, KeyType: 'HASH' },
        { AttributeName: declaration.sortKey!, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  return createDynamoAlertStore(db, name);
}

const surveyNamed = (id: string) =>
  surveySchema.parse({
    id,
    title: id,
    channels: ['web'],
    questions: [
      { id: 'nps', type: 'nps' },
      { id: 'csat', type: 'csat' },
    ],
    texts: { en: { title: id, questions: {} } },
  });

/** a day's histogram: NPS promoters (10), passives (8), detractors (3); CSAT satisfied (5), unsatisfied (2) */
function day(nps: [number, number, number], csat: [number, number]): Histogram {
  const h = emptyHistogram();
  const npsCounts = new Array<number>(11).fill(0);
  [npsCounts[10], npsCounts[8], npsCounts[3]] = nps;
  const csatCounts = new Array<number>(6).fill(0);
  [csatCounts[5], csatCounts[2]] = csat;
  h.questions = { nps: { type: 'nps', max: 10, counts: npsCounts }, csat: { type: 'csat', max: 5, counts: csatCounts } };
  h.responses = nps[0] + nps[1] + nps[2];
  return h;
}

const dayKey = (daysAgo: number) => new Date(Date.UTC(2026, 10, 23) - daysAgo * 86_400_000).toISOString().slice(0, 10);
const aggregate = (surveyId: string, start: string, total: Histogram, period: 'day' | 'hour' = 'day'): BucketAggregate => ({
  surveyId,
  period,
  start,
  total,
  segments: { channel: { web: total }, touchpoint: {}, journeyStage: {}, locale: {} },
});

/**
 * A survey whose NPS and CSAT fell this week. Per day, previous week (23 Nov − 13 … − 7): NPS 8/4/2, CSAT 12/2;
 * this week (− 6 … today): NPS 4/4/6, CSAT 8/6. Over 7 days, 98 answers each:
 *   NPS (56 − 14) / 98 = 42.86 → (28 − 42) / 98 = −14.29;  CSAT 84 / 98 = 85.71% → 56 / 98 = 57.14%.
 * Around them, data that must not count: a glowing day just before the previous week, and an hour aggregate.
 */
async function seedDroppingSurvey(id: string): Promise<void> {
  await surveys.put(surveyNamed(id));
  for (let ago = 13; ago >= 7; ago--) await aggregates.put(aggregate(id, dayKey(ago), day([8, 4, 2], [12, 2])));
  for (let ago = 6; ago >= 0; ago--) await aggregates.put(aggregate(id, dayKey(ago), day([4, 4, 6], [8, 6])));
  await aggregates.put(aggregate(id, dayKey(14), day([1000, 0, 0], [1000, 0])));
  await aggregates.put(aggregate(id, `${dayKey(0)}T09`, day([1000, 0, 0], [1000, 0]), 'hour'));
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** verifyWebhookSignature said yes, at the clock's time */
  verified: boolean;
}

/**
 * A webhook receiver on 127.0.0.1; `answer(n)` decides the status of the n-th request (1-based), or hangs; the
 * answer is sent after `delayMs`.
 */
async function startReceiver(answer: (n: number) => number | 'hang', delayMs = 0) {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    received.push({ headers: req.headers, body: body.toString('utf8'), verified: verifyWebhookSignature(body, req.headers, SECRET, 300, clock.now()) });
    const status = answer(received.length);
    if (status === 'hang') hanging.push(res);
    else setTimeout(() => res.writeHead(status).end(), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/feedback?token=t0ken`;
  return {
    url,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** delivery with the waits between attempts recorded instead of slept */
function deliverer(alerts: AlertStore, url: string | undefined, overrides: Partial<DeliverPendingAlertsDeps> = {}) {
  const waits: number[] = [];
  const deliver = makeDeliverPendingAlerts({
    alerts,
    webhook: url ? { url, secret: SECRET } : undefined,
    clock,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  });
  return { deliver, waits };
}

const raiserFor = (alerts: AlertStore, webhookConfigured = true) => makeRaiseDropAlerts({ surveys, aggregates, alerts, clock, webhookConfigured });

const stored = async (alerts: AlertStore, surveyId: string) => alerts.listBySurvey(surveyId, 200);

// ---- raising ----

describe('raising drop alerts', () => {
  it('stores one alert per metric and day, however often the rollup runs, with the numbers that justify it', async () => {
    // Prepare
    const alerts = await freshAlertStore();
    await seedDroppingSurvey('raise-twice');
    const raise = raiserFor(alerts);

    // Act
    const first = await raise(['raise-twice']);
    now = new Date('2026-11-23T15:01:00.000Z');
    const second = await raise(['raise-twice', 'raise-twice']);
    now = new Date('2026-11-23T23:59:00.000Z');
    const third = await raise(['raise-twice']);

    // Assess
    expect(first.map((alert) => alert.alertId)).toEqual(['2026-11-23#nps-drop', '2026-11-23#csat-drop']);
    expect(second).toEqual([]);
    expect(third).toEqual([]);
    const all = await stored(alerts, 'raise-twice');
    expect(all).toHaveLength(2);
    const nps = all.find((alert) => alert.metric === 'nps')!;
    expect(nps).toEqual({
      alertId: '2026-11-23#nps-drop',
      surveyId: 'raise-twice',
      metric: 'nps',
      window: { from: '2026-11-17', to: '2026-11-23' },
      previous: { from: '2026-11-10', to: '2026-11-16' },
      values: { current: -14.29, previous: 42.86 },
      answers: { current: 98, previous: 98 },
      change: -57.14,
      marginOfError: expect.any(Number),
      raisedAt: '2026-11-23T15:00:00.000Z',
      delivery: { status: 'pending', attempts: 0, nextAttemptAt: '2026-11-23T15:00:00.000Z' },
    } satisfies Alert);
    // adjusted Wald (n' = 98 + 3, ¾ added to promoters and detractors): previous 56/28/14, current 28/28/42
    const variance = (promoters: number, detractors: number) => {
      const [p, d] = [(promoters + 0.75) / 101, (detractors + 0.75) / 101];
      return (p + d - (p - d) ** 2) / 101;
    };
    expect(nps.marginOfError).toBeCloseTo(1.96 * Math.sqrt(variance(56, 14) + variance(28, 42)) * 100, 2);
    const csat = all.find((alert) => alert.metric === 'csat')!;
    expect(csat).toMatchObject({ values: { current: 57.14, previous: 85.71 }, change: -28.57, answers: { current: 98, previous: 98 } });
  });

  it('raises again the next day while the drop lasts, under the next day\'s id', async () => {
    const alerts = await freshAlertStore();
    await seedDroppingSurvey('next-day');
    const raise = raiserFor(alerts);

    await raise(['next-day']);
    now = new Date('2026-11-24T00:05:00.000Z');
    const nextDay = await raise(['next-day']);

    expect(nextDay.map((alert) => alert.alertId)).toEqual(['2026-11-24#nps-drop', '2026-11-24#csat-drop']);
    expect(nextDay[0]!.window).toEqual({ from: '2026-11-18', to: '2026-11-24' });
    // newest first
    expect((await stored(alerts, 'next-day')).map((alert) => alert.alertId)).toEqual([
      '2026-11-24#nps-drop',
      '2026-11-24#csat-drop',
      '2026-11-23#nps-drop',
      '2026-11-23#csat-drop',
    ]);
  });

  it('raises nothing for a steady survey, an unknown survey, or a survey without enough answers', async () => {
    // Prepare
    const alerts = await freshAlertStore();
    await surveys.put(surveyNamed('steady'));
    for (let ago = 13; ago >= 0; ago--) await aggregates.put(aggregate('steady', dayKey(ago), day([8, 4, 2], [12, 2])));
    await surveys.put(surveyNamed('tiny'));
    await aggregates.put(aggregate('tiny', dayKey(10), day([5, 0, 0], [5, 0])));
    await aggregates.put(aggregate('tiny', dayKey(1), day([0, 0, 5], [0, 5])));

    // Act
    const raised = await raiserFor(alerts)(['steady', 'no-such-survey', 'tiny']);

    // Assess
    expect(raised).toEqual([]);
    expect(await stored(alerts, 'steady')).toEqual([]);
    expect(await stored(alerts, 'tiny')).toEqual([]);
  });
});

// ---- delivering ----

describe('delivering alerts to the webhook', () => {
  it('POSTs each new alert once, signed, and records it delivered', async () => {
    // Prepare
    const alerts = await freshAlertStore();
    await seedDroppingSurvey('delivered');
    const raised = await raiserFor(alerts)(['delivered']);
    const receiver = await startReceiver(() => 204);
    const { deliver } = deliverer(alerts, receiver.url);

    try {
      // Act
      const report = await deliver();
      const again = await deliver();

      // Assess
      expect(report).toEqual({ delivered: 2, retrying: 0, failed: 0 });
      expect(again).toEqual({ delivered: 0, retrying: 0, failed: 0 });
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received.every((request) => request.verified)).toBe(true);
      const bodies = receiver.received.map((request) => JSON.parse(request.body) as WebhookBody);
      expect(bodies.map((body) => body.type)).toEqual(['metric-drop', 'metric-drop']);
      const { delivery: _, ...payload } = raised.find((alert) => alert.metric === bodies[0]!.alert.metric)!;
      expect(bodies[0]!.alert).toEqual(payload);
      expect(receiver.received[0]!.headers['x-feedback-timestamp']).toBe(String(now.getTime() / 1000));
      expect(receiver.received[0]!.headers['content-type']).toMatch(/^application\/json/);
      for (const alert of await stored(alerts, 'delivered')) {
        expect(alert.delivery).toEqual({ status: 'delivered', attempts: 1, deliveredAt: now.toISOString() });
      }
      expect(await alerts.listDueDeliveries(new Date('2030-01-01T00:00:00Z'), 10)).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('retries a receiver that answers 503 twice within the run, and counts all three attempts', async () => {
    const alerts = await freshAlertStore();
    await seedDroppingSurvey('flaky');
    await raiserFor(alerts)(['flaky']);
    const receiver = await startReceiver((n) => (n <= 2 ? 503 : 200));
    const { deliver, waits } = deliverer(alerts, receiver.url, { batchSize: 1 });

    try {
      const report = await deliver();

      expect(report).toEqual({ delivered: 1, retrying: 0, failed: 0 });
      expect(waits).toEqual([500, 1000]);
      expect(receiver.received).toHaveLength(3);
      expect(receiver.received.every((request) => request.verified)).toBe(true);
      expect(new Set(receiver.received.map((request) => request.body)).size).toBe(1);
      const delivered = (await stored(alerts, 'flaky')).filter((alert) => alert.delivery.status === 'delivered');
      expect(delivered.map((alert) => alert.delivery)).toEqual([{ status: 'delivered', attempts: 3, deliveredAt: now.toISOString() }]);
    } finally {
      await receiver.close();
    }
  });

  it('gives up at once on a 400, and never sends that alert again', async () => {
    const alerts = await freshAlertStore();
    await seedDroppingSurvey('refused');
    await raiserFor(alerts)(['refused']);
    const receiver = await startReceiver(() => 400);
    const { deliver, waits } = deliverer(alerts, receiver.url);

    try {
      const report = await deliver();
      now = new Date(now.getTime() + 24 * 60 * MINUTE);
      const later = await deliver();

      expect(report).toEqual({ delivered: 0, retrying: 0, failed: 2 });
      expect(later).toEqual({ delivered: 0, retrying: 0, failed: 0 });
      expect(waits).toEqual([]);
      expect(receiver.received).toHaveLength(2);
      for (const alert of await stored(alerts, 'refused')) {
        expect(alert.delivery).toEqual({ status: 'failed', attempts: 1, lastError: 'HTTP 400', failedAt: '2026-11-23T15:00:00.000Z' });
      }
    } finally {
      await receiver.close();
    }
  });

  it('asks a configuration read at run time (the cloud\'s WebhookUrls secret) once per run, and only when there is a drop', async () => {
    // Prepare
    const alerts = await freshAlertStore();
    await seedDroppingSurvey('runtime-config-a');
    await seedDroppingSurvey('runtime-config-b');
    let asked = 0;
    const raise = makeRaiseDropAlerts({ surveys, aggregates, alerts, clock, webhookConfigured: async () => (asked += 1) > 0 });

    // Act
    const quiet = await raise(['no-such-survey']);
    const askedWithoutDrops = asked;
    const raised = await raise(['runtime-config-a', 'runtime-config-b', 'no-such-survey']);

    // Assess
    expect(quiet).toEqual([]);
    expect(askedWithoutDrops).toBe(0);
    expect(asked).toBe(1);
    expect(raised).toHaveLength(4);
    expect(raised.map((alert) => alert.delivery.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
  });

  it('sends nothing, and queues nothing, when no webhook is configured', async () => {
    // Prepare
    const alerts = await freshAlertStore();
    await seedDroppingSurvey('unconfigured');
    const receiver = await startReceiver(() => 204);

    try {
      // Act
      const raised = await raiserFor(alerts, false)(['unconfigured']);
      const report = await deliverer(alerts, undefined).deliver();
      // a webhook configured later does not receive alerts raised before it
      const afterwards = await deliverer(alerts, receiver.url).deliver();

      // Assess
      expect(raised).toHaveLength(2);
      expect(report).toEqual({ delivered: 0, retrying: 0, failed: 0 });
      expect(afterwards).toEqual({ delivered: 0, retrying: 0, failed: 0 });
      expect(receiver.received).toEqual([]);
      expect((await stored(alerts, 'unconfigured')).map((alert) => alert.delivery)).toEqual([
        { status: 'not-configured', attempts: 0 },
        { status: 'not-configured', attempts: 0 },
      ]);
      expect(await alerts.listDueDeliveries(new Date('2030-01-01T00:00:00Z'), 10)).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('times out on a receiver that hangs, and retries in a later run once the backoff has passed', async () => {
    // Prepare
    const alerts = await freshAlertStore();
    await seedDroppingSurvey('hangs');
    await raiserFor(alerts)(['hangs']);
    let healthy = false;
    const receiver = await startReceiver(() => (healthy ? 204 : 'hang'));
    const { deliver } = deliverer(alerts, receiver.url, { timeoutMs: 150 });

    try {
      // Act
      const started = Date.now();
      const first = await deliver();
      const elapsed = Date.now() - started;
      const afterFirst = await stored(alerts, 'hangs');
      const notYetDue = await deliver();
      const sentBeforeDue = receiver.received.length;
      healthy = true;
      now = new Date(now.getTime() + MINUTE);
      const second = await deliver();

      // Assess: 2 alerts × 3 attempts of 150 ms each
      expect(first).toEqual({ delivered: 0, retrying: 2, failed: 0 });
      expect(elapsed).toBeGreaterThanOrEqual(6 * 150 - 30);
      expect(afterFirst.map((alert) => alert.delivery)).toEqual(
        Array(2).fill({ status: 'pending', attempts: 3, nextAttemptAt: '2026-11-23T15:01:00.000Z', lastError: 'timeout after 150 ms' }),
      );
      expect(notYetDue).toEqual({ delivered: 0, retrying: 0, failed: 0 });
      expect(sentBeforeDue).toBe(6);
      expect(second).toEqual({ delivered: 2, retrying: 0, failed: 0 });
      expect((await stored(alerts, 'hangs')).map((alert) => alert.delivery)).toEqual(
        Array(2).fill({ status: 'delivered', attempts: 4, deliveredAt: '2026-11-23T15:01:00.000Z' }),
      );
      expect(receiver.received.every((request) => request.verified)).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('backs off 1, 2, 4 … minutes between runs and gives up after the maximum number of attempts', async () => {
    // Prepare
    const alerts = await freshAlertStore();
    await seedDroppingSurvey('down');
    await raiserFor(alerts)(['down']);
    const receiver = await startReceiver(() => 500);
    const { deliver } = deliverer(alerts, receiver.url);

    try {
      // Act: each run at the time the previous one scheduled
      const delaysMinutes: number[] = [];
      for (let run = 1; run < MAX_DELIVERY_ATTEMPTS / 3; run++) {
        const report = await deliver();
        expect(report, `run ${run}`).toEqual({ delivered: 0, retrying: 2, failed: 0 });
        const { delivery } = (await stored(alerts, 'down'))[0]!;
        if (delivery.status !== 'pending') throw new Error(`run ${run}: ${delivery.status}`);
        delaysMinutes.push((Date.parse(delivery.nextAttemptAt) - now.getTime()) / MINUTE);
        now = new Date(delivery.nextAttemptAt);
      }
      const last = await deliver();
      const afterGivingUp = await deliver();

      // Assess
      expect(delaysMinutes).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
      expect(last).toEqual({ delivered: 0, retrying: 0, failed: 2 });
      expect(afterGivingUp).toEqual({ delivered: 0, retrying: 0, failed: 0 });
      expect((await stored(alerts, 'down')).map((alert) => alert.delivery)).toEqual(
        Array(2).fill({ status: 'failed', attempts: MAX_DELIVERY_ATTEMPTS, lastError: 'HTTP 500', failedAt: now.toISOString() }),
      );
      expect(receiver.received).toHaveLength(2 * MAX_DELIVERY_ATTEMPTS);
      expect(receiver.received.every((request) => request.verified)).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('sends an alert once when two runs overlap: only one claims it', async () => {
    const alerts = await freshAlertStore();
    await seedDroppingSurvey('overlap');
    await raiserFor(alerts)(['overlap']);
    // slow enough that both runs read both alerts as due before either records anything
    const receiver = await startReceiver(() => 204, 100);

    try {
      const [a, b] = await Promise.all([deliverer(alerts, receiver.url).deliver(), deliverer(alerts, receiver.url).deliver()]);

      expect(a.delivered + b.delivered).toBe(2);
      expect([a.delivered, b.delivered]).toEqual([1, 1]);
      expect(receiver.received).toHaveLength(2);
      expect(new Set(receiver.received.map((request) => JSON.parse(request.body).alert.alertId)).size).toBe(2);
    } finally {
      await receiver.close();
    }
  });
});

// ---- listing (admin) ----

describe('listing a survey\'s alerts', () => {
  it('returns them newest first, up to the limit, with their delivery state', async () => {
    const alerts = await freshAlertStore();
    await seedDroppingSurvey('listed');
    const raise = raiserFor(alerts, false);
    await raise(['listed']);
    now = new Date('2026-11-24T08:00:00.000Z');
    await raise(['listed']);
    const listAlerts = makeListAlerts({ surveys, alerts });

    const { items } = await listAlerts('listed', { limit: '3' });
    const all = await listAlerts('listed', {});

    expect(items.map((alert) => alert.alertId)).toEqual(['2026-11-24#nps-drop', '2026-11-24#csat-drop', '2026-11-23#nps-drop']);
    expect(items[0]!.delivery).toEqual({ status: 'not-configured', attempts: 0 });
    expect(all.items).toHaveLength(4);
  });

  it.each([['0'], ['201'], ['1.5'], ['ten']])('answers 400 naming limit for limit=%s', async (limit) => {
    const listAlerts = makeListAlerts({ surveys, alerts: await freshAlertStore() });
    await surveys.put(surveyNamed('limits'));

    const error = await listAlerts('limits', { limit }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, details: [{ path: 'limit' }] });
  });

  it('answers 400 for an unknown parameter and 404 for an unknown survey', async () => {
    const listAlerts = makeListAlerts({ surveys, alerts: await freshAlertStore() });
    await surveys.put(surveyNamed('params'));

    await expect(listAlerts('params', { cursor: 'x' })).rejects.toMatchObject({ status: 400, details: [{ path: 'cursor', reason: 'unknown field' }] });
    await expect(listAlerts('no-such-survey', {})).rejects.toMatchObject({ status: 404 });
  });
});
