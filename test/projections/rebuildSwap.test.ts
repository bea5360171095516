import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readModelNames, type RebuildProgress } from '../../db/contract/index.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import type { FromWorker, RebuildWorkerData } from '../../db/projector/messages.ts';
import { parcelSummary } from '../../db/projections/parcelSummary/projection.ts';
import { readModelChecksum } from '../../db/readmodel/checksum.ts';
import { rebuildReadModel } from '../../db/readmodel/rebuildReadModel.ts';
import { watchJobs, type WatchOptions } from '../helpers/watchedJobs.ts';
import { copyFolder, readModelDbFiles, seedFolder, servingFile, withPlainConnection } from './helpers/dataFolder.ts';
import { createTempDirs } from './helpers/tempDirs.ts';
import { waitUntil } from './helpers/waitUntil.ts';

const temp = createTempDirs('rebuild');
let template: string;
let head: number;
let parcels: number;
let waybill: TestCore | null = null;

beforeAll(async () => {
  template = temp.make('template');
  ({ head } = await seedFolder(template, { events: 30_000, seed: 5, project: true }));
  parcels = withPlainConnection(servingFile(template, 'parcel_summary'), (db) => db.prepare('SELECT count(*) FROM parcel_summary').pluck().get() as number, true);
}, 180_000);
afterEach(async () => {
  await waybill?.close();
  waybill = null;
});
afterAll(() => temp.cleanup());

/** A copy of the seeded folder opened in workers mode, its rebuild jobs watched, recording the phases of parcel_summary rebuilds. */
async function openCopy(watch: WatchOptions = {}) {
  const dir = join(temp.make('case'), 'data');
  copyFolder(template, dir);
  const jobs = watchJobs(watch);
  const w = await openTestCore({ dataDir: dir, projectors: 'workers', jobLauncher: jobs.launcher });
  waybill = w;
  const phases: RebuildProgress['phase'][] = [];
  w.subscribe('rebuild', (p) => p.name === 'parcel_summary' && phases.push(p.phase));
  return { dir, w, phases, jobs };
}

const isPaused = (m: FromWorker) => m.kind === 'paused';

describe('rebuild of parcel_summary', () => {
  it('serves the old read model to every query until it swaps the rebuilt file in atomically, commands included', async () => {
    // The rebuild waits half built, and what it says once built is held back from the host until let through.
    const { dir, w, phases, jobs } = await openCopy({ pauseAfterBatch: 1, holdFrom: 'rebuildDone' });
    const oldFile = servingFile(dir, 'parcel_summary');
    expect((await w.status()).projections.map((p) => p.checkpoint)).toEqual(readModelNames.map(() => head));
    const board = await w.query('depots.board', {});
    if (!board.ok) throw new Error(board.error.message);
    const [origin, destination] = board.data.map((d) => d.depotId) as [string, string];

    const answers: { stage: string; ok: boolean; rows: number; total: number; expected: number }[] = [];
    const unseen: string[] = [];
    let added = 0;
    /** A page of parcels (every parcel so far), then a command, readable with its position (read-your-writes). */
    const queryAndCommand = async (stage: string) => {
      const page = await w.query('parcels.list', { limit: 50 });
      const expected = parcels + added;
      answers.push(page.ok ? { stage, ok: true, rows: page.data.rows.length, total: page.data.total, expected } : { stage, ok: false, rows: 0, total: 0, expected });
      const parcelId = `during-${++added}`;
      const recipient = { name: 'Mid Rebuild', street: '1 Swap St', city: 'Leeds', postcode: 'LS1 4AP' };
      const payload = { parcelId, trackingCode: `DURING${String(added).padStart(6, '0')}`, recipient, originDepotId: origin, destinationDepotId: destination, weightKg: 2 };
      const result = await w.command({ type: 'RegisterParcel', payload });
      if (!result.ok) throw new Error(result.error.message);
      const summary = await w.query('parcel.summary', { parcelId }, { minPosition: result.position, timeoutMs: 30_000 });
      if (!summary.ok || summary.freshness.stale || summary.data?.parcelId !== parcelId) unseen.push(parcelId);
    };

    let settled = false;
    const rebuilding = w.rebuild('parcel_summary').finally(() => (settled = true));
    const job = await jobs.next();
    expect(await job.message(isPaused)).toEqual({ kind: 'paused', batches: 1 });
    for (let i = 0; i < 3; i++) await queryAndCommand('half built');
    job.post({ kind: 'continue' });
    expect(await job.message((m) => m.kind === 'rebuildDone')).toMatchObject({ kind: 'rebuildDone', checkpoint: head + added });
    for (let i = 0; i < 3; i++) await queryAndCommand('built, not swapped in');
    job.release();
    while (!settled) await queryAndCommand('handing over');
    expect(await rebuilding).toEqual({ ok: true });
    await queryAndCommand('swapped in');

    // Every answer held every parcel, the seeded ones and those added before it.
    expect(answers.filter((a) => !a.ok || a.rows !== 50 || a.total !== a.expected)).toEqual([]);
    expect([...new Set(answers.map((a) => a.stage))]).toEqual(['half built', 'built, not swapped in', 'handing over', 'swapped in']);
    expect(unseen).toEqual([]);

    const newFile = servingFile(dir, 'parcel_summary');
    expect(newFile).not.toBe(oldFile);
    expect(existsSync(oldFile)).toBe(false);
    expect(readModelDbFiles(dir, 'parcel_summary')).toEqual([newFile]);

    const page = await w.query('parcels.list', { limit: 50 }, { minPosition: w.head(), timeoutMs: 30_000 });
    expect(page).toMatchObject({ ok: true, data: { total: parcels + added, rows: expect.objectContaining({ length: 50 }) } });
    const status = await w.query('projections.status', {});
    expect(status).toMatchObject({
      ok: true,
      data: {
        projections: expect.arrayContaining([
          expect.objectContaining({ name: 'parcel_summary', version: parcelSummary.version, storedVersion: parcelSummary.version, checkpoint: head + added, lag: 0, rebuild: null }),
        ]),
      },
    });
    // Push messages are throttled; the last one (done) always arrives, possibly just after the call resolved.
    await waitUntil('the done push message', () => phases.at(-1) === 'done');
    expect(phases[0]).toBe('loading');
  }, 180_000);

  it('keeps serving the old file and deletes the partial one when the rebuild is cancelled, and a later rebuild succeeds', async () => {
    const { dir, w, phases, jobs } = await openCopy({ pauseAfterBatch: 1 });
    const oldFile = servingFile(dir, 'parcel_summary');

    const rebuilding = w.rebuild('parcel_summary');
    // Cancelled while it waits half built: a partial file exists and must go.
    const job = await jobs.next();
    expect(await job.message(isPaused)).toEqual({ kind: 'paused', batches: 1 });
    expect(readModelDbFiles(dir, 'parcel_summary')).toEqual([oldFile, (job.data as RebuildWorkerData).targetPath].sort());
    expect(await w.call('cancelRebuild', { projection: 'parcel_summary' })).toEqual({ ok: true });
    const result = await rebuilding;
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await waitUntil('the cancelled push message', () => phases.at(-1) === 'cancelled');
    expect(phases).toContain('loading');
    expect(phases).not.toContain('done');

    expect(servingFile(dir, 'parcel_summary')).toBe(oldFile);
    expect(readModelDbFiles(dir, 'parcel_summary')).toEqual([oldFile]);
    const page = await w.query('parcels.list', { limit: 10 });
    expect(page).toMatchObject({ ok: true, data: { total: parcels } });
    expect(await w.projectionStatus('parcel_summary')).toMatchObject({ checkpoint: head, rebuild: null });

    // The read model keeps following the log after the cancelled rebuild.
    const appended = await w.command({ type: 'RecordWeather', payload: { region: 'north', condition: 'clear' } });
    if (!appended.ok) throw new Error(appended.error.message);
    const after = await w.query('parcels.list', { limit: 1 }, { minPosition: appended.position, timeoutMs: 20_000 });
    expect(after).toMatchObject({ ok: true, freshness: { stale: false, position: appended.position } });

    // A later rebuild succeeds and equals a rebuild of the log.
    const later = w.rebuild('parcel_summary');
    (await jobs.next()).post({ kind: 'continue' });
    expect(await later).toEqual({ ok: true });
    expect(readModelDbFiles(dir, 'parcel_summary')).toEqual([servingFile(dir, 'parcel_summary')]);
    const scratch = join(dir, 'scratch-parcel_summary.db');
    await rebuildReadModel({ projection: parcelSummary, logPath: join(dir, 'events.db'), targetPath: scratch });
    const checksumOf = (path: string) => withPlainConnection(path, (db) => readModelChecksum(db, parcelSummary), true);
    expect(checksumOf(servingFile(dir, 'parcel_summary'))).toBe(checksumOf(scratch));
  }, 180_000);

  it('removes the file it replaced when the CLI (inline engine) rebuilds', async () => {
    const dir = join(temp.make('case'), 'data');
    copyFolder(template, dir);
    const w = (waybill = await openTestCore({ dataDir: dir, projectors: 'inline' }));
    const oldFile = servingFile(dir, 'parcel_summary');

    expect(await w.rebuild('parcel_summary')).toEqual({ ok: true });
    expect(servingFile(dir, 'parcel_summary')).not.toBe(oldFile);
    expect(readModelDbFiles(dir, 'parcel_summary')).toEqual([servingFile(dir, 'parcel_summary')]);
    const page = await w.query('parcels.list', { limit: 5 });
    expect(page).toMatchObject({ ok: true, data: { total: parcels } });
  });
});
