import type Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import type { ReadModelName } from '../contract/index.ts';
import { ensureDeviceId } from '../log/deviceIdentity.ts';
import { openLogReader, openLogWriter, type Durability } from '../log/openEventLog.ts';
import { createUuidV7Generator } from '../log/uuidv7.ts';
import { defaultProcessLauncher } from '../projector/jobProcess.ts';
import type { ProcessLauncher } from '../runtime/processLauncher.ts';
import { projections } from '../projections/index.ts';
import { ReadModelFiles } from '../readmodel/readModelFiles.ts';
import { upcasters } from '../domain/upcasters.ts';
import { EventLogWriter } from '../log/eventLogWriter.ts';
import { Core } from './core.ts';
import { defaultBuiltFiles, type BuiltFiles } from '../runtime/builtFiles.ts';
import { logPathIn } from './dataPaths.ts';
import { startLogCheckpointer } from './logCheckpointer.ts';
import { InlineQueries, QueryPool, type QueryService } from './queryPool.ts';
import type { CommandWriter } from './writer/commandWriter.ts';
import { InlineWriter } from './writer/inlineWriter.ts';
import { WriterThread } from './writer/writerThread.ts';
import { checkLog, explainOpenFailure } from './openFailures.ts';
import { openReadOnlyCore } from './openReadOnly.ts';
import { InlineEngine } from './inlineEngine.ts';
import { PushHub } from './pushHub.ts';
import { ReadModelReaders } from '../readmodel/readModelReaders.ts';
import { checkReadModels } from './startupChecks.ts';
import { lastReorder } from '../readmodel/serverOrder.ts';
import { WorkerEngine } from './workerEngine.ts';
import { LaptopSync } from './sync/laptopSync.ts';
import { WaybillError } from '../contract/waybillError.ts';

export interface CoreOptions {
  dataDir: string;
  /** `synchronous` NORMAL (default) or FULL for the log. */
  durability?: Durability;
  /** Worker threads follow the log (apps) or queries catch up inline (CLI, tests). */
  projectors?: 'workers' | 'inline';
  /** Checkpoint the log's WAL from a background thread (default on); when off, appends checkpoint it themselves. */
  backgroundCheckpoints?: boolean;
  /**
   * Open without writing anything to the folder (a read-only medium or permissions, or just to
   * look): commands answer READ_ONLY, queries answer from the read models as they are.
   */
  readOnly?: boolean;
  /** Threads that answer queries with the worker engine (default 2): a long query holds up only its own thread. */
  queryThreads?: number;
  /** Read models rebuilt at once by the worker engine (default: one less than the CPU cores, at least 1). */
  rebuildConcurrency?: number;
  /**
   * Starts the worker engine's rebuild and verify jobs as processes of their own, so their memory
   * returns to the system when they end. Default: Node forks itself; Electron's main process
   * passes a utilityProcess launcher (without one it uses threads). null: worker threads.
   */
  jobLauncher?: ProcessLauncher | null;
  /**
   * The clock commands are recorded by (default: the system's). Inline projectors only: the writer
   * thread keeps the system clock, since a function cannot cross into it.
   */
  now?: () => string;
  /** Where the build put the bundled entries and the log's migrations (default: beside this code; see runtime/builtFiles.ts). */
  files?: BuiltFiles;
}

/**
 * Opens a data folder: checks and migrates the log, checks every read model, starts projection
 * work. A folder that cannot be opened fails with a typed error: READ_ONLY (open it with
 * `readOnly`), UNAVAILABLE (locked by another program; retryable) or CORRUPT (restore a backup).
 */
export async function openCore(options: CoreOptions): Promise<Core> {
  if (options.readOnly) return openReadOnlyCore(options.dataDir);
  const logPath = logPathIn(options.dataDir);
  const built = options.files ?? defaultBuiltFiles();
  const { writer: writerConnection, logReader } = openLog(options, logPath, built.migrations);
  const mode = options.projectors ?? 'workers';
  if (options.now && mode === 'workers') throw new TypeError('openCore: `now` is for inline projectors only (the writer thread keeps the system clock).');
  const now = options.now ?? (() => new Date().toISOString());
  const deviceId = ensureDeviceId(writerConnection, createUuidV7Generator(), now);
  const head = new EventLogWriter(writerConnection, upcasters).head();
  // The apps append in a thread of their own; the CLI and tests on the calling thread.
  let commands: CommandWriter;
  if (mode === 'workers') {
    writerConnection.close();
    commands = await WriterThread.start(built, { logPath, migrations: built.migrations, ...(options.durability ? { durability: options.durability } : {}), autoCheckpoint: options.backgroundCheckpoints === false, deviceId }).catch((error: unknown) => {
      logReader.close();
      throw explainOpenFailure(error, options.dataDir);
    });
  } else commands = new InlineWriter(writerConnection, deviceId, now);
  const files = new ReadModelFiles(options.dataDir);
  const verdicts = checkReadModels(projections, files, head, lastReorder(logReader));
  const readers = new ReadModelReaders(files);
  const push = new PushHub();

  const checkpointer = options.backgroundCheckpoints === false ? null : startLogCheckpointer(built, logPath);
  const closeExtras = async () => checkpointer?.stop();

  const late: { core?: Core; queries?: QueryService } = {};
  const engine =
    mode === 'workers'
      ? new WorkerEngine(
          projections,
          files,
          logPath,
          (name: ReadModelName) => {
            readers.reopen(name);
            late.queries!.reopen(name);
          },
          push,
          (name: ReadModelName) => push.publish('projection', name, () => late.core!.projectionStatus(name)),
          options.rebuildConcurrency,
          options.jobLauncher === undefined ? defaultProcessLauncher() : options.jobLauncher,
          built,
        )
      : new InlineEngine(projections, files, logPath, logReader, readers, push, built);
  // The apps answer queries in threads of their own; the CLI and tests on the calling thread.
  const queries: QueryService = (late.queries = mode === 'workers' ? new QueryPool(built, (name) => files.current(name), options.queryThreads ?? 2) : new InlineQueries(readers));
  const sync = new LaptopSync({
    dataDir: options.dataDir,
    deviceId,
    logReader,
    writer: commands,
    changed: () => push.publish('sync', 'sync', () => late.core!.syncStatus()),
    openConflicts: () => readers.get('conflicts').prepare("SELECT count(*) FROM conflicts WHERE state = 'open'").pluck().get() as number,
    rebuildAll: async () => {
      const rebuilt = await late.core!.rebuild();
      if (!rebuilt.ok) throw new WaybillError(rebuilt.error.code, rebuilt.error.message, rebuilt.error);
    },
  });
  const core = (late.core = new Core({ dataDir: options.dataDir, logPath, deviceId, commands, logReader, files, readers, queries, engine, push, closeExtras, sync }));

  if (engine instanceof WorkerEngine) {
    engine.start(head, new Map(verdicts.map((v) => [v.name, v.checkpoint])));
    for (const verdict of verdicts) if (verdict.action === 'rebuild') void core.rebuildReadModel(verdict.name);
  } else {
    for (const verdict of verdicts) if (verdict.action === 'rebuild') await core.rebuildReadModel(verdict.name);
  }
  return core;
}

/** The writer and a reader on the log, after checking an existing log is undamaged; typed errors otherwise. */
function openLog(options: CoreOptions, logPath: string, migrationsFolder: string): { writer: Database.Database; logReader: Database.Database } {
  const opened: Database.Database[] = [];
  try {
    mkdirSync(options.dataDir, { recursive: true });
    if (existsSync(logPath)) {
      const check = openLogReader(logPath);
      opened.push(check);
      checkLog(check, statSync(logPath).size, options.dataDir);
      check.close();
    }
    const writer = openLogWriter(logPath, {
      ...(options.durability ? { durability: options.durability } : {}),
      autoCheckpoint: options.backgroundCheckpoints === false,
      migrationsFolder,
    });
    opened.push(writer);
    // SQLite falls back to reading a file it cannot write without saying so: take the write lock once to know.
    writer.exec('BEGIN IMMEDIATE');
    writer.exec('ROLLBACK');
    const logReader = openLogReader(logPath, { cacheMiB: 16 });
    return { writer, logReader };
  } catch (error) {
    for (const db of opened) if (db.open) db.close();
    throw explainOpenFailure(error, options.dataDir);
  }
}

