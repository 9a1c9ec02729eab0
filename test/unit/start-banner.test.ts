// unit: the banner `npm start` prints never shows the admin token whole, and says where to read it.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskToken, startBanner, type BannerFacts } from '../../infra/local/start-banner.js';

const TOKEN = 'Zq7xS3cr3tT0k3nValue-0123456789abcdef';
const facts: BannerFacts = {
  url: 'http://127.0.0.1:3000',
  token: TOKEN,
  tokenOrigin: { from: 'data folder', dataDir: resolve('.data') },
  generated: false,
  dataDir: resolve('.data'),
  dynamoEndpoint: 'http://127.0.0.1:4567',
  queueEndpoint: 'http://127.0.0.1:4568',
  replayed: 0,
};
const tokenLine = (banner: string) => banner.split('\n').find((line) => line.trimStart().startsWith('admin token'));

describe('the npm start banner', () => {
  it('shows the admin token masked to its first 4 characters, never whole', () => {
    // Act
    const banner = startBanner(facts);

    // Assess
    expect(banner).not.toContain(TOKEN);
    expect(banner).not.toContain(TOKEN.slice(0, 5));
    expect(tokenLine(banner)).toContain('Zq7x…');
    expect(banner.endsWith('\nready')).toBe(true);
  });

  it('says to read a data-folder token from its file, and that it was just generated when it was', () => {
    expect(tokenLine(startBanner(facts))).toBe('  admin token      Zq7x…  (masked; in a shell: $(cat .data/admin-token))');
    expect(tokenLine(startBanner({ ...facts, generated: true }))).toBe('  admin token      Zq7x…  (masked, generated now; in a shell: $(cat .data/admin-token))');
  });

  it('says to read a token from the environment from $FEEDBACK_ADMIN_TOKEN, never naming a file', () => {
    const line = tokenLine(startBanner({ ...facts, tokenOrigin: { from: 'environment' } }));
    expect(line).toBe('  admin token      Zq7x…  (masked; in a shell: $FEEDBACK_ADMIN_TOKEN)');
  });

  it('masks a short token as much as a long one', () => {
    expect(maskToken('0123456789abcdef')).toBe('0123…');
  });
});
