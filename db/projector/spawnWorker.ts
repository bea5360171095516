import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { workerBundleOptions } from './workerBundleOptions.ts';

export type WorkerEntry = 'projectorWorker' | 'walCheckpointWorker';

const sourceUrl: Record<WorkerEntry, URL> = {
  projectorWorker: new URL('./projectorWorker', import.meta.url),
  walCheckpointWorker: new URL('../log/walCheckpointWorker', import.meta.url),
};

interface EsbuildLike {
  buildSync(options: Record<string, unknown>): unknown;
}

let devBundleDir: string | null | undefined;

/**
 * From source (the CLI, `npm run serve`), bundles the worker entries once per process with
 * esbuild (tsx's own dependency), so each worker thread starts from one JavaScript file instead
 * of loading TypeScript through tsx — seconds of CPU per thread on a 2-core laptop. Returns null
 * where esbuild cannot be loaded; the tsx bootstrap then serves.
 */
function bundleForDevelopment(): string | null {
  if (devBundleDir !== undefined) return devBundleDir;
  try {
    // Loaded at run time only: a packaged app never reaches this line and must not bundle esbuild.
    const esbuild = createRequire(import.meta.url)('esbuild') as EsbuildLike;
    // Inside the project, so the bundle's require('better-sqlite3') finds node_modules; removed at exit.
    const dir = fileURLToPath(new URL(`../../node_modules/.cache/waybill-workers/${process.pid}-${Date.now().toString(36)}`, import.meta.url));
    mkdirSync(dir, { recursive: true });
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
    for (const entry of Object.keys(sourceUrl) as WorkerEntry[]) {
      const temp = join(dir, `${entry}.tmp.js`);
      esbuild.buildSync({
        entryPoints: [fileURLToPath(`${sourceUrl[entry].href}.ts`)],
        outfile: temp,
        ...workerBundleOptions,
        external: [...workerBundleOptions.external],
        logLevel: 'silent',
      });
      renameSync(temp, join(dir, `${entry}.js`));
    }
    devBundleDir = dir;
  } catch {
    devBundleDir = null;
  }
  return devBundleDir;
}

/**
 * Where a worker's code is. A bundled build sets WAYBILL_WORKER_DIR (holding `<entry>.js`), or
 * ships `<entry>.js` beside the source layout; from source, a per-process esbuild bundle, or as a
 * last resort a bootstrap that registers tsx first.
 */
export function resolveWorkerEntry(entry: WorkerEntry): { file: string; viaBootstrap: boolean } {
  const dir = process.env.WAYBILL_WORKER_DIR;
  if (dir) return { file: `${dir}/${entry}.js`, viaBootstrap: false };
  const bundled = fileURLToPath(`${sourceUrl[entry].href}.js`);
  if (existsSync(bundled)) return { file: bundled, viaBootstrap: false };
  const devDir = process.env.WAYBILL_WORKER_BOOTSTRAP === 'tsx' ? null : bundleForDevelopment();
  if (devDir) return { file: join(devDir, `${entry}.js`), viaBootstrap: false };
  return { file: fileURLToPath(`${sourceUrl[entry].href}.ts`), viaBootstrap: true };
}

export function spawnWorker(entry: WorkerEntry, data: object): Worker {
  const resolved = resolveWorkerEntry(entry);
  if (!resolved.viaBootstrap) return new Worker(resolved.file, { workerData: data });
  const bootstrap = fileURLToPath(new URL('./workerBootstrap.mjs', import.meta.url));
  return new Worker(bootstrap, { workerData: { ...data, __entry: pathToFileURL(resolved.file).href } });
}
