// Vitest global setup: bundles the worker-thread entries once per run, the way a packaged app
// ships them, so the many worker threads tests start do not each load TypeScript through tsx.
// (The from-source paths that `npx waybill` and `npm run serve` use — a per-process esbuild bundle,
// or the tsx bootstrap — are covered by test/setup/workerBootstrap.test.ts.)
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerSources } from '../../electron/build/build.ts';
import { workerBundleOptions } from '../../db/projector/workerBundleOptions.ts';

export const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const testWorkerDir = join(projectRoot, 'node_modules', '.cache', 'waybill-test-workers');

export default async function bundleWorkers(): Promise<void> {
  mkdirSync(testWorkerDir, { recursive: true });
  writeFileSync(join(testWorkerDir, 'package.json'), '{ "type": "commonjs" }\n');
  await Promise.all(
    Object.entries(workerSources).map(([name, source]) =>
      build({
        entryPoints: [join(projectRoot, source)],
        outfile: join(testWorkerDir, `${name}.js`),
        ...workerBundleOptions,
        external: [...workerBundleOptions.external],
        logLevel: 'warning',
      }),
    ),
  );
  process.env.WAYBILL_WORKER_DIR = testWorkerDir;
}
