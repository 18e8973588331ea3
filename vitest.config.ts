import { defineConfig } from 'vitest/config';

/**
 * Tests split by what they need:
 * - unit: pure `shared/` and seed/geodata logic, plain Node;
 * - api:  the server through `app.inject`, on PGlite and (with TEST_DATABASE_URL) PostgreSQL;
 * - e2e:  the built app in Debian's Chromium via playwright-core.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          // A bound on a hung test, not a speed check: generous, as CI runs the three projects side by side.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'api',
          include: ['tests/api/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
