import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { syncFilePath } from '../../db/core/sync/syncFile.ts';
import { deviceEventsAfter } from '../../db/log/originEvents.ts';
import { enrolDevice, startSyncServer } from '../../db/sync/server/index.ts';
import type { TestCore } from '../helpers/testCore.ts';
import { joinedLaptop, laptop } from './laptops.ts';
import { syncServerFixture } from './server/syncServerFixture.ts';

const sync = syncServerFixture();

const joined = (name: string) => joinedLaptop(sync, name);

async function record(core: TestCore, ...requests: Parameters<TestCore['command']>[0][]): Promise<void> {
  for (const request of requests) expect(await core.command(request)).toMatchObject({ ok: true });
}

const depots = [
  { type: 'RegisterDepot', payload: { depotId: 'north-hub', name: 'North Hub', region: 'north' } },
  { type: 'RegisterDepot', payload: { depotId: 'south', name: 'South Yard', region: 'south' } },
] as const;
const parcel = (n: number) =>
  ({
    type: 'RegisterParcel',
    payload: {
      parcelId: `P${n}`,
      trackingCode: `WB${String(n).padStart(6, '0')}`,
      recipient: { name: `Recipient ${n}`, street: `${n} Mill St`, city: 'Leeds', postcode: 'LS1 4AP' },
      originDepotId: 'north-hub',
      destinationDepotId: 'south',
      weightKg: 2,
    },
  }) as const;

describe('a laptop and the sync server', () => {
  it('joins with a one-time code, keeps its secret owner-only, and the code cannot be used again', async () => {
    const a = await laptop('join-a');
    const { code } = await enrolDevice(sync.databaseUrl, 'join-a');
    expect(await a.call('sync.status', {})).toMatchObject({ ok: true, status: { joined: false, online: false, server: null } });
    expect(await a.call('sync.join', { server: sync.url, code })).toMatchObject({
      ok: true,
      status: { joined: true, server: sync.url, deviceName: 'join-a', deviceId: a.core.deviceId, online: true, waiting: 0, allOnServer: true, problem: null },
    });
    expect(statSync(syncFilePath(a.dataDir)).mode & 0o777).toBe(0o600);
    const b = await laptop('join-b');
    expect(await b.call('sync.join', { server: sync.url, code })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await b.call('sync.status', {})).toMatchObject({ ok: true, status: { joined: false } });
    await Promise.all([a.close(), b.close()]);
  });

  it('pushes what was recorded offline, and another laptop pulls it: same events, same answers, both verify', async () => {
    const a = await laptop('offline-a');
    await record(a, ...depots, parcel(1), parcel(2));
    const { code } = await enrolDevice(sync.databaseUrl, 'offline-a');
    expect(await a.call('sync.join', { server: sync.url, code })).toMatchObject({ ok: true, status: { waiting: 4, allOnServer: false } });
    expect(await a.call('sync.now', {})).toMatchObject({ ok: true, pushed: 4, pulled: 0, status: { waiting: 0, acked: 4, allOnServer: true, behind: 0, caughtUpAt: expect.any(String) } });

    const b = await joined('offline-b');
    expect(await b.call('sync.now', {})).toMatchObject({ ok: true, pushed: 0, status: { behind: 0, waiting: 0, caughtUpAt: expect.any(String) } });
    const ofA = (core: TestCore) => deviceEventsAfter(core.core.logReader(), a.core.deviceId!, 0, 100);
    expect(ofA(b)).toEqual(ofA(a));
    expect(ofA(b)).toHaveLength(4);
    const inA = await a.query('parcel.summary', { parcelId: 'P2' });
    const inB = await b.query('parcel.summary', { parcelId: 'P2' });
    expect(inB).toMatchObject({ ok: true, data: inA.ok ? inA.data : 'a failed' });
    expect(await b.verify()).toMatchObject({ ok: true, log: { origins: { ok: true } } });
    await Promise.all([a.close(), b.close()]);
  });

  it('an unreachable server leaves the laptop working offline and says so; the next sync catches up', async () => {
    const a = await joined('unreachable-a');
    const own = await startSyncServer({ databaseUrl: sync.databaseUrl, port: 0 });
    // Point a second laptop at a server that then stops: its sync fails with a typed, retryable error.
    const b = await laptop('unreachable-b');
    const { code } = await enrolDevice(sync.databaseUrl, 'unreachable-b');
    expect(await b.call('sync.join', { server: own.url, code })).toMatchObject({ ok: true });
    await own.close();
    await record(b, ...depots, parcel(31));
    expect(await b.call('sync.now', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', retryable: true } });
    expect(await b.call('sync.status', {})).toMatchObject({ ok: true, status: { joined: true, online: false, waiting: 3, allOnServer: false, problem: { code: 'UNAVAILABLE' } } });
    expect(await b.query('parcel.summary', { parcelId: 'P31' })).toMatchObject({ ok: true, data: { parcelId: 'P31' } });
    // The server comes back where it was: the next sync sends what waited, and the problem is gone.
    const back = await startSyncServer({ databaseUrl: sync.databaseUrl, port: Number(new URL(own.url).port) });
    expect(await b.call('sync.now', {})).toMatchObject({ ok: true, pushed: 3, status: { online: true, waiting: 0, allOnServer: true, problem: null } });
    await back.close();
    await Promise.all([a.close(), b.close()]);
  });
});
