// The peer: Emmett's SQLite event store, driven through its own exported API. Only the parts used
// here are typed, from the package's index.d.ts (0.38.5).
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { commandRequestSchema, type CommandRequest, type CommandResult } from '../../../db/contract/index.ts';
import { deciders } from '../../../db/domain/decide/index.ts';
import type { Decider } from '../../../db/domain/decide/decision.ts';
import type { DomainEvent } from '../../../db/domain/events.ts';
import { evolveParcel, initialParcel } from '../../../db/domain/parcel.ts';
import type { ParcelStatus } from '../../../db/contract/index.ts';
import { createDecisionView } from '../../../db/domain/view.ts';
import { reservationKinds } from '../../../db/domain/reservations.ts';
import { hoursBetween } from '../../../db/projections/etaModel.ts';
import type { Durability } from './sqlite.ts';

type Param = object | string | bigint | number | boolean | null;
export interface SQLiteConnection {
  close(): void;
  command(sql: string, values?: Param[]): Promise<{ changes: number }>;
  query<T>(sql: string, values?: Param[]): Promise<T[]>;
  querySingle<T>(sql: string, values?: Param[]): Promise<T | null>;
  withTransaction<T>(fn: () => Promise<T>): Promise<T>;
}
interface EmmettMessage {
  type: string;
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}
interface ReadMessage {
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown> & { globalPosition: bigint };
}
type AppendResult = { success: true; nextStreamPosition: bigint; lastGlobalPosition: bigint } | { success: false };
export interface EmmettProjection {
  name: string;
  canHandle: string[];
  handle(events: ReadMessage[], context: { connection: SQLiteConnection }): Promise<void>;
}
interface Processor {
  start(connection: SQLiteConnection): Promise<unknown>;
}
interface Consumer {
  processor(options: { projection: EmmettProjection; startFrom: 'BEGINNING'; stopAfter?: (message: ReadMessage) => boolean }): Processor;
  start(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
}
export interface EmmettSqlite {
  sqliteConnection(options: { fileName: string }): SQLiteConnection;
  createEventStoreSchema(connection: SQLiteConnection): Promise<void>;
  schemaSQL: string[];
  appendToStream(connection: SQLiteConnection, streamName: string, streamType: string, messages: EmmettMessage[], options?: { expectedStreamVersion?: bigint }): Promise<AppendResult>;
  readStream(connection: SQLiteConnection, streamId: string): Promise<{ currentStreamVersion: bigint; events: ReadMessage[]; streamExists: boolean }>;
  getSQLiteEventStore(options: { fileName: string }): { consumer(options: { pulling?: { batchSize?: number; pullingFrequencyInMs?: number } }): Consumer };
}

export async function loadEmmett(entry: string): Promise<EmmettSqlite> {
  return (await import(entry)) as EmmettSqlite;
}

/**
 * Writes the seeded history into a fresh Emmett store with the rows Emmett's appendToStream writes
 * (schema created by Emmett itself), so both stores start from the same events. Bulk, not timed.
 */
export async function loadHistoryIntoEmmett(emmett: EmmettSqlite, logFile: string, target: string, upTo = Number.MAX_SAFE_INTEGER): Promise<{ events: number }> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(target + suffix, { force: true });
  const connection = emmett.sqliteConnection({ fileName: target });
  await emmett.createEventStoreSchema(connection);
  await connection.command('CREATE TABLE IF NOT EXISTS tracking_codes (tracking_code TEXT PRIMARY KEY, parcel_id TEXT NOT NULL, position INTEGER NOT NULL)');
  connection.close();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const db = new Database(target);
  const log = new Database(logFile, { readonly: true, fileMustExist: true });
  let events = 0;
  db.pragma('synchronous = OFF');
  db.transaction(() => {
    const message = db.prepare(
      `INSERT INTO emt_messages (stream_id, stream_position, partition, message_kind, message_data, message_metadata, message_schema_version, message_type, message_id, is_archived, global_position, created)
       VALUES (?, ?, 'emt:default', 'E', ?, ?, ?, ?, ?, 0, ?, ?)`,
    );
    const versions = new Map<string, number>();
    for (const raw of log.prepare('SELECT position, event_id, stream_id, version, type, payload, metadata, recorded_at FROM events WHERE position <= ? ORDER BY position').raw().iterate(upTo)) {
      const [position, eventId, streamId, version, type, payload, metadata, recordedAt] = raw as [number, string, string, number, string, string, string, string];
      const meta = { streamName: streamId, messageId: eventId, streamPosition: '1', ...(JSON.parse(metadata) as Record<string, unknown>) };
      message.run(streamId, version, payload, JSON.stringify(meta), String(version - 1), type, eventId, position, recordedAt.replace('T', ' ').slice(0, 19));
      versions.set(streamId, version);
      events++;
    }
    const stream = db.prepare("INSERT INTO emt_streams (stream_id, stream_position, partition, stream_type, stream_metadata, is_archived) VALUES (?, ?, '[object Object]', ?, '[]', 0)");
    for (const [id, version] of versions) stream.run(id, version, id.split('-')[0]!);
    const code = db.prepare('INSERT INTO tracking_codes VALUES (?, ?, ?)');
    const codes = log.prepare('SELECT key, owner, position FROM reservations WHERE kind = ? AND position <= ?').raw();
    for (const row of codes.iterate(reservationKinds.trackingCode, upTo)) code.run(row as unknown[]);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  log.close();
  return { events };
}

/** Who records on the Emmett side: one actor and device, as the benchmark's session is on Waybill's. */
const BENCH_ACTOR = 'bench';
const BENCH_DEVICE = 'bench-device';

class NeedStream {
  constructor(readonly streamId: string) {}
}
class NeedCode {
  constructor(readonly code: string) {}
}

/**
 * validate → decide → append on Emmett, with the very same validation and pure deciders as Waybill:
 * the streams a decision reads come from Emmett's readStream, the events go to Emmett's
 * appendToStream per stream with the version the decision saw, all in one transaction.
 */
export async function openEmmettCommands(emmett: EmmettSqlite, file: string, durability: Durability) {
  const connection = emmett.sqliteConnection({ fileName: file });
  // Its own `PRAGMA journal_mode = WAL` is not awaited by sqliteConnection: let it finish first.
  await new Promise((resolve) => setTimeout(resolve, 100));
  await connection.command(`PRAGMA synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  const level = await connection.querySingle<{ synchronous: number }>('PRAGMA synchronous');
  if (level?.synchronous !== (durability === 'full' ? 2 : 1)) throw new Error(`Emmett's connection did not take synchronous = ${durability}`);
  let ids = 0;
  const handle = async (input: CommandRequest): Promise<CommandResult | { ok: true; position: number }> => {
    // Validated as the core's boundary validates a command; who sends it is the bench session's, as on Waybill's side.
    const request = commandRequestSchema.parse(input);
    const commandId = request.commandId ?? `emt-${process.pid}-${++ids}`;
    const now = new Date().toISOString();
    return connection.withTransaction(async () => {
      const streams = new Map<string, { version: number; events: DomainEvent[] }>();
      const codes = new Map<string, string | null>();
      for (;;) {
        try {
          const view = createDecisionView({
            now,
            readStream: (streamId) => {
              const s = streams.get(streamId);
              if (!s) throw new NeedStream(streamId);
              return s;
            },
            reservationOwner: (kind, code) => {
              if (kind !== reservationKinds.trackingCode) throw new Error(`The Emmett peer keeps no reservations of kind ${kind}.`);
              if (!codes.has(code)) throw new NeedCode(code);
              return codes.get(code)!;
            },
          });
          const decide = deciders[request.type] as Decider<typeof request.type>;
          const decision = decide(request.payload as never, view);
          if (!decision.ok) return decision;
          const groups = new Map<string, DomainEvent[]>();
          for (const e of decision.events) groups.set(e.streamId, [...(groups.get(e.streamId) ?? []), e]);
          let position = 0n;
          const metadata = { commandId, correlationId: request.correlationId ?? commandId, causationId: request.causationId ?? commandId, actor: BENCH_ACTOR, deviceId: BENCH_DEVICE, recordedAt: now };
          for (const [streamId, events] of groups) {
            const seen = view.seenVersions.get(streamId);
            const result = await emmett.appendToStream(
              connection,
              streamId,
              streamId.split('-')[0]!,
              events.map((e) => ({ type: e.type, data: e.payload as unknown as Record<string, unknown>, metadata })),
              seen === undefined ? {} : { expectedStreamVersion: BigInt(seen) },
            );
            if (!result.success) throw new Error(`Emmett refused the append to ${streamId} (expected version ${String(seen)})`);
            position = result.lastGlobalPosition;
          }
          if (request.type === 'RegisterParcel') {
            await connection.command('INSERT INTO tracking_codes (tracking_code, parcel_id, position) VALUES (?, ?, ?)', [request.payload.trackingCode, request.payload.parcelId, Number(position)]);
          }
          return { ok: true as const, position: Number(position) };
        } catch (need) {
          if (need instanceof NeedStream) {
            const s = await emmett.readStream(connection, need.streamId);
            streams.set(need.streamId, { version: Number(s.currentStreamVersion), events: s.events.map((e) => ({ streamId: need.streamId, type: e.type, payload: e.data }) as DomainEvent) });
          } else if (need instanceof NeedCode) {
            const row = await connection.querySingle<{ parcel_id: string }>('SELECT parcel_id FROM tracking_codes WHERE tracking_code = ?', [need.code]);
            codes.set(need.code, row?.parcel_id ?? null);
          } else throw need;
        }
      }
    });
  };
  return { handle, close: () => connection.close() };
}

/** depot_board and eta_stats as Emmett projections: the same tables and statements, through Emmett's connection. */
export function emmettProjections(): Record<'depot_board' | 'eta_stats', { ddl: string[]; projection: EmmettProjection }> {
  return {
    depot_board: {
      ddl: [
        'CREATE TABLE IF NOT EXISTS depots (depot_id TEXT PRIMARY KEY, name TEXT NOT NULL, region TEXT NOT NULL)',
        'CREATE TABLE IF NOT EXISTS depot_counts (depot_id TEXT NOT NULL, status TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (depot_id, status))',
        'CREATE TABLE IF NOT EXISTS _parcels (parcel_id TEXT PRIMARY KEY, depot_id TEXT NOT NULL, status TEXT NOT NULL)',
      ],
      projection: {
        name: 'depot_board',
        canHandle: ['DepotRegistered', 'ParcelRegistered', 'ParcelScanned', 'ParcelAddedToRoute', 'ParcelOutForDelivery', 'DeliveryAttempted', 'ExceptionReported'],
        async handle(events, { connection }) {
          const bump = 'INSERT INTO depot_counts (depot_id, status, n) VALUES (?, ?, ?) ON CONFLICT (depot_id, status) DO UPDATE SET n = n + excluded.n';
          for (const e of events) {
            const p = e.data;
            if (e.type === 'DepotRegistered') {
              await connection.command('INSERT INTO depots (depot_id, name, region) VALUES (?, ?, ?) ON CONFLICT (depot_id) DO UPDATE SET name = excluded.name, region = excluded.region', [p.depotId as string, p.name as string, p.region as string]);
            } else if (e.type === 'ParcelRegistered') {
              await connection.command('INSERT INTO _parcels (parcel_id, depot_id, status) VALUES (?, ?, ?)', [p.parcelId as string, p.destinationDepotId as string, 'registered']);
              await connection.command(bump, [p.destinationDepotId as string, 'registered', 1]);
            } else {
              const parcel = await connection.querySingle<{ depotId: string; status: ParcelStatus }>('SELECT depot_id AS depotId, status FROM _parcels WHERE parcel_id = ?', [p.parcelId as string]);
              if (!parcel) throw new Error(`depot_board has no parcel ${String(p.parcelId)}`);
              const status = evolveParcel({ ...initialParcel, exists: true, status: parcel.status }, { streamId: '', type: e.type, payload: p } as DomainEvent).status;
              if (status === null || status === parcel.status) continue;
              await connection.command('UPDATE _parcels SET status = ? WHERE parcel_id = ?', [status, p.parcelId as string]);
              await connection.command(bump, [parcel.depotId, parcel.status, -1]);
              await connection.command(bump, [parcel.depotId, status, 1]);
            }
          }
        },
      },
    },
    eta_stats: {
      ddl: [
        'CREATE TABLE IF NOT EXISTS delivery_durations (region TEXT NOT NULL, condition TEXT NOT NULL, deliveries INTEGER NOT NULL, total_hours REAL NOT NULL, min_hours REAL NOT NULL, max_hours REAL NOT NULL, PRIMARY KEY (region, condition))',
        'CREATE TABLE IF NOT EXISTS region_weather (region TEXT PRIMARY KEY, condition TEXT NOT NULL, since TEXT NOT NULL)',
        'CREATE TABLE IF NOT EXISTS _parcels (parcel_id TEXT PRIMARY KEY, region TEXT, registered_at TEXT NOT NULL)',
        'CREATE TABLE IF NOT EXISTS _depots (depot_id TEXT PRIMARY KEY, region TEXT NOT NULL)',
      ],
      projection: {
        name: 'eta_stats',
        canHandle: ['DepotRegistered', 'ParcelRegistered', 'WeatherRecorded', 'DeliveryAttempted'],
        async handle(events, { connection }) {
          for (const e of events) {
            const p = e.data;
            if (e.type === 'DepotRegistered') {
              await connection.command('INSERT INTO _depots (depot_id, region) VALUES (?, ?) ON CONFLICT (depot_id) DO UPDATE SET region = excluded.region', [p.depotId as string, p.region as string]);
            } else if (e.type === 'ParcelRegistered') {
              await connection.command('INSERT INTO _parcels (parcel_id, region, registered_at) VALUES (?, (SELECT region FROM _depots WHERE depot_id = ?), ?)', [p.parcelId as string, p.destinationDepotId as string, p.at as string]);
            } else if (e.type === 'WeatherRecorded') {
              await connection.command(
                `INSERT INTO region_weather (region, condition, since) VALUES (?, ?, ?)
                 ON CONFLICT (region) DO UPDATE SET since = CASE WHEN condition = excluded.condition THEN since ELSE excluded.since END, condition = excluded.condition`,
                [p.region as string, p.condition as string, p.at as string],
              );
            } else if (p.outcome === 'delivered') {
              const parcel = await connection.querySingle<{ region: string | null; registeredAt: string; condition: string }>(
                `SELECT p.region, p.registered_at AS registeredAt, coalesce(w.condition, 'unknown') AS condition FROM _parcels p LEFT JOIN region_weather w ON w.region = p.region WHERE p.parcel_id = ?`,
                [p.parcelId as string],
              );
              if (!parcel) throw new Error(`eta_stats has no parcel ${String(p.parcelId)}`);
              if (parcel.region === null) continue;
              const hours = hoursBetween(parcel.registeredAt, p.at as string);
              await connection.command(
                `INSERT INTO delivery_durations (region, condition, deliveries, total_hours, min_hours, max_hours) VALUES (?, ?, 1, ?, ?, ?)
                 ON CONFLICT (region, condition) DO UPDATE SET deliveries = deliveries + 1, total_hours = total_hours + excluded.total_hours,
                   min_hours = min(min_hours, excluded.min_hours), max_hours = max(max_hours, excluded.max_hours)`,
                [parcel.region, parcel.condition, hours, hours, hours],
              );
            }
          }
        },
      },
    },
  };
}
