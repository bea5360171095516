import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { eventHash } from '../../db/log/eventHash.ts';
import { EVENT_COLUMNS, type EventRecord } from '../../db/log/eventRows.ts';
import { openLogReader } from '../../db/log/openEventLog.ts';
import { GUARDED_TABLES, verifyLog } from '../../db/log/verifyLog.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { openPlainConnection, openTestLog, recordBasics, writeLogBefore0002 } from '../helpers/testLog.ts';

const HEAD = 7;

/** A closed log of seven events (two depots, a driver, three parcels, a scan) and an outside connection to it. */
function healthyLog(): { path: string; outside: Database.Database } {
  const log = openTestLog(tempDataDir('tamper').file('events.db'));
  recordBasics(log, 3);
  log.run('RecordScan', { parcelId: 'P1', depotId: 'north-hub', kind: 'departed' });
  log.close();
  return { path: log.path, outside: openPlainConnection(log.path) };
}

/** What the app sees: verify over its own read-only connection. */
function verifyAsApp(path: string) {
  const reader = openLogReader(path);
  try {
    return verifyLog(reader);
  } finally {
    reader.close();
  }
}

const dropGuards = (db: Database.Database, ...names: string[]) => {
  for (const name of names) db.exec(`DROP TRIGGER ${name}`);
};
const payloadAt = (db: Database.Database, position: number) =>
  db.prepare('SELECT payload FROM events WHERE position = ?').pluck().get(position) as string;

describe('verifying the log', () => {
  it('a healthy log is intact, gapless, guarded and its hash chain is unbroken', () => {
    const { path } = healthyLog();
    expect(verifyAsApp(path)).toEqual({
      head: HEAD,
      gapless: true,
      guards: true,
      integrity: 'ok',
      chain: { ok: true, firstBadPosition: null },
      origins: { ok: true, devices: 1, firstBadPosition: null },
    });
  });

  it('an outside program that drops the guards is reported, even before it changes anything', () => {
    const { path, outside } = healthyLog();
    dropGuards(outside, 'events_no_delete');
    expect(verifyAsApp(path)).toMatchObject({ guards: false, chain: { ok: true } });
  });

  it.each(['reservations', 'device', 'event_origins', 'server_order', 'reorders'].flatMap((table) => GUARDED_TABLES[table]!))('a log missing its %s guard is reported', (guard) => {
    const { path, outside } = healthyLog();
    dropGuards(outside, guard);
    expect(verifyAsApp(path)).toMatchObject({ guards: false, integrity: 'ok', chain: { ok: true } });
  });

  it.each(['reservations', 'device', 'event_origins', 'server_order', 'reorders'])('a log whose %s table was dropped with its guards is reported', (table) => {
    const { path, outside } = healthyLog();
    outside.exec(`DROP TABLE ${table}`);
    expect(verifyAsApp(path)).toMatchObject({ guards: false, integrity: 'ok', chain: { ok: true } });
  });

  it('a log from before migration 0002 verifies with its tracking codes guarded, and is reported when one of those guards is dropped', () => {
    const path = tempDataDir('tamper-old').file('events.db');
    writeLogBefore0002(path);
    expect(verifyAsApp(path)).toEqual({ head: 6, gapless: true, guards: true, integrity: 'ok', chain: { ok: true, firstBadPosition: null }, origins: { ok: true, devices: 0, firstBadPosition: null } });
    for (const guard of GUARDED_TABLES.tracking_codes!) {
      const copy = tempDataDir('tamper-old').file('events.db');
      writeLogBefore0002(copy);
      const outside = openPlainConnection(copy);
      dropGuards(outside, guard);
      outside.close();
      expect(verifyAsApp(copy), guard).toMatchObject({ guards: false, chain: { ok: true } });
    }
  });
});

describe('tamper evidence after an outside program drops the guards', () => {
  it('an UPDATE of one payload breaks the chain at exactly that position', () => {
    const { path, outside } = healthyLog();
    dropGuards(outside, 'events_no_update');
    outside.prepare('UPDATE events SET payload = ? WHERE position = 4').run(payloadAt(outside, 4).replace('Recipient 1', 'Mallory'));
    expect(verifyAsApp(path)).toMatchObject({ gapless: true, guards: false, integrity: 'ok', chain: { ok: false, firstBadPosition: 4 } });
  });

  it('recomputing the altered event’s own hash and restoring the guards still leaves the chain broken at the next event', () => {
    const { path, outside } = healthyLog();
    dropGuards(outside, 'events_no_update');
    const previousHash = outside.prepare('SELECT hash FROM events WHERE position = 3').pluck().get() as string;
    const row = outside.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position = 4`).get() as EventRecord;
    const forged = { ...row, payload: row.payload.replace('Recipient 1', 'Mallory') };
    outside.prepare('UPDATE events SET payload = ?, hash = ? WHERE position = 4').run(forged.payload, eventHash(previousHash, forged));
    outside.exec(`CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'waybill: events are append-only (UPDATE refused)'); END`);
    expect(verifyAsApp(path)).toMatchObject({ guards: true, chain: { ok: false, firstBadPosition: 5 } });
  });

  it('deleting the last event is reported: the commands table still acknowledges it', () => {
    const { path, outside } = healthyLog();
    dropGuards(outside, 'events_no_delete');
    outside.prepare('DELETE FROM events WHERE position = ?').run(HEAD);
    const report = verifyAsApp(path);
    expect(report.head).toBe(HEAD - 1);
    expect(report.chain).toEqual({ ok: false, firstBadPosition: HEAD });
  });

  it('deleting an event in the middle is reported as a gap and a broken chain at that position', () => {
    const { path, outside } = healthyLog();
    dropGuards(outside, 'events_no_delete');
    outside.prepare('DELETE FROM events WHERE position = 3').run();
    expect(verifyAsApp(path)).toMatchObject({ head: HEAD, gapless: false, chain: { ok: false, firstBadPosition: 3 } });
  });

  it('swapping two events’ payloads is reported at the first of them', () => {
    const { path, outside } = healthyLog();
    dropGuards(outside, 'events_no_update');
    const [second, fourth] = [payloadAt(outside, 2), payloadAt(outside, 4)];
    outside.transaction(() => {
      outside.prepare('UPDATE events SET payload = ? WHERE position = 2').run(fourth);
      outside.prepare('UPDATE events SET payload = ? WHERE position = 4').run(second);
    })();
    expect(verifyAsApp(path)).toMatchObject({ gapless: true, chain: { ok: false, firstBadPosition: 2 } });
  });
});
