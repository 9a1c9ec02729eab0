// browser: email survey links in real Chromium (playwright-core; harness.ts picks which). The e-mail snippet is
// rendered in a page served from its own 127.0.0.1 port, as a webmail would show it; a person clicks "9", lands on the
// hosted page with 9 selected, writes a comment and sends: one `email` response of the campaign; a person who sent 8,
// CSAT 4 and a comment clicks "Change my answer" and finds them all in the form, changes NPS to 7 and sends: the CSAT
// and the comment are kept; a comment filled to the box's maxlength with line breaks (sent as CRLF) is taken whole,
// with LF line breaks. Script-running visits without the human signal (closed at once, or in a hidden page) leave no
// provisional answer; a visible one that dwells does.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, listAll, request, startTestRuntime } from '../support/local-runtime.js';
import { launchChromium, newContext, OUTPUT_DIR, type Site, startSite } from './harness.js';

let env: Awaited<ReturnType<typeof startTestRuntime>>;
let browser: Browser;
let site: Site;
const snippets: Record<string, string> = {};
const saved = process.env.EMAIL_SURVEY_DWELL_SECONDS;

const report = async (campaign: string) => (await request(env.runtime, 'GET', `/v1/surveys/demo/campaigns/${campaign}`, { admin: true })).body;

beforeAll(async () => {
  process.env.EMAIL_SURVEY_DWELL_SECONDS = '1';
  [env, browser] = await Promise.all([startTestRuntime({ scheduleEveryMs: 3_600_000 }), launchChromium()]);
  for (const [campaign, customers] of [['person', ['cust-person']], ['change', ['cust-change']], ['lines', ['cust-lines']], ['machines', ['closed-at-once', 'hidden-page', 'visible-dwell']]] as const) {
    const minted = await request(env.runtime, 'POST', '/v1/surveys/demo/invitations', { admin: true, body: { campaign, recipients: customers.map((customerRef) => ({ customerRef })) } });
    for (const invitation of minted.body.invitations) snippets[invitation.customerRef] = invitation.snippet;
  }
  const mail = (snippet: string) => `<!doctype html><html lang="en"><head><title>Inbox</title></head><body><p>Dear customer, how did we do?</p>${snippet}</body></html>`;
  site = await startSite(Object.fromEntries(Object.entries(snippets).map(([customer, snippet]) => [`/${customer}`, mail(snippet)])));
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await env?.close();
  if (saved === undefined) delete process.env.EMAIL_SURVEY_DWELL_SECONDS;
  else process.env.EMAIL_SURVEY_DWELL_SECONDS = saved;
});

const scoreLink = (customer: string, score: number) => new RegExp(`href="([^"]+\\?score=${score})"`).exec(snippets[customer]!)![1]!;

describe('a person answering from the e-mail', () => {
  it('clicks 9, sees it selected on the hosted page, adds a comment and sends: one email response of the campaign', async () => {
    // Prepare
    const context: BrowserContext = await newContext(browser, { viewport: { width: 1024, height: 720 }, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${site.origin}/cust-person`);

    // Act: the e-mail shows eleven score links and no visible honeypot; the person reads, then clicks 9
    const visibleLinks = await page.getByRole('link').count();
    const honeypotVisible = await page.locator('a[href$="/h"]').isVisible();
    await page.waitForTimeout(500);
    await page.getByRole('link', { name: '9', exact: true }).click();
    await page.waitForURL(/\/s\/[^?]+\?score=9$/);
    const nine = page.getByRole('radio', { name: '9', exact: true }).first();
    const selected = await nine.isChecked();
    await page.waitForTimeout(1_200);
    await page.getByLabel('Anything you would like to tell us?').click();
    await page.keyboard.type('Quick delivery, friendly support.', { delay: 15 });
    await page.screenshot({ path: `${OUTPUT_DIR}email-survey-page.png`, fullPage: true });
    await page.getByRole('button', { name: 'Send' }).click();
    // the answer's page, at the form's action (the link's score is not in it): the form's page, loaded already and with
    // an h1 of its own, would satisfy a wait for a loaded page
    await page.waitForURL(/\/s\/[^?/]+$/);
    const thanks = await page.locator('h1').textContent();
    const stored = await eventually(async () => (await listAll(env.runtime, 'demo')).find((r) => r.campaign === 'person'), 60_000, 'the stored response');
    await context.close();

    // Assess
    expect(visibleLinks).toBe(11);
    expect(honeypotVisible).toBe(false);
    expect(selected).toBe(true);
    expect(thanks).toBe('Thank you');
    expect(stored).toMatchObject({ channel: 'email', campaign: 'person', customerRef: 'cust-person', answers: { nps: 9 }, comment: 'Quick delivery, friendly support.' });
    expect(await report('person')).toMatchObject({ invitations: 1, final: 1, finalBy: { submit: 1 }, scanned: 0 });
  });
});

describe('a person changing the answer', () => {
  it('finds the answer sent in the form again, changes one score and sends: the other score and the comment are kept', async () => {
    // Prepare: 8 from the e-mail, CSAT 4 and a comment, sent and stored
    const context = await newContext(browser, { locale: 'en-GB' });
    const page = await context.newPage();
    const comment = 'Good overall, delivery could be a bit faster.';
    await page.goto(scoreLink('cust-change', 8));
    await page.locator('input[name="a.csat"][value="4"]').check();
    await page.locator('#comment').fill(comment);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(/\/s\/[^?/]+$/);
    const first = await eventually(async () => (await listAll(env.runtime, 'demo')).find((r) => r.campaign === 'change'), 60_000, 'the first answer');

    // Act: "Change my answer" (a plain link: the form's page again), then only NPS changed
    await page.getByRole('link', { name: 'Change my answer' }).click();
    await page.waitForSelector('form#survey');
    const shown = {
      nps: await page.locator('input[name="a.nps"]:checked').getAttribute('value'),
      csat: await page.locator('input[name="a.csat"]:checked').getAttribute('value'),
      comment: await page.locator('#comment').inputValue(),
      notice: await page.getByRole('status').first().textContent(),
    };
    await page.screenshot({ path: `${OUTPUT_DIR}email-survey-change.png`, fullPage: true });
    await page.locator('input[name="a.nps"][value="7"]').check();
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(/\/s\/[^?/]+$/);
    const changed = await eventually(async () => {
      const item = (await listAll(env.runtime, 'demo')).find((r) => r.campaign === 'change');
      return item?.answers.nps === 7 ? item : undefined;
    }, 60_000, 'the changed answer');
    await context.close();

    // Assess
    expect(first).toMatchObject({ answers: { nps: 8, csat: 4 }, comment });
    expect(shown).toEqual({ nps: '8', csat: '4', comment, notice: 'This form shows your answer. Sending it again replaces it.' });
    expect(changed).toMatchObject({ id: first.id, answers: { nps: 7, csat: 4 }, comment });
  });
});

describe('a person writing a long comment over several lines', () => {
  it('fills the comment box to its maxlength with line breaks and sends: the answer is taken, the comment whole with LF line breaks', async () => {
    // Prepare
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(scoreLink('cust-lines', 7));

    // Act: the box takes 5,000 characters, each line break one of them (Enter past the limit does nothing); the breaks
    // go in the middle, where trimming cannot take them
    await page.locator('#comment').fill(`${'x'.repeat(2_495)}${'y'.repeat(2_495)}`);
    await page.$eval('#comment', (el) => (el as HTMLTextAreaElement).setSelectionRange(2_495, 2_495));
    for (let i = 0; i < 15; i++) await page.locator('#comment').press('Enter');
    const box = await page.$eval('#comment', (el) => {
      const textarea = el as HTMLTextAreaElement;
      return { length: textarea.value.length, valid: textarea.checkValidity() };
    });
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(/\/s\/[^?/]+$/);
    const heading = await page.locator('h1').textContent();
    const stored = await eventually(async () => (await listAll(env.runtime, 'demo')).find((r) => r.campaign === 'lines'), 60_000, 'the stored response');
    await context.close();

    // Assess
    expect(box).toEqual({ length: 5_000, valid: true });
    expect(heading).toBe('Thank you');
    expect(stored).toMatchObject({ answers: { nps: 7 }, comment: `${'x'.repeat(2_495)}${'\n'.repeat(10)}${'y'.repeat(2_495)}` });
  });
});

describe('a scanner that runs the page\'s script', () => {
  it('leaves no provisional answer without the human signal; a visible page that dwells does', async () => {
    // Act: a visit closed at once; a visit in a page that reports itself hidden, long past the dwell; a visible dwell
    const quick = await newContext(browser);
    // "at once" in the page's own time: its clock stands still, so a busy machine that takes a while to close it cannot
    // let the dwell pass meanwhile
    await quick.clock.setFixedTime(Date.now());
    const quickPage = await quick.newPage();
    await quickPage.goto(scoreLink('closed-at-once', 10));
    await quick.close();

    const hidden = await newContext(browser);
    await hidden.addInitScript(() => {
      Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { get: () => true });
    });
    const hiddenPage = await hidden.newPage();
    await hiddenPage.goto(scoreLink('hidden-page', 10));
    await hiddenPage.waitForTimeout(2_500);
    await hidden.close();
    const withoutSignal = await report('machines');

    const visible = await newContext(browser);
    const visiblePage = await visible.newPage();
    await visiblePage.goto(scoreLink('visible-dwell', 10));
    const withDwell = await eventually(async () => {
      const current = await report('machines');
      return current.provisional === 1 ? current : undefined;
    }, 60_000, 'the provisional answer of the dwelling visit');
    await visible.close();

    // Assess
    expect(withoutSignal).toMatchObject({ invitations: 3, opened: 2, clicks: 2, provisional: 0, final: 0 });
    expect(withDwell).toMatchObject({ provisional: 1, final: 0 });
    expect((await listAll(env.runtime, 'demo')).filter((r) => r.campaign === 'machines')).toEqual([]);
  });
});
