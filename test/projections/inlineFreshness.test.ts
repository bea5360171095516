// The inline engine (CLI, tests) answers freshness as measured: a wait for a position it cannot
// reach is stale, and projections.status says how far behind the read models are.
import { afterEach, describe, expect, it } from 'vitest';
import { projections } from '../../db/projections/index.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { createTempDirs } from './helpers/tempDirs.ts';

const dirs = createTempDirs('inline-freshness');
let waybill: TestCore | null = null;
afterEach(async () => {
  await waybill?.close();
  waybill = null;
  dirs.cleanup();
});

const depot = (depotId: string) => ({ type: 'RegisterDepot' as const, payload: { depotId, name: `Depot ${depotId}`, region: 'north' } });

describe('freshness with the inline engine', () => {
  it('answers stale when minPosition is beyond what the read model can reach', async () => {
    waybill = await openTestCore({ dataDir: dirs.make(), projectors: 'inline', backgroundCheckpoints: false });
    expect(await waybill.command(depot('d1'))).toMatchObject({ ok: true, position: 1 });
    expect(await waybill.query('depots.board', {}, { minPosition: 1 })).toMatchObject({ ok: true, freshness: { position: 1, head: 1, lag: 0, stale: false } });
    expect(await waybill.query('depots.board', {}, { minPosition: 5, timeoutMs: 50 })).toMatchObject({
      ok: true,
      freshness: { position: 1, head: 1, lag: 0, stale: true },
    });
  });

  it('projections.status measures how far the slowest read model is behind the head', async () => {
    waybill = await openTestCore({ dataDir: dirs.make(), projectors: 'inline', backgroundCheckpoints: false });
    expect(await waybill.command(depot('d1'))).toMatchObject({ ok: true });
    expect(await waybill.query('depots.board', {})).toMatchObject({ ok: true, freshness: { lag: 0 } });
    expect(await waybill.command(depot('d2'))).toMatchObject({ ok: true, position: 2 });
    const status = await waybill.query('projections.status', {});
    expect(status).toMatchObject({ ok: true, freshness: { readModel: null, position: 1, head: 2, lag: 1, stale: false } });
    expect(status.ok ? status.data.projections.map((p) => p.lag) : null).toEqual(projections.map(() => 1));
  });
});
