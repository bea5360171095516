import type Database from 'better-sqlite3';
import type { AppendedEventRef, CommandResult } from '../contract/index.ts';
import { WaybillError } from '../contract/waybillError.ts';
import { eventHash, GENESIS_HASH, type HashedFields } from './eventHash.ts';
import type { PayloadUpcaster } from './eventRows.ts';
import { ORIGIN_GENESIS_HASH, originHash } from './originHash.ts';
import { RowInserter } from './rowInserter.ts';

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
  /** Stored with every event of the command; `recordedAt` is added, and the command id as correlation id when it has none. */
  metadata: { correlationId?: string } & Record<string, unknown>;
  /** `fresh`: when this command id is taken already (in the log, or earlier in the same appendMany), a fresh one is used instead. */
  commandIdTaken?: 'fresh';
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

/** What one command appended: the id it is stored under, its last position, its events. */
export interface AppendedCommand {
  commandId: string;
  position: number;
  events: AppendedEventRef[];
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
  private readonly inserters: Record<'events' | 'origins' | 'commands' | 'reservations', RowInserter>;
  private readonly selectCommand: Database.Statement;
  private readonly selectCommandEvents: Database.Statement;
  /** Recently read streams; a read only fetches events newer than the cached version. */
  private readonly streamCache = new Map<string, { version: number; events: StreamEvent[] }>();
  private readonly selectStream: Database.Statement;
  private readonly selectStreamVersion: Database.Statement;
  private readonly selectLast: Database.Statement;
  private readonly selectReservation: Database.Statement;
  private readonly selectEventId: Database.Statement;
  private readonly selectOwnHead: Database.Statement;
  private readonly selectDevice: Database.Statement;
  private readonly selectOriginHead: Database.Statement;
  private deviceId: string | null = null;

  constructor(
    readonly db: Database.Database,
    private readonly upcaster: PayloadUpcaster,
  ) {
    this.inserters = {
      events: new RowInserter(db, 'events', ['position', 'event_id', 'stream_id', 'version', 'type', 'schema_version', 'payload', 'metadata', 'recorded_at', 'correlation_id', 'command_id', 'hash']),
      origins: new RowInserter(db, 'event_origins', ['position', 'device_id', 'device_seq', 'device_hash']),
      commands: new RowInserter(db, 'commands', ['command_id', 'type', 'first_position', 'last_position']),
      reservations: new RowInserter(db, 'reservations', ['kind', 'key', 'owner', 'position']),
    };
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
  append(request: AppendRequest): AppendedCommand {
    return this.appendMany([request])[0]!;
  }

  /**
   * Appends several commands' events, and their reservations, in order, as `append` would one
   * after the other: each row is worked out here first (positions, stream versions, both hash
   * chains, reservations), then all are written in multi-row statements. Must run inside `transaction`.
   */
  appendMany(requests: readonly AppendRequest[]): AppendedCommand[] {
    const last = this.selectLast.get() as { position: number; hash: string } | undefined;
    let position = last?.position ?? 0;
    let previousHash = last?.hash ?? GENESIS_HASH;
    const versions = new Map<string, number>();
    const commandIds = new Set<string>();
    const reserved = new Map<string, string>();
    let own: OwnHead | null = null;
    const rows = { events: [] as unknown[][], origins: [] as unknown[][], commands: [] as unknown[][], reservations: [] as unknown[][] };
    const results: AppendedCommand[] = [];
    const taken = (id: string) => commandIds.has(id) || this.selectCommand.get(id) !== undefined;
    for (const request of requests) {
      const commandId = request.commandIdTaken === 'fresh' && taken(request.commandId) ? request.newEventId() : request.commandId;
      commandIds.add(commandId);
      const correlationId = request.metadata.correlationId ?? commandId;
      const device = this.localDevice(request.newEventId);
      const firstPosition = position + 1;
      // Worked out at this command's first event of this device's own (events pulled or imported keep theirs).
      let recorded: { at: string; metadata: string } | null = null;
      const appended: AppendedEventRef[] = [];
      for (const e of request.events) {
        position++;
        const version = (versions.get(e.streamId) ?? this.streamVersion(e.streamId)) + 1;
        versions.set(e.streamId, version);
        const elsewhere = e.recordedElsewhere;
        if (!elsewhere && recorded === null) {
          own ??= this.ownHead(device);
          // This device's clock never goes backwards in its own events (a clock set back, or events
          // imported from elsewhere, keep its last time), so its time ranges map onto its sequence.
          const at: string = own.recordedAt > request.recordedAt ? own.recordedAt : request.recordedAt;
          recorded = { at, metadata: JSON.stringify({ ...request.metadata, correlationId, recordedAt: at }) };
        }
        const row: HashedFields & { correlationId: string; commandId: string } = {
          position,
          eventId: e.eventId ?? request.newEventId(),
          streamId: e.streamId,
          version,
          type: e.type,
          schemaVersion: e.schemaVersion,
          payload: elsewhere?.payload ?? JSON.stringify(e.payload),
          metadata: elsewhere?.metadata ?? recorded!.metadata,
          recordedAt: elsewhere?.recordedAt ?? recorded!.at,
          correlationId,
          commandId,
        };
        const hash = eventHash(previousHash, row);
        previousHash = hash;
        rows.events.push([row.position, row.eventId, row.streamId, row.version, row.type, row.schemaVersion, row.payload, row.metadata, row.recordedAt, row.correlationId, row.commandId, hash]);
        if (elsewhere) rows.origins.push([position, elsewhere.deviceId, elsewhere.deviceSeq, elsewhere.deviceHash]);
        else {
          const previous = own!; // read above, with this command's recorded time
          const deviceSeq = previous.deviceSeq + 1;
          own = { deviceSeq, deviceHash: originHash(previous.deviceHash, { ...row, deviceId: device, deviceSeq }), recordedAt: row.recordedAt };
          rows.origins.push([position, device, deviceSeq, own.deviceHash]);
        }
        appended.push({ position, eventId: row.eventId, streamId: row.streamId, version, type: row.type });
      }
      for (const reservation of request.reservations ?? []) {
        const key = `${reservation.kind}\u0000${reservation.key}`;
        const owner = reserved.get(key) ?? this.reservationOwner(reservation.kind, reservation.key);
        if (owner === null) {
          reserved.set(key, reservation.owner);
          rows.reservations.push([reservation.kind, reservation.key, reservation.owner, firstPosition]);
        } else if (owner !== reservation.owner && (request.reservationConflict ?? 'refuse') === 'refuse') {
          throw new WaybillError('CONFLICT', `${reservation.key} is already reserved by ${owner}.`, { rule: `${reservation.kind}_unique` });
        }
      }
      rows.commands.push([commandId, request.commandType, firstPosition, position]);
      results.push({ commandId, position, events: appended });
    }
    this.inserters.events.insert(rows.events);
    this.inserters.origins.insert(rows.origins);
    this.inserters.reservations.insert(rows.reservations);
    this.inserters.commands.insert(rows.commands);
    return results;
  }

  /** Where this folder's own device stands: its chain and its clock (nothing yet: the genesis hash). */
  private ownHead(device: string): OwnHead {
    return (this.selectOwnHead.get(device) as OwnHead | undefined) ?? { deviceSeq: 0, deviceHash: ORIGIN_GENESIS_HASH, recordedAt: '' };
  }
}
