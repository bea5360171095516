import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolDevice, listDevices, revokeDevice, startSyncServer, type SyncServer } from '../../db/sync/server/index.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { freshDatabase } from '../helpers/testPostgres.ts';

let database: { url: string; drop: () => Promise<void> };
let server: SyncServer;

beforeAll(async () => {
  database = await freshDatabase();
  server = await startSyncServer({ databaseUrl: database.url, port: 0 });
});
afterAll(async () => {
  await server?.close();
  await database?.drop();
});

const laptop = (name: string): Promise<TestCore> => openTestCore({ dataDir: tempDataDir(name).path, projectors: 'inline' });

async function joined(name: string): Promise<TestCore> {
  const core = await laptop(name);
  const { code } = await enrolDevice(database.url, name);
  expect(await core.call('sync.join', { server: server.url, code })).toMatchObject({ ok: true, status: { joined: true } });
  return core;
}

const depot = { type: 'RegisterDepot', payload: { depotId: 'north-hub', name: 'North Hub', region: 'north' } } as const;

describe('the fleet, from a laptop', () => {
  it('lists every device enrolled on the server, as the server has them, with what each has sent', async () => {
    const office = await joined('Office desk');
    const van = await joined('Van 3');
    expect(await van.command(depot)).toMatchObject({ ok: true });
    expect(await van.call('sync.now', {})).toMatchObject({ ok: true, pushed: 1 });

    const answer = await office.call('sync.fleet', {});
    expect(answer).toEqual({ ok: true, devices: await listDevices(database.url) });
    expect(answer).toMatchObject({
      ok: true,
      devices: [
        { deviceId: office.core.deviceId, name: 'Office desk', acked: 0, pending: 0, forked: false, revokedAt: null, lastSeenAt: expect.any(String) },
        { deviceId: van.core.deviceId, name: 'Van 3', acked: 1, pending: 0, forked: false, revokedAt: null, skewFlagged: false },
      ],
    });
    await Promise.all([office.close(), van.close()]);
  });

  it('is refused before joining, and to a revoked laptop, without touching how its sync stands', async () => {
    const alone = await laptop('Not joined');
    expect(await alone.call('sync.fleet', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', rule: 'not_joined' } });

    const gone = await joined('Revoked van');
    const before = await gone.call('sync.status', {});
    await revokeDevice(database.url, 'Revoked van');
    expect(await gone.call('sync.fleet', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', rule: 'revoked' } });
    expect(await gone.call('sync.status', {})).toEqual(before);
    await Promise.all([alone.close(), gone.close()]);
  });
});
