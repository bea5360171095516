import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import type { ReadModelName } from '../contract/index.ts';
import { readModelChecksum } from './checksum.ts';
import type { Projection } from './projection.ts';
import { rebuildReadModel } from './rebuildReadModel.ts';

export interface ReadModelVerdict {
  name: ReadModelName;
  ok: boolean;
  checksum: string;
  rebuiltChecksum: string;
  checkpoint: number;
}

/**
 * Compares the serving read model with a fresh rebuild at the same position: holds a read
 * snapshot of the serving file, rebuilds a scratch copy to exactly its checkpoint, and
 * compares canonical checksums.
 */
export async function verifyReadModel(options: {
  projection: Projection;
  logPath: string;
  servingPath: string;
  scratchPath: string;
  yieldBetweenBatches?: () => Promise<void>;
}): Promise<ReadModelVerdict> {
  const serving = new Database(options.servingPath, { readonly: true, fileMustExist: true });
  try {
    serving.exec('BEGIN');
    const checkpoint =
      (serving.prepare('SELECT position FROM _checkpoint WHERE projection = ?').pluck().get(options.projection.name) as number | undefined) ?? 0;
    const checksum = readModelChecksum(serving, options.projection);
    await rebuildReadModel({
      projection: options.projection,
      logPath: options.logPath,
      targetPath: options.scratchPath,
      upTo: checkpoint,
      ...(options.yieldBetweenBatches ? { yieldBetweenBatches: options.yieldBetweenBatches } : {}),
    });
    const scratch = new Database(options.scratchPath, { readonly: true });
    const rebuiltChecksum = readModelChecksum(scratch, options.projection);
    scratch.close();
    serving.exec('COMMIT');
    return { name: options.projection.name, ok: checksum === rebuiltChecksum, checksum, rebuiltChecksum, checkpoint };
  } finally {
    serving.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(options.scratchPath + suffix, { force: true });
  }
}

/** Verifies read models one after another (each rebuild is heavy); `files` names a model's serving and scratch files. */
export async function verifyReadModels(
  projections: readonly Projection[],
  logPath: string,
  files: (name: ReadModelName) => { servingPath: string; scratchPath: string },
): Promise<ReadModelVerdict[]> {
  const verdicts: ReadModelVerdict[] = [];
  for (const projection of projections) verdicts.push(await verifyReadModel({ projection, logPath, ...files(projection.name) }));
  return verdicts;
}
