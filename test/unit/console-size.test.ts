// unit: the CX console's size budget (gzip of what a first visit fetches, whichever view it opens and in either
// language: console.js, the view's chunks, the language's words and console.css, each gzipped as served, ≤ 45 KB), no server code in it, and no HTML parsing of data:
// no script assigns innerHTML / outerHTML nor calls insertAdjacentHTML or document.write. `npm run bench` prints the
// same figures.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildConsole, CONSOLE_BUDGET, CONSOLE_LANGUAGES, CONSOLE_VIEWS, consoleSizes } from '../../web-console/build.js';

describe('the console bundle', () => {
  it('stays within its gzip budget, and carries no server code', async () => {
    // Act
    const [files, sizes] = await Promise.all([buildConsole(), consoleSizes()]);

    // Assess
    const visits = sizes.filter((size) => size.name.startsWith('first visit:'));
    const languages = Object.keys(CONSOLE_LANGUAGES);
    expect(visits.map((v) => v.name.replace(/ \(.*/, ''))).toEqual(languages.flatMap((language) => CONSOLE_VIEWS.map((view) => `first visit: ${view}, ${language}`)));
    for (const visit of visits) expect(visit.gzip, visit.name).toBeLessThanOrEqual(CONSOLE_BUDGET);
    // the follow-up queue, which a notification's link opens, does not fetch the overview's chart library
    const visitOf = (view: string, language: string) => visits.find((v) => v.name.startsWith(`first visit: ${view}, ${language} `))!.gzip;
    for (const language of languages) expect(visitOf('followups', language)).toBeLessThan(visitOf('overview', language) - 10 * 1024);
    for (const [name, text] of Object.entries(files)) if (name.endsWith('.js')) expect(text, name).not.toMatch(/zod|@aws-sdk|node:|createHash|require\(/);
    // and a guard on the whole: every view opened in one visit (each file gzipped as served)
    const scripts = Object.entries(files).filter(([name]) => name.endsWith('.js') || name.endsWith('.css'));
    expect(scripts.reduce((sum, [, text]) => sum + gzipSync(text, { level: 9 }).length, 0)).toBeLessThanOrEqual(60 * 1024);
  });

  it('never turns strings into markup, and its page has no inline script or style', async () => {
    const files = await buildConsole();
    for (const [name, text] of Object.entries(files)) if (name.endsWith('.js')) expect(text, name).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    expect(files['index.html']).not.toMatch(/<script>|<style|\sstyle=|\son\w+=/);
  });
});
