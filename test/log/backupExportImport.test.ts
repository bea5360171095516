import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setImmediate as nextTick } from 'node:timers/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import { commandRequestSchema, weatherConditions, type CommandRequest, type CommandResult, type Session } from '../../db/contract/index.ts';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { backupLog, restoreLog } from '../../db/log/backupLog.ts';
import { exportEvents } from '../../db/log/exportEvents.ts';
import { importEvents } from '../../db/write/importEvents.ts';
import { openLogReader } from '../../db/log/openEventLog.ts';
import { verifyLog } from '../../db/log/verifyLog.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { tempDataDir, type TempDataDir } from '../helpers/tempDataDir.ts';
import { countEvents, openPlainConnection, openTestLog, parcelPayload, recordBasics, tableRows, writeLogBefore0002, type TestLog } from '../helpers/testLog.ts';

const ENVELOPE = 'position, event_id, stream_id, version, type, schema_version, payload, metadata, recorded_at, hash';
const envelopes = (db: Database.Database) => db.prepare(`SELECT ${ENVELOPE} FROM events ORDER BY position`).all();

function withReader<T>(path: string, read: (db: Database.Database) => T): T {
  const reader = openLogReader(path);
  try {
    return read(reader);
  } finally {
    reader.close();
  }
}

async function withReaderAsync<T>(path: string, read: (db: Database.Database) => Promise<T>): Promise<T> {
  const reader = openLogReader(path);
  try {
    return await read(reader);
  } finally {
    reader.close();
  }
}

/** A log with a realistic small history: depots, a driver, parcels, a scan and a planned route. */
function historyLog(dir: TempDataDir, name = 'events.db'): TestLog {
  const log = openTestLog(dir.file(name));
  recordBasics(log, 3);
  log.run('RecordScan', { parcelId: 'P1', depotId: 'north-hub', kind: 'departed' });
  log.run('PlanRoute', { routeId: 'R-1', driverId: 'sam', depotId: 'north-hub', date: '2026-03-03', parcelIds: ['P2', 'P3'] });
  return log;
}

function refusal(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('backup and restore', () => {
  it('a backup taken while another connection appends is a consistent log that verifies', async () => {
    const dir = tempDataDir('backup');
    const log = historyLog(dir);
    // Enough pages that the online backup takes several steps, with appends landing between them.
    const weather = Array.from({ length: 1500 }, (_, i) => ({
      request: commandRequestSchema.parse({ type: 'RecordWeather', payload: { region: 'north', condition: weatherConditions[i % 5] } }),
      origin: log.origin,
    }));
    expect(log.handler.handleAll(weather)).toEqual(weather.map(() => expect.objectContaining({ ok: true })));
    const headBefore = countEvents(log.writer);
    const file = dir.file('backup.db');
    let finished = false;
    let appendedDuring = 0;
    const backup = withReaderAsync(log.path, (reader) => backupLog(reader, file)).finally(() => (finished = true));
    // The destination exists once the backup has begun; from then on it copies one step per tick.
    while (!existsSync(file)) await nextTick();
    while (!finished && appendedDuring < 3) {
      log.run('RecordWeather', { region: 'south', condition: 'storm' });
      appendedDuring++;
      await nextTick();
    }
    await backup;

    expect(appendedDuring).toBeGreaterThan(0);
    const report = withReader(file, verifyLog);
    expect(report).toMatchObject({ gapless: true, guards: true, integrity: 'ok', chain: { ok: true } });
    expect(report.head).toBeGreaterThanOrEqual(headBefore);
    expect(report.head).toBeLessThanOrEqual(headBefore + appendedDuring);
  });

  it('restore replaces the log with the backup and keeps the replaced log beside it', async () => {
    const dir = tempDataDir('restore');
    const log = historyLog(dir);
    await withReaderAsync(log.path, (reader) => backupLog(reader, dir.file('backup.db')));
    const backedUp = envelopes(log.writer);
    log.run('RegisterDepot', { depotId: 'east', name: 'East Depot', region: 'north' });
    const replaced = envelopes(log.writer);
    log.close();

    const result = restoreLog(log.path, dir.file('backup.db'));
    expect(result.head).toBe(backedUp.length);
    expect(result.keptAs).toMatch(/events\.db\.before-restore-/);
    expect(withReader(log.path, envelopes)).toEqual(backedUp);
    expect(withReader(result.keptAs!, envelopes)).toEqual(replaced);
    const reopened = openTestLog(log.path);
    expect(reopened.run('RegisterDepot', { depotId: 'east', name: 'East Depot', region: 'north' }).position).toBe(backedUp.length + 1);
  });

  it.each([
    ['a file that is not a database', (file: string) => writeFileSync(file, Buffer.alloc(8192, 0x5a))],
    ['a database that is not a Waybill log', (file: string) => new Database(file).exec('CREATE TABLE notes (text TEXT)').close()],
  ])('restore refuses %s with CORRUPT and changes nothing', (_name, make) => {
    const dir = tempDataDir('restore-refused');
    const log = historyLog(dir);
    const before = envelopes(log.writer);
    log.close();
    make(dir.file('candidate.db'));

    expect(refusal(() => restoreLog(log.path, dir.file('candidate.db')))).toMatchObject({ name: 'WaybillError', code: 'CORRUPT' });
    expect(withReader(log.path, envelopes)).toEqual(before);
    expect(readdirSync(dir.path).filter((f) => f.includes('before-restore'))).toEqual([]);
  });

  it('restore refuses a backup whose hash chain is broken, with CORRUPT, and changes nothing', async () => {
    const dir = tempDataDir('restore-tampered');
    const log = historyLog(dir);
    await withReaderAsync(log.path, (reader) => backupLog(reader, dir.file('backup.db')));
    const before = envelopes(log.writer);
    log.close();
    const outside = openPlainConnection(dir.file('backup.db'));
    outside.exec(`DROP TRIGGER events_no_update; UPDATE events SET payload = '{}' WHERE position = 2`);
    outside.close();

    expect(refusal(() => restoreLog(log.path, dir.file('backup.db')))).toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/does not verify/) });
    expect(withReader(log.path, envelopes)).toEqual(before);
  });

  it('restore refuses a backup whose append-only guards were removed, so a restored log is always guarded', async () => {
    const dir = tempDataDir('restore-unguarded');
    const log = historyLog(dir);
    await withReaderAsync(log.path, (reader) => backupLog(reader, dir.file('backup.db')));
    const before = envelopes(log.writer);
    log.close();
    const outside = openPlainConnection(dir.file('backup.db'));
    outside.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; DROP TRIGGER events_no_replace');
    outside.close();

    expect(refusal(() => restoreLog(log.path, dir.file('backup.db')))).toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/guards/) });
    expect(withReader(log.path, envelopes)).toEqual(before);
    expect(withReader(log.path, verifyLog).guards).toBe(true);
  });

  it('restore accepts a backup from before migration 0002 (its tracking codes guarded in their own table), and the log migrates at the next open', async () => {
    const dir = tempDataDir('restore-old');
    const log = historyLog(dir);
    log.close();
    writeLogBefore0002(dir.file('old-backup.db'));
    const oldCodes = withReader(dir.file('old-backup.db'), (db) => db.prepare('SELECT tracking_code, parcel_id, position FROM tracking_codes ORDER BY rowid').raw().all());

    const result = restoreLog(log.path, dir.file('old-backup.db'));
    expect(result).toEqual({ head: 6, keptAs: expect.stringMatching(/events\.db\.before-restore-/) });
    const waybill = await openTestCore({ dataDir: dir.path, projectors: 'inline', backgroundCheckpoints: false });
    try {
      expect(await waybill.verify()).toMatchObject({ ok: true, log: { head: 6, gapless: true, guards: true, integrity: 'ok', chain: { ok: true } } });
      expect(await waybill.query('parcel.summary', { trackingCode: parcelPayload(2).trackingCode })).toMatchObject({ ok: true, data: { parcelId: 'P2' } });
      expect(await waybill.command({ type: 'RegisterParcel', payload: { ...parcelPayload(9), trackingCode: parcelPayload(2).trackingCode } })).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', field: 'payload.trackingCode', rule: 'tracking_code_unique' },
      });
    } finally {
      await waybill.close();
    }
    const db = openPlainConnection(log.path);
    expect(db.prepare('SELECT key, owner, position FROM reservations ORDER BY rowid').raw().all()).toEqual(oldCodes);
  });

  it('restore refuses a backup from before migration 0002 whose tracking codes lost a guard', () => {
    const dir = tempDataDir('restore-old-unguarded');
    const log = historyLog(dir);
    const before = envelopes(log.writer);
    log.close();
    writeLogBefore0002(dir.file('old-backup.db'));
    const outside = openPlainConnection(dir.file('old-backup.db'));
    outside.exec('DROP TRIGGER tracking_codes_no_update');
    outside.close();

    expect(refusal(() => restoreLog(log.path, dir.file('old-backup.db')))).toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/guards in place: false/) });
    expect(withReader(log.path, envelopes)).toEqual(before);
  });

  it('restore from a missing file is NOT_FOUND', () => {
    const dir = tempDataDir('restore-missing');
    const log = historyLog(dir);
    log.close();
    expect(refusal(() => restoreLog(log.path, dir.file('nowhere.db')))).toMatchObject({ code: 'NOT_FOUND', field: 'from' });
    expect(existsSync(log.path)).toBe(true);
  });
});

/** Every row an import may add to: events, commands, reservations. */
const importedRows = (db: Database.Database) => ({
  events: tableRows(db, 'events'),
  commands: tableRows(db, 'commands'),
  reservations: tableRows(db, 'reservations'),
});

const accepted = (result: CommandResult) => {
  if (!result.ok) throw new Error(`expected the command to be accepted: ${result.error.code} ${result.error.message}`);
  return result;
};

/** A data folder with its own clock (and, when given, its own actor), opened by the core as the CLI opens one. */
async function folderAt(dir: TempDataDir, clock: { now: string }, session?: Session): Promise<TestCore> {
  const waybill = await openTestCore({ dataDir: dir.path, projectors: 'inline', backgroundCheckpoints: false, now: () => clock.now }, session);
  onTestFinished(() => waybill.close());
  return waybill;
}

const depot = (depotId: string, region = 'north'): CommandRequest => ({ type: 'RegisterDepot', payload: { depotId, name: `Depot ${depotId}`, region } });
const parcel = (n: number, depotId: string, trackingCode = parcelPayload(n).trackingCode): CommandRequest => ({
  type: 'RegisterParcel',
  payload: { ...parcelPayload(n, depotId), trackingCode },
});

describe('export and import', () => {
  it('export then import into an empty folder reproduces every event id, stream, version, payload, metadata and hash', async () => {
    const source = historyLog(tempDataDir('export'));
    const target = tempDataDir('import');
    const file = target.file('events.ndjson');
    expect(await withReaderAsync(source.path, (reader) => exportEvents(reader, file))).toEqual({ events: 10 });
    const copy = openTestLog(target.file('events.db'));

    expect(await importEvents(copy.writer, file)).toEqual({ imported: 10, skipped: 0, head: 10 });
    expect(envelopes(copy.writer)).toEqual(envelopes(source.writer));
    expect(tableRows(copy.writer, 'reservations')).toEqual(tableRows(source.writer, 'reservations'));
    // One row per command of the export, under its own id and the positions it holds here.
    expect(tableRows(copy.writer, 'commands')).toEqual(tableRows(source.writer, 'commands').map((row) => ({ ...(row as object), type: 'Imported' })));
    expect(verifyLog(copy.writer)).toMatchObject({ gapless: true, guards: true, chain: { ok: true } });
  });

  it('importing the same file twice imports nothing the second time and changes no row', async () => {
    const source = historyLog(tempDataDir('export'));
    const target = tempDataDir('import');
    const file = target.file('events.ndjson');
    await withReaderAsync(source.path, (reader) => exportEvents(reader, file));
    const copy = openTestLog(target.file('events.db'));
    await importEvents(copy.writer, file);
    const once = importedRows(copy.writer);

    expect(await importEvents(copy.writer, file)).toEqual({ imported: 0, skipped: 10, head: 10 });
    expect(importedRows(copy.writer)).toEqual(once);
  });

  it("keeps each imported event's id and metadata: who recorded it and on which device stay the other folder's", async () => {
    const clock = { now: '2026-03-02T09:00:00.000Z' };
    const elsewhere = await folderAt(tempDataDir('export'), clock, { actor: 'ana', surface: 'cli' });
    accepted(await elsewhere.command(depot('east')));
    accepted(await elsewhere.command({ ...parcel(1, 'east'), correlationId: 'corr-p1' }));
    const file = tempDataDir('export-file').file('events.ndjson');
    expect(await elsewhere.call('export', { to: file })).toEqual({ ok: true, to: file, events: 2 });
    const theirs = (await elsewhere.query('events.list', {})) as { ok: true; data: { rows: { eventId: string; metadata: object }[] } };

    const here = await folderAt(tempDataDir('import'), clock);
    accepted(await here.command(depot('west')));
    expect(await here.call('import', { from: file })).toEqual({ ok: true, imported: 2, skipped: 0, head: 3 });
    const mine = accepted(await here.command(depot('south', 'south')));

    const rows = await here.query('events.list', {});
    expect(rows).toMatchObject({ ok: true, data: { rows: [{ position: 4 }, { position: 3 }, { position: 2 }, { position: 1 }] } });
    const [latest, ...rest] = (rows as typeof theirs).data.rows;
    expect(rest.slice(0, 2)).toEqual(theirs.data.rows.map((row) => expect.objectContaining({ eventId: row.eventId, metadata: row.metadata })));
    expect(rest.slice(0, 2)).toEqual([
      expect.objectContaining({ actor: 'ana', deviceId: elsewhere.core.deviceId, correlationId: 'corr-p1' }),
      expect.objectContaining({ actor: 'ana', deviceId: elsewhere.core.deviceId }),
    ]);
    expect(latest).toMatchObject({ position: mine.position, actor: 'tester', deviceId: here.core.deviceId });
    expect(here.core.deviceId).not.toBe(elsewhere.core.deviceId);
  });

  it('never moves recorded time backwards: events from an older export are recorded at the log\'s last time, and time filters still find them', async () => {
    const file = tempDataDir('export-file').file('events.ndjson');
    const march = { now: '2026-03-02T09:00:00.000Z' };
    const elsewhere = await folderAt(tempDataDir('export'), march);
    accepted(await elsewhere.command(depot('east')));
    march.now = '2026-03-02T10:00:00.000Z';
    accepted(await elsewhere.command(parcel(1, 'east')));
    await elsewhere.call('export', { to: file });

    const june = { now: '2026-06-01T08:00:00.000Z' };
    const here = await folderAt(tempDataDir('import'), june);
    accepted(await here.command(depot('west')));
    june.now = '2026-06-01T09:00:00.000Z';
    accepted(await here.command(depot('north')));
    expect(await here.call('import', { from: file })).toMatchObject({ ok: true, imported: 2, head: 4 });
    june.now = '2026-06-01T10:00:00.000Z';
    accepted(await here.command(depot('south', 'south')));

    const log = openPlainConnection(logPathIn(here.dataDir));
    const recorded = log.prepare('SELECT recorded_at FROM events ORDER BY position').pluck().all();
    expect(recorded).toEqual(['2026-06-01T08:00:00.000Z', '2026-06-01T09:00:00.000Z', '2026-06-01T09:00:00.000Z', '2026-06-01T09:00:00.000Z', '2026-06-01T10:00:00.000Z']);
    const metadataTimes = log.prepare('SELECT metadata FROM events ORDER BY position').pluck().all().map((m) => (JSON.parse(m as string) as { recordedAt: string }).recordedAt);
    expect(metadataTimes).toEqual(recorded);

    const positions = async (params: { from?: string; to?: string }) => {
      const answer = await here.query('events.list', params);
      expect(answer).toMatchObject({ ok: true, freshness: { stale: false } });
      return (answer as { ok: true; data: { rows: { position: number }[] } }).data.rows.map((row) => row.position);
    };
    expect(await positions({ from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' })).toEqual([5, 4, 3, 2, 1]);
    expect(await positions({ from: '2026-06-01T09:00:00.000Z', to: '2026-06-01T10:00:00.000Z' })).toEqual([4, 3, 2]);
    expect(await positions({ from: '2026-06-01T08:30:00.000Z' })).toEqual([5, 4, 3, 2]);
    expect(await positions({ to: '2026-06-01T09:30:00.000Z' })).toEqual([4, 3, 2, 1]);
    expect(await positions({ from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' })).toEqual([]);
  });

  it('registers each imported command under its id, so a late retry of it here is answered as a duplicate and appends nothing', async () => {
    const clock = { now: '2026-03-02T09:00:00.000Z' };
    const elsewhere = await folderAt(tempDataDir('export'), clock);
    accepted(await elsewhere.command(depot('east')));
    const registerP1: CommandRequest = { ...parcel(1, 'east'), commandId: 'cmd-register-p1' };
    accepted(await elsewhere.command(registerP1));
    const file = tempDataDir('export-file').file('events.ndjson');
    await elsewhere.call('export', { to: file });

    const here = await folderAt(tempDataDir('import'), clock);
    accepted(await here.command(depot('west')));
    expect(await here.call('import', { from: file })).toMatchObject({ ok: true, imported: 2, head: 3 });
    const log = openPlainConnection(logPathIn(here.dataDir));
    expect(log.prepare('SELECT command_id, type, first_position, last_position FROM commands ORDER BY rowid').raw().all()).toEqual([
      [expect.any(String), 'RegisterDepot', 1, 1],
      [expect.any(String), 'Imported', 2, 2],
      ['cmd-register-p1', 'Imported', 3, 3],
    ]);
    expect(await here.command(registerP1)).toMatchObject({ ok: true, commandId: 'cmd-register-p1', position: 3, duplicate: true, events: [{ position: 3, streamId: 'parcel-P1' }] });
    expect(here.head()).toBe(3);
  });

  it('keeps a tracking code its first owner\'s here: a parcel imported with a code a local parcel holds does not take it over', async () => {
    const clock = { now: '2026-03-02T09:00:00.000Z' };
    const code = 'WB777777';
    const elsewhere = await folderAt(tempDataDir('export'), clock);
    accepted(await elsewhere.command(depot('east')));
    accepted(await elsewhere.command(parcel(2, 'east', code)));
    const file = tempDataDir('export-file').file('events.ndjson');
    await elsewhere.call('export', { to: file });

    const here = await folderAt(tempDataDir('import'), clock);
    accepted(await here.command(depot('west')));
    accepted(await here.command(parcel(1, 'west', code)));
    expect(await here.call('import', { from: file })).toMatchObject({ ok: true, imported: 2, skipped: 0, head: 4 });

    const log = openPlainConnection(logPathIn(here.dataDir));
    expect(log.prepare('SELECT kind, key, owner, position FROM reservations').raw().all()).toEqual([['tracking_code', code, 'P1', 2]]);
    expect(await here.command(parcel(3, 'west', code))).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/P1/), field: 'payload.trackingCode', rule: 'tracking_code_unique' },
    });
    expect(await here.query('parcel.summary', { trackingCode: code })).toMatchObject({ ok: true, data: { parcelId: 'P1', trackingCode: code } });
    expect(await here.query('events.list', { streamId: 'parcel-P2' })).toMatchObject({
      ok: true,
      data: { rows: [{ position: 4, type: 'ParcelRegistered', payload: { parcelId: 'P2', trackingCode: code } }] },
    });
    // The imported parcel cannot hold the code on the parcel screens: parked, in a rebuild as when followed, so the two agree.
    const parked = { position: 4, type: 'ParcelRegistered', error: expect.stringContaining('UNIQUE constraint failed: parcel_summary.tracking_code') };
    expect((await here.projectionStatus('parcel_summary')).deadLetters).toEqual([expect.objectContaining(parked)]);
    expect(await here.verify()).toMatchObject({ ok: true, readModels: expect.arrayContaining([expect.objectContaining({ name: 'parcel_summary', ok: true })]) });
    expect(await here.rebuild('parcel_summary')).toEqual({ ok: true });
    expect((await here.projectionStatus('parcel_summary')).deadLetters).toEqual([expect.objectContaining(parked)]);
    expect(await here.query('parcel.summary', { trackingCode: code })).toMatchObject({ ok: true, data: { parcelId: 'P1' } });
  });

  it.each([
    ['is not JSON', (line: string) => line.slice(0, 20), /^Line 4 is not JSON/, 'line.4'],
    ['misses its stream id', (line: string) => JSON.stringify({ ...(JSON.parse(line) as object), streamId: undefined }), /^Line 4: streamId is required; nothing was imported\.$/, 'line.4.streamId'],
  ])('a file whose fourth line %s imports nothing and names the line', async (_name, spoil, message, field) => {
    const source = historyLog(tempDataDir('export'));
    const target = tempDataDir('import');
    const file = target.file('events.ndjson');
    await withReaderAsync(source.path, (reader) => exportEvents(reader, file));
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    lines[3] = spoil(lines[3]!);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const copy = openTestLog(target.file('events.db'));

    await expect(importEvents(copy.writer, file)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(message), field });
    expect(importedRows(copy.writer)).toEqual({ events: [], commands: [], reservations: [] });
  });
});
