import type Database from 'better-sqlite3';
import type { AppendedEventRef, CommandResult } from '../contract.ts';
import { WaybillError } from '../errors.ts';
import type { DomainEvent, EventMetadata } from '../domain/events.ts';
import { eventHash, GENESIS_HASH } from './eventHash.ts';
import type { UpcasterRegistry } from './upcast.ts';

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
    this.insertCommand = db.prepare(
      'INSERT INTO commands (command_id, type, first_position, last_position, result) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertTrackingCode = db.prepare('INSERT INTO tracking_codes (tracking_code, parcel_id, position) VALUES (?, ?, ?)');
    this.selectCommand = db.prepare('SELECT result FROM commands WHERE command_id = ?').pluck();
    this.selectStream = db.prepare('SELECT type, schema_version AS schemaVersion, payload, version FROM events WHERE stream_id = ? ORDER BY version');
    this.selectStreamVersion = db.prepare('SELECT max(version) FROM events WHERE stream_id = ?').pluck();
    this.selectLast = db.prepare('SELECT position, hash, recorded_at AS recordedAt FROM events ORDER BY position DESC LIMIT 1');
    this.selectTrackingCode = db.prepare('SELECT parcel_id FROM tracking_codes WHERE tracking_code = ?').pluck();
  }

  /** Runs `work` in one IMMEDIATE transaction: all or nothing, serialized with other writers. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  head(): number {
    const last = this.selectLast.get() as { position: number } | undefined;
    return last?.position ?? 0;
  }

  findCommandResult(commandId: string): CommandResult | null {
    const stored = this.selectCommand.get(commandId) as string | undefined;
    return stored === undefined ? null : (JSON.parse(stored) as CommandResult);
  }

  streamVersion(streamId: string): number {
    return (this.selectStreamVersion.get(streamId) as number | null) ?? 0;
  }

  readStream(streamId: string): { version: number; events: DomainEvent[] } {
    const rows = this.selectStream.all(streamId) as { type: string; schemaVersion: number; payload: string; version: number }[];
    const events = rows.map(
      (row) =>
        ({
          streamId,
          type: row.type,
          payload: this.upcasters.upcast(row.type, row.schemaVersion, JSON.parse(row.payload) as Record<string, unknown>),
        }) as DomainEvent,
    );
    return { version: rows.length === 0 ? 0 : rows[rows.length - 1]!.version, events };
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
    const result: CommandResult = { ok: true, commandId: request.commandId, position, events: appended, duplicate: false };
    this.insertCommand.run(request.commandId, request.commandType, firstPosition, position, JSON.stringify(result));
    return { commandId: request.commandId, position, events: appended };
  }
}
