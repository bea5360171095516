// Read-model WAL files are checkpointed by a background thread, not inside the projectors' commits
// (where a checkpoint stalled a projector, and readers saw it as lag). Observable from outside:
// a checkpoint copies pages from the -wal into the database file, so the file itself grows.
import { statSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CommandRequest } from '../../db/contract.ts';
import { openWaybill, type OpenedWaybill } from '../../db/core/openWaybill.ts';
import { ReadModelFiles } from '../../db/readmodel/readModelFiles.ts';
import { createTempDirs } from './helpers/tempDirs.ts';
import { waitUntil } from './helpers/waitUntil.ts';

const temp = createTempDirs('wal-ckpt');
let waybill: OpenedWaybill | null = null;
afterEach(async () => {
  await waybill?.close();
  waybill = null;
});
afterAll(() => temp.cleanup());

const MiB = 1024 * 1024;
const servingBytes = (dir: string) => statSync(new ReadModelFiles(dir).serving('event_history')!).size;

async function registerParcels(from: number, count: number): Promise<void> {
  for (let n = from; n < from + count; n++) {
    const request: CommandRequest = {
      type: 'RegisterParcel',
      payload: {
        parcelId: `ckpt-${n}`,
        trackingCode: `CKP${String(n).padStart(6, '0')}`,
        recipient: { name: `Recipient ${n}`, street: `${n} Checkpoint Row`, city: 'York', postcode: 'YO1 7HH' },
        originDepotId: 'd1',
        destinationDepotId: 'd2',
        weightKg: 2,
      },
    };
    const answer = waybill!.command(request);
    if (!answer.ok) throw new Error(answer.error.message);
  }
  await waybill!.catchUpAll();
}

async function openWithDepots(dir: string, backgroundCheckpoints: boolean): Promise<void> {
  waybill = await openWaybill({ dataDir: dir, projectors: 'workers', backgroundCheckpoints });
  for (const [depotId, name] of [['d1', 'North Hub'], ['d2', 'South Yard']] as const) {
    const answer = waybill.command({ type: 'RegisterDepot', payload: { depotId, name, region: 'north' } });
    if (!answer.ok) throw new Error(answer.error.message);
  }
}

describe('read-model WAL checkpoints', () => {
  it('happen in the background, and follow the serving file through a rebuild', async () => {
    const dir = temp.make();
    await openWithDepots(dir, true);
    const before = servingBytes(dir);
    await registerParcels(0, 2000);
    await waitUntil('event_history checkpointed into its file', () => servingBytes(dir) > before + MiB, { timeoutMs: 10_000 });

    const rebuilt = await waybill!.rebuild('event_history');
    expect(rebuilt.ok).toBe(true);
    const afterSwap = servingBytes(dir);
    await registerParcels(2000, 2000);
    await waitUntil('the rebuilt event_history checkpointed into its file', () => servingBytes(dir) > afterSwap + MiB, { timeoutMs: 10_000 });
  });

  it('are left to the projector’s far-off safety limit without the background thread', async () => {
    const dir = temp.make();
    await openWithDepots(dir, false);
    const before = servingBytes(dir);
    await registerParcels(0, 2000);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // three background intervals
    expect(servingBytes(dir)).toBeLessThan(before + MiB);
  });
});
