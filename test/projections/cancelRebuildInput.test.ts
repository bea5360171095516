// Cancelling a rebuild names what to cancel; input that names nothing valid is refused and cancels nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { seedFolder } from './helpers/dataFolder.ts';
import { createTempDirs } from './helpers/tempDirs.ts';

const dirs = createTempDirs('cancel-input');
let waybill: TestCore | null = null;
afterEach(async () => {
  await waybill?.close();
  waybill = null;
  dirs.cleanup();
});

describe('cancelling a rebuild with bad input', () => {
  it('answers VALIDATION for each bad request and the running rebuild still finishes', async () => {
    const dir = dirs.make();
    await seedFolder(dir, { events: 5000, project: true });
    waybill = await openTestCore({ dataDir: dir });
    const rebuilding = waybill.call('rebuild', { projection: 'parcel_timeline' });
    for (const bad of [{ projection: 'nope' }, { projection: 7 }, { other: true }, 'parcel_timeline', null]) {
      expect(await waybill.call('cancelRebuild', bad as never)).toEqual({
        ok: false,
        error: { code: 'VALIDATION', message: expect.any(String), ...(bad !== null && typeof bad === 'object' ? { field: expect.any(String) } : {}) },
      });
    }
    expect(await rebuilding).toEqual({ ok: true });
  }, 60_000);
});
