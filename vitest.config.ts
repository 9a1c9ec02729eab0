import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['node_modules/**', 'cdk.out/**', 'test/bench/**'],
    // hang guards, not budgets: a test must still pass on a 2-core machine busy with another job, or run under `nice`
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // integration files each start their own engines on random ports; two cores in CI
    maxWorkers: 2,
    // the pinned AWS SDK runs on Node 20; its notice about future releases is noise in test output
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // fault and abuse suite: prints its summary table (requests, acknowledged, stored, lost, 5xx) at the end
    globalSetup: ['test/faults/support/summary.ts'],
  },
});
