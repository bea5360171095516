// Checkpoints the log's WAL from a background thread, so appends never wait on a checkpoint
// (the writer runs with wal_autocheckpoint = 0). PASSIVE never blocks the writer, but under
// sustained writes it never catches up with the WAL's end, so the WAL would grow without bound:
// past a size limit a RESTART finishes the (by then small) remainder and lets the WAL start over.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const { logPath, intervalMs, restartAfterFrames } = workerData as { logPath: string; intervalMs: number; restartAfterFrames?: number };
const db = new Database(logPath, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const limit = restartAfterFrames ?? 8192;
let stopped = false;

interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

function checkpoint(mode: 'PASSIVE' | 'RESTART'): CheckpointResult | null {
  try {
    return (db.pragma(`wal_checkpoint(${mode})`) as CheckpointResult[])[0] ?? null;
  } catch {
    return null; // busy: try again next tick
  }
}

parentPort!.on('message', (message: { kind: string }) => {
  if (message.kind !== 'stop') return;
  stopped = true;
  clearInterval(timer);
  checkpoint('PASSIVE');
  db.close();
  parentPort!.postMessage({ kind: 'stopped' });
});

const timer = setInterval(() => {
  if (stopped) return;
  let result = checkpoint('PASSIVE');
  if (result && result.log > limit) {
    // Wait briefly for the writer's current transaction; the copy left to do is what arrived since PASSIVE.
    db.pragma('busy_timeout = 250');
    result = checkpoint('RESTART') ?? result;
    db.pragma('busy_timeout = 0');
  }
  if (result) parentPort!.postMessage({ kind: 'checkpointed', walFrames: result.log, checkpointed: result.checkpointed });
}, intervalMs);
