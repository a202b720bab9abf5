import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Request log lines are asserted where they matter; elsewhere show them only for failing tests.
    silent: 'passed-only',
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'packages/*/test/**/*.test.ts',
            'workers/api/test/node/**/*.test.ts',
            'scripts/test/**/*.test.ts',
          ],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          environment: 'node',
          include: ['workers/api/test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      'workers/api/vitest.workers.config.ts',
    ],
  },
});
