import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { PushMessages, Session } from '../../db/contract/index.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { startBrowserHost, type BrowserHost } from '../../db/serve/startBrowserHost.ts';
import { createHttpApi, type HttpApi } from '../../renderer/api/httpApi.ts';

// The renderer's own HTTP client against the real host and core: the contract survives the trip both ways.
let folder: string;
let host: BrowserHost;
let api: HttpApi;
/** The push sockets the client opened, so a test can wait until one is open (the host then sends to it). */
const sockets: WebSocket[] = [];
let waybill: TestCore;
const session: Session = { actor: 'bridge-user', surface: 'browser' };

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'waybill-bridge-'));
  mkdirSync(join(folder, 'page'));
  writeFileSync(join(folder, 'page', 'index.html'), '<html><head></head></html>');
  waybill = await openTestCore({ dataDir: join(folder, 'data') });
  host = await startBrowserHost({ core: waybill.core.endpoint, session, staticDir: join(folder, 'page') });
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
  await waybill?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('the browser bridge', () => {
  it('carries commands, read-your-writes queries and push messages', async () => {
    const heads: PushMessages['head'][] = [];
    const projections: string[] = [];
    const connected: boolean[] = [];
    api.watchConnection((up) => connected.push(up));
    api.listen('head', (message) => heads.push(message));
    api.listen('projection', (message) => projections.push(message.name));
    // Open here means the host sends to it: it adds a socket to its clients in the same step as it answers the upgrade.
    const socket = sockets.at(-1)!;
    if (socket.readyState !== WebSocket.OPEN) await once(socket, 'open');
    expect(connected.at(-1)).toBe(true);

    const registered = await api.call('command', { type: 'RegisterDepot', payload: { depotId: 'd-north', name: 'North Hub', region: 'north' } });
    expect(registered).toMatchObject({ ok: true, commandId: expect.any(String), events: [{ type: 'DepotRegistered' }], duplicate: false });
    if (!registered.ok) return;
    // Projector workers are still starting on a busy machine: give read-your-writes room to wait.
    const board = await api.call('depots.board', { params: {}, options: { minPosition: registered.position, timeoutMs: 20_000 } });
    expect(board).toMatchObject({ ok: true, data: [{ depotId: 'd-north' }], freshness: { stale: false, position: registered.position } });
    // Recorded as the host's session, on the folder's own device.
    const event = await api.call('event.get', { params: { position: registered.position }, options: { minPosition: registered.position, timeoutMs: 20_000 } });
    expect(event).toMatchObject({ ok: true, data: { actor: session.actor, deviceId: waybill.core.deviceId, commandId: registered.commandId } });

    await expect.poll(() => heads.at(-1)?.head ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(registered.position);
    await expect.poll(() => projections.length, { timeout: 10_000 }).toBeGreaterThan(0);
  });

  it('answers a rejected command with its code and field, and changes nothing', async () => {
    const before = await api.call('projections.status', { params: {} });
    if (!before.ok) throw new Error(before.error.message);
    const rejected = await api.call('command', { type: 'RegisterDepot', payload: { depotId: 'd-north', name: 'Again', region: 'north' } });
    expect(rejected).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'payload.depotId' } });
    const after = await api.call('projections.status', { params: {} });
    expect(after).toMatchObject({ ok: true, data: { head: before.data.head } });
  });

  it('runs seed, rebuild and verify', async () => {
    const seeded = await api.call('seed', { events: 300, seed: 7 });
    expect(seeded).toMatchObject({ ok: true, events: expect.any(Number), head: expect.any(Number) });
    expect(await api.call('rebuild', { projection: 'depot_board' })).toEqual({ ok: true });
    expect(await api.call('verify', {})).toMatchObject({ ok: true, report: { ok: true, log: { gapless: true, chain: { ok: true } } } });
  });

  it('is refused the file operations of the command line, as the browser session it is', async () => {
    const to = join(folder, 'copy.db');
    expect(await api.call('backup', { to })).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'backup is only available from cli, not from the browser.' } });
    expect(existsSync(to)).toBe(false);
  });
});
