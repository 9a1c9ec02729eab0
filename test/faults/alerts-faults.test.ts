// faults dynalite cannot produce (DynamoDB throttling) on the alert use cases, with aws-sdk-client-mock. The
// webhook is a stand-in fetch here: what matters is what is (not) sent and (not) recorded when the store fails.
import { DynamoDBClient, ProvisionedThroughputExceededException, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '../../shared/aws/dynamodb.js';
import { mockAws } from '../support/aws-mock.js';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../../shared/alerts/alert.js';
import { makeDeliverPendingAlerts } from '../../shared/alerts/deliver-pending-alerts.js';
import { createDynamoAlertStore } from '../../shared/alerts/dynamo-alert-store.js';
import { makeRaiseDropAlerts, RaiseDropAlertsError } from '../../shared/alerts/raise-drop-alerts.js';
import type { Fetch } from '../../shared/alerts/webhook.js';
import type { Clock } from '../../shared/clock.js';
import { emptyHistogram } from '../../shared/metrics/histogram.js';
import { createDynamoAggregateStore } from '../../shared/rollup/dynamo-aggregate-store.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { surveySchema } from '../../shared/survey/schema.js';

const db = mockAws(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
);
const alerts = createDynamoAlertStore(client, 'alerts');
const clock: Clock = { now: () => new Date('2026-11-23T15:00:00.000Z') };
const throttled = () => new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: {} });
const webhook = { url: 'https://hooks.invalid/feedback', secret: 'fault-test-secret-0123456789' };

const survey = (id: string) =>
  surveySchema.parse({ id, title: id, channels: ['web'], questions: [{ id: 'nps', type: 'nps' }], texts: { en: { title: id, questions: {} } } });

/** the aggregates table's item for a day: NPS promoters (10) and detractors (3) */
function dayItem(surveyId: string, day: string, promoters: number, detractors: number) {
  const total = emptyHistogram();
  const counts = new Array<number>(11).fill(0);
  [counts[10], counts[3]] = [promoters, detractors];
  total.questions.nps = { type: 'nps', max: 10, counts };
  total.responses = promoters + detractors;
  return { surveyId, bucket: `day#${day}`, histograms: JSON.stringify({ total, segments: { channel: {}, touchpoint: {}, journeyStage: {}, locale: {} } }) };
}

const pendingItem: Alert & { deliveryPending: 'pending'; nextAttemptAt: string } = {
  alertId: '2026-11-23#nps-drop',
  surveyId: 'shop',
  metric: 'nps',
  window: { from: '2026-11-17', to: '2026-11-23' },
  previous: { from: '2026-11-10', to: '2026-11-16' },
  values: { current: -20, previous: 60 },
  answers: { current: 50, previous: 50 },
  change: -80,
  marginOfError: 30.1,
  raisedAt: '2026-11-23T15:00:00.000Z',
  delivery: { status: 'pending', attempts: 0, nextAttemptAt: '2026-11-23T15:00:00.000Z' },
  deliveryPending: 'pending',
  nextAttemptAt: '2026-11-23T15:00:00.000Z',
};

const accepting = () => vi.fn<Fetch>(async () => new Response(null, { status: 204 }));

beforeEach(() => {
  db.reset();
});

describe('raising alerts: a throttled alert put', () => {
  it('surfaces as an error naming the survey, after the other surveys\' alerts are stored; nothing is sent', async () => {
    // Prepare: both surveys dropped from NPS 60 to −20 (40 answers a week); only one alert put is throttled
    for (const id of ['calm', 'busy']) {
      db.on(GetCommand, { TableName: 'surveys', Key: { surveyId: id } }).resolves({ Item: { surveyId: id, definition: survey(id) } });
      db.on(QueryCommand, { TableName: 'aggregates', ExpressionAttributeValues: { ':s': id } }).resolves({
        Items: [dayItem(id, '2026-11-12', 32, 8), dayItem(id, '2026-11-20', 16, 24)],
      });
    }
    db.on(PutCommand, { TableName: 'alerts', Item: { surveyId: 'busy' } }).rejects(throttled());
    db.on(PutCommand, { TableName: 'alerts', Item: { surveyId: 'calm' } }).resolves({});
    db.on(QueryCommand, { IndexName: 'pendingDelivery' }).resolves({ Items: [] });
    const raise = makeRaiseDropAlerts({
      surveys: createDynamoSurveyStore(client, 'surveys'),
      aggregates: createDynamoAggregateStore(client, 'aggregates'),
      alerts,
      clock,
      webhookConfigured: true,
    });
    const fetch = accepting();

    // Act
    const error = await raise(['busy', 'calm']).catch((e: unknown) => e);
    const report = await makeDeliverPendingAlerts({ alerts, webhook, clock, fetch, sleep: async () => undefined })();

    // Assess
    expect(error).toBeInstanceOf(RaiseDropAlertsError);
    const failure = error as RaiseDropAlertsError;
    expect(failure.message).toBe('drop alerts failed for 1 survey(s): busy');
    expect(failure.failures.map((f) => f.surveyId)).toEqual(['busy']);
    expect(failure.failures[0]!.error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(failure.raised.map((alert) => [alert.surveyId, alert.alertId])).toEqual([['calm', '2026-11-23#nps-drop']]);
    expect(db.commandCalls(PutCommand).map((call) => call.args[0].input.Item?.surveyId).sort()).toEqual(['busy', 'calm']);
    expect(report).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(fetch).not.toHaveBeenCalled();
    expect(db.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});

describe('delivering alerts: DynamoDB throttling', () => {
  it('a throttled claim surfaces as an error and nothing is sent', async () => {
    db.on(QueryCommand, { IndexName: 'pendingDelivery' }).resolves({ Items: [pendingItem] });
    db.on(UpdateCommand).rejects(throttled());
    const fetch = accepting();

    const deliver = makeDeliverPendingAlerts({ alerts, webhook, clock, fetch, sleep: async () => undefined });

    await expect(deliver()).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('a throttled record after the POST surfaces as an error: the alert is not marked delivered, and its claim expires', async () => {
    // Prepare: the claim succeeds, recording the outcome is throttled
    db.on(QueryCommand, { IndexName: 'pendingDelivery' }).resolves({ Items: [pendingItem] });
    db.on(UpdateCommand).resolvesOnce({}).rejects(throttled());
    const fetch = accepting();
    const deliver = makeDeliverPendingAlerts({ alerts, webhook, clock, fetch, sleep: async () => undefined });

    // Act
    const error = await deliver().catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(fetch).toHaveBeenCalledTimes(1);
    const [claim, record] = db.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    // the claim only moved nextAttemptAt two minutes on: the alert stays pending and is sent again after that
    expect(claim).toMatchObject({ UpdateExpression: 'SET #n = :until', ExpressionAttributeValues: { ':until': '2026-11-23T15:02:00.000Z' } });
    expect(record).toMatchObject({ ExpressionAttributeValues: { ':d': { status: 'delivered', attempts: 1 } } });
  });
});
