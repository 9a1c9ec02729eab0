// integration: closing with learning, against the real local runtime (dynalite behind it). An admin edits a survey's
// root causes through the survey PUT; a lead resolves only with one of them and the action taken (a refused resolve
// changes nothing); the metrics report's follow-up block breaks the tasks down by root cause, by assignee and over
// the report's days. Tasks are seeded straight into the followups table, as the task consumer would leave them.
import { DynamoDBClient, DynamoDBDocumentClient } from '../../shared/aws/dynamodb.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoTaskStore } from '../../shared/followups/dynamo-task-store.js';
import { openTask, type FollowUpTask } from '../../shared/followups/task.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { request, startTestRuntime } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startTestRuntime>>;
let db: DynamoDBDocumentClient;
let tasks: ReturnType<typeof createDynamoTaskStore>;
let lead: string;

const SURVEY = { ...demoSurvey([]), id: 'shop', followUp: { firstContactHours: 24, rootCauses: ['Late courier', 'billing', 'other'] } };
const ben = { id: 'cx:ben0000000000000', name: 'Ben' };
const day1 = new Date('2026-11-02T09:00:00.000Z');
const day2 = new Date('2026-11-03T00:00:00.000Z');
const hoursAfter = (start: Date, hours: number) => new Date(start.getTime() + hours * 3_600_000).toISOString();

let seeded = 0;
async function seed(opened: Date, changes: Partial<FollowUpTask> = {}): Promise<string> {
  seeded += 1;
  const task = openTask({
    response: { responseId: `rc-${seeded}`, surveyId: 'shop', receivedAt: opened.toISOString(), expiresAt: Math.floor(Date.now() / 1000) + 365 * 86_400, answers: { nps: 2 }, sentiment: null, channel: 'web' },
    reasons: [{ rule: 'nps', question: 'nps', score: 2, atMost: 6 }],
    priority: { level: 'normal', score: 10 },
    firstContactHours: 24,
    now: opened,
  });
  await tasks.putIfAbsent({ ...task, ...changes });
  return task.id;
}

const resolve = (taskId: string, body: unknown) => request(env.runtime, 'POST', `/v1/followups/${taskId}/resolve`, { token: lead, body });

beforeAll(async () => {
  env = await startTestRuntime();
  db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: env.runtime.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  tasks = createDynamoTaskStore(db, 'followups');
  expect((await request(env.runtime, 'PUT', '/v1/surveys/shop', { admin: true, body: SURVEY })).status).toBe(200);
  lead = (await request(env.runtime, 'POST', '/v1/cx-leads', { admin: true, body: { name: 'Ana', surveys: ['shop'] } })).body.token;
});
afterAll(async () => {
  db?.destroy();
  await env?.close();
});

describe('a survey\'s root causes', () => {
  it('are edited by the admin with the survey; a duplicate is refused at its index and nothing changes', async () => {
    // Act
    const duplicate = await request(env.runtime, 'PUT', '/v1/surveys/shop', { admin: true, body: { ...SURVEY, followUp: { rootCauses: ['billing', 'other', 'Billing '] } } });
    const stored = await request(env.runtime, 'GET', '/v1/surveys/shop', { admin: true });

    // Assess
    expect(duplicate).toMatchObject({ status: 400, body: { details: [{ path: 'followUp.rootCauses.2', reason: expect.stringContaining('duplicate root cause "Billing"') }] } });
    expect(stored.body.followUp.rootCauses).toEqual(['Late courier', 'billing', 'other']);
  });
});

describe('resolving with a root cause', () => {
  it('needs one of the survey\'s root causes and the action taken; a refused resolve changes nothing', async () => {
    // Prepare
    const taskId = await seed(day1);
    expect((await request(env.runtime, 'POST', `/v1/followups/${taskId}/claim`, { token: lead })).status).toBe(200);
    const before = await request(env.runtime, 'GET', `/v1/followups/${taskId}`, { token: lead });

    // Act
    const unknown = await resolve(taskId, { rootCause: 'weather', action: 'Apologised' });
    const noAction = await resolve(taskId, { rootCause: 'billing' });
    const legacy = await resolve(taskId, { reason: 'refunded' });
    const after = await request(env.runtime, 'GET', `/v1/followups/${taskId}`, { token: lead });
    const resolved = await resolve(taskId, { rootCause: 'late COURIER', action: 'Resent by express' });

    // Assess
    expect(unknown).toMatchObject({ status: 400, body: { details: [{ path: 'rootCause', reason: "not one of this survey's root causes: Late courier, billing, other" }] } });
    expect(noAction).toMatchObject({ status: 400, body: { details: [{ path: 'action' }] } });
    expect(legacy.body.details.map((d: { path: string }) => d.path)).toEqual(['rootCause', 'action']);
    expect(after.body).toEqual(before.body);
    expect(resolved).toMatchObject({ status: 200, body: { status: 'resolved', resolution: { rootCause: 'Late courier', action: 'Resent by express', reason: 'Resent by express' } } });
  });

  it('closes with no action on a reason alone, or with a root cause checked against the list as the admin last saved it', async () => {
    // Prepare
    const [plain, withCause] = [await seed(day1, { status: 'claimed', assignee: ben }), await seed(day1, { status: 'claimed', assignee: ben })];
    await request(env.runtime, 'PUT', '/v1/surveys/shop', { admin: true, body: { ...SURVEY, followUp: { rootCauses: [...SURVEY.followUp.rootCauses, 'price'] } } });

    // Act
    const declined = await resolve(plain, { outcome: 'no_action', reason: 'customer declined a call' });
    const tooDear = await resolve(withCause, { outcome: 'no_action', reason: 'wants a discount we do not give', rootCause: 'price' });

    // Assess
    expect(declined).toMatchObject({ status: 200, body: { status: 'no_action', resolution: { reason: 'customer declined a call' } } });
    expect(declined.body.resolution).not.toHaveProperty('rootCause');
    expect(declined.body).not.toHaveProperty('resurveyLink');
    expect(tooDear).toMatchObject({ status: 200, body: { status: 'no_action', resolution: { rootCause: 'price', reason: 'wants a discount we do not give' } } });
  });
});

describe('the metrics report', () => {
  it('breaks the follow-ups down by root cause, by assignee and by day of opening', async () => {
    // Prepare: on top of the tasks above (day 1: Ana's Late courier; Ben's no action, and no action for price),
    // Ben resolved two billing tasks on day 2 (re-surveys 5 and 1) and one stays open, unassigned
    const resolvedBy = (who: typeof ben, contactedAfter: number, answer: number): Partial<FollowUpTask> => ({
      status: 'resolved',
      assignee: who,
      contactedAt: hoursAfter(day2, contactedAfter),
      closedAt: hoursAfter(day2, contactedAfter + 1),
      resolution: { reason: 'Refunded', rootCause: 'billing', action: 'Refunded' },
      resurvey: { issuedAt: hoursAfter(day2, contactedAfter + 1), expiresAt: hoursAfter(day2, 400), answer },
    });
    await seed(day2, resolvedBy(ben, 2, 5));
    await seed(day2, resolvedBy(ben, 4, 1));
    await seed(day2);

    // Act
    const report = await request(env.runtime, 'GET', '/v1/surveys/shop/metrics?from=2026-11-02&to=2026-11-03&interval=day', { token: lead });

    // Assess
    expect(report.status).toBe(200);
    const { byRootCause, byAssignee, rootCausesOverTime, opened } = report.body.followups;
    expect(opened).toBe(6);
    expect(byRootCause).toEqual([
      { rootCause: 'billing', opened: 2, contacted: 2, closed: 2, resolved: 2, closureRatePct: 100, recoveryRatePct: 50, timeToFirstContactHours: { median: 2, p90: 4 } },
      { rootCause: 'Late courier', opened: 1, contacted: 0, closed: 1, resolved: 1, closureRatePct: 100, recoveryRatePct: null, timeToFirstContactHours: null },
      { rootCause: 'price', opened: 1, contacted: 0, closed: 1, resolved: 0, closureRatePct: 100, recoveryRatePct: null, timeToFirstContactHours: null },
    ]);
    expect(byAssignee).toEqual([
      expect.objectContaining({ assignee: ben, opened: 4, closed: 4, closureRatePct: 100, recoveryRatePct: 50 }),
      expect.objectContaining({ assignee: { id: expect.stringMatching(/^cx:/), name: 'Ana' }, opened: 1, closed: 1 }),
      expect.objectContaining({ assignee: null, opened: 1, closed: 0, closureRatePct: 0 }),
    ]);
    expect(rootCausesOverTime).toEqual([
      { period: '2026-11-02T00:00:00Z', counts: { 'Late courier': 1, price: 1 } },
      { period: '2026-11-03T00:00:00Z', counts: { billing: 2 } },
    ]);
  });
});
