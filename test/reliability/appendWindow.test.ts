// Found by the soak: the window behind `appendedPerSecond` was pruned only when a head push
// message was built, i.e. only while someone listened; with nobody subscribed (a headless core)
// it kept one entry per event appended, forever. It must stay bounded by the last five seconds.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTestCore } from '../helpers/testCore.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { roundCommands, SETUP } from './helpers/workload.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('the append-rate window', () => {
  it('stays bounded by the last five seconds of appends when nobody listens for head pushes, and still counts right for a listener', async () => {
    const waybill = await openTestCore({ dataDir: tempDataDir('append-window').path, projectors: 'inline', backgroundCheckpoints: false });
    try {
      vi.useFakeTimers({ toFake: ['performance'] });
      const windowSize = () => (Reflect.get(waybill.core, 'recentAppends') as unknown[]).length;
      for (const request of SETUP) await waybill.command(request);
      for (let round = 0; round < 20; round++) {
        for (const request of roundCommands('window', round)) await waybill.command(request);
        vi.advanceTimersByTime(1000);
      }
      // 20 seconds of appends, 11 commands a second: only the last five seconds are kept.
      expect(windowSize()).toBeLessThanOrEqual(6 * 11);

      const pushes: { appendedPerSecond: number }[] = [];
      const stop = waybill.subscribe('head', (message) => pushes.push(message));
      vi.advanceTimersByTime(10_000);
      let events = 0;
      for (const request of roundCommands('window', 99)) {
        const result = await waybill.command(request);
        expect(result).toMatchObject({ ok: true });
        if (result.ok) events += result.events.length;
      }
      stop();
      expect(pushes.length).toBeGreaterThan(0);
      expect(pushes.at(-1)!.appendedPerSecond).toBeLessThanOrEqual(Math.round(events / 5));
    } finally {
      vi.useRealTimers();
      await waybill.close();
    }
  });
});
