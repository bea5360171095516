import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export type WorkerEntry = 'projectorWorker' | 'walCheckpointWorker';

const sourceUrl: Record<WorkerEntry, URL> = {
  projectorWorker: new URL('./projectorWorker', import.meta.url),
  walCheckpointWorker: new URL('../log/walCheckpointWorker', import.meta.url),
};

/**
 * Where a worker's code is. A bundled build sets WAYBILL_WORKER_DIR (holding `<entry>.js`), or
 * ships `<entry>.js` beside the source layout; from source, a bootstrap registers tsx first.
 */
export function resolveWorkerEntry(entry: WorkerEntry): { file: string; viaBootstrap: boolean } {
  const dir = process.env.WAYBILL_WORKER_DIR;
  if (dir) return { file: `${dir}/${entry}.js`, viaBootstrap: false };
  const bundled = fileURLToPath(`${sourceUrl[entry].href}.js`);
  if (existsSync(bundled)) return { file: bundled, viaBootstrap: false };
  return { file: fileURLToPath(`${sourceUrl[entry].href}.ts`), viaBootstrap: true };
}

export function spawnWorker(entry: WorkerEntry, data: object): Worker {
  const resolved = resolveWorkerEntry(entry);
  if (!resolved.viaBootstrap) return new Worker(resolved.file, { workerData: data });
  const bootstrap = fileURLToPath(new URL('./workerBootstrap.mjs', import.meta.url));
  return new Worker(bootstrap, { workerData: { ...data, __entry: pathToFileURL(resolved.file).href } });
}
