// One bare read-model build in a worker thread, so all of them can run in parallel like a rebuild of
// every read model does: load the final rows, say ready, wait for go, build, report the time.
import { parentPort, workerData } from 'node:worker_threads';
import { projectionByName } from '../../../db/projections/index.ts';
import type { ReadModelName } from '../../../db/contract/index.ts';
import { bareBuild, loadFinalRows } from './bareReadModel.ts';

const data = workerData as { name: ReadModelName; logFile: string; builtFile: string; target: string };
const port = parentPort!;
const rows = loadFinalRows(data.builtFile);
port.postMessage({ kind: 'ready' });
port.once('message', () => {
  const result = bareBuild(data.logFile, data.target, projectionByName(data.name), rows);
  port.postMessage({ kind: 'done', ...result });
  port.close();
});
