// Checkpoints the log's WAL from a background thread, so appends never wait on a checkpoint
// (the writer runs with wal_autocheckpoint = 0). PASSIVE never blocks the writer, but under
// sustained writes it never catches up with the WAL's end, so the WAL would grow without bound:
// past a size limit a RESTART finishes the (by then small) remainder and lets the WAL start over.
import Database from 'better-sqlite3';

export interface WalCheckpointerOptions {
  logPath: string;
  intervalMs: number;
  /** WAL frames past which a RESTART lets the WAL start over (default 8192). */
  restartAfterFrames?: number;
}

/** What the checkpointer talks to: its thread's port. */
export interface CheckpointerPort {
  on(event: 'message', listener: (message: { kind: string }) => void): void;
  postMessage(message: unknown): void;
}

interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/** Checkpoints every `intervalMs` until told to stop; reports each checkpoint and, at the end, that it stopped. */
export function runWalCheckpointer({ logPath, intervalMs, restartAfterFrames }: WalCheckpointerOptions, port: CheckpointerPort): void {
  const db = new Database(logPath, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
  const limit = restartAfterFrames ?? 8192;
  let stopped = false;

  const checkpoint = (mode: 'PASSIVE' | 'RESTART'): CheckpointResult | null => {
    try {
      return (db.pragma(`wal_checkpoint(${mode})`) as CheckpointResult[])[0] ?? null;
    } catch {
      return null; // busy: try again next tick
    }
  };

  const timer = setInterval(() => {
    if (stopped) return;
    let result = checkpoint('PASSIVE');
    if (result && result.log > limit) {
      // Wait briefly for the writer's current transaction; the copy left to do is what arrived since PASSIVE.
      db.pragma('busy_timeout = 250');
      result = checkpoint('RESTART') ?? result;
      db.pragma('busy_timeout = 0');
    }
    if (result) port.postMessage({ kind: 'checkpointed', walFrames: result.log, checkpointed: result.checkpointed });
  }, intervalMs);

  port.on('message', (message) => {
    if (message.kind !== 'stop') return;
    stopped = true;
    clearInterval(timer);
    checkpoint('PASSIVE');
    db.close();
    port.postMessage({ kind: 'stopped' });
  });
}
