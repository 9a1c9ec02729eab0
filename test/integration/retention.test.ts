// integration (dynalite): retention. Expired responses, follow-up tasks and notifications are never read, the
// sweeper deletes them, and aggregates keep counting them. Also: a survey's privacy setting decides redaction.
import { ScanCommand } from '../../shared/aws/dynamodb.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../shared/clock.js';
import { createDynamoNotificationStore } from '../../shared/followups/dynamo-notification-store.js';
import { createDynamoTaskStore } from '../../shared/followups/dynamo-task-store.js';
import { notificationOf } from '../../shared/followups/notification.js';
import { openTask } from '../../shared/followups/task.js';
import { referenceOf } from '../../shared/followups/route-detractors.js';
import { createDynamoInvitationStore } from '../../shared/invitations/dynamo-invitation-store.js';
import { createDynamoExpiredItems } from '../../shared/privacy/dynamo-expired-items.js';
import { createLocalPiiRedactor } from '../../shared/privacy/local-pii-redactor.js';
import { isExpired } from '../../shared/privacy/retention.js';
import { makeSweepExpired } from '../../shared/privacy/sweep-expired.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { makeProcessResponses } from '../../shared/response/process-responses.js';
import { createDynamoAggregateStore } from '../../shared/rollup/dynamo-aggregate-store.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { makeRollUp } from '../../shared/rollup/roll-up.js';
import { createLocalSentimentAnalyzer } from '../../shared/sentiment/local-analyzer.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { startTestDynamo } from '../support/dynamo.js';
import { storedResponse, surveyWith } from '../support/fixtures.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let now = new Date('2026-11-23T12:00:00.000Z');
const clock: Clock = { now: () => now };
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

beforeAll(async () => {
  dynamo = await startTestDynamo('retention');
});
afterAll(async () => {
  await dynamo?.close();
});

const count = async (table: string) => (await dynamo.db.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))).Count;

describe('isExpired', () => {
  it('is true from the second expiresAt names, and never for an item without one', () => {
    expect(isExpired({ expiresAt: seconds(now) }, now)).toBe(true);
    expect(isExpired({ expiresAt: seconds(now) + 1 }, now)).toBe(false);
    expect(isExpired({}, now)).toBe(false);
  });
});

describe('retention', () => {
  it('hides expired responses, tasks and notifications from every read, then the sweeper deletes only those', async () => {
    // Prepare: one expired detractor (with its task and notification) and one live one, both pending and unrouted
    const responses = createDynamoResponseStore(dynamo.db, 'responses', clock);
    const tasks = createDynamoTaskStore(dynamo.db, 'followups', clock);
    const notifications = createDynamoNotificationStore(dynamo.db, 'notifications');
    const pending = { sentiment: { status: 'pending' as const }, comment: 'late', followUp: { reasons: [{ rule: 'nps' as const, question: 'nps', score: 2, atMost: 6 }] } };
    const expired = storedResponse({ id: 'old', surveyId: 'ret', receivedAt: '2026-11-22T10:00:00.000Z', expiresAt: seconds(now) - 60, ...pending });
    const live = storedResponse({ id: 'new', surveyId: 'ret', receivedAt: '2026-11-22T11:00:00.000Z', expiresAt: seconds(now) + 3600, ...pending });
    for (const response of [expired, live]) {
      await responses.putIfAbsent(response);
      const task = openTask({ response: referenceOf(response), reasons: [], priority: { level: 'normal', score: 0 }, firstContactHours: 24, now: new Date('2026-11-22T12:00:00.000Z') });
      await tasks.putIfAbsent(task);
      await notifications.putIfAbsent(notificationOf('task-opened', task, new Date('2026-11-22T12:00:00.000Z')));
    }
    const sweep = makeSweepExpired({
      clock,
      tables: {
        responses: createDynamoExpiredItems(dynamo.db, 'responses', ['responseId']),
        followups: createDynamoExpiredItems(dynamo.db, 'followups', ['taskId']),
        notifications: createDynamoExpiredItems(dynamo.db, 'notifications', ['taskId', 'kind']),
      },
    });
    const ids = (items: { id: string }[]) => items.map((r) => r.id);

    // Act
    const listed = ids((await responses.listBySurvey({ surveyId: 'ret', limit: 10, now })).items);
    const pendingSentiment = ids(await responses.listPendingSentiment(10));
    const unrouted = ids(await responses.listUnrouted(10));
    const taskList = (await tasks.listInStatuses({ surveys: ['ret'], statuses: ['open'] })).map((t) => t.response.responseId);
    const openedOrder = tasks.readOpened({ surveys: ['ret'], newestFirst: true, maxRead: 10, readAhead: 10 });
    const openedTasks: string[] = [];
    for (let next = await openedOrder.next(); next; next = await openedOrder.next()) if (next.task) openedTasks.push(next.task.response.responseId);
    const due = (await notifications.listDueDeliveries(now, 10)).map((n) => n.taskId);
    const beforeSweep = [await count('responses'), await count('followups'), await count('notifications')];
    const deleted = await sweep();
    const again = await sweep();

    // Assess
    expect(listed).toEqual(['new']);
    expect(pendingSentiment).toEqual(['new']);
    expect(unrouted).toEqual(['new']);
    expect(taskList).toEqual(['new']);
    expect(openedTasks).toEqual(['new']);
    expect(due).toHaveLength(1);
    expect(beforeSweep).toEqual([2, 2, 2]);
    expect(deleted).toEqual({ responses: 1, followups: 1, notifications: 1 });
    expect(again).toEqual({ responses: 0, followups: 0, notifications: 0 });
    expect([await count('responses'), await count('followups'), await count('notifications')]).toEqual([1, 1, 1]);
    const left = (await dynamo.db.send(new ScanCommand({ TableName: 'responses' }))).Items ?? [];
    expect(left.map((item) => item.responseId)).toEqual(['new']);
  });

  it('keeps an hour\'s aggregate once its responses may have expired: a late mark does not make it forget them', async () => {
    // Prepare: two responses counted in an hour; a year later one has been swept and the hour is marked again
    const surveys = createDynamoSurveyStore(dynamo.db, 'surveys');
    await surveys.put(surveyWith([{ id: 'nps', type: 'nps' }], { id: 'kept', retentionDays: 30 }));
    const responses = createDynamoResponseStore(dynamo.db, 'responses', clock);
    const aggregates = createDynamoAggregateStore(dynamo.db, 'aggregates');
    const dirty = createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets');
    const rollUp = makeRollUp({ responses, aggregates, dirty, surveys, clock, settleSeconds: 0 });
    now = new Date('2026-10-01T12:00:00.000Z');
    for (const id of ['k1', 'k2']) {
      await responses.putIfAbsent(storedResponse({ id, surveyId: 'kept', receivedAt: '2026-10-01T09:30:00.000Z', expiresAt: seconds(now) + (id === 'k1' ? 60 : 40 * 86_400), answers: { nps: 10 } }));
    }
    await dirty.mark('kept', '2026-10-01T09', now);
    await rollUp();

    // Act
    now = new Date('2026-11-23T12:00:00.000Z');
    await dirty.mark('kept', '2026-10-01T09', now);
    const result = await rollUp();

    // Assess
    const [hour] = await aggregates.list('kept', 'hour', '2026-10-01T09', '2026-10-01T09');
    expect(result.hoursKept).toBe(1);
    expect(hour?.total.responses).toBe(2);
    expect(await dirty.list(10)).toEqual([]);
  });

  it('hides email invitations past their retention from every read of the invitation store, then the sweeper deletes only those', async () => {
    // Prepare: two invitations of one campaign, one past its retention (retainUntil) and one within it
    now = new Date('2026-11-23T12:00:00.000Z');
    const invitations = createDynamoInvitationStore(dynamo.db, 'invitations', clock);
    const invitation = (invitationId: string, retainUntil: number) => ({
      invitationId,
      surveyId: 'ret',
      campaign: 'old-mail',
      customerRef: `c-${invitationId}`,
      createdAt: '2025-01-01T08:00:00.000Z',
      expiresAt: seconds(now) - 30 * 86_400,
      retainUntil,
    });
    await invitations.createMany([invitation('i_gone', seconds(now) - 60), invitation('i_kept', seconds(now) + 3600)]);
    const sweep = makeSweepExpired({ clock, tables: { invitations: createDynamoExpiredItems(dynamo.db, 'invitations', ['invitationId'], 'retainUntil') } });

    // Act
    const gone = await invitations.get('i_gone');
    const kept = await invitations.get('i_kept');
    const campaign = (await invitations.listCampaign('ret', 'old-mail', 10)).items.map((i) => i.invitationId);
    const deleted = await sweep();
    const left = ((await dynamo.db.send(new ScanCommand({ TableName: 'invitations' }))).Items ?? []).map((item) => item.invitationId);

    // Assess
    expect(gone).toBeUndefined();
    expect(kept).toMatchObject({ invitationId: 'i_kept' });
    expect(kept).not.toHaveProperty('expiryKey');
    expect(campaign).toEqual(['i_kept']);
    expect(deleted).toEqual({ invitations: 1 });
    expect(left).toEqual(['i_kept']);
  });
});

describe('a survey\'s privacy setting', () => {
  it('redacts comments by default and keeps them as written with privacy.comments = keep', async () => {
    // Prepare
    const surveys = createDynamoSurveyStore(dynamo.db, 'surveys');
    await surveys.put(surveyWith([{ id: 'nps', type: 'nps' }], { id: 'redacting' }));
    await surveys.put(surveyWith([{ id: 'nps', type: 'nps' }], { id: 'keeping', privacy: { comments: 'keep' } }));
    const store = createDynamoResponseStore(dynamo.db, 'responses', clock);
    const process = makeProcessResponses({
      store,
      sentiment: createLocalSentimentAnalyzer(),
      dirty: createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets'),
      clock,
      surveys,
      redactor: createLocalPiiRedactor(),
    });
    const comment = 'Great help, reach me at ana@example.com or +44 20 7946 0958';
    const message = (surveyId: string) => ({
      messageId: surveyId,
      body: JSON.stringify({ id: `p-${surveyId}`, surveyId, receivedAt: now.toISOString(), expiresAt: seconds(now) + 3600, channel: 'web', locale: 'en', answers: { nps: 9 }, comment }),
    });

    // Act
    const batch = await process([message('redacting'), message('keeping')]);
    await batch.store('redacting');
    await batch.store('keeping');

    // Assess
    const [redacted] = (await store.listBySurvey({ surveyId: 'redacting', limit: 1, now })).items;
    const [kept] = (await store.listBySurvey({ surveyId: 'keeping', limit: 1, now })).items;
    expect(redacted).toMatchObject({ comment: 'Great help, reach me at [EMAIL] or [PHONE]', redaction: { status: 'redacted', found: { EMAIL: 1, PHONE: 1 } } });
    expect(redacted?.sentiment).toMatchObject({ status: 'scored', label: 'POSITIVE' });
    expect(kept).toMatchObject({ comment, redaction: { status: 'kept' } });
  });
});
