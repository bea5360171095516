import type Database from 'better-sqlite3';
import type { ReadModelName, VerifyReport } from '../contract/index.ts';
import { verifyLog } from '../log/verifyLog.ts';
import { Projector } from '../readmodel/catchUp.ts';
import { openReadModelWriter } from '../readmodel/openReadModel.ts';
import type { Projection } from '../readmodel/projection.ts';
import type { ReadModelFiles } from '../readmodel/readModelFiles.ts';
import type { ProjectorWorkerData } from '../projector/messages.ts';
import { runRebuild } from '../projector/runRebuild.ts';
import { startEntryThread, type BuiltFiles } from '../runtime/builtFiles.ts';
import { verifyReadModels, type ReadModelVerdict } from '../readmodel/verifyReadModel.ts';
import type { ProjectionEngine, RebuildOutcome } from './projectionEngine.ts';
import type { PushHub } from './pushHub.ts';
import type { ReadModelReaders } from '../readmodel/readModelReaders.ts';
import { REBUILD_INSTEAD_OF_CATCH_UP } from './startupChecks.ts';

/**
 * Projection work on the calling thread, for the CLI and tests: a query first catches its read
 * models up to the head, so a CLI query right after a CLI command reflects it.
 */
export class InlineEngine implements ProjectionEngine {
  private readonly projectors = new Map<ReadModelName, { projector: Projector; db: Database.Database; path: string }>();
  private readonly halted = new Map<ReadModelName, string>();
  private catchingUp: Promise<void> | null = null;

  constructor(
    private readonly projections: readonly Projection[],
    private readonly files: ReadModelFiles,
    private readonly logPath: string,
    private readonly logReader: Database.Database,
    private readonly readers: ReadModelReaders,
    private readonly push: PushHub,
    private readonly builtFiles: BuiltFiles,
  ) {}

  notify(): void {}

  async beforeQuery(): Promise<void> {
    await this.catchUpAll();
  }

  /** Catches up to the head on this thread (nothing can interrupt that, so no timeout applies), then says whether `position` was reached. */
  async waitFor(name: ReadModelName, position: number): Promise<boolean> {
    await this.catchUpAll();
    return (this.readers.checkpoint(name)?.position ?? 0) >= position;
  }

  runtime(name: ReadModelName) {
    const error = this.halted.get(name) ?? null;
    return { state: error ? ('halted' as const) : ('idle' as const), error, eventsPerSecond: 0, rebuild: null };
  }

  /** Brings every read model to the head; callers that ask while one catch-up runs share it (six waits at once made six). */
  catchUpAll(): Promise<void> {
    return (this.catchingUp ??= this.catchUpOnce().finally(() => (this.catchingUp = null)));
  }

  private async catchUpOnce(): Promise<void> {
    const farBehind: ReadModelName[] = [];
    for (const projection of this.projections) {
      const { projector } = this.projectorFor(projection);
      if (projector.head() - projector.checkpoint() > REBUILD_INSTEAD_OF_CATCH_UP) {
        farBehind.push(projection.name);
        continue;
      }
      try {
        projector.catchUp();
        this.halted.delete(projection.name);
      } catch (error) {
        this.halted.set(projection.name, (error as Error).message);
      }
    }
    // Far behind, a bulk rebuild in parallel worker threads beats catching up one by one.
    await Promise.all(farBehind.map((name) => this.rebuild(name)));
  }

  /** Rebuilds in a worker thread (so several run in parallel), then swaps the file in. */
  /** Rebuilds in a worker thread (so several run in parallel), then swaps the file in at once. */
  rebuild(name: ReadModelName): Promise<RebuildOutcome> {
    const targetPath = this.files.fresh(name);
    const job = startEntryThread(this.builtFiles, 'projector', { mode: 'rebuild', name, logPath: this.logPath, targetPath, batchSize: 10_000 } satisfies ProjectorWorkerData);
    return runRebuild({
      name,
      job,
      targetPath,
      files: this.files,
      progress: (progress) => this.push.publish('rebuild', name, () => progress),
      built: () => undefined,
      swapIn: async (path) => {
        this.projectors.get(name)?.db.close();
        this.projectors.delete(name);
        // The file being replaced is whatever the pointer names, whether or not this engine opened it yet.
        const oldPath = this.files.current(name);
        this.files.swap(name, path);
        this.readers.reopen(name);
        if (oldPath !== path) this.files.remove(oldPath);
      },
    });
  }

  cancelRebuild(): void {}

  async deadLetter(name: ReadModelName, position: number, action: 'retry' | 'skip'): Promise<string | null> {
    const { projector } = this.projectorFor(this.projections.find((p) => p.name === name)!);
    try {
      if (action === 'retry') projector.retryDeadLetter(position);
      else projector.skipDeadLetter(position);
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  }

  async verifyLog(): Promise<VerifyReport['log']> {
    return verifyLog(this.logReader);
  }

  async verifyAll(): Promise<ReadModelVerdict[]> {
    await this.catchUpAll();
    return verifyReadModels(this.projections, this.logPath, (name) => ({
      servingPath: this.files.current(name),
      scratchPath: this.files.fresh(name).replace(/\.db$/, '.verify.db'),
    }));
  }

  async close(): Promise<void> {
    for (const { db } of this.projectors.values()) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    }
    this.projectors.clear();
  }

  private projectorFor(projection: Projection) {
    const path = this.files.current(projection.name);
    const existing = this.projectors.get(projection.name);
    if (existing && existing.path === path) return existing;
    existing?.db.close();
    const db = openReadModelWriter(path, projection);
    const entry = { projector: new Projector(projection, db, this.logReader), db, path };
    this.projectors.set(projection.name, entry);
    return entry;
  }
}
