import type Database from 'better-sqlite3';
import type { AppendedEventRef, CommandResult } from '../contract/index.ts';
import { WaybillError } from '../contract/waybillError.ts';
import { eventHash, GENESIS_HASH } from './eventHash.ts';
import type { PayloadUpcaster } from './eventRows.ts';
import { ORIGIN_GENESIS_HASH, originHash } from './originHash.ts';

const STREAM_CACHE_SIZE = 20_000;


/** An event to append: the log gives it its position and stream version, and its id unless it has one. */
export interface NewEvent {
  streamId: string;
  type: string;
  schemaVersion: number;
  payload: unknown;
  /** Set when the event already has an id (imported from another log); new events get one from `newEventId`. */
  eventId?: string;
  /** Set for an event recorded on another device (pulled): it keeps that device's origin, time and metadata bytes. */
  recordedElsewhere?: RecordedElsewhere;
}

/** An event as its origin device recorded it: its place in that device's chain, its time, its payload and metadata byte for byte. */
export interface RecordedElsewhere {
  deviceId: string;
  deviceSeq: number;
  deviceHash: string;
  recordedAt: string;
  payload: string;
  metadata: string;
}

/** The last event this folder's own device recorded: where its chain and its clock stand. */
interface OwnHead {
  deviceSeq: number;
  deviceHash: string;
  recordedAt: string;
}

/** A key of a kind that only one owner may hold (a tracking code and its parcel, say). */
export interface Reservation {
  kind: string;
  key: string;
  owner: string;
}

export interface AppendRequest {
  commandId: string;
  commandType: string;
  events: readonly NewEvent[];
  /** Stored with every event of the command; `recordedAt` is added. */
  metadata: { correlationId: string } & Record<string, unknown>;
  /** When the command was recorded; never before the log's last event (see append). */
  recordedAt: string;
  newEventId: () => string;
  reservations?: readonly Reservation[];
  /**
   * What a reservation another owner already holds means: `refuse` (a command: CONFLICT, nothing
   * appended) or `keep-first` (events that happened elsewhere: the first owner keeps it).
   */
  reservationConflict?: 'refuse' | 'keep-first';
}

/** An event as the write side reads a stream back to decide on it. */
export interface StreamEvent {
  streamId: string;
  type: string;
  payload: Record<string, unknown>;
}

/**
 * The single writer's statements over events.db: the one way anything is appended to the log
 * (commands, seeding and imports alike). Every method expects to run inside the caller's
 * IMMEDIATE transaction, so reads and the append see one consistent log.
 */
export class EventLogWriter {
  private readonly insertEvent: Database.Statement;
  private readonly insertCommand: Database.Statement;
  private readonly insertReservation: Database.Statement;
  private readonly selectCommand: Database.Statement;
  private readonly selectCommandEvents: Database.Statement;
  /** Recently read streams; a read only fetches events newer than the cached version. */
  private readonly streamCache = new Map<string, { version: number; events: StreamEvent[] }>();
  private readonly selectStream: Database.Statement;
  private readonly selectStreamVersion: Database.Statement;
  private readonly selectLast: Database.Statement;
  private readonly selectReservation: Database.Statement;
  private readonly selectEventId: Database.Statement;
  private readonly insertOrigin: Database.Statement;
  private readonly selectOwnHead: Database.Statement;
  private readonly selectDevice: Database.Statement;
  private readonly selectOriginHead: Database.Statement;
  private deviceId: string | null = null;

  constructor(
    readonly db: Database.Database,
    private readonly upcaster: PayloadUpcaster,
  ) {
    this.insertEvent = db.prepare(
      `INSERT INTO events (position, event_id, stream_id, version, type, schema_version, payload, metadata, recorded_at, correlation_id, command_id, hash)
       VALUES (@position, @eventId, @streamId, @version, @type, @schemaVersion, @payload, @metadata, @recordedAt, @correlationId, @commandId, @hash)`,
    );
    this.insertCommand = db.prepare('INSERT INTO commands (command_id, type, first_position, last_position) VALUES (?, ?, ?, ?)');
    this.insertReservation = db.prepare('INSERT INTO reservations (kind, key, owner, position) VALUES (?, ?, ?, ?)');
    this.selectCommand = db.prepare('SELECT first_position AS first, last_position AS last FROM commands WHERE command_id = ?');
    this.selectCommandEvents = db.prepare(
      'SELECT position, event_id AS eventId, stream_id AS streamId, version, type FROM events WHERE position BETWEEN ? AND ? ORDER BY position',
    );
    this.selectStream = db.prepare(
      'SELECT type, schema_version AS schemaVersion, payload, version FROM events WHERE stream_id = ? AND version > ? ORDER BY version',
    );
    this.selectStreamVersion = db.prepare('SELECT max(version) FROM events WHERE stream_id = ?').pluck();
    this.selectLast = db.prepare('SELECT position, hash, recorded_at AS recordedAt FROM events ORDER BY position DESC LIMIT 1');
    this.selectReservation = db.prepare('SELECT owner FROM reservations WHERE kind = ? AND key = ?').pluck();
    this.selectEventId = db.prepare('SELECT position FROM events WHERE event_id = ?').pluck();
    this.insertOrigin = db.prepare('INSERT INTO event_origins (position, device_id, device_seq, device_hash) VALUES (?, ?, ?, ?)');
    this.selectOwnHead = db.prepare(
      `SELECT o.device_seq AS deviceSeq, o.device_hash AS deviceHash, e.recorded_at AS recordedAt
       FROM event_origins o JOIN events e ON e.position = o.position WHERE o.device_id = ? ORDER BY o.device_seq DESC LIMIT 1`,
    );
    this.selectDevice = db.prepare('SELECT device_id FROM device').pluck();
    this.selectOriginHead = db.prepare('SELECT device_seq AS deviceSeq, device_hash AS deviceHash FROM event_origins WHERE device_id = ? ORDER BY device_seq DESC LIMIT 1');
  }

  /** This folder's device id (made with the first append if the folder has none yet). */
  localDevice(newId: () => string): string {
    if (this.deviceId !== null) return this.deviceId;
    let id = this.selectDevice.get() as string | undefined;
    if (id === undefined) {
      id = newId();
      this.db.prepare('INSERT INTO device (device_id, created_at) VALUES (?, ?)').run(id, new Date().toISOString());
    }
    return (this.deviceId = id);
  }

  /** Where a device's chain stands in this log: its highest sequence here and that event's hash. */
  originHead(deviceId: string): { deviceSeq: number; deviceHash: string } {
    return (this.selectOriginHead.get(deviceId) as { deviceSeq: number; deviceHash: string } | undefined) ?? { deviceSeq: 0, deviceHash: ORIGIN_GENESIS_HASH };
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
  findCommandResult(commandId: string): Extract<CommandResult, { ok: true }> | null {
    const stored = this.selectCommand.get(commandId) as { first: number; last: number } | undefined;
    if (stored === undefined) return null;
    const events = this.selectCommandEvents.all(stored.first, stored.last) as AppendedEventRef[];
    return { ok: true, commandId, position: stored.last, events, duplicate: false };
  }

  hasEvent(eventId: string): boolean {
    return this.positionOf(eventId) !== null;
  }

  positionOf(eventId: string): number | null {
    return (this.selectEventId.get(eventId) as number | undefined) ?? null;
  }

  streamVersion(streamId: string): number {
    return (this.selectStreamVersion.get(streamId) as number | null) ?? 0;
  }

  readStream(streamId: string): { version: number; events: readonly StreamEvent[] } {
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
      const payload = this.upcaster.upcast(row.type, row.schemaVersion, JSON.parse(row.payload) as Record<string, unknown>);
      events.push({ streamId, type: row.type, payload });
    }
    const stream = { version: rows.length === 0 ? (cached?.version ?? 0) : rows[rows.length - 1]!.version, events };
    this.streamCache.delete(streamId);
    if (stream.version > 0) this.streamCache.set(streamId, stream);
    if (this.streamCache.size > STREAM_CACHE_SIZE) this.streamCache.delete(this.streamCache.keys().next().value!);
    return stream;
  }

  reservationOwner(kind: string, key: string): string | null {
    return (this.selectReservation.get(kind, key) as string | undefined) ?? null;
  }

  /** Appends one command's events, and its reservations. Must run inside `transaction`. */
  append(request: AppendRequest): { commandId: string; position: number; events: AppendedEventRef[] } {
    const versions = new Map<string, number>();
    for (const e of request.events) {
      if (versions.has(e.streamId)) continue;
      // No version check here: the single writer decides and appends in one transaction, so a stream cannot move in between.
      versions.set(e.streamId, this.streamVersion(e.streamId));
    }
    const last = this.selectLast.get() as { position: number; hash: string } | undefined;
    let position = last?.position ?? 0;
    let previousHash = last?.hash ?? GENESIS_HASH;
    const firstPosition = position + 1;
    const device = this.localDevice(request.newEventId);
    const own = this.selectOwnHead.get(device) as OwnHead | undefined;
    // This device's clock never goes backwards in its own events (a clock set back, or events
    // imported from elsewhere, keep its last time), so its time ranges map onto its sequence.
    const recordedAt = own !== undefined && own.recordedAt > request.recordedAt ? own.recordedAt : request.recordedAt;
    let ownSeq = own?.deviceSeq ?? 0;
    let ownHash = own?.deviceHash ?? ORIGIN_GENESIS_HASH;
    const metadata = JSON.stringify({ ...request.metadata, recordedAt });
    const appended: AppendedEventRef[] = [];
    for (const e of request.events) {
      position++;
      const version = versions.get(e.streamId)! + 1;
      versions.set(e.streamId, version);
      const elsewhere = e.recordedElsewhere;
      const row = {
        position,
        eventId: e.eventId ?? request.newEventId(),
        streamId: e.streamId,
        version,
        type: e.type,
        schemaVersion: e.schemaVersion,
        payload: elsewhere?.payload ?? JSON.stringify(e.payload),
        metadata: elsewhere?.metadata ?? metadata,
        recordedAt: elsewhere?.recordedAt ?? recordedAt,
        correlationId: request.metadata.correlationId,
        commandId: request.commandId,
        hash: '',
      };
      row.hash = eventHash(previousHash, row);
      previousHash = row.hash;
      this.insertEvent.run(row);
      if (elsewhere) this.insertOrigin.run(position, elsewhere.deviceId, elsewhere.deviceSeq, elsewhere.deviceHash);
      else {
        ownSeq++;
        ownHash = originHash(ownHash, { ...row, deviceId: device, deviceSeq: ownSeq });
        this.insertOrigin.run(position, device, ownSeq, ownHash);
      }
      appended.push({ position, eventId: row.eventId, streamId: row.streamId, version, type: row.type });
    }
    for (const reservation of request.reservations ?? []) this.reserve(reservation, firstPosition, request.reservationConflict ?? 'refuse');
    this.insertCommand.run(request.commandId, request.commandType, firstPosition, position);
    return { commandId: request.commandId, position, events: appended };
  }

  private reserve(reservation: Reservation, position: number, conflict: 'refuse' | 'keep-first'): void {
    const owner = this.reservationOwner(reservation.kind, reservation.key);
    if (owner === null) return void this.insertReservation.run(reservation.kind, reservation.key, reservation.owner, position);
    if (owner === reservation.owner || conflict === 'keep-first') return;
    throw new WaybillError('CONFLICT', `${reservation.key} is already reserved by ${owner}.`, { rule: `${reservation.kind}_unique` });
  }
}
