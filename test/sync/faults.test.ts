// Sync under network faults between a laptop and the server, made with a real TCP proxy: an answer
// lost on the way back, an upload cut short. Whatever the fault, the next sync (by hand, or the
// background loop on its own) leaves every event on the server exactly once.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startSyncServer, type SyncServer } from '../../db/sync/server/index.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcpProxy.ts';
import { freshDatabase } from '../helpers/testPostgres.ts';
import { heldOnce, joinedLaptop, lockRows, recordParcels, serverHolding, syncStatusWhere } from './faultFixtures.ts';

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

async function proxyToServer(): Promise<TcpProxy> {
  const proxy = await startTcpProxy(Number(new URL(server.url).port));
  onTestFinished(() => proxy.close());
  return proxy;
}

const push = { method: 'POST', path: '/v1/push' };

describe('a push whose answer is lost on the way back', () => {
  it('fails retryably; the next sync sends the batch again and the server keeps each event once', async () => {
    const proxy = await proxyToServer();
    const laptop = await joinedLaptop('lost-answer', proxy.url, database.url);
    await recordParcels(laptop, 'la', 4);
    const lost = proxy.holdResponse(push);
    const syncing = laptop.call('sync.now', {});
    // The server committed the batch and answered; the answer never reaches the laptop.
    await lost.answered;
    await proxy.cutAll();
    expect(await syncing).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', retryable: true } });
    expect(await serverHolding(database.url, laptop.core.deviceId!)).toEqual(heldOnce(5));
    expect(await laptop.call('sync.status', {})).toMatchObject({ ok: true, status: { acked: 0, waiting: 5, online: false, problem: { code: 'UNAVAILABLE' } } });

    expect(await laptop.call('sync.now', {})).toMatchObject({ ok: true, pushed: 0, status: { acked: 5, waiting: 0, allOnServer: true, online: true, problem: null, behind: 0 } });
    expect(await serverHolding(database.url, laptop.core.deviceId!)).toEqual(heldOnce(5));
    expect(proxy.exchanges.filter((e) => e.path === push.path)).toHaveLength(2);
  });

  it('the background loop meets it, tries again by itself and ends with each event on the server once', async () => {
    const proxy = await proxyToServer();
    const laptop = await joinedLaptop('lost-answer-background', proxy.url, database.url);
    const lost = proxy.holdResponse(push);
    laptop.core.startBackgroundSync();
    await recordParcels(laptop, 'lb', 4);
    await lost.answered;
    await proxy.cutAll();
    await syncStatusWhere(laptop, (s) => s.problem?.code === 'UNAVAILABLE' && !s.online, 'offline after the cut');
    const synced = await syncStatusWhere(laptop, (s) => s.allOnServer && s.acked === 5 && s.problem === null && s.behind === 0, 'everything on the server again');
    expect(synced).toMatchObject({ online: true, waiting: 0, deviceHead: 5 });
    expect(await serverHolding(database.url, laptop.core.deviceId!)).toEqual(heldOnce(5));
  });
});

describe('an upload cut off halfway', () => {
  it.each([
    ['as soon as part of the body is through', false],
    // The device row locked: the server waits to record the visit (authenticating) when the upload is cut.
    ['while the server is still authenticating the device', true],
  ])('%s: nothing of the batch is stored, the server is left with no request hanging, and the next sync stores all of it once', async (_when, busy) => {
    const own = await startSyncServer({ databaseUrl: database.url, port: 0 });
    onTestFinished(() => own.close());
    const proxy = await startTcpProxy(Number(new URL(own.url).port));
    onTestFinished(() => proxy.close());
    const laptop = await joinedLaptop(`cut-upload-${busy ? 'busy' : 'reading'}`, proxy.url, database.url);
    await recordParcels(laptop, busy ? 'cb' : 'cr', 9);
    const lock = busy ? await lockRows(database.url, 'SELECT 1 FROM devices WHERE device_id = $1 FOR UPDATE', [laptop.core.deviceId]) : null;
    const cut = proxy.forwardPartially(1500, push);
    const syncing = laptop.call('sync.now', {});
    expect(await cut.forwarded).toMatchObject({ path: push.path, requestBytes: expect.toSatisfy((n: number) => n > 3000) });
    await lock?.waitedFor();
    await proxy.cutAll();
    expect(await syncing).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', retryable: true } });
    await lock?.release();
    // close() waits for every request in flight: it returns only if the cut one settled.
    await own.close();
    expect(await serverHolding(database.url, laptop.core.deviceId!)).toEqual(heldOnce(0));

    const again = await startSyncServer({ databaseUrl: database.url, port: 0 });
    onTestFinished(() => again.close());
    proxy.repoint(Number(new URL(again.url).port));
    expect(await laptop.call('sync.now', {})).toMatchObject({ ok: true, pushed: 10, status: { acked: 10, waiting: 0, allOnServer: true, problem: null } });
    expect(await serverHolding(database.url, laptop.core.deviceId!)).toEqual(heldOnce(10));
  });
});

/** The read model files in a data folder that no `.current` pointer names (a rebuild's file not swapped in yet, or one left behind). */
function unservedReadModelFiles(dataDir: string): string[] {
  const dir = join(dataDir, 'read');
  const names = readdirSync(dir);
  const serving = new Set(names.filter((n) => n.endsWith('.current')).map((n) => readFileSync(join(dir, n), 'utf8').trim()));
  return names.filter((n) => /\.db(-wal|-shm|-journal)?$/.test(n) && !serving.has(n.replace(/-(wal|shm|journal)$/, '')));
}

describe('a laptop closed while its background sync rebuilds the read models in the server order', () => {
  it('waits for the rebuild: nothing is left half-built in its folder', async () => {
    const laptop = await joinedLaptop('closed-mid-rebuild', server.url, database.url);
    await recordParcels(laptop, 'cm', 2);
    // Another laptop's events reach the server first, so the first laptop pulls them before its own: a reorder.
    const other = await joinedLaptop('closed-mid-rebuild-other', server.url, database.url);
    await recordParcels(other, 'co', 1);
    expect(await other.call('sync.now', {})).toMatchObject({ ok: true, pushed: 2 });
    const rebuilding = new Promise<void>((resolve) => laptop.subscribe('rebuild', () => resolve()));
    laptop.core.startBackgroundSync();
    await rebuilding;
    await laptop.close();
    expect(unservedReadModelFiles(laptop.dataDir)).toEqual([]);
  });
});
