import type Database from 'better-sqlite3';
import type { AppendedEventRef, CommandResult } from '../contract.ts';
import { WaybillError } from '../errors.ts';
import type { DomainEvent, EventMetadata } from '../domain/events.ts';
import { eventHash, GENESIS_HASH } from './eventHash.ts';
import type { UpcasterRegistry } from './upcast.ts';

const STREAM_CACHE_SIZE = 20_000;

export type ExpectedVersion = number | 'no_stream' | 'any';

export interface AppendRequest {
  commandId: string;
  commandType: string;
  events: readonly DomainEvent[];
  /** Per stream: the version the decision was based on. Streams not listed accept any version. */
  expected: ReadonlyMap<string, ExpectedVersion>;
  metadata: Omit<EventMetadata, 'recordedAt'>;
  recordedAt: string;
  newEventId: () => string;
  schemaVersionOf: (type: string) => number;
  trackingCode?: { code: string; parcelId: string };
}

/**
 * The single writer's statements over events.db. Every method expects to run inside the
 * caller's IMMEDIATE transaction, so reads and the append see one consistent log.
 */
export class EventLogWriter {
  private readonly insertEvent: Database.Statement;
  private readonly insertCommand: Database.Statement;
  private readonly insertTrackingCode: Database.Statement;
  private readonly selectCommand: Database.Statement;
  private readonly selectCommandEvents: Database.Statement;
  /** Recently read streams; a read only fetches events newer than the cached version. */
  private readonly streamCache = new Map<string, { version: number; events: DomainEvent[] }>();
  private readonly selectStream: Database.Statement;
  private readonly selectStreamVersion: Database.Statement;
  private readonly selectLast: Database.Statement;
  private readonly selectTrackingCode: Database.Statement;

  constructor(
    readonly db: Database.Database,
    private readonly upcasters: UpcasterRegistry,
  ) {
    this.insertEvent = db.prepare(
      `INSERT INTO events (position, event_id, stream_id, version, type, schema_version, payload, metadata, recorded_at, correlation_id, command_id, hash)
       VALUES (@position, @eventId, @streamId, @version, @type, @schemaVersion, @payload, @metadata, @recordedAt, @correlationId, @commandId, @hash)`,
    );
    this.insertCommand = db.prepare('INSERT INTO commands (command_id, type, first_position, last_position) VALUES (?, ?, ?, ?)');
    this.insertTrackingCode = db.prepare('INSERT INTO tracking_codes (tracking_code, parcel_id, position) VALUES (?, ?, ?)');
    this.selectCommand = db.prepare('SELECT first_position AS first, last_position AS last FROM commands WHERE command_id = ?');
    this.selectCommandEvents = db.prepare(
      'SELECT position, event_id AS eventId, stream_id AS streamId, version, type FROM events WHERE position BETWEEN ? AND ? ORDER BY position',
    );
    this.selectStream = db.prepare(
      'SELECT type, schema_version AS schemaVersion, payload, version FROM events WHERE stream_id = ? AND version > ? ORDER BY version',
    );
    this.selectStreamVersion = db.prepare('SELECT max(version) FROM events WHERE stream_id = ?').pluck();
    this.selectLast = db.prepare('SELECT position, hash, recorded_at AS recordedAt FROM events ORDER BY position DESC LIMIT 1');
    this.selectTrackingCode = db.prepare('SELECT parcel_id FROM tracking_codes WHERE tracking_code = ?').pluck();
  }

  /** Runs `work` in one IMMEDIATE transaction: all or nothing, serialized with other writers. */
  transaction<T>(work: () => T): T {
    try {
      return this.db.transaction(work).immediate();
    } catch (error) {
      // The cache may hold events this transaction wrote and then rolled back.
      this.streamCache.clear();
      throw error;
    }
  }

  head(): number {
    const last = this.selectLast.get() as { position: number } | undefined;
    return last?.position ?? 0;
  }

  /** The result an accepted command got, rebuilt from its events; null for an unknown id. */
  findCommandResult(commandId: string): CommandResult | null {
    const stored = this.selectCommand.get(commandId) as { first: number; last: number } | undefined;
    if (stored === undefined) return null;
    const events = this.selectCommandEvents.all(stored.first, stored.last) as AppendedEventRef[];
    return { ok: true, commandId, position: stored.last, events, duplicate: false };
  }

  streamVersion(streamId: string): number {
    return (this.selectStreamVersion.get(streamId) as number | null) ?? 0;
  }

  readStream(streamId: string): { version: number; events: readonly DomainEvent[] } {
    const cached = this.streamCache.get(streamId);
    const rows = this.selectStream.all(streamId, cached?.version ?? 0) as { type: string; schemaVersion: number; payload: string; version: number }[];
    if (cached && rows.length === 0) {
      // Refresh its place in the cache's insertion order (least recently used goes first).
      this.streamCache.delete(streamId);
      this.streamCache.set(streamId, cached);
      return cached;
    }
    if (cached && rows[0]!.version !== cached.version + 1) {
      this.streamCache.delete(streamId);
      return this.readStream(streamId);
    }
    const events = cached ? [...cached.events] : [];
    for (const row of rows) {
      const payload = this.upcasters.upcast(row.type, row.schemaVersion, JSON.parse(row.payload) as Record<string, unknown>);
      events.push({ streamId, type: row.type, payload } as DomainEvent);
    }
    const stream = { version: rows.length === 0 ? (cached?.version ?? 0) : rows[rows.length - 1]!.version, events };
    this.streamCache.delete(streamId);
    if (stream.version > 0) this.streamCache.set(streamId, stream);
    if (this.streamCache.size > STREAM_CACHE_SIZE) this.streamCache.delete(this.streamCache.keys().next().value!);
    return stream;
  }

  trackingCodeOwner(code: string): string | null {
    return (this.selectTrackingCode.get(code) as string | undefined) ?? null;
  }

  /** Appends one command's events. Must run inside `transaction`. */
  append(request: AppendRequest): { commandId: string; position: number; events: AppendedEventRef[] } {
    const versions = new Map<string, number>();
    for (const e of request.events) {
      if (versions.has(e.streamId)) continue;
      const current = this.streamVersion(e.streamId);
      const expected = request.expected.get(e.streamId) ?? 'any';
      const matches = expected === 'any' || (expected === 'no_stream' ? current === 0 : current === expected);
      if (!matches) {
        throw new WaybillError(
          'CONCURRENCY',
          `Stream ${e.streamId} changed while this command was decided (expected version ${String(expected)}, found ${current}). Reload and try again.`,
          { rule: 'expected_version', retryable: true },
        );
      }
      versions.set(e.streamId, current);
    }

    const last = this.selectLast.get() as { position: number; hash: string; recordedAt: string } | undefined;
    let position = last?.position ?? 0;
    // Recorded time never goes backwards in the log (a clock set back keeps the last time), so
    // time ranges map onto position ranges.
    const recordedAt = last !== undefined && last.recordedAt > request.recordedAt ? last.recordedAt : request.recordedAt;
    let previousHash = last?.hash ?? GENESIS_HASH;
    const firstPosition = position + 1;
    const metadata = JSON.stringify({ ...request.metadata, recordedAt });
    const appended: AppendedEventRef[] = [];
    for (const e of request.events) {
      position++;
      const version = versions.get(e.streamId)! + 1;
      versions.set(e.streamId, version);
      const row = {
        position,
        eventId: request.newEventId(),
        streamId: e.streamId,
        version,
        type: e.type,
        schemaVersion: request.schemaVersionOf(e.type),
        payload: JSON.stringify(e.payload),
        metadata,
        recordedAt,
        correlationId: request.metadata.correlationId,
        commandId: request.commandId,
        hash: '',
      };
      row.hash = eventHash(previousHash, row);
      previousHash = row.hash;
      this.insertEvent.run(row);
      appended.push({ position, eventId: row.eventId, streamId: row.streamId, version, type: row.type });
    }
    if (request.trackingCode) this.insertTrackingCode.run(request.trackingCode.code, request.trackingCode.parcelId, firstPosition);
    this.insertCommand.run(request.commandId, request.commandType, firstPosition, position);
    return { commandId: request.commandId, position, events: appended };
  }
}
