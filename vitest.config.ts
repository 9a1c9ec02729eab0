import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['node_modules/**', 'cdk.out/**', 'test/bench/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // integration files each start their own engines on random ports; two cores in CI
    maxWorkers: 2,
  },
});
