import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { PushMessages } from '../../db/contract/index.ts';
import { openTestCore } from '../helpers/testCore.ts';
import { startBrowserHost, type BrowserHost } from '../../db/serve/startBrowserHost.ts';
import { createHttpApi, type HttpApi } from '../../renderer/api/httpApi.ts';

// The renderer's own HTTP client against the real host and core: the contract survives the trip both ways.
let folder: string;
let host: BrowserHost;
let api: HttpApi;
/** The push sockets the client opened, so a test can wait until one is open (the host then sends to it). */
const sockets: WebSocket[] = [];
let closeCore: () => Promise<void>;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'waybill-bridge-'));
  mkdirSync(join(folder, 'page'));
  writeFileSync(join(folder, 'page', 'index.html'), '<html><head></head></html>');
  const waybill = await openTestCore({ dataDir: join(folder, 'data') });
  closeCore = () => waybill.close();
  host = await startBrowserHost({ waybill, staticDir: join(folder, 'page') });
  const origin = `http://127.0.0.1:${host.port}`;
  const openSocket = (url: string) => {
    const socket = new WebSocket(url, { origin });
    sockets.push(socket);
    return socket as unknown as globalThis.WebSocket;
  };
  api = createHttpApi({ baseUrl: origin, token: host.token, openSocket });
});

afterAll(async () => {
  api?.close();
  await host?.close();
  await closeCore?.();
  rmSync(folder, { recursive: true, force: true });
});

describe('the browser bridge', () => {
  it('carries commands, read-your-writes queries and push messages', async () => {
    const heads: PushMessages['head'][] = [];
    const projections: string[] = [];
    api.subscribe('head', (message) => heads.push(message));
    api.subscribe('projection', (message) => projections.push(message.name));
    // Open here means the host sends to it: it adds a socket to its clients in the same step as it answers the upgrade.
    const socket = sockets.at(-1)!;
    if (socket.readyState !== WebSocket.OPEN) await once(socket, 'open');

    const registered = await api.command({ type: 'RegisterDepot', payload: { depotId: 'd-north', name: 'North Hub', region: 'north' } });
    expect(registered.ok).toBe(true);
    if (!registered.ok) return;
    // Projector workers are still starting on a busy machine: give read-your-writes room to wait.
    const board = await api.query('depots.board', {}, { minPosition: registered.position, timeoutMs: 20_000 });
    expect(board).toMatchObject({ ok: true, data: [{ depotId: 'd-north' }], freshness: { stale: false, position: registered.position } });

    await expect.poll(() => heads.at(-1)?.head ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(registered.position);
    await expect.poll(() => projections.length, { timeout: 10_000 }).toBeGreaterThan(0);
  });

  it('answers a rejected command with its code and field, and changes nothing', async () => {
    const before = await api.query('projections.status', {});
    if (!before.ok) throw new Error(before.error.message);
    const rejected = await api.command({ type: 'RegisterDepot', payload: { depotId: 'd-north', name: 'Again', region: 'north' } });
    expect(rejected).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'depotId' } });
    const after = await api.query('projections.status', {});
    expect(after).toMatchObject({ ok: true, data: { head: before.data.head } });
  });

  it('runs seed, rebuild and verify', async () => {
    const seeded = await api.seed({ events: 300, seed: 7 });
    expect(seeded.ok).toBe(true);
    expect(await api.rebuild({ projection: 'depot_board' })).toEqual({ ok: true });
    const report = await api.verify();
    expect(report.log.gapless).toBe(true);
  });
});
