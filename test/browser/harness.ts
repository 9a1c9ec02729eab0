// test support for browser tests: Debian's Chromium driven by playwright-core (never a downloaded browser), and a
// "customer's site" on its own 127.0.0.1 port, so the widget runs cross-origin as it does on a real site.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import type { SurveyInput } from '../../shared/survey/schema.js';
import type { LocalRuntime } from '../../infra/local/runtime.js';
import { request } from '../support/local-runtime.js';

export const CHROMIUM = '/usr/bin/chromium';
export const OUTPUT_DIR = new URL('../../test-output/', import.meta.url).pathname;

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`browser tests need Debian's Chromium at ${CHROMIUM}: run \`apt-get install -y chromium\` (.ci/run installs it when missing)`);
  }
  mkdirSync(OUTPUT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    // no background traffic: this machine talks to 127.0.0.1 only
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
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

/** creates (or replaces) a survey that only `origin` may submit to */
export async function putSurvey(runtime: LocalRuntime, id: string, origin: string, questionIds?: string[]): Promise<void> {
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
