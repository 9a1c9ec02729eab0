// unit: the demo page's terminal hints read the admin token from where `npm start` got it (DATA_DIR, or the env).
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoPage } from '../../infra/local/demo-page.js';

// the CLI line starts with an empty span the page fills with FEEDBACK_ENDPOINT=<its origin> when not on :3000
const hints = (page: string) => /<pre[^>]*><span class="cli-endpoint"><\/span>([^<]*) report demo\ncurl[^\n]*Bearer ([^"]*)"<\/pre>/.exec(page)?.slice(1);

describe('demo page terminal hints', () => {
  it('uses the default data folder as is', () => {
    expect(hints(demoPage({ from: 'data folder', dataDir: resolve('.data') }))).toEqual(['npm run cli --', '$(cat .data/admin-token)']);
  });

  it('names another data folder for both the CLI and curl', () => {
    expect(hints(demoPage({ from: 'data folder', dataDir: resolve('tmp/shop-data') }))).toEqual([
      'DATA_DIR=tmp/shop-data npm run cli --',
      '$(cat tmp/shop-data/admin-token)',
    ]);
  });

  it('names a folder outside the working folder by its absolute path', () => {
    const elsewhere = resolve('/', 'var', 'feedback-data');
    expect(hints(demoPage({ from: 'data folder', dataDir: elsewhere }))).toEqual([
      `DATA_DIR=${elsewhere} npm run cli --`,
      `$(cat ${elsewhere}/admin-token)`,
    ]);
  });

  it('quotes a folder for the shell, then escapes it for HTML', () => {
    const [cli, token] = hints(demoPage({ from: 'data folder', dataDir: resolve("my data's <dir>") })) ?? [];
    expect(cli).toBe('DATA_DIR=&#39;my data&#39;\\&#39;&#39;s &#60;dir&#62;&#39; npm run cli --');
    expect(token).toBe('$(cat &#39;my data&#39;\\&#39;&#39;s &#60;dir&#62;/admin-token&#39;)');
  });

  it('points at FEEDBACK_ADMIN_TOKEN when the token came from the environment, never at a file', () => {
    const page = demoPage({ from: 'environment' });
    expect(hints(page)).toEqual(['npm run cli --', '$FEEDBACK_ADMIN_TOKEN']);
    expect(page).not.toContain('admin-token');
  });
});
