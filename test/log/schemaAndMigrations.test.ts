import type Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { describe, expect, it } from 'vitest';
import { isWaybillError } from '../../db/contract/waybillError.ts';
import { migrateLog } from '../../db/log/migrateLog.ts';
import { openLogWriter } from '../../db/log/openEventLog.ts';
import { UUID_V7_PATTERN } from '../../db/log/uuidv7.ts';
import { GUARDED_TABLES, verifyLog } from '../../db/log/verifyLog.ts';
import { defaultBuiltFiles } from '../../db/runtime/builtFiles.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { openPlainConnection, openTestLog, parcelPayload, recordBasics, tableRows, writeLogBefore0002 } from '../helpers/testLog.ts';

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}
interface IndexInfo {
  name: string;
  unique: number;
}

const defaultMigrationsFolder = defaultBuiltFiles().migrations;
const namesOf = (db: Database.Database, type: 'table' | 'trigger') =>
  db.prepare('SELECT name FROM sqlite_master WHERE type = ? ORDER BY name').pluck().all(type) as string[];

const indexesOf = (db: Database.Database, table: string) =>
  (db.pragma(`index_list(${table})`) as IndexInfo[])
    .map((index) => ({
      name: index.name,
      unique: index.unique === 1,
      columns: (db.pragma(`index_info(${index.name})`) as { name: string }[]).map((c) => c.name),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));

/** Everything a log holds: schema, migrations record and every row. */
const wholeLog = (db: Database.Database) => ({
  schema: db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all(),
  migrations: db.prepare('SELECT * FROM __drizzle_migrations ORDER BY id').all(),
  events: tableRows(db, 'events'),
  commands: tableRows(db, 'commands'),
});

describe('a fresh log', () => {
  it('has exactly the envelope columns of an event', () => {
    const log = openTestLog(tempDataDir('schema').file('events.db'));
    const columns = (log.writer.pragma('table_info(events)') as ColumnInfo[]).map((c) => [c.name, c.type.toLowerCase(), c.notnull === 1, c.pk === 1]);
    expect(columns).toEqual([
      ['position', 'integer', true, true],
      ['event_id', 'text', true, false],
      ['stream_id', 'text', true, false],
      ['version', 'integer', true, false],
      ['type', 'text', true, false],
      ['schema_version', 'integer', true, false],
      ['payload', 'text', true, false],
      ['metadata', 'text', true, false],
      ['recorded_at', 'text', true, false],
      ['correlation_id', 'text', false, false],
      ['command_id', 'text', false, false],
      ['hash', 'text', true, false],
    ]);
  });

  it('has unique (stream_id, version) and event_id, and indexes on type, correlation id and recorded time', () => {
    const log = openTestLog(tempDataDir('schema').file('events.db'));
    expect(indexesOf(log.writer, 'events')).toEqual([
      { name: 'events_correlation', unique: false, columns: ['correlation_id'] },
      { name: 'events_event_id', unique: true, columns: ['event_id'] },
      { name: 'events_recorded_at', unique: false, columns: ['recorded_at'] },
      { name: 'events_stream_version', unique: true, columns: ['stream_id', 'version'] },
      { name: 'events_type', unique: false, columns: ['type'] },
    ]);
  });

  it('gives events UUIDv7 ids that increase with their gapless positions 1..N', () => {
    const log = openTestLog(tempDataDir('schema').file('events.db'));
    recordBasics(log, 4);
    log.run('PlanRoute', { routeId: 'R-1', driverId: 'sam', depotId: 'north-hub', date: '2026-03-03', parcelIds: ['P1', 'P2', 'P3', 'P4'] });
    const rows = log.writer.prepare('SELECT position, event_id AS eventId FROM events ORDER BY position').all() as { position: number; eventId: string }[];
    expect(rows.map((r) => r.position)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    for (const row of rows) expect(row.eventId).toMatch(UUID_V7_PATTERN);
    const ids = rows.map((r) => r.eventId);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('migrations', () => {
  it('refuses a log that a newer Waybill migrated, with CONFLICT, and changes nothing', () => {
    const path = tempDataDir('future').file('events.db');
    const log = openTestLog(path);
    recordBasics(log);
    log.close();
    const newestKnown = Math.max(...readMigrationFiles({ migrationsFolder: defaultMigrationsFolder }).map((m) => m.folderMillis));
    const outside = openPlainConnection(path);
    outside.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('from-a-newer-waybill', newestKnown + 86_400_000);
    const before = wholeLog(outside);

    let refusal: unknown = null;
    try {
      openLogWriter(path).close();
    } catch (error) {
      refusal = error;
    }
    expect(isWaybillError(refusal)).toBe(true);
    expect(refusal).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/written by a newer version of Waybill/) });
    expect(wholeLog(outside)).toEqual(before);
  });

  it('reopening an existing log applies no migration and loses no event', () => {
    const path = tempDataDir('reopen').file('events.db');
    const log = openTestLog(path);
    recordBasics(log);
    const before = wholeLog(log.writer);
    log.close();

    const reopened = openTestLog(path);
    expect(migrateLog(reopened.writer)).toEqual({ applied: 0 });
    expect(wholeLog(reopened.writer)).toEqual(before);
    expect(reopened.run('RegisterDepot', { depotId: 'east', name: 'East Depot', region: 'north' }).position).toBe(7);
  });

  it('a first open applies every known migration', () => {
    const db = openPlainConnection(openTestLog(tempDataDir('fresh').file('events.db')).path);
    const known = readMigrationFiles({ migrationsFolder: defaultMigrationsFolder });
    expect(db.prepare('SELECT created_at FROM __drizzle_migrations ORDER BY id').pluck().all().map(Number)).toEqual(known.map((m) => m.folderMillis));
  });
});

describe('the writer connection', () => {
  it('uses synchronous NORMAL by default and FULL when durability is full', () => {
    const dir = tempDataDir('durability');
    const normal = openTestLog(dir.file('normal.db'));
    const full = openTestLog(dir.file('full.db'), { durability: 'full' });
    expect(normal.writer.pragma('synchronous', { simple: true })).toBe(1);
    expect(full.writer.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('is in WAL mode with automatic checkpoints off, so an append never waits on one', () => {
    const log = openTestLog(tempDataDir('wal').file('events.db'));
    expect(log.writer.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(log.writer.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    expect(log.writer.pragma('recursive_triggers', { simple: true })).toBe(1);
  });
});

describe('a log from before reservations and the device identity (migrations 0000 and 0001 only)', () => {
  it('migrates at its next open: its tracking codes become tracking_code reservations, the old table and its guards go, and every event and command stays', () => {
    const path = tempDataDir('old-log').file('events.db');
    writeLogBefore0002(path);
    const outside = openPlainConnection(path);
    expect(namesOf(outside, 'table')).toContain('tracking_codes');
    expect(namesOf(outside, 'table')).not.toContain('reservations');
    const codes = outside.prepare('SELECT tracking_code AS key, parcel_id AS owner, position FROM tracking_codes ORDER BY rowid').all();
    expect(codes).toEqual([1, 2, 3].map((n) => ({ key: parcelPayload(n).trackingCode, owner: `P${n}`, position: 3 + n })));
    const before = { events: tableRows(outside, 'events'), commands: tableRows(outside, 'commands') };
    outside.close();

    const log = openTestLog(path);
    const known = readMigrationFiles({ migrationsFolder: defaultMigrationsFolder });
    expect(log.writer.prepare('SELECT created_at FROM __drizzle_migrations ORDER BY id').pluck().all().map(Number)).toEqual(known.map((m) => m.folderMillis));
    expect(tableRows(log.writer, 'reservations')).toEqual(codes.map((code) => ({ kind: 'tracking_code', ...(code as object) })));
    expect(namesOf(log.writer, 'table')).not.toContain('tracking_codes');
    expect(namesOf(log.writer, 'trigger')).toEqual(
      ['events', 'commands', 'reservations', 'device', 'event_origins', 'server_order', 'reorders'].flatMap((table) => GUARDED_TABLES[table]!).sort(),
    );
    expect({ events: tableRows(log.writer, 'events'), commands: tableRows(log.writer, 'commands') }).toEqual(before);
  });

  it('verifies before and after migrating, gets its device identity at that open, and keeps each tracking code its first parcel\'s', () => {
    const path = tempDataDir('old-log').file('events.db');
    writeLogBefore0002(path);
    const outside = openPlainConnection(path);
    const healthy = { head: 6, gapless: true, guards: true, integrity: 'ok', chain: { ok: true, firstBadPosition: null }, origins: { ok: true, devices: 0, firstBadPosition: null } };
    expect(verifyLog(outside)).toEqual(healthy);
    outside.close();

    const log = openTestLog(path);
    expect(verifyLog(log.writer)).toEqual({ ...healthy, origins: { ok: true, devices: 1, firstBadPosition: null } });
    expect(log.deviceId).toMatch(UUID_V7_PATTERN);
    expect(tableRows(log.writer, 'device')).toEqual([{ device_id: log.deviceId, created_at: expect.any(String) }]);
    expect(log.handle({ type: 'RegisterParcel', payload: { ...parcelPayload(9), trackingCode: parcelPayload(1).trackingCode } })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/P1/), field: 'payload.trackingCode', rule: 'tracking_code_unique' },
    });
    expect(log.run('RegisterParcel', parcelPayload(9))).toMatchObject({ position: 7, events: [{ streamId: 'parcel-P9', version: 1 }] });
    expect(tableRows(log.writer, 'reservations')).toHaveLength(4);
  });
});
