// integration: the customer's history on a task (GET /v1/followups/{id} `customerHistory`) against real dynalite: the
// customer's responses in two surveys and an earlier resolved task are read back from the byCustomer indexes; the admin
// sees all of it, a lead granted one survey only that survey's; an anonymous response has none; an expired response
// never shows, and after the customer is erased nothing does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoCxLeadStore } from '../../shared/access/dynamo-cx-lead-store.js';
import { adminPrincipal, makeCreateCxLead, principalOfToken, tokenHashOf, type Principal } from '../../shared/access/principal.js';
import type { Clock } from '../../shared/clock.js';
import { makeCustomerHistory, type CustomerHistory } from '../../shared/followups/customer-history.js';
import { createDynamoNotificationStore } from '../../shared/followups/dynamo-notification-store.js';
import { createDynamoTaskStore } from '../../shared/followups/dynamo-task-store.js';
import { openTask, taskIdOf } from '../../shared/followups/task.js';
import { makeWorkTasks } from '../../shared/followups/work-tasks.js';
import { makeEraseCustomer } from '../../shared/privacy/customer-data.js';
import { followUpsHolder, responsesHolder } from '../../shared/privacy/dynamo-customer-data.js';
import { createDynamoErasureMarkers } from '../../shared/privacy/dynamo-erasure-markers.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import type { StoredResponse } from '../../shared/response/stored-response.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { startTestDynamo } from '../support/dynamo.js';
import { storedResponse, surveyWith } from '../support/fixtures.js';
import { createDynamoSurveyCatalog } from '../../shared/survey/dynamo-survey-catalog.js';
import { surveyIdsOf } from '../../shared/survey/survey-catalog.js';

const LINK_KEYS = [{ kid: 't1', secret: 'integration-link-secret-0123456789abcdef' }];
let now = new Date('2026-12-01T10:00:00.000Z');
const clock: Clock = { now: () => now };
const YEAR_LATER = Math.floor(now.getTime() / 1000) + 365 * 86_400;

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let deps: ReturnType<typeof storesOf>;

const storesOf = (db: Awaited<ReturnType<typeof startTestDynamo>>['db']) => ({
  responses: createDynamoResponseStore(db, 'responses', clock, { legacyIndex: false }),
  tasks: createDynamoTaskStore(db, 'followups', clock),
  notifications: createDynamoNotificationStore(db, 'notifications'),
  surveys: createDynamoSurveyStore(db, 'surveys'),
  leads: createDynamoCxLeadStore(db, 'cxLeads'),
});

beforeAll(async () => {
  dynamo = await startTestDynamo('followup-history', { legacyIndexes: false });
  deps = storesOf(dynamo.db);
  // two surveys whose NPS questions have different ids: the trend finds each survey's own
  await deps.surveys.put(surveyWith([{ id: 'nps', type: 'nps' }, { id: 'csat', type: 'csat' }], { id: 'shop' }));
  await deps.surveys.put(surveyWith([{ id: 'recommend', type: 'nps' }], { id: 'delivery' }));
});
afterAll(async () => {
  await dynamo?.close();
});

const work = () =>
  makeWorkTasks({
    tasks: deps.tasks,
    notifications: deps.notifications,
    surveys: deps.surveys,
    surveyIds: surveyIdsOf(createDynamoSurveyCatalog(dynamo.db, 'surveys')),
    linkKeys: async () => LINK_KEYS,
    clock,
    history: makeCustomerHistory({ responses: deps.responses, tasks: deps.tasks, surveys: deps.surveys }),
  });

async function leadFor(name: string, surveys: string[]): Promise<Principal> {
  const { token } = await makeCreateCxLead({ leads: deps.leads, clock })({ name, surveys }, adminPrincipal);
  return principalOfToken((await deps.leads.getByTokenHash(tokenHashOf(token)))!);
}

/** stores a response received at `at`, and opens its task when it is a detractor */
async function answered(fields: Partial<StoredResponse> & Pick<StoredResponse, 'id' | 'surveyId' | 'answers'>, at: string, detractor = false): Promise<string> {
  now = new Date(at);
  const response = storedResponse({ receivedAt: at, storedAt: at, expiresAt: YEAR_LATER, ...fields });
  await deps.responses.putIfAbsent(response);
  if (detractor) {
    const { id, surveyId, receivedAt, answers, comment, sentiment, channel, customerRef, expiresAt } = response;
    const task = openTask({
      response: { responseId: id, surveyId, receivedAt, answers, sentiment, channel, expiresAt, ...(comment ? { comment } : {}), ...(customerRef ? { customerRef } : {}) },
      reasons: [],
      priority: { level: 'high', score: 40 },
      firstContactHours: 24,
      now,
    });
    await deps.tasks.putIfAbsent(task);
  }
  return taskIdOf(response.id);
}

/** the customer "crm-1": an earlier detractor of shop (resolved), a delivery answer, a shop promoter, then today's task */
async function customerWithHistory(customerRef: string) {
  const earlier = await answered({ id: `${customerRef}-a`, surveyId: 'shop', customerRef, answers: { nps: 4, csat: 2 }, comment: 'the parcel came late' }, '2026-10-01T09:00:00.000Z', true);
  await work().act(adminPrincipal, earlier, 'claim', undefined);
  now = new Date('2026-10-02T09:00:00.000Z');
  await work().act(adminPrincipal, earlier, 'resolve', { rootCause: 'billing', action: 'refunded the shipping' });
  await answered({ id: `${customerRef}-b`, surveyId: 'delivery', customerRef, answers: { recommend: 8 }, touchpoint: 'courier' }, '2026-11-01T09:00:00.000Z');
  await answered({ id: `${customerRef}-c`, surveyId: 'shop', customerRef, answers: { nps: 9, csat: 5 } }, '2026-11-15T09:00:00.000Z');
  const current = await answered({ id: `${customerRef}-d`, surveyId: 'shop', customerRef, answers: { nps: 2, csat: 1 }, comment: 'again late' }, '2026-12-01T09:00:00.000Z', true);
  now = new Date('2026-12-01T10:00:00.000Z');
  return { earlier, current };
}

const historyOf = async (principal: Principal, taskId: string) => (await work().get(principal, taskId)).customerHistory;

describe('a task\'s customer history', () => {
  it('shows the admin the customer\'s other responses in both surveys and the earlier resolved task, newest first', async () => {
    // Prepare
    const { earlier, current } = await customerWithHistory('crm-1');

    // Act
    const history = (await historyOf(adminPrincipal, current)) as CustomerHistory;

    // Assess
    expect(history.responses.map((r) => [r.responseId, r.surveyId])).toEqual([
      ['crm-1-c', 'shop'],
      ['crm-1-b', 'delivery'],
      ['crm-1-a', 'shop'],
    ]);
    expect(history.responses[2]).toMatchObject({ answers: { nps: 4, csat: 2 }, commentExcerpt: 'the parcel came late', taskId: earlier });
    expect(history.responses[1]).toMatchObject({ touchpoint: 'courier' });
    expect(history.tasks).toEqual([
      expect.objectContaining({ id: earlier, surveyId: 'shop', status: 'resolved', resolution: { reason: 'refunded the shipping', rootCause: 'billing', action: 'refunded the shipping' }, closedAt: '2026-10-02T09:00:00.000Z' }),
    ]);
    expect(history.npsTrend.map((p) => [p.nps, p.surveyId])).toEqual([
      [4, 'shop'],
      [8, 'delivery'],
      [9, 'shop'],
      [2, 'shop'],
    ]);
    expect(history.summary).toEqual({ responses: 3, tasks: 1, firstNps: 4, latestNps: 2 });
    expect(history.truncated).toBe(false);
  });

  it('shows a lead granted one survey only that survey\'s items', async () => {
    // Prepare
    const { current } = await customerWithHistory('crm-2');
    const ana = await leadFor('Ana', ['shop']);

    // Act
    const history = (await historyOf(ana, current)) as CustomerHistory;

    // Assess: nothing of the delivery survey, not even its NPS answer in the trend
    expect(history.responses.map((r) => r.responseId)).toEqual(['crm-2-c', 'crm-2-a']);
    expect(history.tasks).toHaveLength(1);
    expect(history.npsTrend.map((p) => p.nps)).toEqual([4, 9, 2]);
    expect(JSON.stringify(history)).not.toContain('delivery');
    expect(JSON.stringify(history)).not.toContain('courier');
  });

  it('reads each store\'s byCustomer index newest first, at most the number asked for', async () => {
    // Prepare
    await customerWithHistory('crm-5');

    // Act
    const [responses, tasks] = await Promise.all([deps.responses.listByCustomer('crm-5', 2), deps.tasks.listByCustomer('crm-5', 1)]);

    // Assess
    expect(responses.map((r) => r.id)).toEqual(['crm-5-d', 'crm-5-c']);
    expect(tasks.map((t) => t.response.responseId)).toEqual(['crm-5-d']);
  });

  it('is null for an anonymous response', async () => {
    // Prepare
    const taskId = await answered({ id: 'anon-1', surveyId: 'shop', answers: { nps: 1 } }, '2026-12-01T09:30:00.000Z', true);
    now = new Date('2026-12-01T10:00:00.000Z');

    // Act + Assess
    expect(await historyOf(adminPrincipal, taskId)).toBeNull();
  });

  it('leaves out a response past its retention', async () => {
    // Prepare: an old answer whose retention ended yesterday (not yet swept)
    await answered({ id: 'crm-3-old', surveyId: 'shop', customerRef: 'crm-3', answers: { nps: 0 }, expiresAt: Math.floor(Date.parse('2026-11-30T10:00:00.000Z') / 1000) }, '2025-12-01T09:00:00.000Z');
    const current = await answered({ id: 'crm-3-now', surveyId: 'shop', customerRef: 'crm-3', answers: { nps: 3 } }, '2026-12-01T09:00:00.000Z', true);
    now = new Date('2026-12-01T10:00:00.000Z');

    // Act
    const history = (await historyOf(adminPrincipal, current)) as CustomerHistory;

    // Assess
    expect(history.responses).toEqual([]);
    expect(history.npsTrend).toEqual([{ at: '2026-12-01T09:00:00.000Z', nps: 3, surveyId: 'shop', current: true }]);
  });

  it('shows nothing of an erased customer: the earlier responses and tasks are gone with them', async () => {
    // Prepare: the history exists, and a newer answer arrives after the customer was erased
    const { current } = await customerWithHistory('crm-4');
    expect(((await historyOf(adminPrincipal, current)) as CustomerHistory).responses).toHaveLength(3);
    const erase = makeEraseCustomer({
      holders: [
        responsesHolder(dynamo.db, 'responses', createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets'), clock),
        followUpsHolder(dynamo.db, { followups: 'followups', notifications: 'notifications' }),
      ],
      markers: createDynamoErasureMarkers(dynamo.db, 'erasures'),
      clock,
    });

    // Act
    await erase({ value: 'crm-4' });
    now = new Date('2026-12-02T10:00:00.000Z');
    const later = await answered({ id: 'crm-4-e', surveyId: 'shop', customerRef: 'crm-4', answers: { nps: 1 } }, '2026-12-02T09:00:00.000Z', true);
    const history = (await historyOf(adminPrincipal, later)) as CustomerHistory;

    // Assess: the erased task itself is gone, and the new one's history is empty
    await expect(work().get(adminPrincipal, current)).rejects.toMatchObject({ status: 404 });
    expect(history.responses).toEqual([]);
    expect(history.tasks).toEqual([]);
    expect(history.summary).toEqual({ responses: 0, tasks: 0, firstNps: 1, latestNps: 1 });
  });
});
