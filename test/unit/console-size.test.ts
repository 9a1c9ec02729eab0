// unit: the CX console's size budget (gzip of what a first visit fetches: console.js + console.css ≤ 45 KB), no
// server code in it, and no HTML parsing of data: the bundle never assigns innerHTML / outerHTML nor calls
// insertAdjacentHTML or document.write. `npm run bench` prints the same figures.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildConsole, CONSOLE_BUDGET } from '../../web-console/build.js';

describe('the console bundle', () => {
  it('stays within its gzip budget, and carries no server code', async () => {
    // Act
    const files = await buildConsole();

    // Assess
    expect(gzipSync(files['console.js'] + files['console.css'], { level: 9 }).length).toBeLessThanOrEqual(CONSOLE_BUDGET);
    expect(files['console.js']).not.toMatch(/zod|@aws-sdk|node:|createHash|require\(/);
  });

  it('never turns strings into markup, and its page has no inline script or style', async () => {
    const files = await buildConsole();
    expect(files['console.js']).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    expect(files['index.html']).not.toMatch(/<script>|<style|\sstyle=|\son\w+=/);
  });
});
