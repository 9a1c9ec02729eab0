// browser: assignment in the CX console, in real Chromium against the local runtime. The demo survey auto-assigns
// round-robin, so its new tasks reach its two leads in turn (through the real task-opening function); a lead whose
// token may assign hands one task to the other lead from its card, closes two in bulk with no action and a reason,
// and the list is read again with no stale card; a lead who may not assign sees no assign control; a bulk close that
// leaves some tasks undone says why in one sentence a reason, naming its tasks by their customers, in words, in English
// and in Chinese; axe-core finds nothing against WCAG 2.1 AA on the queue with these controls.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, request, startTestRuntime } from '../support/local-runtime.js';
import { axeViolations, launchChromium, OUTPUT_DIR, pagePerTest, rendersAgain } from './harness.js';

const DETRACTORS = 4;

let env: Awaited<ReturnType<typeof startTestRuntime>>;
let browser: Browser;
let page: Page;
let manager: { id: string; token: string };
let agent: { id: string; token: string };

type Task = { id: string; status: string; assignee?: { id: string; name: string }; history: { action: string; by: { id: string } }[]; response: { customerRef?: string } };

beforeAll(async () => {
  const [started, launched] = await Promise.all([startTestRuntime(), launchChromium()]);
  env = started;
  browser = launched;
  const { runtime } = env;
  manager = (await request(runtime, 'POST', '/v1/cx-leads', { admin: true, body: { name: 'Mia Team-Lead', surveys: ['demo'], canAssign: true } })).body;
  agent = (await request(runtime, 'POST', '/v1/cx-leads', { admin: true, body: { name: 'Ben Agent', surveys: ['demo'] } })).body;
  const { body: demo } = await request(runtime, 'GET', '/v1/surveys/demo', { admin: true });
  const put = await request(runtime, 'PUT', '/v1/surveys/demo', { admin: true, body: { ...demo, followUp: { ...demo.followUp, assignment: { mode: 'round-robin' } } } });
  expect(put.status).toBe(200);
  for (let i = 0; i < DETRACTORS; i++) {
    const body = { surveyId: 'demo', idempotencyKey: `assign-${i}`, channel: 'web', answers: { nps: i }, customerRef: `crm-${i}` };
    expect((await request(runtime, 'POST', '/v1/responses', { body })).status).toBe(202);
  }
  await eventually(
    async () => {
      await runtime.triggerSchedule('route-detractors');
      const tasks = await request(runtime, 'GET', '/v1/followups?surveyId=demo', { admin: true });
      return tasks.body.items?.length === DETRACTORS ? true : undefined;
    },
    60_000,
    'the follow-up tasks',
  );
});
afterAll(async () => {
  await browser?.close();
  await env?.close();
});
pagePerTest(() => browser, (fresh) => (page = fresh));

const tasks = async (): Promise<Task[]> => (await request(env.runtime, 'GET', '/v1/followups?surveyId=demo', { admin: true })).body.items;

/** a lead's queue opens on their own tasks; `assignee=all` shows everyone's, as a team lead who assigns works it */
async function signIn(token: string, assignee = 'all') {
  await page.goto(`${env.runtime.url}/console/#/followups?survey=demo&assignee=${assignee}`);
  await page.getByLabel('Access token').fill(token);
  await page.keyboard.press('Enter');
  await page.locator('article.task').first().waitFor();
}

describe('assignment in the CX console', () => {
  it('auto-assigns round-robin; a lead who may assign reassigns from a card and closes two tasks in bulk, with no stale card', async () => {
    // Assess: the new tasks went to the two leads in turn, recorded as the system
    const opened = await tasks();
    const counts = new Map<string, number>();
    for (const task of opened) counts.set(task.assignee!.id, (counts.get(task.assignee!.id) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ [manager.id]: 2, [agent.id]: 2 });
    expect(opened.every((task) => task.history[0]?.by.id === 'system')).toBe(true);

    // Act: reassign one of Mia's tasks to Ben from its card
    await signIn(manager.token);
    const mine = opened.find((task) => task.assignee!.id === manager.id)!;
    const card = page.locator(`article.task[data-task="${mine.id}"]`);
    await card.getByLabel('Assign to').selectOption({ label: 'Ben Agent' });
    await card.getByRole('button', { name: 'Assign' }).click();
    await page.locator('#live', { hasText: 'Task assigned.' }).waitFor();

    // Assess
    expect(await card.innerText()).toContain('Ben Agent');
    expect((await tasks()).find((task) => task.id === mine.id)!.assignee!.id).toBe(agent.id);

    // Act: select two other cards and close them with no action
    const closing = opened.filter((task) => task.id !== mine.id).slice(0, 2).map((task) => task.id);
    for (const id of closing) await page.locator(`article.task[data-task="${id}"] input[name=bulk]`).check();
    await page.getByLabel('Reason', { exact: true }).fill('test orders placed by staff');
    await page.getByRole('button', { name: 'Close selected, no action' }).click();
    await page.locator('#live', { hasText: '2 of 2 done.' }).waitFor();

    // Assess: the list was read again: the closed tasks are gone, the others stay
    await eventually(async () => ((await page.locator('article.task').count()) === DETRACTORS - 2 ? true : undefined), 10_000, 'the list read again');
    for (const id of closing) expect(await page.locator(`article.task[data-task="${id}"]`).count()).toBe(0);
    expect(await page.locator('#tasks-summary').innerText()).toBe('2 tasks, soonest due first');
    const after = await tasks();
    expect(after.filter((task) => task.status === 'no_action').map((task) => task.id).sort()).toEqual([...closing].sort());
    expect(after.filter((task) => task.status === 'open')).toHaveLength(DETRACTORS - 2);

    // Assess: the queue with its assign controls has no WCAG 2.1 A or AA violations
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows a lead who may not assign no assign control, but lets them select tasks for a bulk no-action', async () => {
    // Act: his own tasks, as his queue opens
    await signIn(agent.token, 'me');

    // Assess
    expect(await page.getByLabel('Assign to').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Close selected, no action' }).count()).toBe(1);
    expect(await page.locator('article.task input[name=bulk]').count()).toBeGreaterThan(0);
  });

  it('says why a bulk close left tasks undone, once for the tasks of one reason, by their customers, in English and in Chinese', async () => {
    // Prepare: the two tasks still open, selected
    await signIn(manager.token);
    const open = (await tasks()).filter((task) => task.status === 'open');
    expect(open).toHaveLength(2);
    const [first, second] = open as [Task, Task];
    const select = async () => {
      for (const task of open) await page.locator(`article.task[data-task="${task.id}"] input[name=bulk]`).check();
    };
    await select();
    // the API refuses both for one reason the console has no words for
    const vip = 'must not close a VIP customer’s task';
    const answer = { results: [{ id: first.id, ok: false, status: 409, error: vip }, { id: second.id, ok: false, status: 409, error: vip }] };
    await page.route('**/v1/followups/bulk', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(answer) }), { times: 1 });

    // Act
    await page.locator('#bulk-reason').fill('test orders placed by staff');
    await page.getByRole('button', { name: 'Close selected, no action' }).click();

    // Assess: one sentence naming both by the names the list gives them; the reason without words as the API gave it
    await page.locator('#toast.error').waitFor();
    expect(await page.locator('#live').innerText()).toBe(
      `0 of 2 done. Not done for customer ${first.response.customerRef} and customer ${second.response.customerRef}: must not close a VIP customer’s task.`,
    );
    expect(await page.locator(`input[name=bulk][value="${first.id}"]`).getAttribute('aria-label')).toBe(`Select task of customer ${first.response.customerRef}`);
    await page.screenshot({ path: join(OUTPUT_DIR, 'console-bulk-not-done.png') });

    // Act: in Chinese, the first task closed by someone else meanwhile, and both closed in bulk
    await rendersAgain(page, () => page.getByLabel('Language').selectOption('zh-CN'));
    await page.locator('article.task input[name=bulk]').first().waitFor();
    await select();
    const meanwhile = await request(env.runtime, 'POST', '/v1/followups/bulk', { admin: true, body: { action: 'no_action', taskIds: [first.id], reason: 'duplicate' } });
    expect(meanwhile.body.results[0].ok).toBe(true);
    await page.locator('#bulk-reason').fill('员工测试订单');
    await page.getByRole('button', { name: '关闭所选任务，无需处理' }).click();

    // Assess: the API's own refusal, in Chinese, naming the task; the other was closed
    await page.locator('#toast.error').waitFor();
    expect(await page.locator('#live').innerText()).toBe(`已完成 1/2。客户 ${first.response.customerRef} 未完成：此任务当前状态为“已关闭，无需处理”，无法关闭。`);
    await page.screenshot({ path: join(OUTPUT_DIR, 'console-bulk-not-done-zh.png') });
    expect((await tasks()).filter((task) => task.status === 'open')).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });
});
