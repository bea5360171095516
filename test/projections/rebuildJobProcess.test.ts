// Rebuild and verify jobs run in processes of their own (db/projector/jobProcess.ts), so what a
// rebuild allocates goes back to the system when it ends. These tests use real forked processes.
import { existsSync } from 'node:fs';
import { getPriority } from 'node:os';
import { BACKGROUND_NICE } from '../../db/runtime/backgroundPriority.ts';
import { readModelNames } from '../../db/contract/index.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { defaultProcessLauncher } from '../../db/projector/jobProcess.ts';
import { nodeProcessLauncher, startDataFlag, type ProcessLauncher } from '../../db/runtime/processLauncher.ts';
import { processAlive } from '../helpers/childProcesses.ts';
import { seedFolder, readModelDbFiles, servingFile } from './helpers/dataFolder.ts';
import { createTempDirs } from './helpers/tempDirs.ts';
import { waitUntil } from './helpers/waitUntil.ts';
import { watchJobs, type WatchedJob } from '../helpers/watchedJobs.ts';

const dirs = createTempDirs('job-process');
let waybill: TestCore | null = null;
afterEach(async () => {
  await waybill?.close();
  waybill = null;
  dirs.cleanup();
});

interface StartedJob {
  pid: number;
  mode: string;
  name: string;
}

/** The real Node launcher, noting every job it starts. */
function recordingLauncher(): { launcher: ProcessLauncher; started: StartedJob[] } {
  const started: StartedJob[] = [];
  const launcher: ProcessLauncher = (entryFile, args) => {
    const handle = nodeProcessLauncher(entryFile, args);
    const data = JSON.parse(args.find((a) => a.startsWith(startDataFlag))!.slice(startDataFlag.length)) as { mode: string; name: string };
    started.push({ pid: handle.pid!, mode: data.mode, name: data.name });
    return handle;
  };
  return { launcher, started };
}

/** A seeded, projected folder opened with worker projectors whose jobs the recording launcher starts. */
async function openWithRecordedJobs(events: number): Promise<{ dir: string; waybill: TestCore; started: StartedJob[] }> {
  const dir = dirs.make();
  await seedFolder(dir, { events, project: true });
  const { launcher, started } = recordingLauncher();
  waybill = await openTestCore({ dataDir: dir, jobLauncher: launcher });
  return { dir, waybill, started };
}

/**
 * The same, with every rebuild job pausing half built (the rebuild's test hook) so a test acts on it
 * mid-rebuild however fast the machine is; `paused()` is the next rebuild job once it waits there.
 */
async function openWithPausedRebuilds(events: number): Promise<{ dir: string; waybill: TestCore; paused: () => Promise<WatchedJob> }> {
  const dir = dirs.make();
  await seedFolder(dir, { events, project: true });
  const watched = watchJobs({ pauseAfterBatch: 1 });
  waybill = await openTestCore({ dataDir: dir, jobLauncher: watched.launcher });
  const paused = async () => {
    for (;;) {
      const job = await watched.next();
      if (job.data.mode !== 'rebuild') continue;
      expect(await job.message((m) => m.kind === 'paused')).toMatchObject({ kind: 'paused', batches: 1 });
      return job;
    }
  };
  return { dir, waybill, paused };
}

describe('rebuild and verify jobs in processes of their own', () => {
  it('rebuilds every read model twice in a row, each in a process that is gone afterwards, and the result verifies', async () => {
    const { waybill, started } = await openWithRecordedJobs(3000);
    const names = (await waybill.status()).projections.map((p) => p.name);
    for (let round = 0; round < 2; round++) expect(await waybill.call('rebuild', {})).toEqual({ ok: true });
    await waitUntil('every rebuild swapped in', async () => (await waybill.status()).projections.every((p) => p.state === 'idle' && p.lag === 0));

    const rebuilds = started.filter((job) => job.mode === 'rebuild');
    expect(rebuilds.map((job) => job.name).sort()).toEqual([...names, ...names].sort());
    expect(new Set(rebuilds.map((job) => job.pid)).size).toBe(rebuilds.length);
    expect(rebuilds.every((job) => job.pid !== process.pid)).toBe(true);
    await waitUntil('every job process has exited', () => rebuilds.every((job) => !processAlive(job.pid)));

    const report = await waybill.verify();
    expect(report).toMatchObject({ ok: true });
    expect(report.readModels.map((r) => [r.name, r.ok])).toEqual(names.map((name) => [name, true]));
    // Verify's scratch rebuilds are jobs too.
    expect(started.filter((job) => job.mode === 'verify').map((job) => job.name).sort()).toEqual([...names].sort());
  }, 120_000);

  it('verify checks the read models as many at a time as rebuilds may run, each a background job, and reports every one', async () => {
    const dir = dirs.make();
    await seedFolder(dir, { events: 3000, project: true });
    let alive = 0;
    let most = 0;
    const priorities: number[] = [];
    const watched = watchJobs({
      onStart: (job) => {
        if (job.data.mode !== 'verify') return;
        most = Math.max(most, ++alive);
        // Counted until the job answers: the next one may start while this one's process winds down.
        void job.message((m) => m.kind === 'verified').then(() => {
          priorities.push(getPriority(job.pid!));
          alive--;
        });
      },
    });
    waybill = await openTestCore({ dataDir: dir, jobLauncher: watched.launcher, rebuildConcurrency: 2 });
    const report = await waybill.verify();
    expect(report).toMatchObject({ ok: true, log: { gapless: true } });
    expect(report.readModels.map((r) => [r.name, r.ok])).toEqual(readModelNames.map((name) => [name, true]));
    expect(watched.jobs.filter((job) => job.data.mode === 'verify')).toHaveLength(readModelNames.length);
    expect(most).toBe(2);
    expect(priorities.every((p) => p >= BACKGROUND_NICE)).toBe(true);
  }, 120_000);

  it('a job process killed from outside fails its rebuild cleanly: the old file keeps serving, the partial one is removed, the next rebuild works', async () => {
    const { dir, waybill, paused } = await openWithPausedRebuilds(20_000);
    const before = servingFile(dir, 'parcel_summary');
    const parcels = async () => {
      const answer = await waybill.query('parcels.list', { limit: 1 });
      expect(answer).toMatchObject({ ok: true, data: { total: expect.any(Number) } });
      return (answer as Extract<typeof answer, { ok: true }>).data.total;
    };
    const total = await parcels();
    expect(total).toBeGreaterThan(0);

    const outcome = waybill.core.rebuildReadModel('parcel_summary');
    const job = await paused();
    expect(readModelDbFiles(dir, 'parcel_summary')).toHaveLength(2); // half built beside the serving file
    // A background job: the scheduler serves the core's answers first.
    expect(getPriority(job.pid!)).toBeGreaterThanOrEqual(BACKGROUND_NICE);
    expect(getPriority(process.pid)).toBeLessThan(BACKGROUND_NICE);
    process.kill(job.pid!, 'SIGKILL');
    const failed = await outcome;
    expect(failed).toMatchObject({ ok: false, cancelled: false, error: expect.stringContaining('stopped (exit code 137) before it finished') });
    expect(servingFile(dir, 'parcel_summary')).toBe(before);
    expect(readModelDbFiles(dir, 'parcel_summary')).toEqual([before]);
    expect(await parcels()).toBe(total);

    const again = waybill.core.rebuildReadModel('parcel_summary');
    (await paused()).post({ kind: 'continue' });
    expect(await again).toMatchObject({ ok: true });
    expect(servingFile(dir, 'parcel_summary')).not.toBe(before);
    expect(existsSync(before)).toBe(false);
  }, 120_000);

  it('a cancelled rebuild stops its job process and keeps the old file', async () => {
    const { dir, waybill, paused } = await openWithPausedRebuilds(20_000);
    const before = servingFile(dir, 'event_history');
    const outcome = waybill.core.rebuildReadModel('event_history');
    const job = await paused();
    expect(await waybill.cancelRebuild('event_history')).toEqual({ ok: true });
    expect(await outcome).toMatchObject({ ok: false, cancelled: true });
    await job.exited;
    expect(processAlive(job.pid!)).toBe(false);
    expect(readModelDbFiles(dir, 'event_history')).toEqual([before]);
  }, 120_000);

  it('closing mid-rebuild ends the job process and discards its file', async () => {
    const { dir, waybill, paused } = await openWithPausedRebuilds(20_000);
    const before = servingFile(dir, 'parcel_timeline');
    void waybill.core.rebuildReadModel('parcel_timeline');
    const job = await paused();
    await waybill.close(); // afterEach's close is then a no-op
    expect(processAlive(job.pid!)).toBe(false);
    expect(readModelDbFiles(dir, 'parcel_timeline')).toEqual([before]);
  }, 120_000);
});

describe('where jobs run by default', () => {
  it("Node forks itself; Electron's main process (whose fork would start the app again) gets threads unless it passes a launcher", () => {
    expect(defaultProcessLauncher()).toBe(nodeProcessLauncher);
    const versions = process.versions as Record<string, string | undefined>;
    Object.defineProperty(versions, 'electron', { value: '45.5.0', configurable: true, enumerable: true });
    try {
      expect(defaultProcessLauncher()).toBeNull();
    } finally {
      delete versions.electron;
    }
  });
});
