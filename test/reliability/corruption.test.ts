// Scenario 7: damaged files. A read model whose structure is damaged is found at start and rebuilt
// from the log; one whose values alone changed is found by verify and repaired by a rebuild. A
// damaged log is found at open (header, quick_check) or by the first command that meets the
// damage: writes are refused with CORRUPT naming the restore command, the file is never
// "repaired", and following the advice brings everything back.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReadModelName } from '../../db/contract/index.ts';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { WaybillError } from '../../db/contract/waybillError.ts';
import { restoreLog } from '../../db/log/backupLog.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { alterText, breakHeader, breakRootPage, fileHash } from './helpers/damage.ts';
import { roundCommands, SETUP } from './helpers/workload.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function open(dataDir: string, options: { projectors?: 'inline' | 'workers'; readOnly?: boolean } = {}): Promise<TestCore> {
  const waybill = await openTestCore({ dataDir, projectors: options.projectors ?? 'inline', backgroundCheckpoints: false, readOnly: options.readOnly ?? false });
  cleanups.push(() => waybill.close());
  return waybill;
}

/** A closed folder, three rounds recorded and projected, everything checkpointed into the main files, and a backup of its log. */
async function recordedFolder(label: string): Promise<{ dir: string; head: number; parcels: number; backup: string }> {
  const temp = tempDataDir(label);
  const dir = temp.file('data');
  const backup = temp.file('backup.db');
  const waybill = await openTestCore({ dataDir: dir, projectors: 'inline', backgroundCheckpoints: false });
  for (const request of [...SETUP, ...roundCommands('dmg', 0), ...roundCommands('dmg', 1), ...roundCommands('dmg', 2)]) await waybill.command(request);
  const list = await waybill.query('parcels.list', { limit: 1 });
  const head = waybill.head();
  waybill.core.inlineLogWriter().pragma('wal_checkpoint(TRUNCATE)');
  expect(await waybill.call('backup', { to: backup })).toMatchObject({ ok: true, to: backup });
  await waybill.close();
  return { dir, head, parcels: list.ok ? list.data.total : -1, backup };
}

const servingFile = (dir: string, name: ReadModelName) => join(dir, 'read', readFileSync(join(dir, 'read', `${name}.current`), 'utf8').trim());
const failureOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);
const LOG_FILES = ['', '-wal', '-shm'] as const;
const weather = { type: 'RecordWeather', payload: { region: 'north', condition: 'rain' } } as const;

describe('a damaged read model', () => {
  it('with flipped structure bytes is found at start, never served, and rebuilt from the log', async () => {
    const { dir, head, parcels } = await recordedFolder('rm-structure');
    const damaged = servingFile(dir, 'parcel_summary');
    breakRootPage(damaged, 'parcel_summary');

    const waybill = await open(dir);
    expect(servingFile(dir, 'parcel_summary')).not.toBe(damaged);
    expect(existsSync(damaged)).toBe(false);
    const list = await waybill.query('parcels.list', { limit: 5 });
    expect(list).toMatchObject({ ok: true, data: { total: parcels }, freshness: { position: head } });
    expect((await waybill.verify()).ok).toBe(true);
  });

  it('with a flipped value (structure intact) passes the start check, is flagged by verify, and repaired by a rebuild', async () => {
    const { dir } = await recordedFolder('rm-value');
    expect(alterText(servingFile(dir, 'parcel_summary'), 'Mill St', 'Mall St')).toBeGreaterThan(0);
    const waybill = await open(dir);
    const report = await waybill.verify();
    expect(report.readModels.filter((r) => !r.ok).map((r) => r.name)).toEqual(['parcel_summary']);
    expect(await waybill.rebuild('parcel_summary')).toEqual({ ok: true });
    expect((await waybill.verify()).ok).toBe(true);
  });
});

describe('a damaged log', () => {
  it('with a garbled header is refused at open with CORRUPT and the restore command, read-only too, and the file is left as it was', async () => {
    const { dir } = await recordedFolder('log-header');
    const logPath = logPathIn(dir);
    breakHeader(logPath);
    const damagedBytes = fileHash(logPath);
    for (const readOnly of [false, true]) {
      const failure = await failureOf(openTestCore({ dataDir: dir, projectors: 'inline', readOnly }));
      expect(failure).toBeInstanceOf(WaybillError);
      expect(failure).toMatchObject({ code: 'CORRUPT', message: expect.stringContaining(`waybill restore --from BACKUP.db --data "${dir}"`) });
    }
    expect(fileHash(logPath)).toBe(damagedBytes);
  });

  it('with a garbled header is moved aside untouched by the advised restore, with its WAL, and the restored folder opens and verifies', async () => {
    const { dir: recorded, head, parcels, backup } = await recordedFolder('log-header-restore');
    // A crash image (files copied while a writer has a command in the WAL), then the header garbled.
    const live = await open(recorded);
    expect(await live.command(weather)).toMatchObject({ ok: true, position: head + 1 });
    const dir = join(dirname(recorded), 'crashed');
    const logPath = logPathIn(dir);
    mkdirSync(dir);
    for (const suffix of LOG_FILES) copyFileSync(logPathIn(recorded) + suffix, logPath + suffix);
    await live.close();
    breakHeader(logPath);
    const damaged = LOG_FILES.map((suffix) => fileHash(logPath + suffix));
    expect(statSync(`${logPath}-wal`).size).toBeGreaterThan(0);

    const restored = restoreLog(logPath, backup);
    expect(restored.head).toBe(head);
    expect(LOG_FILES.map((suffix) => restored.keptAs !== null && fileHash(restored.keptAs + suffix))).toEqual(damaged);
    const waybill = await open(dir);
    expect(waybill.head()).toBe(head);
    const list = await waybill.query('parcels.list', { limit: 1 });
    expect(list).toMatchObject({ ok: true, data: { total: parcels }, freshness: { position: head } });
    expect((await waybill.verify()).ok).toBe(true);
    expect(await waybill.command(weather)).toMatchObject({ ok: true, position: head + 1 });
  });

  it('with a damaged page is refused at open (quick_check), can still be looked at read-only (verify names the damage), and the advised restore brings it back', async () => {
    const { dir, head, parcels, backup } = await recordedFolder('log-page');
    const logPath = logPathIn(dir);
    breakRootPage(logPath, 'events_type');
    const damagedBytes = fileHash(logPath);

    const failure = await failureOf(openTestCore({ dataDir: dir, projectors: 'inline' }));
    expect(failure).toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/event log .* is damaged \(.*Tree .* page .*\)\. Waybill will not write to it or repair it/) });

    const reader = await open(dir, { readOnly: true });
    const list = await reader.query('parcels.list', { limit: 5 });
    expect(list).toMatchObject({ ok: true, data: { total: parcels } });
    expect(await reader.command(weather)).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } });
    const report = await reader.verify();
    expect(report.ok).toBe(false);
    expect(report.log.integrity).not.toBe('ok');
    await reader.close();
    expect(fileHash(logPath)).toBe(damagedBytes);

    const restored = restoreLog(logPath, backup);
    expect(restored.keptAs !== null && fileHash(restored.keptAs)).toBe(damagedBytes);
    const waybill = await open(dir);
    expect(await waybill.command(weather)).toMatchObject({ ok: true, position: head + 1 });
    expect((await waybill.verify()).ok).toBe(true);
  });

  it('damaged while open: the first command that meets the damage gets CORRUPT, and every later write is refused without touching the file', async () => {
    const { dir, head } = await recordedFolder('log-runtime');
    const waybill = await open(dir);
    const logPath = logPathIn(dir);
    breakRootPage(logPath, 'events_stream_version');
    const damagedBytes = fileHash(logPath);
    waybill.core.inlineLogWriter().pragma('shrink_memory'); // a cold page cache, as after hours of other work

    const first = await waybill.command({ type: 'RecordScan', payload: { parcelId: 'dmgr0p0', depotId: 'hub', kind: 'arrived' } });
    expect(first).toEqual({ ok: false, error: { code: 'CORRUPT', message: expect.stringContaining('waybill restore --from') } });
    for (const later of [weather, { type: 'RegisterDepot', payload: { depotId: 'east', name: 'East', region: 'east' } }] as const) {
      expect(await waybill.command(later)).toEqual(first);
    }
    expect(await waybill.call('seed', { events: 100 })).toMatchObject({ ok: false, error: { code: 'CORRUPT' } });
    expect(waybill.head()).toBe(head);
    const list = await waybill.query('parcels.list', { limit: 2 });
    expect(list).toMatchObject({ ok: true, data: { rows: expect.any(Array) }, freshness: { head } });
    await waybill.close();
    expect(fileHash(logPath)).toBe(damagedBytes);
  });
});
