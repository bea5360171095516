import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadModelName } from '../contract/index.ts';
import { openReadModelWriter } from '../readmodel/openReadModel.ts';
import type { Projection } from '../readmodel/projection.ts';
import type { ReadModelFiles } from '../readmodel/readModelFiles.ts';
import { builtThrough } from '../readmodel/serverOrder.ts';

export type StartupVerdict =
  | { name: ReadModelName; action: 'follow'; checkpoint: number }
  | { name: ReadModelName; action: 'rebuild'; checkpoint: number; reason: string };

/** A catch-up from scratch this long is faster as a bulk rebuild. */
export const REBUILD_INSTEAD_OF_CATCH_UP = 20_000;
const QUICK_CHECK_MAX_BYTES = 128 * 1024 * 1024;

/**
 * A file that exists while a rebuild of `name` runs: a start that finds it knows the process died
 * mid-rebuild and restarts the rebuild (the old read model serves meanwhile, as before).
 */
export function rebuildMarkerPath(files: ReadModelFiles, name: ReadModelName): string {
  return join(files.dir, `${name}.rebuilding`);
}

/**
 * Opens each serving read model once (creating its schema if new) and decides: keep following
 * it, or rebuild it in the background because its code version changed, it is damaged, a rebuild
 * was interrupted, the server's order moved events it holds (a reorder it was not built through),
 * or it starts so far behind that a bulk rebuild is quicker.
 */
export function checkReadModels(projections: readonly Projection[], files: ReadModelFiles, head: number, lastReorder = 0): StartupVerdict[] {
  return projections.map((projection) => {
    for (const orphan of files.orphans(projection.name)) files.remove(orphan);
    const path = files.current(projection.name);
    let stored: { version: number; position: number } | undefined;
    let inServerOrderThrough = 0;
    try {
      const db = openReadModelWriter(path, projection);
      try {
        // A full page check of a very large file would delay every start; damage there surfaces as SQLITE_CORRUPT on read.
        if (statSync(path).size < QUICK_CHECK_MAX_BYTES) {
          const check = db.pragma('quick_check(1)', { simple: true });
          if (check !== 'ok') throw new Error(String(check));
        }
        stored = db.prepare('SELECT version, position FROM _checkpoint WHERE projection = ?').get(projection.name) as typeof stored;
        inServerOrderThrough = builtThrough(db, projection.name);
      } finally {
        db.close();
      }
    } catch (error) {
      // Damaged beyond opening: serve a fresh empty file and rebuild it from the log.
      files.remove(path);
      files.swap(projection.name, files.fresh(projection.name));
      openReadModelWriter(files.current(projection.name), projection).close();
      return { name: projection.name, action: 'rebuild', checkpoint: 0, reason: `damaged (${(error as Error).message})` };
    }
    const checkpoint = stored?.position ?? 0;
    if (stored && stored.version !== projection.version) {
      return { name: projection.name, action: 'rebuild', checkpoint, reason: `code version ${projection.version} replaces ${stored.version}` };
    }
    if (existsSync(rebuildMarkerPath(files, projection.name))) {
      return { name: projection.name, action: 'rebuild', checkpoint, reason: 'a rebuild was interrupted' };
    }
    if (lastReorder > inServerOrderThrough) {
      return { name: projection.name, action: 'rebuild', checkpoint, reason: "the server's order differs from the log's since it was built" };
    }
    if (head - checkpoint > REBUILD_INSTEAD_OF_CATCH_UP && checkpoint === 0) {
      return { name: projection.name, action: 'rebuild', checkpoint, reason: 'new read model over a long log' };
    }
    return { name: projection.name, action: 'follow', checkpoint };
  });
}
