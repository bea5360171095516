// Checkpoints the log's WAL from a background thread, so appends never wait on a checkpoint
// (the writer runs with wal_autocheckpoint = 0). PASSIVE never blocks the writer.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const { logPath, intervalMs } = workerData as { logPath: string; intervalMs: number };
const db = new Database(logPath, { fileMustExist: true });
db.pragma('busy_timeout = 0');
let stopped = false;

parentPort!.on('message', (message: { kind: string }) => {
  if (message.kind === 'stop') {
    stopped = true;
    clearInterval(timer);
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // The writer may hold the lock at shutdown; the next start checkpoints.
    }
    db.close();
    parentPort!.postMessage({ kind: 'stopped' });
  }
});

const timer = setInterval(() => {
  if (stopped) return;
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    parentPort!.postMessage({ kind: 'checkpointed', walFrames: result?.log ?? 0, checkpointed: result?.checkpointed ?? 0 });
  } catch {
    // Busy: try again next tick.
  }
}, intervalMs);
