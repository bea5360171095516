import type Database from 'better-sqlite3';
import type { VerifyReport } from '../contract/index.ts';
import { eventHash, GENESIS_HASH } from './eventHash.ts';
import { EVENT_COLUMNS, type EventRecord } from './eventRows.ts';
import { ORIGIN_GENESIS_HASH, originHash } from './originHash.ts';

/** The append-only guards each table of the log carries (migrations 0001, 0002 and 0003). */
export const GUARDED_TABLES: Readonly<Record<string, readonly string[]>> = {
  events: ['events_no_update', 'events_no_delete', 'events_no_replace'],
  commands: ['commands_no_update', 'commands_no_delete', 'commands_no_replace'],
  reservations: ['reservations_no_update', 'reservations_no_delete', 'reservations_no_replace'],
  device: ['device_no_update', 'device_no_delete', 'device_only_one'],
  event_origins: ['event_origins_no_update', 'event_origins_no_delete', 'event_origins_no_replace'],
  server_order: ['server_order_no_update', 'server_order_no_delete', 'server_order_no_replace'],
  reorders: ['reorders_no_update', 'reorders_no_delete', 'reorders_no_replace'],
  // Logs (and their backups) from before migration 0002 kept tracking codes in a table of their own.
  tracking_codes: ['tracking_codes_no_update', 'tracking_codes_no_delete', 'tracking_codes_no_replace'],
};
/** Tables every log has, whatever its age. */
const ALWAYS_THERE = ['events', 'commands'];
/** Tables a log must have, by how many migrations it has had: tracking codes before 0002, reservations and its device identity since, origins and the server order since 0003. */
function tablesByAge(migrations: number): readonly string[] {
  if (migrations >= 4) return ['reservations', 'device', 'event_origins', 'server_order', 'reorders'];
  if (migrations === 3) return ['reservations', 'device'];
  return ['tracking_codes'];
}

/**
 * Checks the log itself: SQLite integrity, gapless positions, the append-only guards in place,
 * and the hash chain recomputed from the first event, which finds the first position where
 * history was altered, removed or reordered even if an outside program dropped the guards.
 */
export function verifyLog(db: Database.Database): VerifyReport['log'] {
  const integrity = String(db.pragma('integrity_check', { simple: true }));
  const { count, head } = db.prepare('SELECT count(*) AS count, coalesce(max(position), 0) AS head FROM events').get() as {
    count: number;
    head: number;
  };
  const triggers = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[]);
  const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  // Every guarded table present must carry all its guards; dropping a table with its guards does not hide that.
  const guards =
    ALWAYS_THERE.every((table) => tables.has(table)) &&
    tablesByAge(migrationsApplied(db, tables)).every((table) => tables.has(table)) &&
    Object.entries(GUARDED_TABLES).every(([table, names]) => !tables.has(table) || names.every((name) => triggers.has(name)));
  let previous = GENESIS_HASH;
  let expected = 1;
  let firstBadPosition: number | null = null;
  for (const row of db.prepare(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY position`).iterate() as IterableIterator<EventRecord>) {
    if (row.position !== expected || eventHash(previous, row) !== row.hash) {
      firstBadPosition = expected;
      break;
    }
    previous = row.hash;
    expected++;
  }
  // Events cut off the end leave a valid prefix chain; the commands table still names their positions.
  const acknowledged = (db.prepare('SELECT coalesce(max(last_position), 0) FROM commands').pluck().get() as number) ?? 0;
  if (firstBadPosition === null && acknowledged > head) firstBadPosition = head + 1;
  return {
    head,
    gapless: count === head,
    guards,
    integrity,
    chain: { ok: firstBadPosition === null, firstBadPosition },
    origins: tables.has('event_origins') ? verifyOrigins(db) : { ok: true, devices: 0, firstBadPosition: null },
  };
}

function migrationsApplied(db: Database.Database, tables: ReadonlySet<string>): number {
  return tables.has('__drizzle_migrations') ? (db.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get() as number) : 0;
}

/**
 * Each device's chain, recomputed in log order (a device's events reach any log in its own order:
 * recorded here, or pulled in the server's order, which keeps each device's): the first position
 * without an origin, out of its device's sequence, or whose device hash does not hold.
 */
function verifyOrigins(db: Database.Database): VerifyReport['log']['origins'] {
  const chains = new Map<string, { seq: number; hash: string }>();
  const rows = db.prepare(
    `SELECT e.position, e.event_id AS eventId, e.stream_id AS streamId, e.type, e.schema_version AS schemaVersion, e.recorded_at AS recordedAt,
            e.payload, e.metadata, o.device_id AS deviceId, o.device_seq AS deviceSeq, o.device_hash AS deviceHash
     FROM events e LEFT JOIN event_origins o ON o.position = e.position ORDER BY e.position`,
  );
  type Row = { position: number; eventId: string; streamId: string; type: string; schemaVersion: number; recordedAt: string; payload: string; metadata: string; deviceId: string | null; deviceSeq: number; deviceHash: string };
  for (const row of rows.iterate() as IterableIterator<Row>) {
    if (row.deviceId === null) return { ok: false, devices: chains.size, firstBadPosition: row.position };
    const chain = chains.get(row.deviceId) ?? { seq: 0, hash: ORIGIN_GENESIS_HASH };
    if (row.deviceSeq !== chain.seq + 1 || originHash(chain.hash, { ...row, deviceId: row.deviceId }) !== row.deviceHash) {
      return { ok: false, devices: chains.size, firstBadPosition: row.position };
    }
    chains.set(row.deviceId, { seq: row.deviceSeq, hash: row.deviceHash });
  }
  const orphans = db.prepare('SELECT min(position) FROM event_origins WHERE position > (SELECT coalesce(max(position), 0) FROM events)').pluck().get() as number | null;
  return { ok: orphans === null, devices: chains.size, firstBadPosition: orphans };
}
