import type Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readModelNames, type ReadModelName } from '../contract/index.ts';
import { WaybillError } from '../contract/waybillError.ts';
import { deviceIdOf } from '../log/deviceIdentity.ts';
import { openLogReader } from '../log/openEventLog.ts';
import { projectionByName, projections } from '../projections/index.ts';
import { openReadModelReader, openReadModelWriter } from '../readmodel/openReadModel.ts';
import { logPathIn } from './dataPaths.ts';
import { explainOpenFailure } from './openFailures.ts';
import { PushHub } from './pushHub.ts';
import { ReadModelReaders } from '../readmodel/readModelReaders.ts';
import { InlineQueries } from './queryPool.ts';
import { READ_ONLY_NOTE, ReadOnlyEngine } from './readOnlyEngine.ts';
import { Core } from './core.ts';

/**
 * Opens a data folder without writing anything to it: no writer, no projectors, no migrations,
 * no pointer or orphan housekeeping. Commands answer READ_ONLY; queries answer from the read
 * models as they are, with their lag. SQLite cannot open a WAL-mode file read-only on a read-only
 * filesystem unless its -shm file exists, so such a file is read from a private copy in the
 * temp folder (removed on close).
 */
export function openReadOnlyCore(dataDir: string): Core {
  const logPath = logPathIn(dataDir);
  if (!existsSync(logPath)) throw new WaybillError('NOT_FOUND', `There is no event log in ${dataDir}; nothing to open read-only.`);
  let scratch: string | null = null;
  const scratchDir = () => (scratch ??= mkdtempSync(join(tmpdir(), 'waybill-read-only-')));
  /** Opens `path` read-only in place, or from a private copy when the filesystem forbids the WAL index. */
  const openInPlaceOrCopy = (path: string, open: (p: string) => Database.Database): { db: Database.Database; path: string } => {
    try {
      return { db: open(path), path };
    } catch (error) {
      if (!String((error as { code?: unknown }).code).startsWith('SQLITE_CANTOPEN')) throw error;
      const copy = join(scratchDir(), basename(path));
      copyFileSync(path, copy);
      if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
      return { db: open(copy), path: copy };
    }
  };

  const opened: Database.Database[] = [];
  try {
    const log = openInPlaceOrCopy(logPath, (p) => openLogReader(p));
    opened.push(log.db);
    const serving = new Map<ReadModelName, string>();
    for (const name of readModelNames) {
      const pointer = join(dataDir, 'read', `${name}.current`);
      const file = existsSync(pointer) ? join(dataDir, 'read', readFileSync(pointer, 'utf8').trim()) : null;
      let path: string;
      if (file && existsSync(file)) {
        const probe = openInPlaceOrCopy(file, (p) => openReadModelReader(p));
        probe.db.close();
        path = probe.path;
      } else {
        // Never projected here: an empty read model in the scratch folder, so its queries answer empty with their lag.
        path = join(scratchDir(), `${name}.empty.db`);
        openReadModelWriter(path, projectionByName(name)).close();
      }
      serving.set(name, path);
    }
    const readers = new ReadModelReaders({ current: (name) => serving.get(name)! });
    const engine = new ReadOnlyEngine(projections, log.path, log.db, readers, (name) => serving.get(name)!, scratchDir);
    return new Core({
      dataDir,
      logPath: log.path,
      deviceId: deviceIdOf(log.db),
      commands: null,
      sync: null,
      logReader: log.db,
      files: null,
      readers,
      queries: new InlineQueries(readers),
      engine,
      push: new PushHub(),
      closeExtras: async () => {
        if (scratch) rmSync(scratch, { recursive: true, force: true });
      },
      refusal: { code: 'READ_ONLY', message: `${READ_ONLY_NOTE} Nothing was recorded.` },
    });
  } catch (error) {
    for (const db of opened) db.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    throw explainOpenFailure(error, dataDir);
  }
}
