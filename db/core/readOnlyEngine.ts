import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { ReadModelName, VerifyReport } from '../contract/index.ts';
import { verifyLog } from '../log/verifyLog.ts';
import type { Projection } from '../readmodel/projection.ts';
import { verifyReadModels, type ReadModelVerdict } from '../readmodel/verifyReadModel.ts';
import type { ProjectionEngine, RebuildOutcome } from './projectionEngine.ts';
import type { ReadModelReaders } from '../readmodel/readModelReaders.ts';

export const READ_ONLY_NOTE = 'Read-only: the data folder is open read-only, so read models show what they held when it was opened.';

/** No projection work at all: read models serve as they are; verify compares them with rebuilds in a scratch folder. */
export class ReadOnlyEngine implements ProjectionEngine {
  constructor(
    private readonly projections: readonly Projection[],
    private readonly logPath: string,
    private readonly logReader: Database.Database,
    private readonly readers: ReadModelReaders,
    private readonly servingPath: (name: ReadModelName) => string,
    private readonly scratchDir: () => string,
  ) {}

  notify(): void {}

  async beforeQuery(): Promise<void> {}

  async waitFor(name: ReadModelName, position: number): Promise<boolean> {
    return (this.readers.checkpoint(name)?.position ?? 0) >= position;
  }

  runtime() {
    return { state: 'stopped' as const, error: READ_ONLY_NOTE, eventsPerSecond: 0, rebuild: null };
  }

  async rebuild(): Promise<RebuildOutcome> {
    return { ok: false, cancelled: false, error: READ_ONLY_NOTE };
  }

  cancelRebuild(): void {}

  async deadLetter(): Promise<string | null> {
    return READ_ONLY_NOTE;
  }

  async verifyLog(): Promise<VerifyReport['log']> {
    return verifyLog(this.logReader);
  }

  async verifyAll(): Promise<ReadModelVerdict[]> {
    return verifyReadModels(this.projections, this.logPath, (name) => ({
      servingPath: this.servingPath(name),
      scratchPath: join(this.scratchDir(), `${name}.verify.db`),
    }));
  }

  async close(): Promise<void> {}
}
