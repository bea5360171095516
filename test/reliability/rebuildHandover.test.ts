// Found by the soak. (1) When a rebuilt read model was swapped in, the host reset its checkpoint
// until a fresh follower thread had booted and caught up, so read-your-writes queries waited (up to
// 2.6 s under load) and could see time go backwards. With the warm handover the new follower
// catches up first: the checkpoint a query sees never goes backwards across a swap. (2) Six
// CPU-bound rebuilds at once starved the followers on 2 cores; rebuilds now queue for a slot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWaybill, type OpenedWaybill } from '../../db/core/openWaybill.ts';
import { createTempDataDir } from '../helpers/tempDataDir.ts';
import { seedProjectedFolder } from './helpers/rebuildCrash.ts';
import { roundCommands, SETUP } from './helpers/workload.ts';

const dir = createTempDataDir('handover');
let waybill: OpenedWaybill;

beforeAll(async () => {
  await seedProjectedFolder(dir.path, 10_000, 2);
  waybill = await openWaybill({ dataDir: dir.path, projectors: 'workers' });
  for (const request of SETUP) waybill.command(request);
  await waybill.catchUpAll();
}, 120_000);
afterAll(async () => {
  await waybill?.close();
  dir.remove();
});

describe('swapping a rebuilt read model in while commands keep coming', () => {
  it('never moves the checkpoint queries see backwards, and read-your-writes holds right after the swap', async () => {
    const seen: number[] = [];
    let round = 0;
    let done = false;
    const rebuilding = waybill.rebuild('parcel_summary').finally(() => (done = true));
    while (!done) {
      for (const request of roundCommands('handover', round++)) {
        const answer = waybill.command(request);
        if (!answer.ok) throw new Error(answer.error.message);
      }
      seen.push(waybill.projectionStatus('parcel_summary').checkpoint);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(await rebuilding).toEqual({ ok: true });
    seen.push(waybill.projectionStatus('parcel_summary').checkpoint);

    expect(seen.length).toBeGreaterThan(10);
    const backwards = seen.flatMap((checkpoint, i) => (i > 0 && checkpoint < seen[i - 1]! ? [`${seen[i - 1]} → ${checkpoint}`] : []));
    expect(backwards).toEqual([]);
    const last = waybill.command({ type: 'RecordWeather', payload: { region: 'north', condition: 'clear' } });
    if (!last.ok) throw new Error(last.error.message);
    const page = await waybill.query('parcels.list', { limit: 1 }, { minPosition: last.position, timeoutMs: 20_000 });
    expect(page).toMatchObject({ ok: true, freshness: { stale: false, position: last.position } });
    expect((await waybill.verify()).ok).toBe(true);
  });

  it('builds every read model at most `rebuildConcurrency` at a time, and a queued one can be cancelled before it starts', { timeout: 120_000 }, async () => {
    const other = createTempDataDir('rebuild-queue');
    await seedProjectedFolder(other.path, 5000, 5);
    const queued = await openWaybill({ dataDir: other.path, projectors: 'workers', rebuildConcurrency: 1, backgroundCheckpoints: false });
    try {
      const pushed: { name: string; phase: string }[] = [];
      queued.subscribe('rebuild', (progress) => pushed.push({ name: progress.name, phase: progress.phase }));
      const all = queued.rebuild();
      // One builds (its job reports soon); every other read model waits for the slot and says so (status and push).
      const phasesNow = queued.status().projections.map((p) => [p.name, p.rebuild?.phase ?? null]);
      expect(phasesNow).toEqual(phasesNow.map(([name], i) => [name, i === 0 ? null : 'queued']));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(pushed.filter((p) => p.phase === 'queued').map((p) => p.name)).toEqual(phasesNow.slice(1).map(([name]) => name));
      queued.cancelRebuild('event_history'); // last in line: still waiting for its slot
      expect(queued.status().projections.find((p) => p.name === 'event_history')!.rebuild).toBeNull();
      let most = 0;
      let overlapped = false;
      let settled = false;
      void all.finally(() => (settled = true));
      while (!settled) {
        // Building counts; waiting for a slot ('queued') and handing over to the rebuilt file's follower ('swapping') do not.
        const phases = queued.status().projections.map((p) => p.rebuild?.phase ?? null);
        most = Math.max(most, phases.filter((phase) => phase !== null && phase !== 'swapping' && phase !== 'queued').length);
        overlapped ||= phases.includes('swapping') && phases.some((phase) => phase === 'loading' || phase === 'indexing' || phase === 'verifying');
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      expect(await all).toEqual({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('cancelled before it started') } });
      expect(pushed.filter((p) => p.name === 'event_history').map((p) => p.phase)).toEqual(['queued', 'cancelled']);
      expect(most).toBe(1);
      // The next build starts while the previous one hands over, not after.
      expect(overlapped).toBe(true);
      expect(queued.status().projections.map((p) => p.rebuild)).toEqual(queued.status().projections.map(() => null));
      expect((await queued.verify()).ok).toBe(true);
    } finally {
      await queued.close();
      other.remove();
    }
  });
});
