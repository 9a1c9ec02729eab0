// browser: the CX console's languages, in real Chromium against the local runtime, signed in as a CX lead: a browser
// whose language is a tag Intl refuses (a Linux set-up's "en-US@posix") still gets the Overview, its figures and its
// chart, and the page's navigator says the tag cleaned ("en-US"); and the Chinese console says a refused note in
// Chinese, not in the API's English; and each session fetches only its own language's words (an English one none of
// the Chinese, a Chinese one none of the English), the Chinese when it starts in Chinese or when the lead picks it. Each state passes axe-core's WCAG 2.1 AA rules; screenshots go to test-output/.
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestRuntime } from '../support/local-runtime.js';
import { answeredAndRouted, runtimeWithLead, axeViolations, newContext, OUTPUT_DIR, pagePerTest, rendersAgain } from './harness.js';

/** what some Linux set-ups give as the browser's language: POSIX modifiers and charsets, which no Intl constructor takes */
const POSIX_LANGUAGES = ['en-US@posix', 'en_GB.UTF-8'];

let env: Awaited<ReturnType<typeof startTestRuntime>>;
let browser: Browser;
let page: Page;
let token: string;
let taskId: string;

beforeAll(async () => {
  ({ env, browser, token } = await runtimeWithLead());
  const { runtime } = env;
  const answers = [
    { idempotencyKey: 'language-promoter', channel: 'web', answers: { nps: 10 } },
    { idempotencyKey: 'language-detractor', channel: 'web', answers: { nps: 3 }, customerRef: 'crm-88' },
  ];
  [taskId] = (await answeredAndRouted(runtime, token, answers)) as [string];
});
afterAll(async () => {
  await browser?.close();
  await env?.close();
});
pagePerTest(() => browser, (fresh) => (page = fresh));

/** a sentence of each language's words, found only in the script that holds that language's table */
const WORDS_OF = { en: 'Paste your CX lead token', 'zh-CN': '粘贴您的客户体验负责人令牌' } as const;

/** which languages' words the scripts `on` has fetched so far hold (each script's body read as it arrives) */
function wordsFetched(on: Page): () => Promise<string[]> {
  const bodies: Promise<string>[] = [];
  on.on('response', (response) => {
    if (response.url().endsWith('.js')) bodies.push(response.text().catch(() => ''));
  });
  return async () => {
    const texts = await Promise.all(bodies);
    return Object.entries(WORDS_OF)
      .filter(([, words]) => texts.some((text) => text.includes(words)))
      .map(([language]) => language);
  };
}

async function signIn(on: Page, hash: string) {
  await on.goto(`${env.runtime.url}/console/${hash}`);
  await on.getByLabel('Access token').fill(token);
  await on.keyboard.press('Enter');
}

describe("the CX console in the browser's language", () => {
  let posix: BrowserContext | undefined;
  afterEach(async () => {
    await posix?.close();
    posix = undefined;
  });

  it('renders the Overview with its figures and chart for a browser whose language is "en-US@posix"', async () => {
    // Prepare: Playwright's `locale` takes only tags Chromium knows, so the page's navigator says what such a browser says
    posix = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    const says = JSON.stringify(POSIX_LANGUAGES);
    await posix.addInitScript({
      content: `Object.defineProperty(Navigator.prototype, 'language', { get: () => ${says}[0], configurable: true });
        Object.defineProperty(Navigator.prototype, 'languages', { get: () => Object.freeze(${says}), configurable: true });`,
    });
    const posixPage = await posix.newPage();
    const errors: string[] = [];
    posixPage.on('pageerror', (error) => errors.push(error.message));

    // Act
    await signIn(posixPage, '#/overview?survey=demo');
    // the figures, or what the page says instead
    await posixPage.locator('[data-metric=nps] [data-value], main .error').first().waitFor();

    // Assess: once the console has started, the page's navigator says the tags cleaned, which Intl formats numbers and
    // dates with (as the chart's uPlot does with navigator.language); the English console shows its figures
    // formatted, draws the chart, throws nothing
    const day = Date.UTC(2026, 10, 23);
    expect(
      await posixPage.evaluate((at) => {
        const [first, second] = navigator.languages;
        return [navigator.language, [...navigator.languages], new Intl.NumberFormat(first).format(1234.5), new Intl.DateTimeFormat(second, { timeZone: 'UTC' }).format(at)];
      }, day),
    ).toEqual(['en-US', ['en-US', 'en-GB'], '1,234.5', '23/11/2026']);
    expect(await posixPage.locator('main .error').allInnerTexts()).toEqual([]);
    await posixPage.locator('.chart-canvas canvas').first().waitFor();
    await posixPage.screenshot({ path: join(OUTPUT_DIR, 'console-overview-posix-locale.png'), fullPage: true });
    expect(await posixPage.locator('html').getAttribute('lang')).toBe('en');
    expect(await posixPage.locator('[data-metric=nps] .kpi-value').innerText()).toMatch(/^0 ± \d+\.\d$/);
    expect(await posixPage.locator('[data-metric=nps] .kpi-sub').innerText()).toBe('2 answers');
    expect(errors).toEqual([]);
    expect(await axeViolations(posixPage)).toEqual([]);
  });

  it("fetches only the English words for an English session, and the Chinese ones once the lead picks Chinese", async () => {
    // Prepare: an en-GB browser
    const fetched = wordsFetched(page);

    // Act: the Overview, signed in
    await signIn(page, '#/overview?survey=demo');
    await page.locator('[data-metric=nps] [data-value], main .error').first().waitFor();

    // Assess: no script holding the Chinese words was fetched
    expect(await fetched()).toEqual(['en']);

    // Act: the lead picks Chinese in the header
    await rendersAgain(page, () => page.getByLabel('Language').selectOption('zh-CN'));

    // Assess: the Chinese words arrive, and the console says them
    await page.getByRole('heading', { name: '客户体验控制台' }).waitFor();
    expect(await fetched()).toEqual(['en', 'zh-CN']);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  });

  it('fetches only the Chinese words for a session that starts in Chinese, before it first renders', async () => {
    // Prepare: a browser whose language is Chinese
    const zh = await newContext(browser, { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    try {
      const zhPage = await zh.newPage();
      const fetched = wordsFetched(zhPage);

      // Act
      await zhPage.goto(`${env.runtime.url}/console/#/overview?survey=demo`);
      await zhPage.getByLabel('访问令牌').fill(token);
      await zhPage.keyboard.press('Enter');
      await zhPage.locator('[data-metric=nps] [data-value], main .error').first().waitFor();

      // Assess: the first page it showed was in Chinese, and no script holding the English words was fetched
      expect(await zhPage.locator('h1').innerText()).toBe('客户体验控制台');
      expect(await fetched()).toEqual(['zh-CN']);
    } finally {
      await zh.close();
    }
  });

  it('says a refused blank note in Chinese in the Chinese console, and stores nothing', async () => {
    // Prepare: the language picked on the sign-in page
    await page.goto(`${env.runtime.url}/console/#/followups?survey=demo&assignee=all`);
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByLabel('访问令牌').fill(token);
    await page.keyboard.press('Enter');
    const card = page.locator(`article[data-task="${taskId}"]`);
    const note = card.getByLabel('备注');
    await note.waitFor();

    // Act: spaces only (the field is filled, so the browser lets it go; the API trims it to nothing)
    await note.fill('   ');
    await card.getByRole('button', { name: '添加备注' }).click();
    await page.locator('#toast.error').waitFor();
    await card.screenshot({ path: join(OUTPUT_DIR, 'console-note-blank-zh.png') });

    // Assess: in Chinese, by the field's label, under the field
    expect(await page.locator('#live').innerText()).toBe('未完成：备注：此项为空（仅有空格不算）；请填写后重试。');
    expect(await card.locator('.field-refused').innerText()).toBe('备注：此项为空（仅有空格不算）；请填写后重试。');
    expect(await note.getAttribute('aria-invalid')).toBe('true');
    expect((await request(env.runtime, 'GET', `/v1/followups/${taskId}`, { token })).body.notes).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });
});
