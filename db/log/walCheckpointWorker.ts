// Checkpoints WAL files from a background thread, so neither appends nor projectors wait on a
// checkpoint: the log's writer runs with wal_autocheckpoint = 0, and a read model's projector only
// checkpoints by itself past a large safety limit (db/readmodel/openReadModel.ts). Checkpointing
// inside a projector's commit stalled it for milliseconds, which readers saw as lag.
// PASSIVE never blocks a writer, but under sustained writes it never catches up with the WAL's end,
// so the WAL would grow without bound: past a size limit a RESTART finishes the (by then small)
// remainder and lets the WAL start over.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { ReadModelName } from '../contract.ts';
import { ReadModelFiles } from '../readmodel/readModelFiles.ts';

export interface WalCheckpointWorkerData {
  logPath: string;
  intervalMs: number;
  restartAfterFrames?: number;
  /** Also checkpoint these read models' serving files (followed through their pointers, as rebuilds swap them). */
  readModels?: { dataDir: string; names: ReadModelName[] };
}

interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

const { logPath, intervalMs, restartAfterFrames, readModels } = workerData as WalCheckpointWorkerData;
const limit = restartAfterFrames ?? 8192;
const log = new Database(logPath, { fileMustExist: true });
log.pragma('busy_timeout = 0');
const files = readModels ? new ReadModelFiles(readModels.dataDir) : null;
const serving = new Map<ReadModelName, { path: string; db: Database.Database }>();
let stopped = false;

function checkpoint(db: Database.Database, mode: 'PASSIVE' | 'RESTART'): CheckpointResult | null {
  try {
    return (db.pragma(`wal_checkpoint(${mode})`) as CheckpointResult[])[0] ?? null;
  } catch {
    return null; // busy: try again next tick
  }
}

function checkpointBounded(db: Database.Database): CheckpointResult | null {
  let result = checkpoint(db, 'PASSIVE');
  if (result && result.log > limit) {
    // Wait briefly for the writer's current transaction; the copy left to do is what arrived since PASSIVE.
    db.pragma('busy_timeout = 250');
    result = checkpoint(db, 'RESTART') ?? result;
    db.pragma('busy_timeout = 0');
  }
  return result;
}

/** A connection to the file that serves `name` now; one to a file a rebuild swapped out is closed. */
function servingConnection(name: ReadModelName): Database.Database | null {
  const path = files!.serving(name);
  const open = serving.get(name);
  if (open && open.path === path) return open.db;
  if (open) {
    open.db.close();
    serving.delete(name);
  }
  if (!path) return null;
  try {
    const db = new Database(path, { fileMustExist: true });
    db.pragma('busy_timeout = 0');
    serving.set(name, { path, db });
    return db;
  } catch {
    return null; // swapped out and removed since the pointer was read: next tick
  }
}

function checkpointReadModels(): void {
  for (const name of readModels?.names ?? []) {
    const db = servingConnection(name);
    if (db) checkpointBounded(db);
  }
}

function closeAll(): void {
  checkpoint(log, 'PASSIVE');
  log.close();
  for (const { db } of serving.values()) db.close();
  serving.clear();
}

parentPort!.on('message', (message: { kind: string }) => {
  if (message.kind !== 'stop') return;
  stopped = true;
  clearInterval(timer);
  closeAll();
  parentPort!.postMessage({ kind: 'stopped' });
});

const timer = setInterval(() => {
  if (stopped) return;
  const result = checkpointBounded(log);
  if (result) parentPort!.postMessage({ kind: 'checkpointed', walFrames: result.log, checkpointed: result.checkpointed });
  checkpointReadModels();
}, intervalMs);
