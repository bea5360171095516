// Scenario 6a: a read-only data folder. Opening it normally fails with a clear READ_ONLY error;
// opening it explicitly read-only works: queries answer from the read models, every write answers
// READ_ONLY, and nothing in the folder changes. On a real read-only filesystem (a tmpfs remounted
// ro) where this process may mount one; as root, chmod would not stop writes, so elsewhere the
// explicit mode is checked on a writable folder that must come out byte-for-byte unchanged.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { READ_ONLY_NOTE } from '../../db/core/readOnlyEngine.ts';
import { WaybillError } from '../../db/contract/waybillError.ts';
import { projections } from '../../db/projections/index.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { canMount, mountTmpfs, type SmallFilesystem } from './helpers/smallFilesystem.ts';
import { roundCommands, SETUP } from './helpers/workload.ts';
import { folderListing } from './helpers/folderListing.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A closed folder with two rounds recorded and projected; returns its head and parcel count. */
async function recordedFolder(dataDir: string): Promise<{ head: number; parcels: number }> {
  const waybill = await openTestCore({ dataDir, projectors: 'inline', backgroundCheckpoints: false });
  try {
    for (const request of [...SETUP, ...roundCommands('ro', 0), ...roundCommands('ro', 1)]) {
      const result = await waybill.command(request);
      if (!result.ok) throw new Error(result.error.message);
    }
    const list = await waybill.query('parcels.list', { limit: 1 });
    return { head: waybill.head(), parcels: list.ok ? list.data.total : -1 };
  } finally {
    await waybill.close();
  }
}

/** Everything a read-only session must answer, and refuse. */
async function expectReadOnlySession(waybill: TestCore, head: number, parcels: number): Promise<void> {
  expect(waybill.core.readOnly).toBe(true);
  const refused = { ok: false, error: { code: 'READ_ONLY', message: expect.stringContaining('read-only') } };
  expect(await waybill.command({ type: 'RecordWeather', payload: { region: 'north', condition: 'rain' } })).toEqual(refused);
  expect(await waybill.call('seed', { events: 100 })).toMatchObject(refused);
  expect(await waybill.call('rebuild', {})).toEqual(refused);
  expect(await waybill.call('deadLetter', { projection: 'parcel_summary', position: 1, action: 'skip' })).toEqual(refused);

  const list = await waybill.query('parcels.list', { limit: 5 });
  expect(list).toMatchObject({ ok: true, data: { total: parcels, rows: expect.objectContaining({ length: 5 }) }, freshness: { lag: 0 } });
  const events = await waybill.query('events.list', { limit: 3 });
  expect(events).toMatchObject({ ok: true, data: { rows: [{ position: head }, { position: head - 1 }, { position: head - 2 }] } });
  const status = await waybill.query('projections.status', {});
  expect(status).toMatchObject({
    ok: true,
    data: {
      head,
      projections: projections.map((p) => ({ name: p.name, state: 'stopped', checkpoint: head, error: READ_ONLY_NOTE })),
      writeRefusal: { code: 'READ_ONLY', message: expect.stringContaining('read-only') },
    },
  });
  const report = await waybill.verify();
  expect(report.log).toMatchObject({ head, integrity: 'ok', gapless: true, chain: { ok: true } });
  expect(report.ok).toBe(true);
}

describe('a read-only data folder', () => {
  it.runIf(canMount)('on a read-only filesystem: a normal open says READ_ONLY, an explicit read-only open serves queries and refuses writes', async () => {
    const fs = mountTmpfs(32 * 1024 * 1024) as SmallFilesystem;
    cleanups.push(() => fs.unmount());
    const dataDir = join(fs.path, 'data');
    const { head, parcels } = await recordedFolder(dataDir);
    fs.remount('ro');

    const refused = await openTestCore({ dataDir, projectors: 'workers' }).then(
      (w) => w.close().then(() => null),
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(WaybillError);
    expect(refused).toMatchObject({ code: 'READ_ONLY', message: expect.stringMatching(/is read-only .*Open it read-only/) });

    const waybill = await openTestCore({ dataDir, readOnly: true });
    cleanups.push(() => waybill.close());
    await expectReadOnlySession(waybill, head, parcels);
    await waybill.close();

    fs.remount('rw'); // writable again: a normal open works and records
    const writable = await openTestCore({ dataDir, projectors: 'inline' });
    cleanups.push(() => writable.close());
    expect(await writable.command({ type: 'RecordWeather', payload: { region: 'north', condition: 'rain' } })).toMatchObject({ ok: true, position: head + 1 });
  });

  it('opened explicitly read-only on a writable folder: the same answers, and not one byte of its data changes', async () => {
    const dir = tempDataDir('read-only');
    const { head, parcels } = await recordedFolder(dir.path);
    const before = folderListing(dir.path);
    const waybill = await openTestCore({ dataDir: dir.path, readOnly: true });
    cleanups.push(() => waybill.close());
    await expectReadOnlySession(waybill, head, parcels);
    await waybill.close();
    expect(folderListing(dir.path)).toEqual(before);
  });

  it('opened read-only beside a running writer: sees new events in the log, says how far behind its read models are', async () => {
    const dir = tempDataDir('read-only-live');
    const { head } = await recordedFolder(dir.path);
    const writer = await openTestCore({ dataDir: dir.path, projectors: 'inline' });
    cleanups.push(() => writer.close());
    const reader = await openTestCore({ dataDir: dir.path, readOnly: true });
    cleanups.push(() => reader.close());
    const appended = await writer.command({ type: 'RecordWeather', payload: { region: 'north', condition: 'snow' } });
    expect(appended).toMatchObject({ ok: true, position: head + 1 });
    const list = await reader.query('parcels.list', { limit: 1 }, { minPosition: head + 1, timeoutMs: 200 });
    expect(list).toMatchObject({ ok: true, freshness: { head: head + 1, position: head, lag: 1, stale: true } });
  });

  it('a folder with no log cannot be opened read-only: NOT_FOUND, and nothing is created', async () => {
    const dir = tempDataDir('read-only-empty');
    await expect(openTestCore({ dataDir: join(dir.path, 'nothing-here'), readOnly: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(readdirSync(dir.path)).toEqual([]);
  });
});
