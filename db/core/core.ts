import type Database from 'better-sqlite3';
import { rmSync, writeFileSync } from 'node:fs';
import type {
  CommandResult,
  DeadLetter,
  Freshness,
  ProjectionStatus,
  PushMessages,
  PushTopic,
  QueryOptions,
  QueryResults,
  ReadModelName,
  Session,
  SyncStatus,
  ValidCommandRequest,
  VerifyReport,
  WaybillErrorBody,
} from '../contract/index.ts';
import { WaybillError } from '../contract/waybillError.ts';
import { projectionByName, projections } from '../projections/index.ts';
import type { RebuildOutcome } from '../projector/runRebuild.ts';
import { queries, type ReadModelQueryName } from '../queries/index.ts';
import { type ParsedParams, type QueryDefinition } from '../queries/defineQuery.ts';
import type { ReadModelFiles } from '../readmodel/readModelFiles.ts';
import { createEndpoint, type CoreEndpoint } from './endpoint.ts';
import { InlineEngine } from './inlineEngine.ts';
import type { ProjectionEngine } from './projectionEngine.ts';
import type { PushHub } from './pushHub.ts';
import type { QueryService } from './queryPool.ts';
import type { CommandWriter, ImportOutcome, SeedOutcome } from './writer/commandWriter.ts';
import type { ReadModelReaders } from '../readmodel/readModelReaders.ts';
import { rebuildMarkerPath } from './startupChecks.ts';
import { InlineWriter } from './writer/inlineWriter.ts';
import type { LaptopSync } from './sync/laptopSync.ts';

export interface CoreParts {
  dataDir: string;
  logPath: string;
  /** This data folder's identity as a device; null only for an old log opened read-only. */
  deviceId: string | null;
  /** The log's single writer; null when the folder is open read-only. */
  commands: CommandWriter | null;
  logReader: Database.Database;
  files: ReadModelFiles | null;
  readers: ReadModelReaders;
  queries: QueryService;
  engine: ProjectionEngine;
  push: PushHub;
  closeExtras: () => Promise<void>;
  /** This laptop's sync with a server; null when the folder is open read-only. */
  sync: LaptopSync | null;
  /** Set when nothing may be written (a folder open read-only): every write answers this error. */
  refusal?: WaybillErrorBody;
}

const DEFAULT_WAIT_MS = 2000;
const MAX_WAIT_MS = 30_000;

/**
 * The headless core: commands go to the single writer, queries to read-only read-model
 * connections, projection work to the engine (worker threads or inline). Input reaches it
 * validated, through the endpoint (endpoint.ts): this object trusts its arguments.
 */
export class Core {
  /** The one way in for every host: validated input, stamped sessions, errors as values. */
  readonly endpoint: CoreEndpoint = createEndpoint(this);
  readonly dataDir: string;
  readonly deviceId: string | null;
  private readonly headStatement: Database.Statement;
  private accepting = true;
  private closed = false;
  /** Appends of the last five seconds (for appendedPerSecond), pruned on every append. */
  private recentAppends: { at: number; count: number }[] = [];
  private readonly rebuildsRunning = new Map<ReadModelName, number>();
  /** Why writes are refused, if they are: the folder is open read-only, or the log turned out damaged. */
  private refusal: WaybillErrorBody | null;

  constructor(private readonly parts: CoreParts) {
    this.dataDir = parts.dataDir;
    this.deviceId = parts.deviceId;
    this.refusal = parts.refusal ?? null;
    this.headStatement = parts.logReader.prepare('SELECT coalesce(max(position), 0) FROM events').pluck();
    // Every append (a command, a seed chunk, an import) wakes the projectors and tells listeners.
    parts.commands?.onAppended((head, count) => this.afterAppend(head, count));
  }

  /** True when the folder was opened read-only: commands answer READ_ONLY, read models do not move. */
  get readOnly(): boolean {
    return this.parts.commands === null;
  }

  head(): number {
    return this.headStatement.get() as number;
  }

  /** decide → append, as the session's actor on this device; returns the last global position for read-your-writes. */
  async command(request: ValidCommandRequest, session: Session): Promise<CommandResult> {
    if (!this.accepting) return { ok: false, error: { code: 'UNAVAILABLE', message: 'Waybill is shutting down; the command was not recorded.', retryable: true } };
    const result = await this.writerOrRefusal().record(request, session.actor);
    // A damaged log is never written to again in this session: restore from a backup.
    if (!result.ok && result.error.code === 'CORRUPT') this.refusal = result.error;
    return result;
  }

  /** Appends the seeder's demo history through the command path, telling `seed` listeners how far it has got. */
  seed(input: { events: number; seed: number }): Promise<SeedOutcome> {
    return this.writerOrRefusal().seed(input, (appended, target) => this.publish('seed', 'seed', () => ({ appended, target })));
  }

  /** Appends another log's export through the one append path. */
  importFile(from: string): Promise<ImportOutcome> {
    return this.writerOrRefusal().importFile(from);
  }

  /** This laptop's sync: its status, join, sync now, leave. */
  sync(): LaptopSync {
    const sync = this.parts.sync;
    if (!sync) throw new WaybillError('READ_ONLY', 'This data folder is open read-only: it cannot sync.');
    return sync;
  }

  /** How sync stands, for the status operation and the `sync` push topic. */
  syncStatus(): SyncStatus {
    return this.sync().status();
  }

  /** How sync stands, its conflict count caught up first (the CLI's read models catch up when asked). */
  async freshSyncStatus(): Promise<SyncStatus> {
    await this.parts.engine.beforeQuery('conflicts');
    return this.syncStatus();
  }

  /** The apps sync in the background whenever the server is reachable; the CLI syncs when told. */
  startBackgroundSync(): void {
    this.parts.sync?.startBackground();
  }

  /** The read-only log connection (online backup, export). */
  logReader(): Database.Database {
    return this.parts.logReader;
  }

  /** The inline writer's own connection to the log, for tests that limit or damage the log's file; the writer thread's is out of reach. */
  inlineLogWriter(): Database.Database {
    if (!(this.parts.commands instanceof InlineWriter)) throw new Error('inlineLogWriter: this core appends in its writer thread (open it with inline projectors).');
    return this.parts.commands.connection();
  }

  private writerOrRefusal(): CommandWriter {
    const refused = this.writeRefusal();
    if (refused || !this.parts.commands) throw new WaybillError(refused?.code ?? 'READ_ONLY', refused?.message ?? 'This data folder is open read-only: nothing can be recorded.');
    return this.parts.commands;
  }

  /** After any append (commands, seeding, import): projectors wake at once and listeners hear of it. */
  private afterAppend(head: number, count: number): void {
    const now = performance.now();
    this.recentAppends.push({ at: now, count });
    // Pruned here, not only when a head push is built: with nobody listening it would grow forever.
    this.forgetAppendsBefore(now - 5000);
    this.parts.engine.notify(head);
    this.parts.push.publish('head', 'log', () => {
      this.forgetAppendsBefore(performance.now() - 5000);
      const appended = this.recentAppends.reduce((sum, a) => sum + a.count, 0);
      return { head: this.head(), appendedPerSecond: Math.round(appended / 5) };
    });
  }

  private forgetAppendsBefore(since: number): void {
    let old = 0;
    while (old < this.recentAppends.length && this.recentAppends[old]!.at < since) old++;
    if (old > 0) this.recentAppends.splice(0, old);
  }

  /** Tells listeners of a topic (rebuild and seed progress come from here and from the engine). */
  publish<T extends PushTopic>(topic: T, key: string, build: () => PushMessages[T]): void {
    this.parts.push.publish(topic, key, build);
  }

  /** Answers a named query from its read model, after waiting for `minPosition` if asked (read-your-writes). */
  async query<Q extends ReadModelQueryName>(name: Q, params: ParsedParams<Q>, options: QueryOptions = {}): Promise<{ data: QueryResults[Q]; freshness: Freshness }> {
    const definition = queries[name] as unknown as QueryDefinition<Q>;
    let stale = false;
    if (options.minPosition !== undefined) {
      const timeout = Math.min(options.timeoutMs ?? DEFAULT_WAIT_MS, MAX_WAIT_MS);
      stale = !(await this.parts.engine.waitFor(definition.readModel, options.minPosition, timeout));
    } else {
      await this.parts.engine.beforeQuery(definition.readModel);
    }
    const data = (await this.parts.queries.run(name, params)) as QueryResults[Q];
    return { data, freshness: this.freshness(definition.readModel, stale) };
  }

  freshness(readModel: ReadModelName, stale = false): Freshness {
    const head = this.head();
    const position = this.parts.readers.checkpoint(readModel)?.position ?? 0;
    return { readModel, position, head, lag: Math.max(0, head - position), stale };
  }

  /**
   * Every read model's checkpoint, lag and state; as fresh as the read model furthest behind. With
   * `minPosition`, once every read model has reached it (or the timeout passed: stale).
   */
  async status(options: QueryOptions = {}): Promise<{ data: QueryResults['projections.status']; freshness: Freshness }> {
    let stale = false;
    if (options.minPosition !== undefined) {
      const timeout = Math.min(options.timeoutMs ?? DEFAULT_WAIT_MS, MAX_WAIT_MS);
      const reached = await Promise.all(projections.map((p) => this.parts.engine.waitFor(p.name, options.minPosition!, timeout)));
      stale = reached.includes(false);
    }
    const head = this.head();
    const data = { head, projections: projections.map((p) => this.projectionStatus(p.name, head)), writeRefusal: this.writeRefusal() };
    const position = Math.min(...data.projections.map((p) => p.checkpoint));
    return { data, freshness: { readModel: null, position, head, lag: Math.max(0, head - position), stale } };
  }

  /** Why commands are refused in this session, if they are. */
  writeRefusal(): WaybillErrorBody | null {
    if (this.refusal) return this.refusal;
    return this.parts.commands ? null : { code: 'READ_ONLY', message: 'This data folder was opened read-only: nothing can be recorded here.' };
  }

  projectionStatus(name: ReadModelName, head = this.head()): ProjectionStatus {
    const projection = projectionByName(name);
    const stored = this.parts.readers.checkpoint(name);
    const runtime = this.parts.engine.runtime(name);
    const checkpoint = stored?.position ?? 0;
    const deadLetters = this.parts.readers
      .get(name)
      .prepare('SELECT position, event_id AS eventId, type, error, attempts, parked_at AS parkedAt FROM _dead_letters ORDER BY position LIMIT 100')
      .all() as DeadLetter[];
    return {
      name,
      version: projection.version,
      storedVersion: stored?.version ?? null,
      checkpoint,
      head,
      lag: Math.max(0, head - checkpoint),
      state: runtime.state,
      policy: projection.policy,
      error: runtime.error,
      eventsPerSecond: runtime.eventsPerSecond,
      deadLetters,
      rebuild: runtime.rebuild,
    };
  }

  /** Rebuilds one or every read model (the worker engine runs a few at a time); the current files serve until each swap. */
  async rebuild(name?: ReadModelName): Promise<{ ok: true } | { ok: false; error: WaybillErrorBody }> {
    if (this.readOnly && this.refusal) return { ok: false, error: this.refusal };
    const names = name ? [name] : projections.map((p) => p.name);
    const results = await Promise.all(names.map((n) => this.rebuildReadModel(n)));
    const failed = results.find((r) => !r.ok);
    if (!failed || failed.ok) return { ok: true };
    if (failed.cancelled) return { ok: false, error: { code: 'CONFLICT', message: failed.error } };
    return { ok: false, error: { code: 'INTERNAL', message: failed.error, ...(failed.retryable ? { retryable: true as const } : {}) } };
  }

  /**
   * Rebuilds one read model with a marker file on disk meanwhile: if the process dies (or closes)
   * before the rebuild ends, the next start restarts it. A finished, failed or cancelled rebuild
   * removes the marker.
   */
  async rebuildReadModel(name: ReadModelName): Promise<RebuildOutcome> {
    if (!this.parts.files) return { ok: false, cancelled: false, error: this.refusal?.message ?? 'Read models cannot be rebuilt here.' };
    const marker = rebuildMarkerPath(this.parts.files, name);
    writeFileSync(marker, `${new Date().toISOString()}\n`);
    this.rebuildsRunning.set(name, (this.rebuildsRunning.get(name) ?? 0) + 1);
    try {
      return await this.parts.engine.rebuild(name);
    } finally {
      const left = this.rebuildsRunning.get(name)! - 1;
      this.rebuildsRunning.set(name, left);
      if (left === 0 && !this.closed) rmSync(marker, { force: true });
    }
  }

  /** Brings every read model up to the head now (the CLI's engine; worker engines are always following). */
  async catchUpAll(): Promise<void> {
    if (this.parts.engine instanceof InlineEngine) await this.parts.engine.catchUpAll();
    else await Promise.all(projections.map((p) => this.parts.engine.waitFor(p.name, this.head(), 600_000)));
  }

  cancelRebuild(name?: ReadModelName): void {
    for (const p of projections) if (!name || p.name === name) this.parts.engine.cancelRebuild(p.name);
  }

  async deadLetter(name: ReadModelName, position: number, action: 'retry' | 'skip'): Promise<{ ok: true } | { ok: false; error: WaybillErrorBody }> {
    if (this.readOnly && this.refusal) return { ok: false, error: this.refusal };
    const error = await this.parts.engine.deadLetter(name, position, action);
    return error === null ? { ok: true } : { ok: false, error: { code: 'RULE', message: error } };
  }

  async verify(): Promise<VerifyReport> {
    const [log, readModels] = await Promise.all([this.parts.engine.verifyLog(), this.parts.engine.verifyAll()]);
    return { ok: log.gapless && log.guards && log.integrity === 'ok' && log.chain.ok && log.origins.ok && readModels.every((r) => r.ok), log, readModels };
  }

  listen<T extends PushTopic>(topic: T, listener: (message: PushMessages[T]) => void): () => void {
    return this.parts.push.subscribe(topic, listener);
  }

  /** Graceful: stop accepting commands, let projectors commit their batch, close every database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.accepting = false;
    await this.parts.sync?.stop();
    await this.parts.engine.close();
    await this.parts.queries.close();
    await this.parts.closeExtras();
    this.parts.push.close();
    this.parts.readers.close();
    this.parts.logReader.close();
    // The writer last: the last connection to close folds the WAL into the log, and a reader cannot.
    await this.parts.commands?.close();
  }
}
