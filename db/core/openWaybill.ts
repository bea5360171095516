import type Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type { ReadModelName, WaybillApi } from '../contract.ts';
import { deadLetterActionSchema, rebuildRequestSchema, seedRequestSchema } from '../contract.ts';
import { toErrorBody } from '../errors.ts';
import { openLogReader, openLogWriter, type Durability } from '../log/openEventLog.ts';
import { defaultProcessLauncher, type ProcessLauncher } from '../projector/jobProcess.ts';
import { spawnWorker } from '../projector/spawnWorker.ts';
import { projections } from '../projections/index.ts';
import { ReadModelFiles } from '../readmodel/readModelFiles.ts';
import { seedHistory } from '../seed/seedHistory.ts';
import { CommandHandler } from '../write/commandHandler.ts';
import { zodIssueToError } from '../write/validateCommand.ts';
import { logPathIn } from './dataPaths.ts';
import { checkLog, explainOpenFailure } from './openFailures.ts';
import { openReadOnlyWaybill } from './openReadOnly.ts';
import { InlineEngine } from './inlineEngine.ts';
import { PushHub } from './pushHub.ts';
import { ReadModelReaders } from './readModelReaders.ts';
import { checkReadModels } from './startupChecks.ts';
import { Waybill } from './waybill.ts';
import { WorkerEngine } from './workerEngine.ts';

export interface WaybillOptions {
  dataDir: string;
  /** `synchronous` NORMAL (default) or FULL for the log. */
  durability?: Durability;
  /** Worker threads follow the log (apps) or queries catch up inline (CLI, tests). */
  projectors?: 'workers' | 'inline';
  actor?: string;
  deviceId?: string;
  now?: () => string;
  /** Checkpoint the log's WAL from a background thread (default on); when off, appends checkpoint it themselves. */
  backgroundCheckpoints?: boolean;
  /**
   * Open without writing anything to the folder (a read-only medium or permissions, or just to
   * look): commands answer READ_ONLY, queries answer from the read models as they are.
   */
  readOnly?: boolean;
  /** Read models rebuilt at once by the worker engine (default: one less than the CPU cores, at least 1). */
  rebuildConcurrency?: number;
  /**
   * Starts the worker engine's rebuild and verify jobs as processes of their own, so their memory
   * returns to the system when they end. Default: Node forks itself; Electron's main process
   * passes a utilityProcess launcher (without one it uses threads). null: worker threads.
   */
  jobLauncher?: ProcessLauncher | null;
}

export type OpenedWaybill = Waybill & { api: WaybillApi };

/**
 * Opens a data folder: checks and migrates the log, checks every read model, starts projection
 * work. A folder that cannot be opened fails with a typed error: READ_ONLY (open it with
 * `readOnly`), UNAVAILABLE (locked by another program; retryable) or CORRUPT (restore a backup).
 */
export async function openWaybill(options: WaybillOptions): Promise<OpenedWaybill> {
  if (options.readOnly) {
    const waybill = openReadOnlyWaybill(options.dataDir);
    return Object.assign(waybill, { api: createApi(waybill) });
  }
  const logPath = logPathIn(options.dataDir);
  const { writer, logReader } = openLog(options, logPath);
  const handler = new CommandHandler(writer, {
    ...(options.now ? { now: options.now } : {}),
    ...(options.actor ? { actor: options.actor } : {}),
    ...(options.deviceId ? { deviceId: options.deviceId } : {}),
  });
  const head = handler.log.head();
  const files = new ReadModelFiles(options.dataDir);
  const verdicts = checkReadModels(projections, files, head);
  const readers = new ReadModelReaders(files);
  const push = new PushHub();

  let checkpointer: Worker | null = null;
  if (options.backgroundCheckpoints !== false) {
    checkpointer = spawnWorker('walCheckpointWorker', { logPath, intervalMs: 500 });
    checkpointer.unref();
  }
  const closeExtras = async () => {
    if (!checkpointer) return;
    checkpointer.ref();
    const stopped = new Promise<void>((resolve) => checkpointer!.on('message', (m: { kind: string }) => m.kind === 'stopped' && resolve()));
    checkpointer.postMessage({ kind: 'stop' });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([stopped, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
    await checkpointer.terminate();
  };

  const late: { waybill?: Waybill } = {};
  const mode = options.projectors ?? 'workers';
  const engine =
    mode === 'workers'
      ? new WorkerEngine(
          projections,
          files,
          logPath,
          readers,
          push,
          (name: ReadModelName) => push.publish('projection', name, () => late.waybill!.projectionStatus(name)),
          options.rebuildConcurrency,
          options.jobLauncher === undefined ? defaultProcessLauncher() : options.jobLauncher,
        )
      : new InlineEngine(projections, files, logPath, logReader, readers);
  const waybill = (late.waybill = new Waybill({ dataDir: options.dataDir, logPath, writer, logReader, handler, files, readers, engine, push, closeExtras }));

  if (engine instanceof WorkerEngine) {
    engine.start(head, new Map(verdicts.map((v) => [v.name, v.checkpoint])));
    for (const verdict of verdicts) if (verdict.action === 'rebuild') void waybill.rebuildReadModel(verdict.name);
  } else {
    for (const verdict of verdicts) if (verdict.action === 'rebuild') await waybill.rebuildReadModel(verdict.name);
  }
  return Object.assign(waybill, { api: createApi(waybill) });
}

/** The writer and a reader on the log, after checking an existing log is undamaged; typed errors otherwise. */
function openLog(options: WaybillOptions, logPath: string): { writer: Database.Database; logReader: Database.Database } {
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
    });
    opened.push(writer);
    const logReader = openLogReader(logPath, { cacheMiB: 16 });
    return { writer, logReader };
  } catch (error) {
    for (const db of opened) if (db.open) db.close();
    throw explainOpenFailure(error, options.dataDir);
  }
}

/** The renderer-facing API over a core: every entry validates its input and answers with a value, never a throw. */
export function createApi(waybill: Waybill): WaybillApi {
  return {
    command: async (request) => waybill.command(request),
    query: (name, params, options) => waybill.query(name, params, options),
    rebuild: async (request) => {
      const parsed = rebuildRequestSchema.safeParse(request ?? {});
      if (!parsed.success) return { ok: false, error: zodIssueToError(parsed.error, request).toBody() };
      return waybill.rebuild(parsed.data.projection);
    },
    cancelRebuild: async (request) => {
      const parsed = rebuildRequestSchema.safeParse(request);
      if (!parsed.success) return { ok: false, error: zodIssueToError(parsed.error, request).toBody() };
      waybill.cancelRebuild(parsed.data.projection);
      return { ok: true };
    },
    verify: () => waybill.verify(),
    deadLetter: async (request) => {
      const parsed = deadLetterActionSchema.safeParse(request);
      if (!parsed.success) return { ok: false, error: zodIssueToError(parsed.error, request).toBody() };
      return waybill.deadLetter(parsed.data.projection, parsed.data.position, parsed.data.action);
    },
    seed: async (request) => {
      const parsed = seedRequestSchema.safeParse(request);
      if (!parsed.success) return { ok: false, error: zodIssueToError(parsed.error, request).toBody() };
      try {
        const result = await seedHistory(waybill, { events: parsed.data.events, seed: parsed.data.seed ?? 1 });
        return { ok: true, events: result.events, head: result.head };
      } catch (error) {
        return { ok: false, error: toErrorBody(error) };
      }
    },
    subscribe: (topic, listener) => waybill.subscribe(topic, listener),
  };
}
