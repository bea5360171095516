import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setImmediate as nextTick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { weatherConditions } from '../../db/contract/index.ts';
import { backupLog, restoreLog } from '../../db/log/backupLog.ts';
import { exportEvents } from '../../db/log/exportEvents.ts';
import { importEvents } from '../../db/write/importEvents.ts';
import { openLogReader } from '../../db/log/openEventLog.ts';
import { verifyLog } from '../../db/log/verifyLog.ts';
import { tempDataDir, type TempDataDir } from '../helpers/tempDataDir.ts';
import { countEvents, openPlainConnection, openTestLog, recordBasics, tableRows, type TestLog } from '../helpers/testLog.ts';

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
    const weather = Array.from({ length: 1500 }, (_, i) => ({ type: 'RecordWeather', payload: { region: 'north', condition: weatherConditions[i % 5] } }));
    expect(log.handler.handleAll(weather)).toHaveLength(weather.length);
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

  it('restore from a missing file is NOT_FOUND', () => {
    const dir = tempDataDir('restore-missing');
    const log = historyLog(dir);
    log.close();
    expect(refusal(() => restoreLog(log.path, dir.file('nowhere.db')))).toMatchObject({ code: 'NOT_FOUND', field: 'from' });
    expect(existsSync(log.path)).toBe(true);
  });
});

describe('export and import', () => {
  it('export then import into an empty folder reproduces every event id, stream, version and payload', async () => {
    const source = historyLog(tempDataDir('export'));
    const target = tempDataDir('import');
    const file = target.file('events.ndjson');
    expect(await withReaderAsync(source.path, (reader) => exportEvents(reader, file))).toEqual({ events: 10 });
    const copy = openTestLog(target.file('events.db'));

    expect(await importEvents(copy.writer, file)).toEqual({ imported: 10, skipped: 0, head: 10 });
    expect(envelopes(copy.writer)).toEqual(envelopes(source.writer));
    expect(tableRows(copy.writer, 'tracking_codes')).toEqual(tableRows(source.writer, 'tracking_codes'));
    expect(verifyLog(copy.writer).chain.ok).toBe(true);
  });

  it('importing the same file twice imports nothing the second time', async () => {
    const source = historyLog(tempDataDir('export'));
    const target = tempDataDir('import');
    const file = target.file('events.ndjson');
    await withReaderAsync(source.path, (reader) => exportEvents(reader, file));
    const copy = openTestLog(target.file('events.db'));
    await importEvents(copy.writer, file);
    const once = envelopes(copy.writer);

    expect(await importEvents(copy.writer, file)).toEqual({ imported: 0, skipped: 10, head: 10 });
    expect(envelopes(copy.writer)).toEqual(once);
  });

  it.each([
    ['is not JSON', (line: string) => line.slice(0, 20), /^Line 4 is not JSON/, 'line.4'],
    ['misses its stream id', (line: string) => JSON.stringify({ ...(JSON.parse(line) as object), streamId: undefined }), /^Line 4: streamId/, 'line.4.streamId'],
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
    expect(countEvents(copy.writer)).toBe(0);
    expect(tableRows(copy.writer, 'tracking_codes')).toEqual([]);
  });
});
