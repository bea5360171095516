import { afterEach, describe, expect, it } from 'vitest';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { seedFolder } from './helpers/dataFolder.ts';
import { createTempDirs } from './helpers/tempDirs.ts';
import { waitUntil } from './helpers/waitUntil.ts';

const dirs = createTempDirs('rebuild-all');
let waybill: TestCore | null = null;
afterEach(async () => {
  await waybill?.close();
  waybill = null;
  dirs.cleanup();
});

describe('rebuilding every read model at once', () => {
  it('ends with every projection following again: idle, no error, no lag (the replaced followers do not report as crashed)', async () => {
    const dir = dirs.make();
    await seedFolder(dir, { events: 3000, project: true });
    waybill = await openTestCore({ dataDir: dir });
    const seen = new Set<string>();
    waybill.subscribe('projection', (status) => seen.add(`${status.name}:${status.state}`));
    expect(await waybill.call('rebuild', {})).toEqual({ ok: true });
    const projections = await waitUntil('every read model idle after the rebuild', async () => {
      const status = (await waybill!.status()).projections;
      return status.every((p) => p.state === 'idle' && p.lag === 0) && status;
    });
    expect(projections.map((p) => p.error)).toEqual(projections.map(() => null));
    expect([...seen].some((entry) => entry.endsWith(':rebuilding'))).toBe(true);
    expect([...seen].filter((entry) => entry.endsWith(':halted'))).toEqual([]);
  });
});
