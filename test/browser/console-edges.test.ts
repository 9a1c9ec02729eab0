// browser: edges of the CX console, in real Chromium against the local runtime, signed in as a CX lead: a custom
// range longer than the metrics API takes (the Overview shows its last 731 days and says so, the Responses view asks
// for all of it), a range with more days than the breakdown holds (the Overview says so without asking the API), a
// survey of many long rating questions over 731 days by day (the Overview and the follow-up metrics show the most
// recent days one report holds and say so, with no 400), the
// survey's read held back (the Overview's figures and the first page of Responses do not wait for it; only the
// breakdown does, to be asked for only if it fits), a value the API refuses (said in the lead's words next to the
// field typed in, with nothing stored, and a reason the console has no words for still shown), a comment-only response
// (its Scores cell says there are none), and when a new answer shows (a line on the Overview and in Responses, in
// English and Chinese). Each state passes axe-core's WCAG 2.1 AA rules; screenshots go to test-output/.
import { join } from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RANGE_DAYS, maxReportIntervals } from '../../shared/metrics/range-limits.js';
import { MAX_DIMENSION_LENGTH, MAX_QUESTION_ID_LENGTH, MAX_QUESTIONS } from '../../shared/survey/limits.js';
import { MIN_UNGROUPED_INTERVALS } from '../../web-console/src/state.js';
import { eventually, listAll, request, startTestRuntime } from '../support/local-runtime.js';
import { answeredAndRouted, runtimeWithLead, axeViolations, focused, OUTPUT_DIR, pagePerTest, rendersAgain } from './harness.js';

const COMMENT_ONLY = 'Only wanted to say the courier was lovely';
/** a right-to-left override: shown as stored, it turns what follows it round on screen */
const RLO = '\u202E';

let env: Awaited<ReturnType<typeof startTestRuntime>>;
let browser: Browser;
let page: Page;
let token: string;
let taskId: string;

beforeAll(async () => {
  ({ env, browser, token } = await runtimeWithLead());
  const { runtime } = env;
  // no question required, so a customer may leave a comment alone
  const { body: demo } = await request(runtime, 'GET', '/v1/surveys/demo', { admin: true });
  const questions = (demo.questions as { id: string; required?: boolean }[]).map(({ required: _, ...q }) => q);
  expect((await request(runtime, 'PUT', '/v1/surveys/demo', { admin: true, body: { ...demo, questions } })).status).toBe(200);
  const answers = [
    { idempotencyKey: 'edges-detractor', channel: 'web', answers: { nps: 3 }, customerRef: 'crm-77' },
    { idempotencyKey: 'edges-comment', channel: 'web', answers: {}, comment: COMMENT_ONLY },
  ];
  [taskId] = (await answeredAndRouted(runtime, token, answers)) as [string];
  // claimed, so its card has the resolve form too
  expect((await request(runtime, 'POST', `/v1/followups/${taskId}/claim`, { token })).status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
  await env?.close();
});
pagePerTest(() => browser, (fresh) => (page = fresh));

async function signIn(hash: string, as = token) {
  await page.goto(`${env.runtime.url}/console/${hash}`);
  await page.getByLabel('Access token').fill(as);
  await page.keyboard.press('Enter');
}

/** a route that holds each request until `release()`, then lets it through (no time involved) */
function held(url: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  return { url, release, handle: async (route: Route) => (await released, await route.continue()) };
}
/** the page's API requests ("GET /path?groupBy=…") and the survey read's answer ("answered /path"), in order */
function apiTraffic(): string[] {
  const events: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!url.pathname.startsWith('/v1/')) return;
    const groupBy = url.searchParams.get('groupBy');
    events.push(`${req.method()} ${url.pathname}${groupBy ? `?groupBy=${groupBy}` : ''}`);
  });
  page.on('response', (res) => {
    const path = new URL(res.url()).pathname;
    if (path === '/v1/surveys/demo') events.push(`answered ${path}`);
  });
  return events;
}
const dayOf = (instant: number) => new Date(instant).toISOString().slice(0, 10);

describe('the CX console at its edges', () => {
  it('shows the Overview of a six-year range by its last 731 days and says so, while Responses asks for the whole range', async () => {
    // Prepare: 2020-01-01 to today, far more than the metrics API takes
    const today = dayOf(Date.now());
    const lastDays = dayOf(Date.parse(today) - (MAX_RANGE_DAYS - 1) * 86_400_000);

    // Act
    await signIn(`#/overview?survey=demo&range=custom&from=2020-01-01&to=${today}`);
    await page.locator('[data-metric=nps] [data-value]').waitFor();
    await page.screenshot({ path: join(OUTPUT_DIR, 'console-overview-long-range.png'), fullPage: true });

    // Assess: the figures are there (no 400), for the last 731 days, and the page says why
    const section = page.locator('section[data-from]');
    expect([await section.getAttribute('data-from'), await section.getAttribute('data-to')]).toEqual([lastDays, today]);
    expect(await page.locator('[data-metric=nps]').innerText()).toContain('1 answer');
    expect(await page.locator('.range-clipped').innerText()).toBe(
      `Metrics cover at most 731 days, so these are for the last 731 days of the range you chose (2020-01-01 to ${today}). The Responses view lists the whole range.`,
    );
    expect(await page.locator('.error').count()).toBe(0);
    // a breakdown by day of 731 days is more than a grouped report holds: said in the table's place, with the way out
    expect(await page.locator('.breakdown-refused').innerText()).toBe(
      'This range has too many periods to break down by channel, touchpoint and journey stage. Choose a coarser interval (such as Month) or a shorter range.',
    );
    expect(await axeViolations(page)).toEqual([]);

    // Act: by month
    await rendersAgain(page, () => page.getByLabel('Interval').selectOption('month'));
    await page.getByRole('region', { name: 'Channel performance' }).waitFor();

    // Assess: the breakdown is back, beside the same notice
    expect(await page.getByRole('region', { name: 'Channel performance' }).locator('tbody tr').first().innerText()).toMatch(/^Channel\s+web\s+2\b/);
    expect(await page.locator('.range-clipped').count()).toBe(1);
    await page.screenshot({ path: join(OUTPUT_DIR, 'console-overview-long-range-month.png'), fullPage: true });

    // Act: the same range in the Responses view
    const asked = page.waitForRequest((req) => new URL(req.url()).pathname === '/v1/surveys/demo/responses');
    await page.getByRole('link', { name: 'Responses' }).click();
    const query = new URL((await asked).url()).searchParams;
    await page.locator('#responses-status', { hasText: '2 responses shown' }).waitFor();

    // Assess: all six years, and no word of a limit
    expect([query.get('from'), query.get('to')]).toEqual(['2020-01-01T00:00:00.000Z', `${today}T23:59:59.999Z`]);
    expect(await page.locator('.range-clipped').count()).toBe(0);
  });

  it('says a range by day has too many periods for the breakdown without asking the API, and asks by week', async () => {
    // Prepare: one day more than a grouped report of the demo survey holds by day; the API refuses that, not one less
    const { body: demo } = await request(env.runtime, 'GET', '/v1/surveys/demo', { admin: true });
    const limit = maxReportIntervals(demo, true);
    const today = dayOf(Date.now());
    const from = dayOf(Date.parse(today) - limit * 86_400_000);
    const grouped = (first: string, interval = 'day') => request(env.runtime, 'GET', `/v1/surveys/demo/metrics?from=${first}&to=${today}&interval=${interval}&groupBy=channel`, { token });
    expect((await grouped(from)).body.details).toEqual([{ path: 'groupBy', reason: expect.stringContaining(`holds at most ${limit} intervals`) }]);
    expect((await grouped(dayOf(Date.parse(from) + 86_400_000))).status).toBe(200);
    const asked: URL[] = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.pathname === '/v1/surveys/demo/metrics') asked.push(url);
    });

    // Act
    await signIn(`#/overview?survey=demo&range=custom&from=${from}&to=${today}`);
    await page.locator('.breakdown-refused').waitFor();
    await page.screenshot({ path: join(OUTPUT_DIR, 'console-overview-breakdown-too-long.png'), fullPage: true });

    // Assess: the figures, and the breakdown's place says why, with no grouped request sent
    expect(await page.locator('[data-metric=nps] .kpi-sub').innerText()).toBe('1 answer');
    expect(await page.locator('.breakdown-refused').innerText()).toBe(
      'This range has too many periods to break down by channel, touchpoint and journey stage. Choose a coarser interval (such as Month) or a shorter range.',
    );
    expect(asked.map((url) => url.searchParams.get('groupBy'))).toEqual([null]);
    expect(await axeViolations(page)).toEqual([]);

    // Act: by week
    asked.length = 0;
    await rendersAgain(page, () => page.getByLabel('Interval').selectOption('week'));
    await page.getByRole('region', { name: 'Channel performance' }).waitFor();

    // Assess: the three breakdowns were asked for, and shown
    expect(asked.map((url) => url.searchParams.get('groupBy') ?? 'ungrouped').sort()).toEqual(['channel', 'journeyStage', 'touchpoint', 'ungrouped']);
    expect(await page.locator('.breakdown-refused').count()).toBe(0);
  });

  it('shows a survey of many long rating questions over 731 days by day by its most recent days that fit one report, on the Overview and above the queue, says so in English and Chinese, and never shows a 400', async () => {
    // Prepare: the demo survey's questions and 23 rating questions with the longest ids and dimensions (30 in all, the
    // most a survey holds), its own lead, and one answer counted today
    const { body: demo } = await request(env.runtime, 'GET', '/v1/surveys/demo', { admin: true });
    const long = Array.from({ length: MAX_QUESTIONS - demo.questions.length }, (_, i) => ({ id: `q${i}`.padEnd(MAX_QUESTION_ID_LENGTH, 'x'), type: 'rating', dimension: `d${i}`.padEnd(MAX_DIMENSION_LENGTH, 'y'), max: 10, weight: 1 }));
    expect((await request(env.runtime, 'PUT', '/v1/surveys/big', { admin: true, body: { ...demo, id: 'big', questions: [...demo.questions, ...long] } })).status).toBe(200);
    const { body: big } = await request(env.runtime, 'GET', '/v1/surveys/big', { admin: true });
    const bigToken = (await request(env.runtime, 'POST', '/v1/cx-leads', { admin: true, body: { name: 'Bo Chen', surveys: ['big'] } })).body.token as string;
    expect((await request(env.runtime, 'POST', '/v1/responses', { body: { surveyId: 'big', idempotencyKey: 'edges-big', channel: 'web', answers: { nps: 9 } } })).status).toBe(202);
    await eventually(async () => ((await listAll(env.runtime, 'big')).length === 1 ? true : undefined), 60_000, 'the stored response');
    await env.runtime.triggerSchedule('roll-up-metrics');
    // the API refuses the whole 731 days by day ungrouped, and takes its last `held` days (no fewer than any survey holds)
    const held = maxReportIntervals(big, false);
    expect(held).toBeLessThan(MAX_RANGE_DAYS);
    expect(held).toBeGreaterThanOrEqual(MIN_UNGROUPED_INTERVALS);
    const today = dayOf(Date.now());
    const from = dayOf(Date.parse(today) - (MAX_RANGE_DAYS - 1) * 86_400_000);
    const lastHeld = dayOf(Date.parse(today) - (held - 1) * 86_400_000);
    const ungrouped = (first: string) => request(env.runtime, 'GET', `/v1/surveys/big/metrics?from=${first}&to=${today}&interval=day`, { token: bigToken });
    expect((await ungrouped(from)).body.details).toEqual([{ path: 'from', reason: expect.stringContaining(`holds at most ${held} intervals`) }]);
    expect((await ungrouped(lastHeld)).status).toBe(200);
    const answered: string[] = [];
    page.on('response', (res) => {
      const url = new URL(res.url());
      if (url.pathname.startsWith('/v1/')) answered.push(`${res.status()} ${url.pathname}${url.pathname.endsWith('/metrics') ? ` from=${url.searchParams.get('from')} ${url.searchParams.get('interval')}` : ''}`);
    });

    // Act
    await signIn(`#/overview?survey=big&range=custom&from=${from}&to=${today}`, bigToken);
    await page.locator('.breakdown-refused, .error').first().waitFor();
    await page.screenshot({ path: join(OUTPUT_DIR, 'console-overview-big-survey.png'), fullPage: true });

    // Assess: the figures of the last `held` days, asked for once the survey was read; the notice says what is shown
    // and what a coarser interval shows; nothing was refused
    expect(await page.locator('.error').allInnerTexts()).toEqual([]);
    const section = page.locator('section[data-from]');
    expect([await section.getAttribute('data-from'), await section.getAttribute('data-to')]).toEqual([lastHeld, today]);
    expect(await page.locator('[data-metric=nps] .kpi-sub').innerText()).toBe('1 answer');
    expect(await page.locator('.range-clipped').innerText()).toBe(
      `With this survey's questions one report holds at most ${held} periods by day, so these figures are for the last ${held} (${lastHeld} to ${today}). A coarser interval (such as Month) shows all of ${from} to ${today}. The Responses view lists the whole range.`,
    );
    expect(answered.filter((a) => !a.startsWith('200 '))).toEqual([]);
    expect(answered.indexOf('200 /v1/surveys/big')).toBeLessThan(answered.indexOf(`200 /v1/surveys/big/metrics from=${lastHeld} day`));
    expect(await axeViolations(page)).toEqual([]);

    // Act: the follow-up metrics of the same range, above the queue
    await page.getByRole('link', { name: 'Follow-up queue' }).click();
    await page.locator('.followup-metrics [data-metric=opened], .followup-metrics .error').first().waitFor();

    // Assess: the same days, said the same way (the queue has no interval to choose)
    expect(await page.locator('.followup-metrics .error').allInnerTexts()).toEqual([]);
    expect(await page.locator('.followup-metrics .range-clipped').innerText()).toBe(
      `With this survey's questions one report holds at most ${held} periods by day, so these figures are for the last ${held} (${lastHeld} to ${today}).`,
    );
    expect(answered.filter((a) => !a.startsWith('200 '))).toEqual([]);
    expect(answered).toContain(`200 /v1/surveys/big/metrics from=${lastHeld} day`);

    // Act: back on the Overview, in Chinese
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.locator('[data-metric=nps] [data-value]').waitFor();
    await rendersAgain(page, () => page.getByLabel('Language').selectOption('zh-CN'));
    await page.locator('[data-metric=nps] [data-value]').waitFor();

    // Assess
    expect(await page.locator('.range-clipped').innerText()).toBe(
      `按此调查的题目，一份报告按日最多容纳 ${held} 个周期，因此这里是最后 ${held} 个周期（${lastHeld} 至 ${today}）的指标。 更粗的间隔（例如“月”）可显示 ${from} 至 ${today} 的全部指标。 “回复”视图列出整个时间范围。`,
    );
    await page.screenshot({ path: join(OUTPUT_DIR, 'console-overview-big-survey-zh.png'), fullPage: true });

    // Act: by week
    await rendersAgain(page, () => page.getByLabel('间隔').selectOption('week'));
    await page.locator('[data-metric=nps] [data-value]').waitFor();

    // Assess: the whole 731 days, and no notice
    expect([await section.getAttribute('data-from'), await section.getAttribute('data-to')]).toEqual([from, today]);
    expect(await page.locator('.range-clipped').count()).toBe(0);
    expect(await page.locator('[data-metric=nps] .kpi-sub').innerText()).toBe('1 个回答');
    expect(answered.filter((a) => !a.startsWith('200 '))).toEqual([]);
  });

  it('shows the Overview\'s figures while the survey is still being read, and asks for the breakdown only once it is', async () => {
    // Prepare: the survey's read (GET /v1/surveys/demo) held until the test lets it go; the API's requests and that
    // read's answer noted in the order they happen
    const survey = held(`${env.runtime.url}/v1/surveys/demo`);
    await page.route(survey.url, survey.handle);
    const happened = apiTraffic();

    // Act
    await signIn('#/overview?survey=demo');

    // Assess: the figures and alerts were asked for with the survey read and are shown while it is held; no breakdown yet
    await page.locator('[data-metric=nps] [data-value]').waitFor();
    await page.locator('#alerts-title').waitFor();
    expect(happened).toEqual(expect.arrayContaining(['GET /v1/surveys/demo/metrics', 'GET /v1/surveys/demo/alerts', 'GET /v1/surveys/demo']));
    expect(happened.filter((event) => event.includes('groupBy'))).toEqual([]);

    // Act: the survey answers
    survey.release();
    await page.getByRole('region', { name: 'Channel performance' }).waitFor();

    // Assess: the three breakdowns were asked for after the survey answered (the console decided first), and shown
    const answered = happened.indexOf('answered /v1/surveys/demo');
    expect(happened.slice(answered + 1).filter((event) => event.includes('groupBy')).sort()).toEqual(
      ['channel', 'journeyStage', 'touchpoint'].map((groupBy) => `GET /v1/surveys/demo/metrics?groupBy=${groupBy}`),
    );
    expect(happened.slice(0, answered).filter((event) => event.includes('groupBy'))).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('asks for the first page of responses while the survey is still being read, and shows it by question label', async () => {
    // Prepare: as above, the survey's read held
    const survey = held(`${env.runtime.url}/v1/surveys/demo`);
    await page.route(survey.url, survey.handle);
    const happened = apiTraffic();

    // Act
    await signIn('#/responses?survey=demo');
    await page.waitForRequest((req) => new URL(req.url()).pathname === '/v1/surveys/demo/responses');

    // Assess: the page was asked for before the survey answered
    expect(happened).not.toContain('answered /v1/surveys/demo');

    // Act: the survey answers
    survey.release();
    await page.locator('#responses-status', { hasText: '2 responses shown' }).waitFor();

    // Assess: the scores by the questions' labels, read from the survey
    expect(await page.locator('table.responses tbody tr', { hasText: 'How likely are you to recommend us to a friend? 3' }).count()).toBe(1);
  });

  it("says a refused note or action in the lead's words under the field typed in, stores nothing, and still shows a reason it has no words for", async () => {
    // Prepare
    await signIn(`#/followups?survey=demo&assignee=all`);
    const card = page.locator(`article[data-task="${taskId}"]`);
    const note = card.getByLabel('Note');
    await note.waitFor();

    // Act: a note with a right-to-left override in it
    await note.fill(`Called.\nCall back${RLO} tomorrow`);
    await card.getByRole('button', { name: 'Add note' }).click();
    const toast = page.locator('#toast.error');
    await toast.waitFor();
    await card.screenshot({ path: join(OUTPUT_DIR, 'console-note-refused.png') });

    // Assess: the note's label and a sentence, no path nor code point; under the field, which has focus and is invalid
    const sentence = 'This text holds an invisible formatting or control character (such as a text-direction override) right after “Call back”; remove it and try again.';
    expect(await page.locator('#live').innerText()).toBe(`Not done: Note: ${sentence}`);
    expect(await card.locator('.field-refused').innerText()).toBe(`Note: ${sentence}`);
    expect(await note.getAttribute('aria-invalid')).toBe('true');
    expect(await note.getAttribute('aria-describedby')).toBe(`note-${taskId}-refused`);
    expect((await focused(page)).id).toBe(`note-${taskId}`);
    expect(await axeViolations(page)).toEqual([]);
    const stored = await request(env.runtime, 'GET', `/v1/followups/${taskId}`, { token });
    expect(stored.body.notes).toEqual([]);

    // Act: mended, the field's words go
    await note.fill('Called.\nCall back tomorrow');
    expect(await card.locator('.field-refused').count()).toBe(0);
    expect(await note.getAttribute('aria-invalid')).toBeNull();

    // Act: a reason the console has no words for (a newer API's)
    const unknown = { error: 'invalid request', details: [{ path: 'text', reason: 'must not name a colleague' }] };
    await page.route('**/v1/followups/*/notes', (route) => route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify(unknown) }), { times: 1 });
    await card.getByRole('button', { name: 'Add note' }).click();

    // Assess: shown as the API gave it, by the field's label
    await page.locator('#live', { hasText: 'Not done: Note: must not name a colleague' }).waitFor();
    expect(await card.locator('.field-refused').innerText()).toBe('Note: must not name a colleague');

    // Act: the resolve form's action taken with a control character (a bell)
    await card.getByLabel('Root cause').selectOption({ index: 1 });
    await card.getByLabel('Action taken').fill('Refund\u0007 sent');
    await card.getByRole('button', { name: 'Resolve' }).click();

    // Assess
    await page.locator('#live', { hasText: 'Not done: Action taken: This text holds' }).waitFor();
    expect(await card.locator(`#action-${taskId}-refused`).innerText()).toBe(
      'Action taken: This text holds an invisible formatting or control character (such as a text-direction override) right after “Refund”; remove it and try again.',
    );
    expect((await request(env.runtime, 'GET', `/v1/followups/${taskId}`, { token })).body.status).toBe('claimed');
    expect(await axeViolations(page)).toEqual([]);
    await card.screenshot({ path: join(OUTPUT_DIR, 'console-action-refused.png') });
  });

  it('shows scores by question label, a comment-only response with an em dash in its Scores cell that reads "No scores", and on a phone no sideways scrolling', async () => {
    // Act
    await signIn('#/responses?survey=demo');
    await page.locator('#responses-status', { hasText: '2 responses shown' }).waitFor();
    await page.locator('table.responses').screenshot({ path: join(OUTPUT_DIR, 'console-responses-no-scores.png') });

    // Assess: the dash other empty cells show, named for a screen reader; the scored response keeps its scores
    const row = page.locator('table.responses tbody tr', { hasText: COMMENT_ONLY });
    const scores = row.getByRole('cell').nth(1);
    expect(await scores.evaluate((td) => [...td.children].map((part) => [part.getAttribute('aria-hidden'), part.textContent]))).toEqual([
      ['true', '—'],
      [null, 'No scores'],
    ]);
    expect(await row.getByRole('cell', { name: 'No scores', exact: true }).count()).toBe(1);
    // scores and the question picker by the questions' labels, as the queue shows them; the picker still asks by id
    expect(await page.locator('table.responses tbody tr', { hasText: 'How likely are you to recommend us to a friend? 3' }).count()).toBe(1);
    await page.locator('#f-question option[value=nps]').waitFor({ state: 'attached' });
    expect(await page.locator('#f-question option').evaluateAll((options) => options.map((o) => [(o as HTMLOptionElement).value, o.textContent]).slice(0, 3))).toEqual([
      ['', '(any)'],
      ['nps', 'How likely are you to recommend us to a friend?'],
      ['csat', 'How satisfied are you with your purchase?'],
    ]);
    expect(await axeViolations(page)).toEqual([]);
    // the empty cells' words for a screen reader stay inside the table's own scroll box (WCAG 1.4.10, reflow)
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });

  it('says on the Overview and in Responses how soon a new answer shows there, in English and in Chinese', async () => {
    const line = 'New answers appear in Responses within seconds, and in the metrics within a minute or two (they are counted every minute).';

    // Act
    await signIn('#/overview?survey=demo');
    await page.locator('[data-metric=nps] [data-value]').waitFor();

    // Assess: under the range the figures are for
    expect(await page.locator('section[data-from] > .freshness').innerText()).toBe(line);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(OUTPUT_DIR, 'console-overview-freshness.png') });

    // Act
    await page.getByRole('link', { name: 'Responses' }).click();
    await page.locator('#responses-status', { hasText: '2 responses shown' }).waitFor();

    // Assess: beside the count of responses shown
    expect(await page.locator('#responses-status + .freshness').innerText()).toBe(line);
    expect(await axeViolations(page)).toEqual([]);

    // Act: in Chinese
    await rendersAgain(page, () => page.getByLabel('Language').selectOption('zh-CN'));
    await page.locator('#responses-status', { hasText: '已显示 2 条回复' }).waitFor();

    // Assess
    expect(await page.locator('#responses-status + .freshness').innerText()).toBe('新回答会在几秒内出现在“回复”中，并在一两分钟内计入指标（指标每分钟统计一次）。');
    await page.screenshot({ path: join(OUTPUT_DIR, 'console-responses-freshness-zh.png') });
    expect(await axeViolations(page)).toEqual([]);
  });
});
