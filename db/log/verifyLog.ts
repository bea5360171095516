import type Database from 'better-sqlite3';
import type { VerifyReport } from '../contract/index.ts';
import { eventHash, GENESIS_HASH } from './eventHash.ts';
import { EVENT_COLUMNS, type EventRecord } from './eventRows.ts';

/** The append-only guards each table of the log carries (migrations 0001 and 0002). */
export const GUARDED_TABLES: Readonly<Record<string, readonly string[]>> = {
  events: ['events_no_update', 'events_no_delete', 'events_no_replace'],
  commands: ['commands_no_update', 'commands_no_delete', 'commands_no_replace'],
  reservations: ['reservations_no_update', 'reservations_no_delete', 'reservations_no_replace'],
  device: ['device_no_update', 'device_no_delete', 'device_only_one'],
  // Logs (and their backups) from before migration 0002 kept tracking codes in a table of their own.
  tracking_codes: ['tracking_codes_no_update', 'tracking_codes_no_delete', 'tracking_codes_no_replace'],
};
/** Tables every log has, whatever its age. */
const ALWAYS_THERE = ['events', 'commands'];
/** Where a log keeps its reservations, by its age: tracking codes before migration 0002, reservations and its device identity since. */
const BY_AGE = [['tracking_codes'], ['reservations', 'device']];

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
    BY_AGE.some((age) => age.every((table) => tables.has(table))) &&
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
  };
}
