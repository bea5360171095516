import { spawnSync } from 'node:child_process';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openLogReader } from '../../db/log/openEventLog.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { openPlainConnection, openTestLog, parcelPayload, recordBasics, tableRows } from '../helpers/testLog.ts';

const hasSqliteCli = spawnSync('sqlite3', ['-version']).status === 0;

const EVENT_COLUMNS = 'position, event_id, stream_id, version, type, schema_version, payload, metadata, recorded_at, correlation_id, command_id, hash';
const eventCopy = (changes: Record<string, string>) =>
  EVENT_COLUMNS.split(', ')
    .map((column) => changes[column] ?? column)
    .join(', ');
const CODE = parcelPayload(1).trackingCode;

/** Every way to change an existing row, per guarded table. Each must fail and leave every table as it was. */
const writePaths: { table: string; path: string; sql: string }[] = [
  { table: 'events', path: 'UPDATE', sql: `UPDATE events SET payload = '{}' WHERE position = 1` },
  { table: 'events', path: 'DELETE', sql: 'DELETE FROM events WHERE position = 1' },
  {
    table: 'events',
    path: 'INSERT OR REPLACE of an existing position',
    sql: `INSERT OR REPLACE INTO events (${EVENT_COLUMNS}) SELECT ${eventCopy({ payload: `'{}'` })} FROM events WHERE position = 1`,
  },
  {
    table: 'events',
    path: 'INSERT OR REPLACE of a new position that collides on stream and version',
    sql: `INSERT OR REPLACE INTO events (${EVENT_COLUMNS}) SELECT ${eventCopy({ position: '1000', event_id: `'forged-id'`, payload: `'{}'` })} FROM events WHERE position = 1`,
  },
  {
    table: 'events',
    path: 'REPLACE INTO',
    sql: `REPLACE INTO events (${EVENT_COLUMNS}) SELECT ${eventCopy({ payload: `'{}'` })} FROM events WHERE position = 1`,
  },
  {
    table: 'events',
    path: 'an upsert (INSERT … ON CONFLICT DO UPDATE)',
    sql: `INSERT INTO events (${EVENT_COLUMNS}) SELECT ${EVENT_COLUMNS} FROM events WHERE position = 1 ON CONFLICT (position) DO UPDATE SET payload = '{}'`,
  },
  { table: 'commands', path: 'UPDATE', sql: `UPDATE commands SET type = 'Forged'` },
  { table: 'commands', path: 'DELETE', sql: 'DELETE FROM commands' },
  {
    table: 'commands',
    path: 'INSERT OR REPLACE of an existing command id',
    sql: `INSERT OR REPLACE INTO commands SELECT command_id, 'Forged', first_position, last_position FROM commands WHERE rowid = 1`,
  },
  { table: 'commands', path: 'REPLACE INTO', sql: `REPLACE INTO commands SELECT command_id, type, 0, 0 FROM commands WHERE rowid = 1` },
  {
    table: 'commands',
    path: 'an upsert (INSERT … ON CONFLICT DO UPDATE)',
    sql: `INSERT INTO commands SELECT * FROM commands WHERE rowid = 1 ON CONFLICT (command_id) DO UPDATE SET type = 'Forged'`,
  },
  { table: 'tracking_codes', path: 'UPDATE', sql: `UPDATE tracking_codes SET parcel_id = 'P9'` },
  { table: 'tracking_codes', path: 'DELETE', sql: 'DELETE FROM tracking_codes' },
  { table: 'tracking_codes', path: 'INSERT OR REPLACE of an existing code', sql: `INSERT OR REPLACE INTO tracking_codes VALUES ('${CODE}', 'P9', 99)` },
  { table: 'tracking_codes', path: 'REPLACE INTO', sql: `REPLACE INTO tracking_codes VALUES ('${CODE}', 'P9', 99)` },
  {
    table: 'tracking_codes',
    path: 'an upsert (INSERT … ON CONFLICT DO UPDATE)',
    sql: `INSERT INTO tracking_codes VALUES ('${CODE}', 'P9', 99) ON CONFLICT (tracking_code) DO UPDATE SET parcel_id = 'P9'`,
  },
];

const duplicateInserts = [
  `INSERT OR IGNORE INTO events SELECT * FROM events WHERE position = 1`,
  `INSERT OR IGNORE INTO commands SELECT * FROM commands WHERE rowid = 1`,
  `INSERT OR IGNORE INTO tracking_codes VALUES ('${CODE}', 'P9', 99)`,
];

/** A log with a few accepted commands, written by the app, then closed. */
function loggedFolder() {
  const dir = tempDataDir('append-only');
  const log = openTestLog(dir.file('events.db'));
  recordBasics(log);
  log.close();
  return log.path;
}

const snapshot = (db: Database.Database) => ({
  events: tableRows(db, 'events'),
  commands: tableRows(db, 'commands'),
  trackingCodes: tableRows(db, 'tracking_codes'),
});

function attempt(db: Database.Database, sql: string): { error: string | null; changes: number } {
  try {
    return { error: null, changes: db.prepare(sql).run().changes };
  } catch (error) {
    return { error: (error as Error).message, changes: 0 };
  }
}

describe('the event log is append-only for an outside connection with default pragmas', () => {
  it('a plain connection is writable and has recursive_triggers off, so the guards alone must hold', () => {
    const db = openPlainConnection(loggedFolder());
    expect(db.readonly).toBe(false);
    expect(db.pragma('recursive_triggers', { simple: true })).toBe(0);
    expect(tableRows(db, 'commands').length).toBeGreaterThan(0);
    expect(tableRows(db, 'tracking_codes').length).toBe(3);
  });

  it.each(writePaths.map((w) => [`${w.path} on ${w.table}`, w] as const))('refuses %s and changes nothing', (_name, { table, sql }) => {
    const db = openPlainConnection(loggedFolder());
    const before = snapshot(db);
    const outcome = attempt(db, sql);
    expect(outcome.error).toMatch(new RegExp(`^waybill: ${table.replace('_', ' ')} (are|is) append-only`));
    expect(snapshot(db)).toEqual(before);
  });

  it('INSERT OR IGNORE of an existing event, command or tracking code is harmless', () => {
    const db = openPlainConnection(loggedFolder());
    const before = snapshot(db);
    for (const sql of duplicateInserts) expect(attempt(db, sql).changes).toBe(0);
    expect(snapshot(db)).toEqual(before);
  });

  it.skipIf(!hasSqliteCli)('the sqlite3 shell fails every write path with an error and changes nothing (skipped only where the sqlite3 binary is not installed; CI installs it)', () => {
    const path = loggedFolder();
    const db = openPlainConnection(path);
    const before = snapshot(db);
    for (const { table, sql } of writePaths) {
      const shell = spawnSync('sqlite3', [path, sql], { encoding: 'utf8' });
      expect(shell.status, sql).not.toBe(0);
      expect(shell.stderr, sql).toContain(`waybill: ${table.replace('_', ' ')}`);
    }
    for (const sql of duplicateInserts) spawnSync('sqlite3', [path, sql], { encoding: 'utf8' });
    expect(snapshot(db)).toEqual(before);
  });
});

describe("the app's reader connections", () => {
  it('reject every write, even a well-formed new event, with SQLITE_READONLY', () => {
    const path = loggedFolder();
    const reader = openLogReader(path);
    try {
      const newRow = `INSERT INTO events (${EVENT_COLUMNS}) SELECT ${eventCopy({ position: '1000', event_id: `'new-id'`, version: '1000' })} FROM events WHERE position = 1`;
      for (const sql of [newRow, `UPDATE events SET payload = '{}'`, 'DELETE FROM events', `INSERT INTO tracking_codes VALUES ('NEW000001', 'P9', 9)`]) {
        expect(() => reader.prepare(sql).run(), sql).toThrow(expect.objectContaining({ code: expect.stringMatching(/^SQLITE_READONLY/) }));
      }
    } finally {
      reader.close();
    }
    const db = openPlainConnection(path);
    expect(db.prepare('SELECT max(position) FROM events').pluck().get()).toBe(6);
  });
});
