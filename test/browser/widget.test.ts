// browser: the widget in real Chromium (playwright-core; harness.ts picks which) on a customer's site served from its
// own 127.0.0.1 port, against the local runtime: keyboard-only answering, a hostile host stylesheet, an offline
// submit, the honeypot, the comment box on touch screens, the recontact rules across reloads (through the npm package's
// ES modules); and the demo page `npm start` serves, under axe-core on a laptop and a phone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildWidgetPackage } from '../../web-widget/build.js';
import { eventually, listAll, startTestRuntime } from '../support/local-runtime.js';
import { focused, launchChromium, newContext, OUTPUT_DIR, putSurvey, type Site, startSite, WCAG_21_AA, widgetIsOpen } from './harness.js';

const DAY_MS = 86_400_000;
/** surveys of two questions: NPS (required) and the comment */
const SHORT = ['nps', 'comment'];

let env: Awaited<ReturnType<typeof startTestRuntime>>;
let browser: Browser;
let site: Site;
let packageDir: string;
let context: BrowserContext;
let page: Page;

function pages(api: string): Record<string, string> {
  const tag = (survey: string, data: string) => `<script src="${api}/widget.js" data-survey="${survey}" data-endpoint="${api}" ${data} async></script>`;
  return {
    '/keyboard': `<!doctype html><html lang="en"><head><title>Shop</title><style>body{font:16px Georgia,serif;color:#222}h1{font-size:28px}</style></head>
<body><h1>Order confirmed</h1><p>Thank you for shopping with us.</p><button id="feedback" type="button">Give feedback</button>
${tag('e2e-keys', 'data-trigger="manual" data-customer-ref="cust-kbd" data-touchpoint="order-page"')}
<script>document.getElementById('feedback').addEventListener('click', () => window.FeedbackWidget.show());</script></body></html>`,
    '/hostile': `<!doctype html><html lang="en"><head><title>Hostile</title>
<style>* { all: unset !important; } button { display: none !important; } feedback-widget { display: none !important; } html { font-size: 4px; }</style></head>
<body><p id="probe">A page whose stylesheet resets everything.</p>${tag('e2e-css', 'data-delay="0"')}</body></html>`,
    '/offline': `<!doctype html><html lang="en"><head><title>Offline</title></head><body><p>Shop</p>${tag('e2e-offline', 'data-trigger="manual"')}</body></html>`,
    '/comment': `<!doctype html><html lang="en"><head><title>Comment</title></head><body><p>Shop</p>${tag('e2e-comment', 'data-trigger="manual"')}</body></html>`,
    '/honeypot': `<!doctype html><html lang="en"><head><title>Honeypot</title></head><body><p>Shop</p>${tag('e2e-honeypot', 'data-trigger="manual"')}</body></html>`,
    '/npm': `<!doctype html><html lang="en"><head><title>npm</title></head><body><p>A site that bundles the npm package.</p>
<script type="module">
import { FeedbackWidget } from '/pkg/esm/index.js';
FeedbackWidget.mount({ surveyId: 'e2e-recontact', endpoint: '${api}', delay: 0, recontactDays: 30, dismissDays: 7, cooldownDays: 0 });
</script></body></html>`,
  };
}

beforeAll(async () => {
  packageDir = mkdtempSync(join(tmpdir(), 'widget-package-'));
  const [started, launched] = await Promise.all([startTestRuntime(), launchChromium(), buildWidgetPackage(packageDir)]);
  env = started;
  browser = launched;
  site = await startSite(pages(env.runtime.url), packageDir);
  for (const id of ['e2e-keys', 'e2e-css']) await putSurvey(env.runtime, id, site.origin);
  for (const id of ['e2e-offline', 'e2e-recontact', 'e2e-honeypot', 'e2e-comment']) await putSurvey(env.runtime, id, site.origin, SHORT);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await env?.close();
  if (packageDir) rmSync(packageDir, { recursive: true, force: true });
});
beforeEach(async () => {
  context = await newContext(browser, { viewport: { width: 1024, height: 720 }, locale: 'en-GB' });
  page = await context.newPage();
});
afterEach(async () => {
  await context?.close();
});

const dialog = () => page.locator('feedback-widget [role=dialog]');
const press = async (key: string, times = 1) => {
  for (let i = 0; i < times; i += 1) await page.keyboard.press(key);
};
/** reloads, then gives the widget the time it would need to open (it opens ~100 ms after load when allowed) */
const reloadAndSettle = async () => {
  await page.reload({ waitUntil: 'load' });
  await page.waitForTimeout(800);
};

describe('a visitor using only the keyboard', () => {
  it('answers every question type, and the response is stored; focus returns to the page on Esc', async () => {
    // Prepare
    await page.goto(`${site.origin}/keyboard`);
    await page.waitForFunction(() => !!window.FeedbackWidget);
    await page.evaluate(() => {
      (window as unknown as { shifts: number }).shifts = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) (window as unknown as { shifts: number }).shifts += (entry as unknown as { value: number }).value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    const pageStyle = () =>
      page.evaluate(() => ['h1', 'button', 'p'].map((selector) => {
        const style = getComputedStyle(document.querySelector(selector)!);
        return [style.fontFamily, style.fontSize, style.color, style.boxSizing, style.outlineStyle, document.querySelector(selector)!.getBoundingClientRect().toJSON()];
      }));
    const before = await pageStyle();

    // Act 1: Tab to the site's button, Enter opens the widget with focus on the first scale
    await press('Tab');
    expect(await focused(page)).toMatchObject({ id: 'feedback' });
    await press('Enter');
    await dialog().waitFor();
    await page.waitForFunction(() => document.activeElement?.tagName === 'FEEDBACK-WIDGET');

    // Assess: semantics, focus, no layout shift, no style leaking out
    expect(await focused(page)).toMatchObject({ tag: 'input', name: 'nps', value: '0' });
    const nps = page.getByRole('radiogroup', { name: 'How likely are you to recommend us to a friend?' });
    expect(await nps.getByRole('radio').count()).toBe(11);
    expect(await nps.getByRole('radio', { name: '0, Not likely', exact: true }).count()).toBe(1);
    expect(await nps.getByRole('radio', { name: '5', exact: true }).count()).toBe(1);
    expect(await nps.getByRole('radio', { name: '10, Very likely', exact: true }).count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { shifts: number }).shifts)).toBe(0);
    expect(await pageStyle()).toEqual(before);

    // Act 2: NPS 9 with the arrow keys, shown with a visible focus ring
    await press('ArrowRight', 9);
    expect(await focused(page)).toMatchObject({ name: 'nps', value: '9', checked: true });
    const ring = await page.evaluate(() => {
      const input = document.querySelector('feedback-widget')!.shadowRoot!.activeElement!;
      return getComputedStyle(input.nextElementSibling!).outlineStyle;
    });
    expect(ring).toBe('solid');
    await page.screenshot({ path: join(OUTPUT_DIR, 'widget-open.png') });
    await press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Next' });
    await press('Enter');

    // CSAT 4; CES skipped; ratings 5 → back to 4, 3, and 1 with Space; a comment
    expect(await focused(page)).toMatchObject({ name: 'csat', value: '1', checked: false });
    await press('ArrowRight', 3);
    await press('Tab', 2);
    await press('Enter');
    expect(await focused(page)).toMatchObject({ name: 'ces' });
    await press('Tab', 2);
    expect(await focused(page)).toMatchObject({ text: 'Next' });
    await press('Enter');
    await press('ArrowRight', 4);
    await press('ArrowLeft');
    await press('Tab');
    expect(await focused(page)).toMatchObject({ name: 'service' });
    await press('ArrowRight', 2);
    await press('Tab');
    await press('Space');
    expect(await focused(page)).toMatchObject({ name: 'price', value: '1', checked: true });
    await press('Tab', 2);
    await press('Enter');
    expect(await focused(page)).toMatchObject({ tag: 'textarea' });
    await page.keyboard.type('Fast delivery, friendly staff.');
    await press('Tab', 2);
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Send' });
    await press('Enter');

    // the thank-you state holds focus; Esc closes and focus is back on the site's button
    expect(await focused(page)).toMatchObject({ tag: 'p', text: 'Thank you, your feedback helps us improve.' });
    await press('Escape');
    expect(await widgetIsOpen(page)).toBe(false);
    expect(await focused(page)).toMatchObject({ id: 'feedback' });

    // Assess: stored as answered
    const [item] = await eventually(async () => {
      const items = await listAll(env.runtime, 'e2e-keys');
      return items.length ? items : undefined;
    }, 60_000, 'the stored response');
    expect(item).toMatchObject({
      answers: { nps: 9, csat: 4, product: 4, service: 3, price: 1 },
      comment: 'Fast delivery, friendly staff.',
      channel: 'web',
      touchpoint: 'order-page',
      customerRef: 'cust-kbd',
      locale: 'en-GB',
    });
    expect(item.answers.ces).toBeUndefined();
  });
});

describe('a host page with aggressive global CSS', () => {
  it('cannot change the widget: it renders, sized, placed and styled as designed', async () => {
    // Prepare
    await page.emulateMedia({ reducedMotion: 'reduce' });

    // Act
    await page.goto(`${site.origin}/hostile`);
    await dialog().waitFor();
    await page.locator('feedback-widget .s label', { hasText: /^8$/ }).click();

    // Assess
    const box = await dialog().boundingBox();
    expect(box).not.toBeNull();
    expect(box!.width).toBeGreaterThanOrEqual(340);
    expect(box!.width).toBeLessThanOrEqual(362);
    expect(box!.height).toBeGreaterThan(150);
    expect(1024 - (box!.x + box!.width)).toBeCloseTo(16, 0);
    expect(720 - (box!.y + box!.height)).toBeCloseTo(16, 0);
    const styles = await page.evaluate(() => {
      const root = document.querySelector('feedback-widget')!.shadowRoot!;
      const style = (selector: string) => getComputedStyle(root.querySelector(selector)!);
      const checked = root.querySelector('input:checked')!.nextElementSibling!;
      return {
        next: [style('button[type=submit]').display, style('button[type=submit]').backgroundColor],
        panel: [style('.p').backgroundColor, style('.p').fontSize, style('.p').position, style('.p').animationName],
        question: style('.q').fontWeight,
        checked: getComputedStyle(checked).backgroundColor,
        options: root.querySelectorAll('.s label').length,
      };
    });
    expect(styles).toEqual({
      next: ['block', 'rgb(11, 87, 208)'],
      // no entrance animation for a visitor who asked for reduced motion
      panel: ['rgb(255, 255, 255)', '14px', 'fixed', 'none'],
      question: '600',
      checked: 'rgb(11, 87, 208)',
      options: 11,
    });
    expect(await page.getByRole('button', { name: 'Next' }).isVisible()).toBe(true);
    await page.screenshot({ path: join(OUTPUT_DIR, 'widget-hostile-css.png') });
  });
});

describe('a visitor who goes offline before sending', () => {
  it('has the response queued, then stored exactly once when the connection is back', async () => {
    // Prepare
    await page.goto(`${site.origin}/offline`);
    await page.waitForFunction(() => !!window.FeedbackWidget);
    await page.evaluate(() => addEventListener('online', () => ((window as unknown as { backOnline: number }).backOnline = Date.now())));
    await page.evaluate(() => window.FeedbackWidget!.show());
    await dialog().waitFor();
    await page.locator('feedback-widget .s label', { hasText: /^7$/ }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('textbox').fill('Sent from a train.');

    // Act 1: send while offline
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForFunction(() => JSON.parse(localStorage.getItem('fbw:q') ?? '[]')[0]?.n >= 1);
    const queued = await page.evaluate(() => JSON.parse(localStorage.getItem('fbw:q')!));
    // anything the API had accepted would be in the store once its queue is empty
    await eventually(async () => ((await env.runtime.backlog()) === 0 ? true : undefined), 60_000, 'an empty queue');
    const storedWhileOffline = (await listAll(env.runtime, 'e2e-offline')).length;

    // Act 2: back online
    await context.setOffline(false);
    const stored = await eventually(async () => {
      const items = await listAll(env.runtime, 'e2e-offline');
      return items.length ? items : undefined;
    }, 60_000, 'the stored response');
    await page.waitForFunction(() => localStorage.getItem('fbw:q') === null);
    const onlineEventSeen = await page.evaluate(() => (window as unknown as { backOnline?: number }).backOnline !== undefined);
    await reloadAndSettle();
    await eventually(async () => ((await env.runtime.backlog()) === 0 ? true : undefined), 60_000, 'an empty queue');

    // Assess
    expect(queued).toHaveLength(1);
    expect(JSON.parse(queued[0].b)).toMatchObject({ surveyId: 'e2e-offline', idempotencyKey: queued[0].k, answers: { nps: 7 }, comment: 'Sent from a train.' });
    expect(storedWhileOffline).toBe(0);
    expect(onlineEventSeen).toBe(true);
    expect(stored).toHaveLength(1);
    expect(await listAll(env.runtime, 'e2e-offline')).toHaveLength(1);
    expect(await page.getByText('Thank you, your feedback helps us improve.').count()).toBe(0);
  });
});

describe('the honeypot field', () => {
  it('is invisible and out of reach for a person; a bot that fills it is thanked, and nothing is stored', async () => {
    // Prepare
    await page.goto(`${site.origin}/honeypot`);
    await page.waitForFunction(() => !!window.FeedbackWidget);
    await page.evaluate(() => window.FeedbackWidget!.show());
    await dialog().waitFor();
    const field = page.locator('feedback-widget input[name=hp]');
    const shape = await field.evaluate((input) => ({
      tabIndex: (input as HTMLInputElement).tabIndex,
      autocomplete: input.getAttribute('autocomplete'),
      hidden: input.parentElement!.getAttribute('aria-hidden'),
      box: input.getBoundingClientRect().toJSON() as DOMRect,
    }));

    // Act: a bot answers and fills every field it finds
    await page.locator('feedback-widget .s label', { hasText: /^3$/ }).click();
    await field.evaluate((input) => ((input as HTMLInputElement).value = 'http://spam.example'));
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('textbox').fill('Cheap pills here');
    // the API's answer to this send (the outbox is empty before it too)
    const answered = page.waitForResponse((response) => response.url().endsWith('/v1/responses') && response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Send' }).click();
    await answered;
    await page.waitForFunction(() => localStorage.getItem('fbw:q') === null);

    // Assess: the API answers only once a response is on its queue, and the queue is read before the store, so a
    // response let through would show in one or the other
    expect(shape).toMatchObject({ tabIndex: -1, autocomplete: 'off', hidden: 'true' });
    expect(shape.box.right).toBeLessThanOrEqual(0);
    expect(await page.getByRole('textbox').count()).toBe(0);
    expect(await env.runtime.backlog()).toBe(0);
    expect(await listAll(env.runtime, 'e2e-honeypot')).toEqual([]);
  });
});

describe('the comment box on a touch screen', () => {
  it('is 16 px on a phone and a tablet, so iOS Safari does not zoom the page on focus; 14 px like the rest on a laptop', async () => {
    // Prepare: the laptop context of beforeEach, a touch tablet, a phone
    const devices = {
      laptop: context,
      tablet: await newContext(browser, { viewport: { width: 1024, height: 768 }, hasTouch: true, locale: 'en-GB' }),
      phone: await newContext(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-GB' }),
    };
    const sizes: Record<string, { comment: string; panel: string }> = {};
    try {
      for (const [device, deviceContext] of Object.entries(devices)) {
        // Act: open, answer NPS, go on to the comment
        const onDevice = device === 'laptop' ? page : await deviceContext.newPage();
        await onDevice.goto(`${site.origin}/comment`);
        await onDevice.waitForFunction(() => !!window.FeedbackWidget);
        await onDevice.evaluate(() => window.FeedbackWidget!.show());
        await onDevice.locator('feedback-widget .s label', { hasText: /^6$/ }).click();
        await onDevice.getByRole('button', { name: 'Next' }).click();
        const comment = onDevice.getByRole('textbox');
        await comment.focus();
        sizes[device] = await comment.evaluate((box) => ({ comment: getComputedStyle(box).fontSize, panel: getComputedStyle(box.closest('.p')!).fontSize }));
      }
    } finally {
      await devices.tablet.close();
      await devices.phone.close();
    }

    // Assess
    expect(sizes).toEqual({
      laptop: { comment: '14px', panel: '14px' },
      tablet: { comment: '16px', panel: '14px' },
      phone: { comment: '16px', panel: '14px' },
    });
  });
});

describe('the demo page npm start serves', () => {
  const found = (result: Awaited<ReturnType<AxeBuilder['analyze']>>) =>
    result.violations.map((v) => `${v.id} at ${v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`).join(', ')}`);
  /** once the widget's opening fade has ended: mid-fade, its colours are not yet its own */
  const settled = () => page.waitForFunction(() => (document.querySelector('feedback-widget')?.shadowRoot?.getAnimations() ?? []).length === 0);

  it('has nothing axe-core finds against WCAG 2.1 AA, with the widget closed, open, and dark with its error shown (its wide commands reachable by keyboard)', async () => {
    // Act 1: closed, then open as the page's script tag opens it
    await page.goto(`${env.runtime.url}/`);
    const closed = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
    await eventually(async () => ((await widgetIsOpen(page)) ? true : undefined), 15_000, 'the demo page\'s widget open');
    await settled();
    const open = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();

    // Act 2: the page's dark theme, and Next without an answer
    await page.getByRole('button', { name: 'Dark theme on/off' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.locator('feedback-widget').getByText('Please choose an answer.').waitFor();
    const dark = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();

    // Assess
    expect(await page.evaluate(() => document.body.classList.contains('dark-widget'))).toBe(true);
    expect(found(closed)).toEqual([]);
    expect(found(open)).toEqual([]);
    expect(found(dark)).toEqual([]);
  });

  it('on a phone (390 × 844): no sideways scrolling after a response, and nothing axe-core finds against WCAG 2.2 AA (target size included)', async () => {
    // Prepare: a phone's context in place of the laptop one (afterEach closes it)
    await context.close();
    context = await newContext(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-GB' });
    page = await context.newPage();
    await page.goto(`${env.runtime.url}/`);
    const widget = page.locator('feedback-widget');

    // Act: answer NPS, skip the rest, send; the page then shows what this browser remembers (long, unbroken JSON)
    await widget.locator('.s label', { hasText: /^9$/ }).tap();
    while (await widget.getByRole('button', { name: 'Next' }).count()) await widget.getByRole('button', { name: 'Next' }).tap();
    await widget.getByRole('button', { name: 'Send' }).tap();
    await widget.getByText('Thank you, your feedback helps us improve.').waitFor();
    await page.waitForFunction(() => /"r":\d+/.test(document.getElementById('state')!.textContent!));
    await settled();
    const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    const axe = await new AxeBuilder({ page }).withTags([...WCAG_21_AA, 'wcag22aa']).analyze();
    await page.screenshot({ path: join(OUTPUT_DIR, 'demo-page-390.png'), fullPage: true });

    // Assess
    expect(width.client).toBe(390);
    expect(width.scroll).toBeLessThanOrEqual(width.client);
    expect(found(axe)).toEqual([]);
  });
});

describe('the recontact rules, with the widget from the npm package', () => {
  it('hold the widget back across reloads for 30 days after a response and 7 days after a dismissal', async () => {
    // Prepare
    const t0 = Date.parse('2026-11-02T09:00:00Z');
    await page.clock.setFixedTime(t0);

    // Act 1: it opens by itself; the visitor answers
    await page.goto(`${site.origin}/npm`);
    await dialog().waitFor();
    await page.locator('feedback-widget .s label', { hasText: /^10$/ }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Thank you, your feedback helps us improve.').waitFor();

    // Assess: held back after a reload, and 29 days later; back after 30
    await reloadAndSettle();
    expect(await widgetIsOpen(page)).toBe(false);
    await page.clock.setFixedTime(t0 + 29 * DAY_MS);
    await reloadAndSettle();
    expect(await widgetIsOpen(page)).toBe(false);
    await page.clock.setFixedTime(t0 + 30 * DAY_MS);
    await page.reload();
    await dialog().waitFor();

    // Act 2: the visitor dismisses it
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await widgetIsOpen(page)).toBe(false);

    // Assess: held back 6 days later, back after 7
    await page.clock.setFixedTime(t0 + 36 * DAY_MS);
    await reloadAndSettle();
    expect(await widgetIsOpen(page)).toBe(false);
    await page.clock.setFixedTime(t0 + 37 * DAY_MS);
    await page.reload();
    await dialog().waitFor();
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem('fbw')))!).v['e2e-recontact']).toEqual({ r: t0, d: t0 + 30 * DAY_MS });
    const stored = await eventually(async () => {
      const items = await listAll(env.runtime, 'e2e-recontact');
      return items.length ? items : undefined;
    }, 60_000, 'the stored response');
    expect(stored.map((item) => item.answers)).toEqual([{ nps: 10 }]);
  });
});
