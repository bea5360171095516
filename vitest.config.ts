import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Filled by test/setup/bundleWorkers.ts before any test starts a worker thread.
const testWorkerDir = fileURLToPath(new URL('./node_modules/.cache/waybill-test-workers', import.meta.url));

export default defineConfig({
  test: {
    include: ['db/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    exclude: ['node_modules', 'dist', 'test/bench/**'],
    globalSetup: ['test/setup/bundleWorkers.ts'],
    env: { WAYBILL_WORKER_DIR: testWorkerDir },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
