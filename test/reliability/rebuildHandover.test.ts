// Found by the soak. (1) When a rebuilt read model was swapped in, the host reset its checkpoint
// until a fresh follower thread had booted and caught up, so read-your-writes queries waited (up to
// 2.6 s under load) and could see time go backwards. With the warm handover the new follower
// catches up first: the checkpoint a query sees never goes backwards across a swap. (2) Six
// CPU-bound rebuilds at once starved the followers on 2 cores; rebuilds now queue for a slot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { readModelNames } from '../../db/contract/index.ts';
import type { FromWorker } from '../../db/projector/messages.ts';
import { createTempDataDir } from '../helpers/tempDataDir.ts';
import { watchJobs } from '../helpers/watchedJobs.ts';
import { seedProjectedFolder } from './helpers/rebuildCrash.ts';
import { roundCommands, SETUP } from './helpers/workload.ts';

const dir = createTempDataDir('handover');
// parcel_summary's rebuild waits half built, and what it says once built is held back from the host until let through.
const jobs = watchJobs({ pauseAfterBatch: 1, holdFrom: 'rebuildDone' });
let waybill: TestCore;

beforeAll(async () => {
  await seedProjectedFolder(dir.path, 10_000, 2);
  waybill = await openTestCore({ dataDir: dir.path, projectors: 'workers', jobLauncher: jobs.launcher });
  for (const request of SETUP) expect(await waybill.command(request)).toMatchObject({ ok: true });
  await waybill.core.catchUpAll();
}, 120_000);
afterAll(async () => {
  await waybill?.close();
  dir.remove();
});

const isBuilt = (m: FromWorker) => m.kind === 'rebuildDone' || m.kind === 'rebuildFailed' || m.kind === 'stopped';

describe('swapping a rebuilt read model in while commands keep coming', () => {
  it('never moves the checkpoint queries see backwards, and read-your-writes holds right after the swap', async () => {
    const seen: { at: string; checkpoint: number }[] = [];
    const look = async (at: string) => void seen.push({ at, checkpoint: (await waybill.projectionStatus('parcel_summary')).checkpoint });
    const stale: number[] = [];
    let round = 0;
    /** A round of commands; what queries see right after it, and once it is readable (read-your-writes). */
    const commandsThenRead = async (at: string) => {
      let position = 0;
      for (const request of roundCommands('handover', round++)) {
        const answer = await waybill.command(request);
        if (!answer.ok) throw new Error(answer.error.message);
        position = answer.position;
      }
      await look(at);
      const page = await waybill.query('parcels.list', { limit: 1 }, { minPosition: position, timeoutMs: 20_000 });
      if (!page.ok || page.freshness.stale || page.freshness.position < position) stale.push(position);
      await look(at);
    };

    let done = false;
    const rebuilding = waybill.rebuild('parcel_summary').finally(() => (done = true));
    const job = await jobs.next();
    expect(await job.message((m) => m.kind === 'paused')).toEqual({ kind: 'paused', batches: 1 });
    for (let i = 0; i < 3; i++) await commandsThenRead('half built');
    job.post({ kind: 'continue' });
    const built = await job.message((m) => m.kind === 'rebuildDone');
    // These rounds are in the serving file only: the rebuilt file's follower must catch up with them before it takes over.
    for (let i = 0; i < 3; i++) await commandsThenRead('built');
    expect(built).toMatchObject({ kind: 'rebuildDone', checkpoint: expect.any(Number) });
    expect((built as Extract<FromWorker, { kind: 'rebuildDone' }>).checkpoint).toBeLessThan(seen.at(-1)!.checkpoint);
    job.release();
    await look('released');
    while (!done) await commandsThenRead('handing over');
    expect(await rebuilding).toEqual({ ok: true });
    await look('swapped in');

    expect([...new Set(seen.map((s) => s.at))]).toEqual(['half built', 'built', 'released', 'handing over', 'swapped in']);
    const backwards = seen.flatMap((s, i) => (i > 0 && s.checkpoint < seen[i - 1]!.checkpoint ? [`${seen[i - 1]!.checkpoint} → ${s.checkpoint} (${s.at})`] : []));
    expect(backwards).toEqual([]);
    expect(stale).toEqual([]);
    const last = await waybill.command({ type: 'RecordWeather', payload: { region: 'north', condition: 'clear' } });
    if (!last.ok) throw new Error(last.error.message);
    const page = await waybill.query('parcels.list', { limit: 1 }, { minPosition: last.position, timeoutMs: 20_000 });
    expect(page).toMatchObject({ ok: true, freshness: { stale: false, position: last.position } });
    expect((await waybill.verify()).ok).toBe(true);
  });

  it('builds every read model at most `rebuildConcurrency` at a time, and a queued one can be cancelled before it starts', { timeout: 120_000 }, async () => {
    const other = createTempDataDir('rebuild-queue');
    await seedProjectedFolder(other.path, 5000, 5);
    // Counted as each rebuild job starts: how many are building then (started, not yet built), and whether one hands over.
    let most = 0;
    let overlapped = false;
    const watched = watchJobs({
      onStart: (job) => {
        if (job.data.mode !== 'rebuild') return;
        most = Math.max(most, watched.jobs.filter((j) => j.data.mode === 'rebuild' && !j.sent.some(isBuilt)).length);
        // Looked at the instant the job starts, so from the core itself rather than through a call.
        overlapped ||= readModelNames.some((name) => queued.core.projectionStatus(name).rebuild?.phase === 'swapping');
      },
    });
    const queued = await openTestCore({ dataDir: other.path, projectors: 'workers', rebuildConcurrency: 1, backgroundCheckpoints: false, jobLauncher: watched.launcher });
    try {
      const pushed: { name: string; phase: string }[] = [];
      queued.subscribe('rebuild', (progress) => pushed.push({ name: progress.name, phase: progress.phase }));
      const all = queued.rebuild();
      // One builds; every other read model waits for the slot and says so, in status and (at once) in a push.
      const phasesNow = (await queued.status()).projections.map((p) => [p.name, p.rebuild?.phase ?? null]);
      expect(phasesNow).toEqual(phasesNow.map(([name], i) => [name, i === 0 ? null : 'queued']));
      expect(pushed.filter((p) => p.phase === 'queued').map((p) => p.name)).toEqual(phasesNow.slice(1).map(([name]) => name));
      expect(await queued.cancelRebuild('event_history')).toEqual({ ok: true }); // last in line: still waiting for its slot
      expect((await queued.projectionStatus('event_history')).rebuild).toBeNull();
      expect(await all).toEqual({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('cancelled before it started') } });
      expect(pushed.filter((p) => p.name === 'event_history').map((p) => p.phase)).toEqual(['queued', 'cancelled']);
      expect(watched.jobs.map((job) => (job.data.mode === 'verifyLog' ? 'verifyLog' : job.data.name))).toEqual(phasesNow.map(([name]) => name).filter((name) => name !== 'event_history'));
      expect(most).toBe(1);
      // The next build starts while the previous one hands over, not after.
      expect(overlapped).toBe(true);
      expect((await queued.status()).projections.map((p) => [p.name, p.rebuild])).toEqual(phasesNow.map(([name]) => [name, null]));
      expect((await queued.verify()).ok).toBe(true);
    } finally {
      await queued.close();
      other.remove();
    }
  });
});
