import { randomBytes } from 'node:crypto';
import { existsSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commandRequestSchema, type RebuildProgress } from '../../db/contract/index.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { parcelSummary } from '../../db/projections/parcelSummary/projection.ts';
import { deviceIdOf } from '../../db/log/deviceIdentity.ts';
import { openLogReader, openLogWriter } from '../../db/log/openEventLog.ts';
import { Projector } from '../../db/readmodel/catchUp.ts';
import { openReadModelWriter } from '../../db/readmodel/openReadModel.ts';
import { CommandHandler } from '../../db/write/commandHandler.ts';
import { copyFolder, logPathOf, readModelDbFiles, seedFolder, servingFile, withPlainConnection } from './helpers/dataFolder.ts';
import { createTempDirs } from './helpers/tempDirs.ts';
import { waitUntil } from './helpers/waitUntil.ts';

const temp = createTempDirs('startup');
const OLD_VERSION = parcelSummary.version - 1;
let template: string;
let head: number;
let parcels: number;
let waybill: TestCore | null = null;

beforeAll(async () => {
  template = temp.make('template');
  ({ head } = await seedFolder(template, { events: 8000, seed: 3, project: true }));
  parcels = withPlainConnection(servingFile(template, 'parcel_summary'), (db) => db.prepare('SELECT count(*) FROM parcel_summary').pluck().get() as number, true);
});
afterEach(async () => {
  await waybill?.close();
  waybill = null;
});
afterAll(() => temp.cleanup());

function copyOfTemplate(): string {
  const dir = join(temp.make('case'), 'data');
  copyFolder(template, dir);
  return dir;
}

/** Opens (workers mode by default) and records the phases of parcel_summary rebuilds (worker threads boot after this returns). */
async function open(dir: string, projectors: 'workers' | 'inline' = 'workers') {
  const w = await openTestCore({ dataDir: dir, projectors });
  waybill = w;
  const phases: RebuildProgress['phase'][] = [];
  w.subscribe('rebuild', (p) => p.name === 'parcel_summary' && phases.push(p.phase));
  return { w, phases };
}

const storeOldVersion = (file: string) => withPlainConnection(file, (db) => db.prepare('UPDATE _checkpoint SET version = ?').run(OLD_VERSION));

/** Waits for the rebuild to finish, then checks parcel_summary serves only the rebuilt file, at the code's version and the head. */
async function rebuiltAwayFrom(dir: string, oldFile: string, w: TestCore, finished: () => boolean, atHead = head) {
  await waitUntil('the parcel_summary rebuild to finish', finished);
  expect(servingFile(dir, 'parcel_summary')).not.toBe(oldFile);
  expect(existsSync(oldFile)).toBe(false);
  expect(readModelDbFiles(dir, 'parcel_summary')).toEqual([servingFile(dir, 'parcel_summary')]);
  expect(await w.projectionStatus('parcel_summary')).toMatchObject({ storedVersion: parcelSummary.version, checkpoint: atHead });
  const page = await w.query('parcels.list', { limit: 5 });
  expect(page).toMatchObject({ ok: true, data: { total: parcels } });
}

describe('opening a data folder', () => {
  it('rebuilds a read model whose stored version differs from the code, while the old file serves meanwhile', async () => {
    const dir = copyOfTemplate();
    const oldFile = servingFile(dir, 'parcel_summary');
    storeOldVersion(oldFile);

    const { w, phases } = await open(dir);
    const versionsSeen = new Set<number | null>();
    await waitUntil(
      'the pointer to name a new parcel_summary file',
      async () => {
        const page = await w.query('parcels.list', { limit: 20 });
        expect(page).toMatchObject({ ok: true, data: { total: parcels, rows: expect.arrayContaining([expect.anything()]) } });
        versionsSeen.add((await w.projectionStatus('parcel_summary')).storedVersion);
        return servingFile(dir, 'parcel_summary') !== oldFile;
      },
      { intervalMs: 2 },
    );
    expect(versionsSeen).toContain(OLD_VERSION);
    await rebuiltAwayFrom(dir, oldFile, w, () => phases.includes('done'));
  });

  it('keeps a version-changed read model marked for rebuild until the rebuild swaps in, even after it applied new events', async () => {
    const dir = copyOfTemplate();
    const oldFile = servingFile(dir, 'parcel_summary');
    storeOldVersion(oldFile);

    // As if the app quit before its startup rebuild finished: the follower keeps applying new events
    // to the old-version file (the Projector is exactly what the follow worker runs).
    const writer = openLogWriter(logPathOf(dir));
    const request = commandRequestSchema.parse({ type: 'RecordWeather', payload: { region: 'north', condition: 'storm' } });
    const appended = new CommandHandler(writer).handle(request, { actor: 'spec', deviceId: deviceIdOf(writer) });
    writer.close();
    if (!appended.ok) throw new Error(appended.error.message);
    const log = openLogReader(logPathOf(dir));
    const readModel = openReadModelWriter(oldFile, parcelSummary);
    const follower = new Projector(parcelSummary, readModel, log);
    expect(follower.catchUp()).toBe(appended.position);
    expect(readModel.prepare('SELECT version FROM _checkpoint').pluck().get()).toBe(OLD_VERSION);
    readModel.close();
    log.close();

    const { w: second, phases: again } = await open(dir);
    expect(await second.projectionStatus('parcel_summary')).toMatchObject({ storedVersion: OLD_VERSION });
    await rebuiltAwayFrom(dir, oldFile, second, () => again.includes('done'), appended.position);
  });

  it('detects a read model file overwritten with garbage and rebuilds it from the log', async () => {
    const dir = copyOfTemplate();
    const damaged = servingFile(dir, 'parcel_summary');
    // Closed cleanly: nothing committed waits in the WAL, so the main file is the whole read model.
    expect(existsSync(`${damaged}-wal`) ? statSync(`${damaged}-wal`).size : 0).toBe(0);
    writeFileSync(damaged, randomBytes(64 * 1024));

    // Inline mode (the CLI's) finishes the rebuild before open returns; workers mode runs the same check.
    const { w } = await open(dir, 'inline');
    expect(servingFile(dir, 'parcel_summary')).not.toBe(damaged);
    await rebuiltAwayFrom(dir, damaged, w, () => true);
    const timeline = await w.query('parcel.timeline', { parcelId: 'p3-1' });
    expect(timeline).toMatchObject({ ok: true, data: { rows: expect.arrayContaining([expect.objectContaining({ type: 'ParcelRegistered' })]) } });
  });

  it('deletes orphan files of a crashed rebuild and keeps the serving ones and a recent rebuild in progress', async () => {
    const dir = copyOfTemplate();
    const serving = servingFile(dir, 'parcel_summary');
    const orphans = [join(dir, 'read', 'parcel_summary.zz0001-abcdef.db'), join(dir, 'read', 'event_history.zz0002-012345.verify.db')];
    const anHourAgo = new Date(Date.now() - 3_600_000);
    for (const orphan of orphans) {
      for (const file of [orphan, `${orphan}-wal`]) {
        writeFileSync(file, randomBytes(4096));
        utimesSync(file, anHourAgo, anHourAgo);
      }
    }
    // Written a moment ago: possibly another process's rebuild in progress, so it is left alone.
    const recent = join(dir, 'read', 'route_board.zz0003-abcdef.db');
    writeFileSync(recent, randomBytes(4096));

    const { w } = await open(dir, 'inline');
    for (const orphan of orphans) {
      expect(existsSync(orphan)).toBe(false);
      expect(existsSync(`${orphan}-wal`)).toBe(false);
    }
    expect(existsSync(recent)).toBe(true);
    expect(servingFile(dir, 'parcel_summary')).toBe(serving);
    expect(readModelDbFiles(dir, 'event_history')).toEqual([servingFile(dir, 'event_history')]);
    const page = await w.query('parcels.list', { limit: 5 });
    expect(page).toMatchObject({ ok: true, data: { total: parcels } });
  });
});
