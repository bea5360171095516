// Sync when a process dies mid-exchange, SIGKILLed as a crash or a power cut would stop it: a
// `waybill sync-server start` process killed with a batch reaching it, and a laptop's `waybill
// sync now` killed while it pulls page after page. Nothing is lost and nothing is stored twice.
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { OperationAnswer } from '../../db/contract/index.ts';
import { MAX_PULL_EVENTS } from '../../db/contract/syncWire.ts';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { serverStatus, startSyncServer } from '../../db/sync/server/index.ts';
import { lastJson, runCli, startCli } from '../helpers/childProcesses.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcpProxy.ts';
import type { TestCore } from '../helpers/testCore.ts';
import { freshDatabase } from '../helpers/testPostgres.ts';
import { waitUntil } from '../projections/helpers/waitUntil.ts';
import { heldOnce, joinedLaptop, lockRows, recordParcels, serverHolding, syncStatusWhere } from './faultFixtures.ts';

/** A database for one test, dropped after it (after everything registered later: servers, laptops). */
async function ownDatabase(): Promise<string> {
  const database = await freshDatabase();
  onTestFinished(database.drop);
  return database.url;
}

const push = { method: 'POST', path: '/v1/push' };

/**
 * With the malloc arena limit already set the CLI runs in the process it was started as, instead of
 * relaunching itself (db/runtime/mallocArenas.ts): SIGKILL then hits the process doing the work. A
 * killed launcher would only SIGTERM its child, a graceful stop rather than a crash.
 */
const killable = { MALLOC_ARENA_MAX: '2' };

/** `waybill sync-server start` in a process of its own, stopped after the test unless killed before. */
async function serverProcess(databaseUrl: string): Promise<{ port: number; kill: () => Promise<unknown> }> {
  const child = startCli(['sync-server', 'start', '--json', '--port', '0', '--database-url', databaseUrl], killable);
  onTestFinished(async () => void (await child.stop('SIGTERM')));
  const started = JSON.parse(await child.firstLine()) as { ok: boolean; url: string };
  expect(started).toEqual({ ok: true, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
  return { port: Number(new URL(started.url).port), kill: () => child.stop('SIGKILL') };
}

/** A laptop through the proxy with 3 events on the server and nearly 1000 more (one whole batch) waiting to go up. */
async function laptopWithBigBatch(name: string, databaseUrl: string, proxy: TcpProxy): Promise<{ laptop: TestCore; total: number }> {
  const laptop = await joinedLaptop(name, proxy.url, databaseUrl);
  await recordParcels(laptop, 'kb', 2);
  expect(await laptop.call('sync.now', {})).toMatchObject({ ok: true, pushed: 3 });
  expect(await laptop.call('seed', { events: 900, seed: 7 })).toMatchObject({ ok: true });
  const total = laptop.head();
  expect(total - 3).toBeGreaterThan(900);
  expect(total - 3).toBeLessThanOrEqual(1000);
  return { laptop, total };
}

describe('a sync server process killed mid-batch', () => {
  it('inside its transaction, the whole batch received and not committed: the transaction dies with it, and the retry on a new process stores the batch once', async () => {
    const databaseUrl = await ownDatabase();
    const first = await serverProcess(databaseUrl);
    const proxy = await startTcpProxy(first.port);
    onTestFinished(() => proxy.close());
    const { laptop, total } = await laptopWithBigBatch('killed-server-open', databaseUrl, proxy);
    // Every push that stores waits for the counter row inside its transaction: this one cannot commit before the kill.
    const counter = await lockRows(databaseUrl, 'SELECT last_seq FROM server_counter WHERE singleton = 1 FOR UPDATE');
    const batch = proxy.holdResponse(push);
    const syncing = laptop.call('sync.now', {});
    expect(await batch.forwarded).toMatchObject({ path: push.path, requestBytes: expect.toSatisfy((n: number) => n > 300_000) });
    await counter.waitedFor();
    await first.kill();
    await counter.release();
    expect(await syncing).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', retryable: true } });
    expect(await serverHolding(databaseUrl, laptop.core.deviceId!)).toEqual(heldOnce(3));

    const second = await serverProcess(databaseUrl);
    proxy.repoint(second.port);
    expect(await laptop.call('sync.now', {})).toMatchObject({ ok: true, pushed: total - 3, status: { acked: total, waiting: 0, allOnServer: true, problem: null } });
    expect(await serverHolding(databaseUrl, laptop.core.deviceId!)).toEqual(heldOnce(total));
  });

  it('after it committed and before its answer left: the background loop retries on a new process by itself, which finds every event there and stores none twice', async () => {
    const databaseUrl = await ownDatabase();
    const first = await serverProcess(databaseUrl);
    const proxy = await startTcpProxy(first.port);
    onTestFinished(() => proxy.close());
    const { laptop, total } = await laptopWithBigBatch('killed-server-committed', databaseUrl, proxy);
    const batch = proxy.holdResponse(push);
    laptop.core.startBackgroundSync();
    await batch.answered;
    await first.kill();
    await syncStatusWhere(laptop, (s) => s.problem?.code === 'UNAVAILABLE' && !s.online, 'the server gone');
    expect(await serverHolding(databaseUrl, laptop.core.deviceId!)).toEqual(heldOnce(total));
    expect(await laptop.call('sync.status', {})).toMatchObject({ ok: true, status: { acked: 3, waiting: total - 3 } });

    const second = await serverProcess(databaseUrl);
    proxy.repoint(second.port);
    const synced = await syncStatusWhere(laptop, (s) => s.acked === total && s.problem === null && s.behind === 0, 'everything acknowledged by the new process');
    expect(synced).toMatchObject({ online: true, waiting: 0, allOnServer: true, cursor: total });
    expect(await serverHolding(databaseUrl, laptop.core.deviceId!)).toEqual(heldOnce(total));
  });
});

interface LogHolding {
  events: number;
  eventIds: number;
  /** Per device: how many events, the lowest and highest sequence. */
  devices: Record<string, { events: number; first: number; last: number }>;
  /** The pull cursor, and how many server sequences have a place here. */
  cursor: number;
  placed: number;
}

/** What a data folder's log holds, read straight from its SQLite file. */
function logHolding(dataDir: string): LogHolding {
  const db = new Database(logPathIn(dataDir), { readonly: true, fileMustExist: true });
  try {
    const events = db.prepare('SELECT count(*) AS events, count(DISTINCT event_id) AS eventIds FROM events').get() as { events: number; eventIds: number };
    const origins = db.prepare('SELECT device_id AS id, count(*) AS events, min(device_seq) AS first, max(device_seq) AS last FROM event_origins GROUP BY device_id').all() as {
      id: string;
      events: number;
      first: number;
      last: number;
    }[];
    const order = db.prepare('SELECT coalesce(max(server_seq), 0) AS cursor, count(*) AS placed FROM server_order').get() as { cursor: number; placed: number };
    return { ...events, devices: Object.fromEntries(origins.map(({ id, ...seqs }) => [id, seqs])), ...order };
  } finally {
    db.close();
  }
}

describe('a laptop killed mid-pull', () => {
  it('keeps the pages it stored with their cursor; the next `sync now` pulls the rest, each event once, and the log verifies', async () => {
    const databaseUrl = await ownDatabase();
    const server = await startSyncServer({ databaseUrl, port: 0 });
    onTestFinished(() => server.close());
    const proxy = await startTcpProxy(Number(new URL(server.url).port));
    onTestFinished(() => proxy.close());
    // A new laptop with nothing of its own yet, so its pull is about the pages alone (no reorder to rebuild for).
    const puller = await joinedLaptop('killed-puller', proxy.url, databaseUrl);
    await puller.close();
    // Another laptop sends four pages' worth (a pull page is MAX_PULL_EVENTS).
    const writer = await joinedLaptop('busy-writer', server.url, databaseUrl);
    expect(await writer.call('seed', { events: 3.4 * MAX_PULL_EVENTS, seed: 9 })).toMatchObject({ ok: true });
    const written = writer.head();
    expect(written).toBeGreaterThan(3 * MAX_PULL_EVENTS);
    expect(await writer.call('sync.now', {})).toMatchObject({ ok: true, pushed: written });
    const head = written;

    // The third page is kept back; the laptop asks for it while it stores the second, so it is killed once the second is stored.
    const twoPages = 2 * MAX_PULL_EVENTS;
    const thirdPage = proxy.holdResponse({ method: 'GET', path: '/v1/pull', nth: 3 });
    const pulling = startCli(['sync', 'now', '--json', '--data', puller.dataDir], killable);
    expect(await thirdPage.answered).toMatchObject({ path: `/v1/pull?after=${twoPages}&limit=${MAX_PULL_EVENTS}&wait=0` });
    await waitUntil('the second page stored', () => logHolding(puller.dataDir).cursor === twoPages);
    expect(await pulling.stop('SIGKILL')).toMatchObject({ code: null, stdout: '' });
    expect(logHolding(puller.dataDir)).toEqual({
      events: twoPages,
      eventIds: twoPages,
      devices: { [writer.core.deviceId!]: { events: twoPages, first: 1, last: twoPages } },
      cursor: twoPages,
      placed: twoPages,
    });

    expect(await serverStatus(databaseUrl)).toMatchObject({ head });
    const again = await runCli(['sync', 'now', '--json'], puller.dataDir);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(lastJson<OperationAnswer<'sync.now'>>(again)).toMatchObject({ ok: true, pushed: 0, pulled: head - twoPages, status: { cursor: head, serverHead: head, behind: 0, waiting: 0, problem: null } });
    expect(logHolding(puller.dataDir)).toEqual({
      events: head,
      eventIds: head,
      devices: { [writer.core.deviceId!]: { events: written, first: 1, last: written } },
      cursor: head,
      placed: head,
    });
    const verified = await runCli(['verify', '--json'], puller.dataDir);
    expect(lastJson<OperationAnswer<'verify'>>(verified)).toMatchObject({ ok: true, report: { ok: true, log: { head, gapless: true, origins: { ok: true, devices: 1 } } } });
    expect(verified.code).toBe(0);
  });
});
