import type { RebuildProgress } from '../contract/index.ts';
import { openLogReader } from '../log/openEventLog.ts';
import { Projector } from './catchUp.ts';
import { createIndexes, openReadModelWriter } from './openReadModel.ts';
import type { Projection } from './projection.ts';
import { inServerOrder, lastReorder } from './serverOrder.ts';

export class RebuildCancelledError extends Error {
  constructor(name: string) {
    super(`The rebuild of ${name} was cancelled; the current read model keeps serving.`);
    this.name = 'RebuildCancelledError';
  }
}

export interface RebuildOptions {
  projection: Projection;
  logPath: string;
  /** A fresh file; it is not served until the caller swaps it in. */
  targetPath: string;
  batchSize?: number;
  onProgress?: (progress: RebuildProgress) => void;
  /** Checked between batches. */
  isCancelled?: () => boolean;
  /** Stop at this position instead of the head (verify compares at one position). */
  upTo?: number;
  /** Yields between batches so a worker can receive a cancel message. */
  yieldBetweenBatches?: () => Promise<void>;
}

/**
 * Builds a read model from the whole log into a fresh file: bulk pragmas and no secondary
 * indexes while loading, indexes afterwards, then WAL mode, a last catch-up and a check.
 */
export async function rebuildReadModel(options: RebuildOptions): Promise<{ checkpoint: number }> {
  const { projection } = options;
  const batchSize = options.batchSize ?? 10_000;
  const log = openLogReader(options.logPath);
  const db = openReadModelWriter(options.targetPath, projection, { bulk: true });
  const startedAt = performance.now();
  let lastReport = 0;
  const report = (phase: RebuildProgress['phase'], position: number, target: number) => {
    const seconds = (performance.now() - startedAt) / 1000;
    const eventsPerSecond = seconds > 0 ? Math.round(position / seconds) : 0;
    const remaining = target - position;
    options.onProgress?.({
      name: projection.name,
      phase,
      position,
      target,
      eventsPerSecond,
      etaSeconds: eventsPerSecond > 0 ? Math.round((remaining / eventsPerSecond) * 10) / 10 : null,
    });
  };
  try {
    const projector = new Projector(projection, db, log);
    // Read before the target: every reorder up to it lies within what is built below.
    const reorder = lastReorder(log);
    const target = options.upTo ?? projector.head();
    let checkpoint = projector.checkpoint();
    report('loading', checkpoint, target);
    // Where the server's order differs from the log's, the read model is built in the server's, so every laptop builds the same rows.
    if (checkpoint === 0 && target > 0 && reorder > 0) {
      let loaded = 0;
      let pending: number[] | null = null;
      for (const positions of inServerOrder(log, target, batchSize)) {
        if (pending) projector.applyInOrder(pending, null);
        if (options.isCancelled?.()) throw new RebuildCancelledError(projection.name);
        loaded += pending?.length ?? 0;
        pending = positions;
        if (performance.now() - lastReport > 100) {
          lastReport = performance.now();
          report('loading', loaded, target);
        }
        if (options.yieldBetweenBatches) await options.yieldBetweenBatches();
      }
      if (pending) projector.applyInOrder(pending, target);
      checkpoint = target;
      db.prepare('INSERT INTO _server_order (projection, built_through) VALUES (?, ?) ON CONFLICT (projection) DO UPDATE SET built_through = excluded.built_through').run(projection.name, reorder);
    }
    while (checkpoint < target) {
      if (options.isCancelled?.()) throw new RebuildCancelledError(projection.name);
      const result = projector.runBatch(batchSize, target);
      if (result.applied === 0) break;
      checkpoint = result.checkpoint;
      if (performance.now() - lastReport > 100) {
        lastReport = performance.now();
        report('loading', checkpoint, target);
      }
      if (options.yieldBetweenBatches) await options.yieldBetweenBatches();
    }
    if (options.isCancelled?.()) throw new RebuildCancelledError(projection.name);
    report('indexing', checkpoint, target);
    createIndexes(db, projection);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    if (options.upTo === undefined) checkpoint = projector.catchUp(batchSize);
    report('verifying', checkpoint, Math.max(target, checkpoint));
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`The rebuilt ${projection.name} failed its integrity check: ${String(check)}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { checkpoint };
  } finally {
    db.close();
    log.close();
  }
}
