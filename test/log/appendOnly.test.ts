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
  { table: 'reservations', path: 'UPDATE', sql: `UPDATE reservations SET owner = 'P9'` },
  { table: 'reservations', path: 'DELETE', sql: 'DELETE FROM reservations' },
  {
    table: 'reservations',
    path: 'INSERT OR REPLACE of an existing reservation',
    sql: `INSERT OR REPLACE INTO reservations VALUES ('tracking_code', '${CODE}', 'P9', 99)`,
  },
  { table: 'reservations', path: 'REPLACE INTO', sql: `REPLACE INTO reservations VALUES ('tracking_code', '${CODE}', 'P9', 99)` },
  {
    table: 'reservations',
    path: 'an upsert (INSERT … ON CONFLICT DO UPDATE)',
    sql: `INSERT INTO reservations VALUES ('tracking_code', '${CODE}', 'P9', 99) ON CONFLICT (kind, key) DO UPDATE SET owner = 'P9'`,
  },
  { table: 'device', path: 'UPDATE', sql: `UPDATE device SET device_id = 'forged-device'` },
  { table: 'device', path: 'DELETE', sql: 'DELETE FROM device' },
  { table: 'device', path: 'INSERT OR REPLACE of the device row', sql: `INSERT OR REPLACE INTO device SELECT device_id, 'forged' FROM device` },
  { table: 'device', path: 'REPLACE INTO', sql: `REPLACE INTO device SELECT device_id, 'forged' FROM device` },
  {
    table: 'device',
    path: 'an upsert (INSERT … ON CONFLICT DO UPDATE)',
    sql: `INSERT INTO device SELECT * FROM device WHERE true ON CONFLICT (device_id) DO UPDATE SET created_at = 'forged'`,
  },
  { table: 'device', path: 'INSERT of a second device identity', sql: `INSERT INTO device VALUES ('second-device', '2026-01-01T00:00:00.000Z')` },
];

const duplicateInserts = [
  `INSERT OR IGNORE INTO events SELECT * FROM events WHERE position = 1`,
  `INSERT OR IGNORE INTO commands SELECT * FROM commands WHERE rowid = 1`,
  `INSERT OR IGNORE INTO reservations VALUES ('tracking_code', '${CODE}', 'P9', 99)`,
  `INSERT OR IGNORE INTO device SELECT * FROM device`,
];

/** What each table's guards answer (migrations 0001 and 0002). */
const refusals: Record<string, RegExp> = {
  events: /^waybill: events are append-only/,
  commands: /^waybill: commands are append-only/,
  reservations: /^waybill: reservations are append-only/,
  device: /^waybill: (the device identity never changes|a data folder has one device identity)/,
};

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
  reservations: tableRows(db, 'reservations'),
  device: tableRows(db, 'device'),
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
    expect(tableRows(db, 'reservations')).toHaveLength(3);
    expect(tableRows(db, 'device')).toHaveLength(1);
  });

  it.each(writePaths.map((w) => [`${w.path} on ${w.table}`, w] as const))('refuses %s and changes nothing', (_name, { table, sql }) => {
    const db = openPlainConnection(loggedFolder());
    const before = snapshot(db);
    const outcome = attempt(db, sql);
    expect(outcome.error).toMatch(refusals[table]!);
    expect(snapshot(db)).toEqual(before);
  });

  it('INSERT OR IGNORE of an existing event, command, reservation or device identity is harmless', () => {
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
      expect(shell.stderr.replace(/^.*?(waybill: )/s, '$1'), sql).toMatch(refusals[table]!);
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
      for (const sql of [
        newRow,
        `UPDATE events SET payload = '{}'`,
        'DELETE FROM events',
        `INSERT INTO reservations VALUES ('tracking_code', 'NEW000001', 'P9', 9)`,
        `INSERT INTO device VALUES ('second-device', '2026-01-01T00:00:00.000Z')`,
      ]) {
        expect(() => reader.prepare(sql).run(), sql).toThrow(expect.objectContaining({ code: expect.stringMatching(/^SQLITE_READONLY/) }));
      }
    } finally {
      reader.close();
    }
    const db = openPlainConnection(path);
    expect(db.prepare('SELECT max(position) FROM events').pluck().get()).toBe(6);
  });
});
