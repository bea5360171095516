// Sync while the server's PostgreSQL restarts under it: a cluster of the test's own (so stopping it
// leaves the run's shared database alone), a sync server on it, and a laptop syncing in the
// background that must say the server is unavailable, then catch up on its own once it is back.
import { chmodSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startEmbeddedCluster } from '../../db/sync/server/embeddedCluster.ts';
import { serverStatus, startSyncServer } from '../../db/sync/server/index.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { heldOnce, joinedLaptop, recordParcels, serverHolding, syncStatusWhere } from './faultFixtures.ts';

describe("the server's PostgreSQL restarted while a laptop syncs in the background", () => {
  it("the laptop reports it unavailable and offline, keeps recording, and catches up by itself once PostgreSQL is back: its events up once, the other laptop's down", async () => {
    const folder = tempDataDir('sync-postgres-restart');
    // As root PostgreSQL runs as `postgres`, which must reach the cluster's folder (mkdtemp makes it 0700).
    chmodSync(folder.path, 0o755);
    let cluster = await startEmbeddedCluster(folder.file('cluster'));
    onTestFinished(() => cluster.stop());
    const server = await startSyncServer({ databaseUrl: cluster.url, port: 0 });
    onTestFinished(() => server.close());
    const laptop = await joinedLaptop('postgres-restart', server.url, cluster.url);
    laptop.core.startBackgroundSync();
    await recordParcels(laptop, 'pr', 2);
    await syncStatusWhere(laptop, (s) => s.acked === 3 && s.allOnServer && s.behind === 0, 'its first events on the server');

    await cluster.stop();
    await recordParcels(laptop, 'pd', 2);
    await syncStatusWhere(laptop, (s) => s.problem?.code === 'UNAVAILABLE' && !s.online, 'the server unavailable');
    expect(await laptop.call('sync.status', {})).toMatchObject({
      ok: true,
      status: { joined: true, online: false, acked: 3, deviceHead: 6, waiting: 3, allOnServer: false, problem: { code: 'UNAVAILABLE', retryable: true } },
    });
    expect(await laptop.query('parcel.summary', { parcelId: 'pd-P2' })).toMatchObject({ ok: true, data: { parcelId: 'pd-P2' } });

    cluster = await startEmbeddedCluster(folder.file('cluster'));
    // Another laptop records while the first is still waiting to retry: the first must pull it too.
    const other = await joinedLaptop('postgres-restart-other', server.url, cluster.url);
    await recordParcels(other, 'po', 1);
    expect(await other.call('sync.now', {})).toMatchObject({ ok: true, pushed: 2 });
    const caughtUp = await syncStatusWhere(laptop, (s) => s.allOnServer && s.cursor === 8 && s.behind === 0 && s.problem === null, 'everything up and down again');
    expect(caughtUp).toMatchObject({ online: true, acked: 6, waiting: 0, serverHead: 8 });
    expect(await serverHolding(cluster.url, laptop.core.deviceId!)).toEqual(heldOnce(6));
    expect(await serverStatus(cluster.url)).toMatchObject({ head: 8, devices: 2, forks: 0, quarantined: 0 });
    expect(await laptop.query('parcel.summary', { parcelId: 'po-P1' })).toMatchObject({ ok: true, data: { parcelId: 'po-P1' } });
  });
});
