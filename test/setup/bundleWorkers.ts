// Vitest global setup: bundles the worker-thread entries once per run, the way a packaged app
// ships them, so the many worker threads tests start do not each load TypeScript through tsx.
// (The from-source paths that `npx waybill` and `npm run serve` use — a per-process esbuild bundle,
// or the tsx bootstrap — are covered by test/setup/workerBootstrap.test.ts.)
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerSources } from '../../electron/build/build.ts';

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
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        external: ['better-sqlite3'],
        banner: { js: 'const __waybillImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
        define: { 'import.meta.url': '__waybillImportMetaUrl' },
        logLevel: 'warning',
      }),
    ),
  );
  process.env.WAYBILL_WORKER_DIR = testWorkerDir;
}
