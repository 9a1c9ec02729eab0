// integration, on the local runtime: the re-survey link's answer takes only what a form or a JSON client legitimately
// sends (a JSON number, or a form's decimal-integer text) and refuses anything else with a 400 naming `answer`,
// leaving the task unanswered. Resolved tasks are seeded straight into the followups table, with their signed links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBDocumentClient } from '../../shared/aws/dynamodb.js';
import { createDynamoTaskStore } from '../../shared/followups/dynamo-task-store.js';
import { openTask } from '../../shared/followups/task.js';
import { signLinkToken } from '../../shared/links/signed-token.js';
import { testDocumentClient } from '../support/dynamo.js';
import { LINK_KEYS, startTestRuntime } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startTestRuntime>>;
let db: DynamoDBDocumentClient;
let tasks: ReturnType<typeof createDynamoTaskStore>;

beforeAll(async () => {
  env = await startTestRuntime();
  db = testDocumentClient(env.runtime.dynamoEndpoint);
  tasks = createDynamoTaskStore(db, 'followups');
});
afterAll(async () => {
  db?.destroy();
  await env?.close();
});

let seeded = 0;
/** a resolved task with an open re-survey; answers its id and its link's path */
async function resolvedTask(): Promise<{ id: string; path: string }> {
  seeded += 1;
  const now = new Date();
  const expiresAt = new Date(now.getTime() + 14 * 86_400_000).toISOString();
  const task = openTask({
    response: { responseId: `rs-${seeded}`, surveyId: 'demo', receivedAt: now.toISOString(), answers: { nps: 2 }, sentiment: null, channel: 'web' },
    reasons: [{ rule: 'nps', question: 'nps', score: 2, atMost: 6 }],
    priority: { level: 'normal', score: 10 },
    firstContactHours: 24,
    now,
  });
  await tasks.putIfAbsent({ ...task, status: 'resolved', closedAt: now.toISOString(), resolution: { reason: 'Refunded' }, resurvey: { issuedAt: now.toISOString(), expiresAt } });
  const token = signLinkToken(LINK_KEYS, { purpose: 'resurvey', taskId: task.id, surveyId: 'demo', exp: Math.floor(Date.parse(expiresAt) / 1000) });
  return { id: task.id, path: `/r/${token}` };
}

const post = async (path: string, contentType: string, body: string) => {
  const response = await fetch(`${env.runtime.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, text: await response.text() };
};
const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

describe('a re-survey answer', () => {
  it('refuses with 400, naming the answer, what is not a number in JSON nor a decimal integer in a form, and stores nothing', async () => {
    // Prepare
    const task = await resolvedTask();
    const refusable: [string, string][] = [
      [JSON_TYPE, '{"answer": true}'],
      [JSON_TYPE, '{"answer": [3]}'],
      [JSON_TYPE, '{"answer": "0x3"}'],
      [JSON_TYPE, '{"answer": "3"}'],
      [JSON_TYPE, '{"answer": null}'],
      [JSON_TYPE, '{"answer": 3.5}'],
      [FORM_TYPE, 'answer=0x3'],
      [FORM_TYPE, 'answer=3e0'],
      [FORM_TYPE, 'answer=%203'],
      [FORM_TYPE, 'answer=-3'],
      [FORM_TYPE, 'answer=true'],
      [FORM_TYPE, 'answer=9'],
    ];

    // Act
    const replies = [];
    for (const [type, body] of refusable) replies.push(await post(task.path, type, body));
    const stored = await tasks.get(task.id);

    // Assess
    expect(replies.map((r) => r.status)).toEqual(refusable.map(() => 400));
    for (const reply of replies) expect(reply.text).toContain('Please choose an answer');
    expect(stored?.resurvey?.answer).toBeUndefined();
  });

  it('takes a JSON number and a form\'s decimal-integer text', async () => {
    // Prepare
    const [byJson, byForm] = [await resolvedTask(), await resolvedTask()];

    // Act
    const json = await post(byJson.path, JSON_TYPE, '{"answer": 4}');
    const form = await post(byForm.path, FORM_TYPE, 'answer=5');

    // Assess
    expect([json.status, form.status]).toEqual([200, 200]);
    expect((await tasks.get(byJson.id))?.resurvey?.answer).toBe(4);
    expect((await tasks.get(byForm.id))?.resurvey?.answer).toBe(5);
  });
});
