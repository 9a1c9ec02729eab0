// browser test support: which Chromium the browser tests start. Debian's chromium when the machine has one, else the
// one inside the @sparticuz/chromium devDependency (so `npm ci` is enough), and one message naming each when none starts.
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSources, launchChromium, packagedChromium } from './harness.js';

let dir: string;
let packaged: string;
/** a stand-in for /usr/bin/chromium: notes that it was started, then runs the packaged Chromium with the same arguments */
let systemChromium: string;
let startedMark: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chromium-sources-'));
  packaged = await packagedChromium();
  systemChromium = join(dir, 'chromium');
  startedMark = join(dir, 'started');
  writeFileSync(systemChromium, `#!/bin/sh\ntouch '${startedMark}'\nexec '${packaged}' "$@"\n`);
  chmodSync(systemChromium, 0o755);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rendersAPage = async (browser: Awaited<ReturnType<typeof launchChromium>>) => {
  const page = await browser.newPage();
  await page.setContent('<p id="sum"></p><script>document.getElementById("sum").textContent = String(6 * 7)</script>');
  return page.textContent('#sum');
};

describe('Chromium for browser tests', () => {
  it('decompresses the packaged Chromium once and hands back the same executable after that', async () => {
    expect(existsSync(packaged)).toBe(true);
    expect(await packagedChromium()).toBe(packaged);
  });

  it("prefers the system's Chromium when the machine has one", async () => {
    rmSync(startedMark, { force: true });
    const browser = await launchChromium(chromiumSources(systemChromium));
    try {
      expect(await rendersAPage(browser)).toBe('42');
      expect(existsSync(startedMark)).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it('starts the packaged Chromium on a machine without a system one', async () => {
    rmSync(startedMark, { force: true });
    const browser = await launchChromium(chromiumSources(join(dir, 'no-such-chromium')));
    try {
      expect(await rendersAPage(browser)).toBe('42');
      expect(existsSync(startedMark)).toBe(false);
    } finally {
      await browser.close();
    }
  });

  it('names every Chromium it tried, and why each failed, when none starts', async () => {
    const broken = join(dir, 'broken-chromium');
    writeFileSync(broken, '#!/bin/sh\nexit 1\n');
    chmodSync(broken, 0o755);
    const attempt = launchChromium([
      { name: 'a missing Chromium', find: async () => undefined },
      { name: 'a Chromium that exits at once', find: async () => broken },
    ]);
    await expect(attempt).rejects.toThrow(/a missing Chromium: not installed\n {2}- a Chromium that exits at once: .+\nRun `npm ci`/);
  });
});
