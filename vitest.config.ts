import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['db/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    exclude: ['node_modules', 'dist', 'test/bench/**'],
    // Threads and processes start from the built bundles (dist/node), as in the apps.
    // Chromium first: on a machine without it, the run stops at once with what to do (or installs it as root).
    globalSetup: ['test/setup/chromium.ts', 'test/setup/build.ts', 'test/setup/postgres.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
