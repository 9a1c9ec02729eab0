// browser: the CX console in real Chromium (playwright-core; harness.ts picks which) against the local runtime, signed in
// with a CX lead's token: the overview's NPS is the metrics API's for the same range (screenshots saved, on a laptop
// and a phone), the language switches to Simplified Chinese, each follow-up card says who and why (customer, reasons in
// words, scores by their labels in the lead's language, sentiment, channel, touchpoint, stage) and, opened, the
// customer's history (an earlier answer, the NPS trend), a task is claimed and resolved from the keyboard with a root
// cause and leaves the active queue at once, the follow-up metrics and the top root causes move, the toast leaves room
// and goes, a comment that looks like markup is shown as text and never runs, the filters line up, and axe-core finds
// nothing against WCAG 2.1 AA on any view.
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestRuntime } from '../support/local-runtime.js';
import { answeredAndRouted, runtimeWithLead, axeViolations, LANDMARK_RULES, pagePerTest, OUTPUT_DIR, rendersAgain } from './harness.js';

const HOSTILE = '<img src=x onerror=alert(1)>';
/** NPS answers: 3 promoters, 2 passives, 2 detractors (NPS +14.3); the two detractors become follow-up tasks */
const SCORES = [10, 10, 9, 8, 7, 2, 5];
/** the NPS 5 detractor's comment: the local scorer has no lexicon for Chinese, so it is unscored, outside the mix */
const CHINESE = '送货很慢，包装也破了';
/** the customer of the NPS 2 detractor (the other detractor answers anonymously), who answered 9 before */
const CUSTOMER = 'crm-4711';

let env: Awaited<ReturnType<typeof startTestRuntime>>;
let browser: Browser;
let page: Page;
let token: string;
let dialogs: string[];

beforeAll(async () => {
  ({ env, browser, token } = await runtimeWithLead());
  const { runtime } = env;
  const answers = SCORES.map((nps, i) => ({
    idempotencyKey: `console-${i}`,
    channel: i % 2 ? 'email' : 'web',
    touchpoint: 'checkout',
    answers: { nps },
    ...(nps === 2 ? { comment: HOSTILE, customerRef: CUSTOMER, journeyStage: 'after-sale' } : nps === 5 ? { comment: CHINESE } : nps === 9 ? { customerRef: CUSTOMER } : {}),
  }));
  // the two detractors' tasks
  await answeredAndRouted(runtime, token, answers, 2);
});
afterAll(async () => {
  await browser?.close();
  await env?.close();
});
pagePerTest(
  () => browser,
  (fresh) => {
    page = fresh;
    dialogs = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  },
);

async function signIn(hash = '') {
  await page.goto(`${env.runtime.url}/console/${hash}`);
  await page.getByLabel('Access token').fill(token);
  await page.keyboard.press('Enter');
}

/**
 * Waits for the toast to show a message with `text`, and returns the whole message and the room the page keeps below
 * its content for the toast, both read in the moment it shows (it goes by itself after a few seconds: a read after the
 * wait could find it gone).
 */
async function toastSays(text: string): Promise<{ message: string; padding: number; toast: number }> {
  const shown = await page.waitForFunction((text) => {
    const toast = document.getElementById('toast');
    const message = document.getElementById('live')?.textContent ?? '';
    if (!toast?.classList.contains('shown') || !message.includes(text)) return false;
    return { message, padding: parseFloat(getComputedStyle(document.body).paddingBottom), toast: toast.getBoundingClientRect().height };
  }, text);
  return (await shown.jsonValue()) as { message: string; padding: number; toast: number };
}

describe('the CX console', () => {
  it('signs a lead in and shows the NPS the metrics API gives for the same range, on a laptop and a phone, in English and Chinese', async () => {
    // Act
    await signIn();
    const nps = page.locator('[data-metric=nps] [data-value]');
    await nps.waitFor();
    const section = page.locator('section[data-from]');
    const [from, to] = [await section.getAttribute('data-from'), await section.getAttribute('data-to')];
    const api = await request(env.runtime, 'GET', `/v1/surveys/demo/metrics?from=${from}&to=${to}&interval=day`, { token });
    await page.locator('.chart-canvas canvas').first().waitFor();
    // the breakdown comes after the other figures (it waits for the survey's questions)
    await page.locator('#channels-title + .table-scroll').waitFor();
    await page.screenshot({ path: join(OUTPUT_DIR, 'console-overview.png'), fullPage: true });

    // Assess: the same figure, shown rounded, with its margin and answers; the chart has its data as a table
    expect(api.body.totals.metrics.nps).toMatchObject({ answers: 7, promoters: 3, detractors: 2 });
    expect(await nps.getAttribute('data-value')).toBe(String(api.body.totals.metrics.nps.score));
    expect(await page.locator('[data-metric=nps]').innerText()).toContain(`${Math.round(api.body.totals.metrics.nps.score)}`);
    expect(await page.locator('[data-metric=nps]').innerText()).toContain('7 answers');
    expect(await page.getByRole('table', { name: 'NPS and CSAT by day', includeHidden: true }).count()).toBe(1);
    expect(await page.getByText('Promoters (9–10): 43% (3)').count()).toBe(1);
    // the chart starts near today's answers, says so, and the sentiment mix counts the comments it leaves out (the
    // Chinese one, and the markup-like one whose language is not recognised)
    expect(await page.locator('.chart-note').innerText()).toMatch(/^Chart shows \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}; the range has no answers before \d{4}-\d{2}-\d{2}\.$/);
    expect(await page.locator('[data-unscored]').innerText()).toBe('2 comments are not in the mix: 2 not scored (language not covered or not recognised)');
    expect(await page.evaluate(() => sessionStorage.getItem('fbc:token'))).toBe(token);
    expect(await page.evaluate(() => localStorage.getItem('fbc:token'))).toBeNull();

    // Act: a phone's width
    const chartWidth = await page.locator('.chart-canvas canvas').first().evaluate((canvas) => canvas.getBoundingClientRect().width);
    await page.setViewportSize({ width: 375, height: 800 });
    // the chart draws itself again for the new width a while after the resize; until then it is the laptop's width
    await page.waitForFunction((before) => document.querySelector('.chart-canvas canvas')?.getBoundingClientRect().width !== before, chartWidth);
    await page.screenshot({ path: join(OUTPUT_DIR, 'console-overview-375.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    // the channel table scrolls in its own region, with a shadow on the side where columns are hidden
    const channels = await page.locator('#channels-title + .table-scroll').evaluate((el) => ({ scrolls: el.scrollWidth > el.clientWidth, background: getComputedStyle(el).backgroundAttachment }));
    expect(channels.scrolls).toBe(true);
    expect(channels.background).toContain('local');

    // Act: Simplified Chinese
    await page.getByLabel('Language').selectOption('zh-CN');

    // Assess
    await page.getByRole('link', { name: '跟进队列' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.getByRole('link', { name: '概览' }).getAttribute('aria-current')).toBe('page');
    expect(await page.locator('[data-metric=nps] h3').innerText()).toBe('净推荐值 NPS');
    expect(dialogs).toEqual([]);
  });

  it('says who and why on each card, claims and resolves a task with a root cause from the keyboard, which leaves the queue at once, the follow-up metrics and top root causes change, and a markup-like comment stays text', async () => {
    // Prepare: everyone's tasks (a lead's queue opens on their own, and these are nobody's yet)
    await signIn('#/followups?survey=demo&assignee=all');
    const card = page.locator('article.task', { hasText: HOSTILE });
    await card.waitFor();
    const closure = page.locator('[data-metric=closureRate] [data-value]');
    await closure.waitFor();
    const closureBefore = await closure.getAttribute('data-value');

    const other = page.locator('article.task', { hasText: CHINESE });
    const taskId = await card.getAttribute('data-task');

    // Assess: who (the customer's reference, or that there is none), why (the reasons in words), the scores by their
    // labels (not question ids), the comment's sentiment, and where the answer was given
    expect(await card.locator('h3').innerText()).toMatch(new RegExp(`· customer ${CUSTOMER}$`));
    expect(await card.locator('.reasons').innerText()).toBe('NPS 2 (≤ 6)');
    expect(await card.locator('ul.scores li').allInnerTexts()).toEqual(['How likely are you to recommend us to a friend? 2/10']);
    expect(await card.locator('.task-facts').innerText()).not.toMatch(/\bnps 2\b/);
    expect(await card.locator('.sentiment').innerText()).toBe('not scored (language not recognised)');
    expect([await card.locator('.channel').innerText(), await card.locator('.touchpoint').innerText(), await card.locator('.journeyStage').innerText()]).toEqual(['email', 'checkout', 'after-sale']);
    expect(await other.locator('h3').innerText()).toMatch(/· anonymous customer$/);
    expect(await other.locator('.reasons').innerText()).toBe('NPS 5 (≤ 6)');
    expect(await other.locator('.sentiment').innerText()).toBe('not scored (zh)');
    expect(await other.locator('.channel').innerText()).toBe('web');
    expect(await page.locator('#tasks-summary').innerText()).toBe('2 tasks, soonest due first');
    // the comment is text (no element was made of it, nothing ran)
    expect(await card.locator('.comment').textContent()).toBe(HOSTILE);
    expect(await card.locator('img').count()).toBe(0);
    expect(await card.locator('.sla').innerText()).toMatch(/^23 h 5\d min left to first contact$/);

    // Act: open the customer's history (read from the task's detail when opened)
    await card.getByText('History', { exact: true }).click();
    const earlier = card.locator('ul.history li');
    await earlier.first().waitFor();

    // Assess: their earlier answer by its label, and the NPS trend ending with this task's answer; none for anonymous
    expect(await earlier.allInnerTexts()).toEqual([expect.stringMatching(/ · How likely are you to recommend us to a friend\? 9\/10$/)]);
    expect(await card.locator('.trend').innerText()).toBe('NPS 9 → 2 (this task)');
    expect(await other.locator('details.task-history').count()).toBe(0);
    // readable on a phone: nothing wider than the screen
    await page.setViewportSize({ width: 375, height: 800 });
    await card.screenshot({ path: join(OUTPUT_DIR, 'console-task-history-375.png') });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Act: claim with the keyboard
    await card.getByRole('button', { name: 'Claim' }).focus();
    await page.keyboard.press('Enter');
    const room = await toastSays('Task claimed.');
    expect(await card.getAttribute('data-status')).toBe('claimed');
    // the toast is a polite status, and the page keeps room below its content for it
    expect(await page.locator('#live').getAttribute('aria-live')).toBe('polite');
    expect(room.padding).toBeGreaterThan(room.toast);
    expect(await card.innerText()).toContain('Ana Lee');

    // Act: a note the API fails once: the error stays, with a close button
    await page.route('**/v1/followups/*/notes', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: 'service unavailable' }) }), { times: 1 });
    await card.getByLabel('Note').fill('Called, replacement sent.\nCalls back Monday.');
    await card.getByLabel('Note').press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('#toast.error', { hasText: 'Not done: service unavailable' }).waitFor();
    await page.locator('#toast').getByRole('button', { name: 'Close' }).click();
    await page.locator('#toast.shown').waitFor({ state: 'detached' });
    // the pointer off the toast's corner again: a toast under the pointer waits until it leaves
    await page.mouse.move(0, 0);

    // Act: the note refused as the API refuses a 41st (409 naming notes, with the task as it is): said as such, and
    // the text typed stays in its box
    const full = { error: 'invalid transition', details: [{ path: 'notes', reason: 'a task holds at most 40 notes; this one is full' }], current: { status: 'claimed' } };
    await page.route('**/v1/followups/*/notes', (route) => route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify(full) }), { times: 1 });
    await card.getByLabel('Note').press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('#toast.error', { hasText: 'This task holds all the notes it can (40).' }).waitFor();
    expect(await card.getByLabel('Note').inputValue()).toBe('Called, replacement sent.\nCalls back Monday.');
    await page.locator('#toast').getByRole('button', { name: 'Close' }).click();
    await page.locator('#toast.shown').waitFor({ state: 'detached' });
    await page.mouse.move(0, 0);

    // Act: the note again, the call marked as the customer contacted, then resolve, typing and pressing Enter in each form
    await card.getByLabel('Note').press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('#live', { hasText: 'Note added.' }).waitFor();
    // the note as written, its line break kept
    await card.locator('details', { hasText: '1 note' }).locator('summary').click();
    expect(await card.locator('ul.notes li').innerText()).toMatch(/: Called, replacement sent\.\nCalls back Monday\.$/);
    await card.getByRole('button', { name: 'Mark contacted' }).click();
    await toastSays('Marked as contacted.');
    await card.getByLabel('Root cause').selectOption('delivery');
    await card.getByLabel('Action taken').fill('Replacement shipped');
    await card.getByLabel('Action taken').press('Enter');
    const resolved = await toastSays('Task resolved.');
    // no stale card: the active queue lists no closed task, so the card leaves it without a reload, said; the count
    // follows and focus moves to the next card
    await card.waitFor({ state: 'detached' });
    expect(resolved.message).toBe('Task resolved. It left this queue; 1 task remains. Its re-survey link to send the customer is in this message.');
    expect(await page.locator('#tasks-summary').innerText()).toBe('1 task, soonest due first');
    expect(await page.evaluate(() => document.activeElement?.closest('article')?.getAttribute('data-task'))).toBe(await other.getAttribute('data-task'));

    // Assess: the message carries the re-survey link, whole and absolute, which opens the re-survey page
    const link = page.locator('#toast .resurvey-link a');
    const href = await link.getAttribute('href');
    expect(href).toMatch(new RegExp(`^${env.runtime.url}/r/[\\w.-]+$`));
    expect(await link.innerText()).toBe(href);
    // the link is in a landmark, as all content is (named by the message it goes with)
    expect((await new AxeBuilder({ page }).withRules(LANDMARK_RULES).analyze()).violations.map((v) => v.id)).toEqual([]);
    const resurveyPage = await fetch(href!);
    expect(resurveyPage.status).toBe(200);
    expect(await resurveyPage.text()).toContain('How satisfied are you with how we handled your feedback?');

    // Act: copy it with its labelled button
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy the re-survey link' }).click();

    // Assess: copied, and said so in a status message; the message stays until closed, then goes
    await page.locator('#toast [role=status]', { hasText: 'Link copied.' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(href);
    await page.locator('#toast').getByRole('button', { name: 'Close' }).click();
    await page.locator('#toast.shown').waitFor({ state: 'detached' });
    expect(await page.locator('#live').textContent()).toBe('');
    expect(await page.locator('#toast .resurvey-link').count()).toBe(0);
    await page.mouse.move(0, 0);

    // Assess: closed in the API too, and the metrics read again show it
    await page.waitForFunction((before) => document.querySelector('[data-metric=closureRate] [data-value]')?.getAttribute('data-value') !== before, closureBefore);
    expect(closureBefore).toBe('0%');
    expect(await closure.getAttribute('data-value')).toBe('50%');
    const task = await request(env.runtime, 'GET', `/v1/followups/${taskId}`, { token });
    expect(task.body).toMatchObject({ status: 'resolved', resolution: { reason: 'Replacement shipped', rootCause: 'delivery', action: 'Replacement shipped' }, notes: [{ text: 'Called, replacement sent.\nCalls back Monday.' }] });
    // the top root causes and the assignee's figures, as text, and within a phone's width
    expect(await page.locator('.root-causes .bars tbody tr').allInnerTexts()).toEqual([expect.stringMatching(/^delivery\s+1\s+100%$/)]);
    expect(await page.locator('#fu-assignees-title + .table-scroll tbody tr').allInnerTexts()).toEqual([expect.stringMatching(/^Ana Lee\s+1\s+100%.*\s\d+(\.\d)? h$/), expect.stringMatching(/^Unassigned\s+1\s+0%/)]);
    const laptop = page.viewportSize()!;
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(OUTPUT_DIR, 'console-followups-375.png'), fullPage: true });
    await page.setViewportSize(laptop);
    await page.screenshot({ path: join(OUTPUT_DIR, 'console-followups.png'), fullPage: true });

    // Act: the same comment in the Responses view, found by its text
    await page.getByRole('link', { name: 'Responses' }).click();
    await page.getByLabel('Text in comment').fill('onerror');
    await page.getByLabel('Text in comment').press('Enter');
    await page.locator('#responses-status', { hasText: '1 response shown' }).waitFor();

    // Assess: the text filter stays in the Responses link, out of the others
    expect(await page.locator('table.responses td.comment').allTextContents()).toEqual([HOSTILE]);
    const nav = page.getByRole('navigation', { name: 'Views' });
    expect(await nav.getByRole('link', { name: 'Overview' }).getAttribute('href')).toBe('#/overview?survey=demo');
    expect(await nav.getByRole('link', { name: 'Follow-up queue' }).getAttribute('href')).toBe('#/followups?survey=demo&assignee=all');
    expect(await nav.getByRole('link', { name: 'Responses' }).getAttribute('href')).toBe('#/responses?survey=demo&q=onerror');
    expect(await page.locator('table.responses img').count()).toBe(0);

    // Act: back to the queue, in Simplified Chinese
    await nav.getByRole('link', { name: 'Follow-up queue' }).click();
    await page.getByLabel('Language').selectOption('zh-CN');
    // the view renders again in the new language; wait for its words, not for the old card
    await other.locator('ul.scores li', { hasText: '您向朋友推荐' }).waitFor();

    // Assess: the labels and the words are the lead's language; the resolved task is not back
    expect(await other.locator('ul.scores li').allInnerTexts()).toEqual(['您向朋友推荐我们的可能性有多大？ 5/10']);
    expect(await other.locator('.reasons').innerText()).toBe('NPS 5（≤ 6）');
    // the assignee's time to first contact in the lead's units too
    expect(await page.locator('#fu-assignees-title + .table-scroll tbody tr').first().innerText()).toMatch(/^Ana Lee\s+1\s+100%.*\s\d+(\.\d)?\s小时$/);
    expect(await other.locator('.sentiment').innerText()).toBe('未评分（zh）');
    expect(await page.locator('article.task').count()).toBe(1);
    expect(dialogs).toEqual([]);
  });

  it('lines the filters up, with Export CSV beside Apply, on a laptop and a phone, and takes only a custom range the API takes', async () => {
    // Prepare
    await signIn('#/responses?survey=demo');
    await page.locator('#responses-status', { hasText: 'shown' }).waitFor();
    // every channel can be chosen, the survey's own first: one it has dropped still has the responses it took
    expect(await page.locator('#f-channel option').allTextContents()).toEqual(['(any)', 'web', 'email', 'api', 'kiosk', 'app', 'call-centre', 'chat', 'sms']);

    for (const width of [1280, 375]) {
      // Act
      await page.setViewportSize({ width, height: 900 });
      const layout = await page.locator('form.filters').evaluate((form) => {
        const top = (el: Element | null) => Math.round(el!.getBoundingClientRect().top);
        const fields = [...form.querySelectorAll('.field')].map((field) => ({ label: top(field.querySelector('label')), control: top(field.querySelector('input, select')) }));
        return { fields, buttons: [...form.querySelectorAll('button')].map((b) => ({ name: b.textContent, top: top(b) })) };
      });

      // Assess: the labels of the controls on one row are on one line, and the buttons share a row
      for (const row of new Set(layout.fields.map((f) => f.control))) {
        expect(new Set(layout.fields.filter((f) => f.control === row).map((f) => f.label)).size, `labels at ${width} px`).toBe(1);
      }
      expect(layout.buttons.map((b) => b.name)).toEqual(['Apply', 'Reset', 'Export CSV']);
      expect(new Set(layout.buttons.map((b) => b.top)).size, `buttons at ${width} px`).toBe(1);
    }

    // Act: a custom range before 1970, ending before it starts, or past 9998: days the API refuses
    await rendersAgain(page, () => page.locator('#range').selectOption('custom'));
    const shown = await page.evaluate(() => location.hash);
    for (const [from, to] of [['1969-12-31', '2026-11-30'], ['2026-11-30', '2026-11-01'], ['2026-11-01', '9999-01-01']]) {
      await page.locator('#from').fill(from!);
      await page.locator('#to').fill(to!);
      await page.locator('form.custom-range').getByRole('button', { name: 'Apply' }).click();

      // Assess: the browser refuses it on Apply, and the view stays as it was (it would fail on a 400)
      expect(await page.locator('form.custom-range').evaluate((form: HTMLFormElement) => form.checkValidity()), `${from} to ${to}`).toBe(false);
      expect(await page.evaluate(() => location.hash)).toBe(shown);
    }
  });

  it('filters the queue by text and status, opens a task by its deep link, claims with j then c only while focus is in the queue and the shortcuts are on, and fits 375 px', async () => {
    // Prepare: the lead's own queue is empty until they claim; the other detractor is still open and unassigned
    const open = (await request(env.runtime, 'GET', '/v1/followups?surveyId=demo&status=open', { token })).body.items as { id: string }[];
    expect(open).toHaveLength(1);
    await signIn('#/followups?survey=demo');
    await page.locator('.tasks', { hasText: 'No tasks are assigned to you here.' }).waitFor();

    // Act: everyone's tasks, then the status filter chosen on the picker of the queue as it was drawn before (as a quick
    // second choice can land on a view about to be drawn again): it must keep the assignee chosen since; then the text
    const stalePicker = await page.getByLabel('Show').elementHandle();
    await rendersAgain(page, () => page.getByLabel('Assignee', { exact: true }).selectOption('all'));
    await stalePicker!.evaluate((picker: HTMLSelectElement) => {
      picker.value = 'all';
      picker.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.locator('article.task').nth(1).waitFor();
    const everyone = await page.locator('article.task').count();
    await page.getByLabel('Search tasks').fill(CUSTOMER.toUpperCase());
    await page.getByLabel('Search tasks').press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('article.task').length === 1);

    // Assess: one card, the customer's; the filters are in the hash and out of the other views' links
    expect(everyone).toBe(2);
    expect(await page.locator('article.task h3').innerText()).toContain(CUSTOMER);
    expect(new URL(page.url()).hash).toBe(`#/followups?survey=demo&queue=all&assignee=all&q=${CUSTOMER.toUpperCase()}`);
    const nav = page.getByRole('navigation', { name: 'Views' });
    expect(await nav.getByRole('link', { name: 'Responses' }).getAttribute('href')).toBe('#/responses?survey=demo');
    await page.getByLabel('Show').selectOption('open');
    await page.locator('.tasks', { hasText: 'No tasks here.' }).waitFor();

    // Act: the open task by its deep link
    await page.goto(`${env.runtime.url}/console/#/followups/${open[0]!.id}?survey=demo`);
    const card = page.locator(`article.task.focused[data-task="${open[0]!.id}"]`);
    await card.waitFor();

    // Assess: it is the one card, focused, with the way back to the queue
    expect(await page.locator('article.task').count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.closest('article')?.getAttribute('data-task'))).toBe(open[0]!.id);
    expect(await page.getByRole('link', { name: 'Back to the queue' }).getAttribute('href')).toBe('#/followups?survey=demo');

    // Act: back to the unassigned tasks (the deep link's card is the same task, so the wait is for the queue's card
    // once the deep link's view has gone); c and ? with focus on the page itself, outside the queue
    await rendersAgain(page, () => page.goto(`${env.runtime.url}/console/#/followups?survey=demo&assignee=none`));
    const queued = page.locator(`article.task[data-task="${open[0]!.id}"]`);
    await queued.waitFor();
    // each click of the claim button, which is what the c shortcut does, counted in the page as it happens
    await queued.getByRole('button', { name: 'Claim' }).evaluate((button) => button.addEventListener('click', () => document.body.setAttribute('data-claims', String(Number(document.body.dataset.claims ?? 0) + 1))));
    const claims = () => page.evaluate(() => Number(document.body.dataset.claims ?? 0));
    const helpOpen = () => page.locator('details.shortcuts').evaluate((help: HTMLDetailsElement) => help.open);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('c');
    await page.keyboard.press('?');

    // Assess: single keys outside the queue do nothing (WCAG 2.1.4: active only while the queue has focus)
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
    expect(await claims()).toBe(0);
    expect(await helpOpen()).toBe(false);

    // Act: the shortcuts turned off in their help, then the same keys on the card's own button
    await page.getByText('Keyboard shortcuts', { exact: true }).click();
    await page.getByLabel('Single-key shortcuts').uncheck();
    await queued.getByRole('button', { name: 'Claim' }).focus();
    await page.keyboard.press('c');
    await page.keyboard.press('?');

    // Assess: nothing fires, and the choice outlives a reload
    expect(await claims()).toBe(0);
    expect(await helpOpen()).toBe(true);
    await page.reload();
    await queued.waitFor();
    expect(await page.getByLabel('Single-key shortcuts', { exact: true }).isChecked()).toBe(false);

    // Act: on again; Tab into the queue from its summary, ? opens the help, j focuses the card and c claims it
    await page.getByText('Keyboard shortcuts', { exact: true }).click();
    await page.getByLabel('Single-key shortcuts').check();
    await page.getByText('Keyboard shortcuts', { exact: true }).click();
    await page.locator('#tasks-summary').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('article')?.getAttribute('data-task'))).toBe(open[0]!.id);
    await page.keyboard.press('?');
    expect(await helpOpen()).toBe(true);
    await page.keyboard.press('j');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H3');
    await page.keyboard.press('c');
    await page.locator('#live', { hasText: 'Task claimed.' }).waitFor();

    // Assess: claimed by the lead in the API, and gone from the unassigned queue; typing "c" in a field claims nothing
    await page.locator(`article.task[data-task="${open[0]!.id}"]`).waitFor({ state: 'detached' });
    const claimed = await request(env.runtime, 'GET', `/v1/followups/${open[0]!.id}`, { token });
    expect(claimed.body).toMatchObject({ status: 'claimed', assignee: { name: 'Ana Lee' } });
    await page.getByLabel('Search tasks').press('c');
    expect(await page.getByLabel('Search tasks').inputValue()).toBe('c');

    // Act: the lead's own queue (the default) on a phone
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${env.runtime.url}/console/#/followups?survey=demo`);
    await page.locator(`article.task[data-task="${open[0]!.id}"]`).waitFor();

    // Assess: the claimed task is theirs; nothing scrolls sideways
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(OUTPUT_DIR, 'console-queue-375.png'), fullPage: true });
    expect(dialogs).toEqual([]);
  });

  it('reads on past a page of a list of closed tasks that came back empty with a cursor, and says more may match', async () => {
    // Prepare: the API's first answer for everyone's tasks is an empty page that goes on (its bounded read found none)
    let asked = 0;
    await page.route(
      (url) => url.pathname === '/v1/followups',
      async (route) => {
        asked += 1;
        const url = new URL(route.request().url());
        if (!url.searchParams.has('cursor')) return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ items: [], cursor: 'read-on' }) });
        url.searchParams.delete('cursor');
        const real = await route.fetch({ url: url.toString() });
        const page = (await real.json()) as { items: unknown[] };
        return route.fulfill({ response: real, json: { items: page.items, cursor: asked < 3 ? 'read-on' : null } });
      },
    );

    // Act
    await signIn('#/followups?survey=demo&queue=all&assignee=all');
    await page.locator('article.task').first().waitFor();
    const summary = await page.locator('#tasks-summary').innerText();
    const cards = await page.locator('article.task').count();
    await page.unroute((url) => url.pathname === '/v1/followups');

    // Assess: the second request was made without a click, its cards shown, and the list says more may match
    expect(asked).toBe(2);
    expect(cards).toBe(2);
    expect(summary).toBe('2 tasks, newest first · More tasks may match: load more to look further.');
    expect(await page.locator('.tasks', { hasText: 'No tasks here.' }).count()).toBe(0);
  });

  it('has no WCAG 2.1 A or AA violations, nor duplicate or missing landmarks, on any view (axe-core)', async () => {
    // WCAG 2.1 A and AA, and the landmark rules (best practice): each landmark named once, all content in one
    const audit = async (view: string) => (await axeViolations(page, LANDMARK_RULES)).map((found) => `${view}: ${found}`);

    // Act: the sign-in page, then each view once its data is shown
    await page.goto(`${env.runtime.url}/console/`);
    await page.getByLabel('Access token').waitFor();
    const violations = await audit('sign-in');
    await signIn('#/overview?survey=demo');
    await page.locator('.chart-canvas canvas').first().waitFor();
    await page.locator('#channels-title + .table-scroll').waitFor();
    violations.push(...(await audit('overview')));
    // a claimed task, so that its card shows the resolve form
    const open = (await request(env.runtime, 'GET', '/v1/followups?surveyId=demo&status=open', { token })).body.items;
    if (open.length) await request(env.runtime, 'POST', `/v1/followups/${open[0].id}/claim`, { token });
    await page.getByRole('link', { name: 'Follow-up queue' }).click();
    await page.locator('[data-metric=closureRate] [data-value]').waitFor();
    // each filter renders the queue again, and the lead's own queue may show the same card: audited once the new one is
    await rendersAgain(page, () => page.getByLabel('Assignee', { exact: true }).selectOption('all'));
    await page.locator('article.task').first().waitFor();
    await page.locator('form.resolve-form').first().waitFor();
    violations.push(...(await audit('follow-up queue')));
    // the queue filtered by text and status, and one task by its deep link
    await page.getByLabel('Search tasks').fill(CUSTOMER);
    await rendersAgain(page, () => page.getByLabel('Search tasks').press('Enter'));
    await rendersAgain(page, () => page.getByLabel('Show').selectOption('all'));
    await page.locator('article.task').first().waitFor();
    violations.push(...(await audit('filtered queue')));
    await page.locator('article.task h3').first().focus();
    await page.goto(`${env.runtime.url}/console/#/followups/${await page.locator('article.task').first().getAttribute('data-task')}?survey=demo`);
    await page.locator('article.task.focused').waitFor();
    violations.push(...(await audit('one task')));
    await page.getByRole('link', { name: 'Responses' }).click();
    await page.locator('#responses-status', { hasText: 'shown' }).waitFor();
    violations.push(...(await audit('responses')));

    // Assess
    expect(violations).toEqual([]);
  });
});
