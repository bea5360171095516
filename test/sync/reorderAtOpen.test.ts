// A pull that reorders the log, then a crash before the read models were rebuilt: the next open
// finds the reorder newer than what the files were built through and rebuilds them in the
// server's order.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { PulledEvent } from '../../db/contract/syncWire.ts';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { deviceEventsAfter } from '../../db/log/originEvents.ts';
import { openLogWriter } from '../../db/log/openEventLog.ts';
import { ReadModelFiles } from '../../db/readmodel/readModelFiles.ts';
import { builtThrough } from '../../db/readmodel/serverOrder.ts';
import { applyPulled } from '../../db/write/applyPulled.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';

const RECEIVED = '2026-12-04T09:00:00.000Z';

async function inline(dataDir: string): Promise<TestCore> {
  return openTestCore({ dataDir, projectors: 'inline' });
}

describe('a reorder the read models were not rebuilt for', () => {
  it('is rebuilt in the server\'s order at the next open', async () => {
    const a = await inline(tempDataDir('reorder-a').path);
    const setup = [
      { type: 'RegisterDepot', payload: { depotId: 'north-hub', name: 'North Hub', region: 'north' } },
      { type: 'RegisterDepot', payload: { depotId: 'south', name: 'South Yard', region: 'south' } },
      {
        type: 'RegisterParcel',
        payload: { parcelId: 'P1', trackingCode: 'WB000001', recipient: { name: 'Ada', street: '1 Mill St', city: 'Leeds', postcode: 'LS1 4AP' }, originDepotId: 'north-hub', destinationDepotId: 'south', weightKg: 2 },
      },
    ] as const;
    for (const request of setup) expect(await a.command(request)).toMatchObject({ ok: true });
    const bDir = tempDataDir('reorder-b').path;
    const shared = deviceEventsAfter(a.core.logReader(), a.core.deviceId!, 0, 100);
    const page = (events: typeof shared, first: number): PulledEvent[] => events.map((e, i) => ({ ...e, serverSeq: first + i, receivedAt: RECEIVED }));
    // B starts from A's history, then each scans P1 offline: B at south, A at north-hub.
    let b = await inline(bDir);
    expect(await b.call('sync.status', {})).toMatchObject({ ok: true });
    await b.close();
    const bLog = openLogWriter(logPathIn(bDir));
    applyPulled(bLog, page(shared, 1));
    bLog.close();
    b = await inline(bDir);
    expect(await b.command({ type: 'RecordScan', payload: { parcelId: 'P1', depotId: 'south', kind: 'arrived' } })).toMatchObject({ ok: true });
    expect(await a.command({ type: 'RecordScan', payload: { parcelId: 'P1', depotId: 'north-hub', kind: 'arrived' } })).toMatchObject({ ok: true });
    expect(await b.query('parcel.summary', { parcelId: 'P1' })).toMatchObject({ ok: true, data: { currentDepotId: 'south' } });
    const bOwn = deviceEventsAfter(b.core.logReader(), b.core.deviceId!, 0, 100);
    await b.close();

    // The server put A's scan first, then B's: B stores the page, and "crashes" before any rebuild.
    const aScan = deviceEventsAfter(a.core.logReader(), a.core.deviceId!, 3, 100);
    const writer = openLogWriter(logPathIn(bDir));
    expect(applyPulled(writer, [...page(aScan, 4), ...page(bOwn, 5)])).toMatchObject({ appended: 1, known: 1, reordered: true });
    writer.close();

    b = await inline(bDir);
    // In the server's order B's own scan came last: the parcel is at south.
    expect(await b.query('parcel.summary', { parcelId: 'P1' })).toMatchObject({ ok: true, data: { currentDepotId: 'south' } });
    const files = new ReadModelFiles(bDir);
    const summary = new Database(files.current('parcel_summary'), { readonly: true });
    expect(builtThrough(summary, 'parcel_summary')).toBe(5);
    summary.close();
    expect(await b.verify()).toMatchObject({ ok: true });
    await Promise.all([a.close(), b.close()]);
  });
});
