import type Database from 'better-sqlite3';
import type { StoredEvent } from '../domain/events.ts';
import { upcasters } from '../domain/upcasters.ts';
import { projectionColumns, toLoggedEvent, type ProjectedRecord as EventRecord } from '../log/eventRows.ts';
import { asBatchedHandler, type BatchedEventHandler, type Projection } from './projection.ts';

export class ProjectionGapError extends Error {
  constructor(
    readonly projection: string,
    readonly expected: number,
    readonly found: number,
  ) {
    super(`${projection}: the log has a gap — expected position ${expected}, found ${found}. The projection halted.`);
    this.name = 'ProjectionGapError';
  }
}

export class ProjectionHaltedError extends Error {
  constructor(
    readonly projection: string,
    readonly position: number,
    readonly reason: string,
  ) {
    super(`${projection}: the handler failed on position ${position} (${reason}). The projection halted (policy: halt).`);
    this.name = 'ProjectionHaltedError';
  }
}

export const HANDLER_ATTEMPTS = 3;

/** A logged event as projections read it: the log's generic envelope, upcast to the domain's current shapes. */
const storedEvent = (record: EventRecord): StoredEvent => toLoggedEvent(record, upcasters) as unknown as StoredEvent;

/**
 * Applies events to one read model. Each batch commits its rows and its checkpoint in one
 * transaction, and reads the checkpoint inside that transaction, so two processes catching up
 * the same file can never apply an event twice or skip one.
 */
export class Projector {
  private readonly handler: BatchedEventHandler;
  private readonly dataVersion: Database.Statement;
  /** `PRAGMA data_version` at the start of the last batch: it changes only when another connection commits. */
  private lastDataVersion: unknown = null;
  private readonly handled: ReadonlySet<string>;
  private readonly readBatch: Database.Statement;
  private readonly readOne: Database.Statement;
  private readonly readSome: Database.Statement;
  private readonly readHead: Database.Statement;
  private readonly getCheckpoint: Database.Statement;
  private readonly setCheckpoint: Database.Statement;
  private readonly park: Database.Statement;
  private readonly listDead: Database.Statement;
  private readonly dropDead: Database.Statement;

  constructor(
    readonly projection: Projection,
    readonly readModel: Database.Database,
    readonly log: Database.Database,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {
    this.handler = asBatchedHandler(projection.prepare(readModel));
    this.dataVersion = readModel.prepare('PRAGMA data_version').pluck();
    this.handled = new Set(projection.handles);
    const columns = projectionColumns(projection.handles, projection.readsMetadata === true);
    this.readBatch = log.prepare(`SELECT ${columns} FROM events WHERE position > ? ORDER BY position LIMIT ?`);
    this.readOne = log.prepare(`SELECT ${columns} FROM events WHERE position = ?`);
    this.readSome = log.prepare(`SELECT ${columns} FROM events WHERE position IN (SELECT value FROM json_each(?))`);
    this.readHead = log.prepare('SELECT coalesce(max(position), 0) FROM events').pluck();
    this.getCheckpoint = readModel.prepare('SELECT position FROM _checkpoint WHERE projection = ?').pluck();
    // The stored version names the code that built the rows; catching up never rewrites it, so a
    // version-changed read model stays marked for rebuild until a rebuilt file is swapped in.
    this.setCheckpoint = readModel.prepare(
      `INSERT INTO _checkpoint (projection, version, position, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (projection) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    );
    this.park = readModel.prepare(
      'INSERT OR REPLACE INTO _dead_letters (position, event_id, type, error, attempts, parked_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.listDead = readModel.prepare('SELECT position FROM _dead_letters WHERE position = ?').pluck();
    this.dropDead = readModel.prepare('DELETE FROM _dead_letters WHERE position = ?');
  }

  checkpoint(): number {
    return (this.getCheckpoint.get(this.projection.name) as number | undefined) ?? 0;
  }

  head(): number {
    return this.readHead.get() as number;
  }

  /** Applies at most `limit` events after the checkpoint, stopping at `upTo` if given. Returns the new checkpoint. */
  runBatch(limit: number, upTo = Number.MAX_SAFE_INTEGER): { checkpoint: number; applied: number } {
    try {
      return this.readModel.transaction(() => this.batch(limit, upTo))();
    } catch (error) {
      this.forgetHeldRows();
      throw error;
    }
  }

  private batch(limit: number, upTo: number): { checkpoint: number; applied: number } {
    this.forgetHeldRowsIfChangedElsewhere();
    const from = this.checkpoint();
    const size = Math.max(0, Math.min(limit, upTo - from));
    if (size === 0) return { checkpoint: from, applied: 0 };
    const records = this.readBatch.all(from, size) as EventRecord[];
    if (records.length === 0) return { checkpoint: from, applied: 0 };
    let expected = from + 1;
    for (const record of records) {
      if (record.position !== expected) throw new ProjectionGapError(this.projection.name, expected, record.position);
      expected++;
    }
    this.applyRecords(records);
    const last = records[records.length - 1]!.position;
    this.setCheckpoint.run(this.projection.name, this.projection.version, last, this.now());
    return { checkpoint: last, applied: records.length };
  }

  /**
   * Applies these events in the order given (a rebuild in the server's order), in one transaction;
   * with `checkpoint`, the batch also sets it (the last batch: every position up to it is in).
   */
  applyInOrder(positions: readonly number[], checkpoint: number | null): void {
    try {
      this.readModel.transaction(() => {
        const byPosition = new Map((this.readSome.all(JSON.stringify(positions)) as EventRecord[]).map((r) => [r.position, r]));
        this.applyRecords(positions.map((p) => byPosition.get(p)!));
        if (checkpoint !== null) this.setCheckpoint.run(this.projection.name, this.projection.version, checkpoint, this.now());
      })();
    } catch (error) {
      this.forgetHeldRows();
      throw error;
    }
  }

  /** Another process (the CLI beside the app) may have caught this file up: held rows are stale then. */
  private forgetHeldRowsIfChangedElsewhere(): void {
    const version = this.dataVersion.get();
    if (version !== this.lastDataVersion) this.handler.reset();
    this.lastDataVersion = version;
  }

  private forgetHeldRows(): void {
    this.handler.reset();
    this.lastDataVersion = null;
  }

  /** Applies one event and writes back what the handler holds, in one (nested) transaction. */
  private applyOne(event: StoredEvent): void {
    this.readModel.transaction(() => {
      this.handler.apply(event);
      this.handler.flush();
    })();
  }

  /** Applies batches until the checkpoint reaches `upTo` (default: the head when called). */
  catchUp(batchSize = 2000, upTo = this.head()): number {
    let checkpoint = this.checkpoint();
    while (checkpoint < upTo) {
      const result = this.runBatch(batchSize, upTo);
      if (result.applied === 0) break;
      checkpoint = result.checkpoint;
    }
    return checkpoint;
  }

  /** Re-applies a parked event (after a fix); it leaves the dead letters only if the handler now succeeds. */
  retryDeadLetter(position: number): void {
    try {
      this.readModel.transaction(() => {
        this.forgetHeldRowsIfChangedElsewhere();
        if (this.listDead.get(position) === undefined) throw new Error(`No dead letter at position ${position}`);
        const record = this.readOne.get(position) as EventRecord | undefined;
        if (!record) throw new Error(`The log has no event at position ${position}`);
        this.applyOne(storedEvent(record));
        this.dropDead.run(position);
      })();
    } catch (error) {
      this.forgetHeldRows();
      throw error;
    }
  }

  skipDeadLetter(position: number): void {
    this.dropDead.run(position);
  }

  private applyRecords(records: readonly EventRecord[]): void {
    const fast = this.readModel.transaction(() => {
      for (const record of records) if (this.handled.has(record.type)) this.handler.apply(storedEvent(record));
      this.handler.flush();
    });
    try {
      fast();
      return;
    } catch {
      // Fall through: replay one event at a time to find and isolate the failing one.
      this.handler.reset();
    }
    for (const record of records) {
      if (!this.handled.has(record.type)) continue;
      let lastError: unknown = null;
      for (let attempt = 1; attempt <= HANDLER_ATTEMPTS; attempt++) {
        try {
          this.applyOne(storedEvent(record));
          lastError = null;
          break;
        } catch (error) {
          lastError = error;
          this.handler.reset();
        }
      }
      if (lastError === null) continue;
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      if (this.projection.policy === 'halt') throw new ProjectionHaltedError(this.projection.name, record.position, reason);
      this.park.run(record.position, record.eventId, record.type, reason, HANDLER_ATTEMPTS, this.now());
    }
  }
}
