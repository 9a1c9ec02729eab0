// browser: a CX lead's day in the console, in real Chromium against the local runtime. The demo survey auto-assigns
// round-robin between two leads (Ana, Bo); a customer who answered as a promoter earlier now answers as a detractor
// with a comment, so the task has a history. Ana's queue opens on her own tasks only; her task's deep link shows who
// and why with the History opened (the earlier answer, the NPS trend); she claims and resolves it with a root cause and
// the action taken. Bo cannot list her task as his, a lead of another survey is refused (403) on it and changes
// nothing, and Bo on the deep link to another survey's task sees an error, not the task. axe-core finds nothing
// against WCAG 2.1 AA on the deep-linked task with its history opened.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, listAll, request, startTestRuntime } from '../support/local-runtime.js';
import { axeViolations, LANDMARK_RULES, launchChromium, pagePerTest } from './harness.js';

const CUSTOMER = 'crm-2024';
const COMMENT = 'The blender broke after two days';
const NPS_LABEL = 'How likely are you to recommend us to a friend?';

type Lead = { id: string; token: string; name: string };
type Task = { id: string; status: string; assignee?: { id: string; name: string }; response: { customerRef?: string }; resolution?: { reason: string; rootCause?: string; action?: string }; history: unknown[] };

let env: Awaited<ReturnType<typeof startTestRuntime>>;
let browser: Browser;
let page: Page;
let ana: Lead;
let bo: Lead;
/** a lead granted only the "other" survey */
let cy: Lead;
/** Ana's task for the customer with history, another task of Bo's, and a task of the "other" survey */
let anasTask: Task;
let bosTask: Task;
let otherTask: Task;

const tasksOf = async (surveyId: string): Promise<Task[]> => (await request(env.runtime, 'GET', `/v1/followups?surveyId=${surveyId}`, { admin: true })).body.items;

/** submits the answers, then runs the routing until the survey has `count` tasks */
async function answer(surveyId: string, count: number, ...bodies: Record<string, unknown>[]) {
  for (const body of bodies) expect((await request(env.runtime, 'POST', '/v1/responses', { body: { surveyId, channel: 'web', ...body, idempotencyKey: `lead-day-${String(body.idempotencyKey)}` } })).status).toBe(202);
  return eventually(
    async () => {
      await env.runtime.triggerSchedule('route-detractors');
      const tasks = await tasksOf(surveyId);
      return tasks.length === count ? tasks : undefined;
    },
    60_000,
    `${count} tasks of ${surveyId}`,
  );
}

beforeAll(async () => {
  const [started, launched] = await Promise.all([startTestRuntime(), launchChromium()]);
  env = started;
  browser = launched;
  const { runtime } = env;
  const { body: demo } = await request(runtime, 'GET', '/v1/surveys/demo', { admin: true });
  expect((await request(runtime, 'PUT', '/v1/surveys/other', { admin: true, body: { ...demo, id: 'other' } })).status).toBe(200);
  expect((await request(runtime, 'PUT', '/v1/surveys/demo', { admin: true, body: { ...demo, followUp: { ...demo.followUp, assignment: { mode: 'round-robin' } } } })).status).toBe(200);
  const lead = async (name: string, surveys: string[]): Promise<Lead> => ({ ...(await request(runtime, 'POST', '/v1/cx-leads', { admin: true, body: { name, surveys } })).body, name });
  ana = await lead('Ana Lee', ['demo']);
  bo = await lead('Bo Chen', ['demo']);
  cy = await lead('Cy Other', ['other']);

  // the customer's earlier answer, a promoter's (no task), stored before the detractor's
  expect((await request(runtime, 'POST', '/v1/responses', { body: { surveyId: 'demo', idempotencyKey: 'lead-day-earlier', channel: 'web', answers: { nps: 9 }, customerRef: CUSTOMER } })).status).toBe(202);
  await eventually(async () => ((await listAll(runtime, 'demo')).length === 1 ? true : undefined), 60_000, 'the earlier answer');

  // round-robin goes by token id from turn 0: when Bo's id sorts first, another detractor takes his turn first, so
  // that the customer's task is Ana's
  const anaFirst = ana.id.localeCompare(bo.id) < 0;
  let count = 0;
  if (!anaFirst) await answer('demo', ++count, { idempotencyKey: 'filler', answers: { nps: 4 } });
  const withCustomer = await answer('demo', ++count, { idempotencyKey: 'detractor', answers: { nps: 2 }, comment: COMMENT, customerRef: CUSTOMER, touchpoint: 'checkout' });
  anasTask = withCustomer.find((task) => task.response.customerRef === CUSTOMER)!;
  const all = await answer('demo', count + 2, { idempotencyKey: 'late-1', answers: { nps: 3 } }, { idempotencyKey: 'late-2', answers: { nps: 5 } });
  bosTask = all.find((task) => task.assignee?.id === bo.id)!;
  otherTask = (await answer('other', 1, { idempotencyKey: 'other-1', answers: { nps: 1 } }))[0]!;
});
afterAll(async () => {
  await browser?.close();
  await env?.close();
});
pagePerTest(() => browser, (fresh) => (page = fresh));

async function signIn(token: string, hash: string) {
  await page.goto(`${env.runtime.url}/console/${hash}`);
  await page.getByLabel('Access token').fill(token);
  await page.keyboard.press('Enter');
}

describe("a lead's queue in the CX console", () => {
  it('keeps a task to the leads of its survey: another lead cannot list it as theirs, a lead of another survey is refused and changes nothing, and a deep link to a survey not granted shows an error', async () => {
    // Assess: round-robin gave the customer's task to Ana and the others in turn
    expect(anasTask.assignee).toEqual({ id: ana.id, name: 'Ana Lee' });
    expect(bosTask).toBeDefined();
    // the task as it stands once the follow-up SLA run has dealt with its "task opened" notification (pending, then
    // not-configured): that run comes every minute by itself, and its change would show below if it came in between
    const before = await eventually(
      async () => {
        await env.runtime.triggerSchedule('follow-up-sla');
        const task = (await request(env.runtime, 'GET', `/v1/followups/${anasTask.id}`, { admin: true })).body;
        return task.notifications.some((n: { delivery: { status: string } }) => n.delivery.status === 'pending') ? undefined : task;
      },
      60_000,
      "the task's notifications handled",
    );

    // Act: Bo's "my tasks", by "me" and by his actor id
    const mine = await request(env.runtime, 'GET', '/v1/followups?surveyId=demo&assignee=me', { token: bo.token });
    const byId = await request(env.runtime, 'GET', `/v1/followups?assignee=${encodeURIComponent(bo.id)}`, { token: bo.token });

    // Assess
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((task: Task) => task.id)).not.toContain(anasTask.id);
    expect(mine.body.items.every((task: Task) => task.assignee?.id === bo.id)).toBe(true);
    expect(byId.body.items.map((task: Task) => task.id)).toEqual(mine.body.items.map((task: Task) => task.id));

    // Act: a lead granted another survey reads, claims and resolves Ana's task
    const read = await request(env.runtime, 'GET', `/v1/followups/${anasTask.id}`, { token: cy.token });
    const claim = await request(env.runtime, 'POST', `/v1/followups/${anasTask.id}/claim`, { token: cy.token });
    const resolve = await request(env.runtime, 'POST', `/v1/followups/${anasTask.id}/resolve`, { token: cy.token, body: { rootCause: 'delivery', action: 'Refunded' } });

    // Assess: each refused, and the task unchanged
    expect([read.status, claim.status, resolve.status]).toEqual([403, 403, 403]);
    expect((await request(env.runtime, 'GET', `/v1/followups/${anasTask.id}`, { admin: true })).body).toEqual(before);

    // Act: Bo on the deep link to the other survey's task
    await signIn(bo.token, `#/followups/${otherTask.id}?survey=other`);

    // Assess: an error, not the task
    await page.locator('.tasks .error').waitFor();
    expect(await page.locator('.tasks .error').innerText()).toMatch(/forbidden|not granted|403/i);
    expect(await page.locator('article.task').count()).toBe(0);
  });

  it("opens Ana's queue on her tasks, shows her task's who, why and history by its deep link, and resolves it with a root cause", async () => {
    // Act
    await signIn(ana.token, '#/followups?survey=demo');
    await page.locator('article.task').first().waitFor();

    // Assess: her tasks only, each card naming her; Bo's is not listed
    const hers = (await tasksOf('demo')).filter((task) => task.assignee?.id === ana.id);
    const cards = page.locator('article.task');
    expect(await cards.count()).toBe(hers.length);
    for (const card of await cards.all()) expect(await card.locator('dt:text-is("Assignee") + dd').innerText()).toBe('Ana Lee');
    expect(await page.locator(`article.task[data-task="${bosTask.id}"]`).count()).toBe(0);
    expect(new URL(page.url()).hash).toBe('#/followups?survey=demo');

    // Act: her customer's task by its deep link
    await page.goto(`${env.runtime.url}/console/#/followups/${anasTask.id}?survey=demo`);
    const card = page.locator(`article.task.focused[data-task="${anasTask.id}"]`);
    await card.locator('ul.history li').first().waitFor();

    // Assess: who, why in words, the score by its label, the history opened with the earlier answer and the trend
    expect(await card.locator('h3').innerText()).toMatch(new RegExp(`· customer ${CUSTOMER}$`));
    // the local scorer also finds the comment negative
    expect(await card.locator('.reasons').innerText()).toMatch(/^NPS 2 \(≤ 6\), negative comment \(0\.\d\d ≥ 0\.80\)$/);
    expect(await card.locator('ul.scores li').allInnerTexts()).toEqual([`${NPS_LABEL} 2/10`]);
    expect(await card.locator('.comment').innerText()).toBe(COMMENT);
    expect(await card.locator('details.task-history').getAttribute('open')).toBe('');
    expect(await card.locator('ul.history li').allInnerTexts()).toEqual([expect.stringMatching(new RegExp(` · ${NPS_LABEL.replace('?', '\\?')} 9/10$`))]);
    expect(await card.locator('.trend').innerText()).toBe('NPS 9 → 2 (this task)');

    // Assess: the deep-linked task with its history opened has no WCAG 2.1 A or AA violations
    // (and axe's best-practice landmark rules: no two landmarks of a role share a name, no content outside one)
    expect(await axeViolations(page, LANDMARK_RULES)).toEqual([]);

    // Act: claim, then resolve with a root cause and the action taken
    await card.getByRole('button', { name: 'Claim' }).click();
    await page.locator('#live', { hasText: 'Task claimed.' }).waitFor();
    // the form's button says what it will do: close with no action, or resolve
    const submit = card.locator('form.resolve-form button[type=submit]');
    await card.getByLabel('Outcome').selectOption('no_action');
    expect(await submit.innerText()).toBe('Close, no action');
    await card.getByLabel('Outcome').selectOption('resolved');
    expect(await submit.innerText()).toBe('Resolve');
    await card.getByLabel('Root cause').selectOption('product defect');
    await card.getByLabel('Action taken').fill('Sent a new blender');
    await card.getByRole('button', { name: 'Resolve', exact: true }).click();
    await page.locator('#live', { hasText: 'Task resolved.' }).waitFor();

    // Assess: the card stays (one task) and says how it was closed; the API has the root cause
    await card.locator('dd.resolveReason').waitFor();
    expect(await card.getAttribute('data-status')).toBe('resolved');
    expect(await card.locator('dd.resolveReason').innerText()).toBe('product defect · Sent a new blender');
    const task = (await request(env.runtime, 'GET', `/v1/followups/${anasTask.id}`, { token: ana.token })).body;
    expect(task).toMatchObject({ status: 'resolved', assignee: { id: ana.id }, resolution: { rootCause: 'product defect', action: 'Sent a new blender' } });

    // Assess: the card shows the re-survey as open, with its link to send (absolute, the API's) and a copy button
    expect(await card.locator('dd.resurvey').innerText()).toMatch(/^issued \d{4}-\d\d-\d\d \d\d:\d\d, open until \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\), not answered yet$/);
    const href = await card.locator('.resurvey-link a').getAttribute('href');
    expect(href).toBe(`${env.runtime.url}${task.resurveyLink}`);
    expect(await card.getByRole('button', { name: 'Copy the re-survey link' }).count()).toBe(1);

    // Act: the customer answers it (the page's form post); the deep link again
    const answered = await fetch(href!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'answer=4' });
    expect(answered.status).toBe(200);
    await page.reload();
    await card.locator('dd.resurvey', { hasText: 'answered' }).waitFor();

    // Assess: answered with its score, and no link left to send
    expect(await card.locator('dd.resurvey').innerText()).toMatch(/^answered 4\/5 \(\d{4}-\d\d-\d\d \d\d:\d\d\)$/);
    expect(await card.locator('.resurvey-link').count()).toBe(0);
  });

  it('names who claimed a task meanwhile when her claim is refused (409), and shows the task as it now is', async () => {
    // Prepare: another open task of Ana's, on its deep link
    const other = (await tasksOf('demo')).find((task) => task.assignee?.id === ana.id && task.status === 'open' && task.id !== anasTask.id)!;
    await signIn(ana.token, `#/followups/${other.id}?survey=demo`);
    const card = page.locator(`article.task.focused[data-task="${other.id}"]`);
    await card.getByRole('button', { name: 'Claim' }).waitFor();

    // Act: Bo claims it first, then Ana
    expect((await request(env.runtime, 'POST', `/v1/followups/${other.id}/claim`, { token: bo.token })).status).toBe(200);
    await card.getByRole('button', { name: 'Claim' }).click();

    // Assess: the message names Bo, and the card shows the task claimed by him
    await page.locator('#toast.error', { hasText: 'Bo Chen claimed this task meanwhile; it is now Claimed.' }).waitFor();
    expect(await card.getAttribute('data-status')).toBe('claimed');
    expect(await card.locator('dt:text-is("Assignee") + dd').innerText()).toBe('Bo Chen');
  });
});
