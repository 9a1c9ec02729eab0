// test support for browser tests: a Chromium driven by playwright-core (Debian's when installed, else the one the
// @sparticuz/chromium devDependency ships inside its npm package, so `npm ci` is all a machine needs and no browser is
// ever downloaded), and a "customer's site" on its own 127.0.0.1 port, so the widget runs cross-origin as it does on a
// real site.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterEach, beforeEach, expect } from 'vitest';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import type { SurveyInput } from '../../shared/survey/schema.js';
import type { LocalRuntime } from '../../infra/local/runtime.js';
import { eventually, listAll, request, startTestRuntime } from '../support/local-runtime.js';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';
export const OUTPUT_DIR = new URL('../../test-output/', import.meta.url).pathname;

// no background traffic: this machine talks to 127.0.0.1 only
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/**
 * The Chromium inside @sparticuz/chromium, decompressed once per package version into
 * `<tmp>/feedback-tests-chromium-<version>/` and reused after that.
 */
export async function packagedChromium(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
  const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', '..', 'package.json'), 'utf8')) as { version: string };
  const dir = join(tmpdir(), `feedback-tests-chromium-${version}`);
  const binary = join(dir, 'chromium');
  if (existsSync(binary)) return binary;
  // the package decompresses into os.tmpdir() (binary, fonts, SwiftShader side by side); a child process with its own
  // TMPDIR fills a private folder without touching this process's environment, and the rename publishes it whole, so
  // test files launching at once never see half a binary (the loser of the race drops its copy)
  const staging = await mkdtemp(`${dir}-`);
  const script = `require(${JSON.stringify(entry)}).executablePath().then((path) => process.stdout.write(path))`;
  try {
    await promisify(execFile)(process.execPath, ['-e', script], { env: { ...process.env, TMPDIR: staging } });
    await rename(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(binary)) throw error;
  }
  return binary;
}

export interface ChromiumSource {
  name: string;
  /** the executable's path, or undefined when this source has none */
  find(): Promise<string | undefined>;
}

/** where browser tests look for a Chromium, in order: the system's first (a Debian machine's own), then the package's */
export const chromiumSources = (systemChromium = SYSTEM_CHROMIUM): ChromiumSource[] => [
  { name: `Debian's chromium at ${systemChromium}`, find: async () => (existsSync(systemChromium) ? systemChromium : undefined) },
  { name: 'the Chromium in the @sparticuz/chromium devDependency', find: packagedChromium },
];

/** an error's first line and what the browser wrote to stderr (a missing shared library shows there), in one line */
const briefly = (error: unknown) => {
  const [first, ...rest] = (error instanceof Error ? error.message : String(error)).split('\n');
  // playwright repeats the browser's log in its call log, with colour codes
  const stderr = new Set(rest.filter((line) => line.includes('[err]')).map((line) => line.replace(/\x1b\[[0-9;]*m/g, '').replace(/^\s*-?\s*/, '')));
  return [first, ...[...stderr].slice(0, 3)].join(' | ');
};

/** launches the first Chromium of `sources` that starts; when none does, one error names each and why */
export async function launchChromium(sources: ChromiumSource[] = chromiumSources()): Promise<Browser> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const failures: string[] = [];
  for (const source of sources) {
    try {
      const executablePath = await source.find();
      if (executablePath === undefined) {
        failures.push(`${source.name}: not installed`);
        continue;
      }
      return await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    } catch (error) {
      failures.push(`${source.name}: ${briefly(error)}`);
    }
  }
  throw new Error(
    `browser tests found no Chromium that starts:\n${failures.map((failure) => `  - ${failure}`).join('\n')}\n` +
      'Run `npm ci` (it installs @sparticuz/chromium; its Chromium needs the libnss3 shared library: `apt-get install libnss3`), ' +
      'or install Debian\'s chromium (`apt-get install chromium`).',
  );
}

/** a hang guard for every wait and action in a browser test (Playwright's own 30 s is exceeded on a loaded machine) */
export const BROWSER_WAIT_MS = 120_000;

/**
 * The console's tests: a fresh context and page for each test (a laptop viewport, en-GB, as they assert), closed after
 * it; `use` gets each new page (to keep it, and to listen on it).
 */
export function pagePerTest(browser: () => Browser, use: (page: Page) => void): void {
  let context: BrowserContext | undefined;
  beforeEach(async () => {
    context = await newContext(browser(), { viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    use(await context.newPage());
  });
  afterEach(async () => {
    await context?.close();
  });
}

/**
 * Does `action` (a filter, a link, a hash: anything the console answers by rendering its view again, which it does a
 * few tasks later) and waits until the view shown before it has left the page. What follows then finds only the new
 * view's elements: an old card cannot satisfy a wait meant for the new one, nor an old picker take the next choice
 * (and send the old view's filters with it).
 */
export async function rendersAgain(page: Page, action: () => Promise<unknown>): Promise<void> {
  const shown = (await page.locator('main#main').elementHandle())!;
  await action();
  await page.waitForFunction((main) => !main.isConnected, shown);
  await shown.dispose();
}

/** a new context in `browser` whose waits and actions time out only after BROWSER_WAIT_MS */
export async function newContext(browser: Browser, options?: BrowserContextOptions): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(BROWSER_WAIT_MS);
  return context;
}

export interface Site {
  origin: string;
  close(): Promise<void>;
}

/** serves `pages` (path → HTML) and, under /pkg/, the files of `packageDir` */
export async function startSite(pages: Record<string, string>, packageDir?: string): Promise<Site> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    const page = pages[path];
    if (page !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(page);
      return;
    }
    const file = packageDir && path.startsWith('/pkg/') ? normalize(join(packageDir, path.slice(5))) : undefined;
    if (file && packageDir && file.startsWith(packageDir) && existsSync(file)) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(readFileSync(file));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** axe-core's tags for WCAG 2.1 A and AA, which the console's and the widget's pages are audited against */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** axe's best-practice landmark rules, outside those tags: no two landmarks of a role share a name, all content in one */
export const LANDMARK_RULES = ['landmark-unique', 'region'];

/** what axe-core finds on `page` against WCAG 2.1 A and AA, and against `rules` besides: a line each, the rule and where */
export async function axeViolations(page: Page, rules: readonly string[] = []): Promise<string[]> {
  const found = (await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze()).violations;
  if (rules.length) found.push(...(await new AxeBuilder({ page }).withRules([...rules]).analyze()).violations);
  return found.map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** the local runtime and Chromium, started side by side, and a CX lead for the demo survey (Ana Lee), by her token */
export async function runtimeWithLead(): Promise<{ env: Awaited<ReturnType<typeof startTestRuntime>>; browser: Browser; token: string }> {
  const [env, browser] = await Promise.all([startTestRuntime(), launchChromium()]);
  const token = (await request(env.runtime, 'POST', '/v1/cx-leads', { admin: true, body: { name: 'Ana Lee', surveys: ['demo'] } })).body.token as string;
  return { env, browser, token };
}

/**
 * the browser tests' common start: `answers` sent to the demo survey (each acknowledged), stored, counted by a rollup
 * and routed, until the lead of `token` sees `tasks` follow-up tasks; answers those tasks' ids, newest first
 */
export async function answeredAndRouted(runtime: LocalRuntime, token: string, answers: Record<string, unknown>[], tasks = 1): Promise<string[]> {
  for (const body of answers) expect((await request(runtime, 'POST', '/v1/responses', { body: { surveyId: 'demo', ...body } })).status).toBe(202);
  await eventually(async () => ((await listAll(runtime, 'demo')).length === answers.length ? true : undefined), 60_000, 'stored responses');
  await runtime.triggerSchedule('roll-up-metrics');
  return eventually(
    async () => {
      await runtime.triggerSchedule('route-detractors');
      const items = ((await request(runtime, 'GET', '/v1/followups?surveyId=demo', { token })).body.items ?? []) as { id: string }[];
      return items.length === tasks ? items.map((task) => task.id) : undefined;
    },
    60_000,
    tasks === 1 ? 'the follow-up task' : `${tasks} follow-up tasks`,
  );
}

/** creates (or replaces) a survey that only `origin` may submit to */
export async function putSurvey(runtime: Pick<LocalRuntime, 'url'>, id: string, origin: string, questionIds?: string[]): Promise<void> {
  const demo = demoSurvey([origin]);
  // the demo survey's questions and texts, or only some of them
  const keep = <T>(entries: Record<string, T>) => Object.fromEntries(Object.entries(entries).filter(([qid]) => !questionIds || questionIds.includes(qid)));
  const survey: SurveyInput = {
    ...demo,
    id,
    questions: demo.questions.filter((q) => !questionIds || questionIds.includes(q.id)),
    texts: Object.fromEntries(Object.entries(demo.texts).map(([locale, texts]) => [locale, { ...texts, questions: keep(texts.questions) }])),
  };
  const reply = await request(runtime, 'PUT', `/v1/surveys/${id}`, { admin: true, body: survey });
  if (reply.status !== 200) throw new Error(`PUT survey ${id}: ${reply.status} ${JSON.stringify(reply.body)}`);
}

/** the focused element, looking through the widget's shadow root */
export const focused = (page: Page) =>
  page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    const input = el as HTMLInputElement | null;
    return { tag: el?.tagName.toLowerCase(), id: el?.id, name: input?.name, value: input?.value, checked: input?.checked, text: el?.textContent?.trim() };
  });

export const widgetIsOpen = (page: Page) => page.evaluate(() => !!document.querySelector('feedback-widget')?.shadowRoot?.querySelector('[role=dialog]'));
