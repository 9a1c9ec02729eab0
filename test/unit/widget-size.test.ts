// unit: the widget's size budgets (gzip): the loader a script tag fetches ≤ 2 KB, the full widget ≤ 8 KB, and no
// runtime dependencies in its package. `npm run bench` prints the same figures.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildWidget, WIDGET_BUDGETS } from '../../web-widget/build.js';

const gzip = (text: string) => gzipSync(text, { level: 9 }).length;

describe('the widget bundles', () => {
  it('stay within their gzip budgets: loader 2 KB, full widget 8 KB (loader and UI together, as an open widget costs)', async () => {
    // Act
    const { loader, full } = await buildWidget();

    // Assess
    expect(gzip(loader)).toBeLessThanOrEqual(WIDGET_BUDGETS.loader);
    expect(gzip(full)).toBeLessThanOrEqual(WIDGET_BUDGETS.full);
    expect(gzip(loader) + gzip(full)).toBeLessThanOrEqual(WIDGET_BUDGETS.full);
  });

  it('carry no server code: no zod, no AWS SDK, no node: modules', async () => {
    const { loader, full } = await buildWidget();
    for (const bundle of [loader, full]) expect(bundle).not.toMatch(/zod|@aws-sdk|node:|createHash|require\(/);
  });

  it('have no runtime dependencies in the npm package', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../web-widget/package.json', import.meta.url), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies ?? {}).toEqual({});
  });
});
