import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { callPath, type OperationName, type PushFrame, type Session } from '../contract/index.ts';
import type { Core } from '../core/core.ts';
import { openCore } from '../core/openCore.ts';
import { startBrowserHost, type BrowserHost } from './startBrowserHost.ts';

let folder: string;
let host: BrowserHost;
let core: Core;
const session: Session = { actor: 'page-user', surface: 'browser' };

/** A raw request, so tests can send the Host and Origin headers a browser would not let them forge. */
function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const call = request({ host: '127.0.0.1', port: host.port, path, method: options.method ?? 'GET', headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    call.on('error', reject);
    call.end(options.body);
  });
}

const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  send(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-waybill-token': host.token, ...headers }, body });
const api = (operation: OperationName, input: unknown, headers: Record<string, string> = {}) => post(callPath(operation), JSON.stringify(input), headers);
const board = { params: {} };

function upgrade(path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}${path}`, { headers });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('error', () => undefined);
  });
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'waybill-host-'));
  const staticDir = join(folder, 'page');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
  writeFileSync(join(staticDir, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(folder, 'secret.html'), 'outside');
  core = await openCore({ dataDir: join(folder, 'data'), projectors: 'inline', backgroundCheckpoints: false });
  host = await startBrowserHost({ core: core.endpoint, session, staticDir });
});

afterAll(async () => {
  await host?.close();
  await core?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('the browser host', () => {
  it('listens on 127.0.0.1 and prints a URL that carries the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the page with the token only, under a strict CSP, with the token written into the page', async () => {
    expect((await send('/')).status).toBe(401);
    expect((await send('/?token=nope')).status).toBe(401);
    const page = await send(`/?token=${host.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.body).toContain(`<meta name="waybill-token" content="${host.token}" />`);
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const asset = await send('/assets/app-1234.js', { headers: { cookie: cookie.split(';')[0]! } });
    expect(asset.status).toBe(200);
    expect((await send('/assets/app-1234.js')).status).toBe(401);
  });

  it('does not serve files outside the built page', async () => {
    expect((await send(`/..%2Fsecret.html?token=${host.token}`)).status).toBe(404);
    expect((await send(`/../secret.html?token=${host.token}`)).body).not.toContain('outside');
    // A malformed escape names no file: not found, not a server error.
    expect((await send(`/%ZZ.js?token=${host.token}`)).status).toBe(404);
    expect((await send(`/assets/%E0%A4%A.js?token=${host.token}`)).status).toBe(404);
  });

  it('answers API calls without the token with 401', async () => {
    const answer = await send(callPath('depots.board'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(board) });
    expect(answer.status).toBe(401);
    expect((await api('depots.board', board, { 'x-waybill-token': 'wrong' })).status).toBe(401);
  });

  it('refuses a foreign Host header and a foreign Origin with 403', async () => {
    expect((await api('depots.board', board, { host: `attacker.example:${host.port}` })).status).toBe(403);
    expect((await api('depots.board', board, { origin: 'http://attacker.example' })).status).toBe(403);
    const own = await api('depots.board', board, { origin: `http://127.0.0.1:${host.port}` });
    expect(own.status).toBe(200);
    expect(JSON.parse(own.body)).toMatchObject({ ok: true, data: [], freshness: { readModel: 'depot_board' } });
  });

  it('carries calls on POST /api/call/<operation> only: another path is 404, another method 405', async () => {
    expect(await post('/api/query', JSON.stringify({ name: 'depots.board', params: {} }))).toMatchObject({ status: 404 });
    expect(await post('/api/callx/depots.board', JSON.stringify(board))).toMatchObject({ status: 404 });
    const get = await send(callPath('depots.board'), { headers: { 'x-waybill-token': host.token } });
    expect(get.status).toBe(405);
    expect(JSON.parse(get.body)).toMatchObject({ ok: false, error: { message: 'Use POST.' } });
  });

  it('refuses bodies over 1 MB with 413, bodies not sent as JSON with 415, and bodies that are not JSON with 400', async () => {
    const big = await api('command', { type: 'RegisterDepot', payload: { name: 'x'.repeat(1_100_000) } });
    expect(big.status).toBe(413);
    const form = await send(callPath('depots.board'), { method: 'POST', headers: { 'content-type': 'text/plain', 'x-waybill-token': host.token }, body: '{}' });
    expect(form.status).toBe(415);
    const broken = await post(callPath('depots.board'), '{"params":');
    expect([broken.status, JSON.parse(broken.body)]).toEqual([400, { ok: false, error: { code: 'VALIDATION', message: 'The request body is not valid JSON.' } }]);
  });

  it('refuses a body that is not UTF-8 with 400 rather than recording replacement characters in its place', async () => {
    const head = core.head();
    const command = JSON.stringify({ type: 'RegisterDepot', payload: { depotId: 'latin1', name: 'Gare du N__', region: 'north' } });
    const latin1 = Buffer.from(command, 'utf8');
    latin1[latin1.indexOf('__')] = 0xe9; // é as Latin-1: a lone byte UTF-8 cannot start with
    const answer = await post(callPath('command'), latin1);
    expect([answer.status, JSON.parse(answer.body)]).toEqual([400, { ok: false, error: { code: 'VALIDATION', message: 'The request body is not valid UTF-8.' } }]);
    expect(core.head()).toBe(head);
  });

  it('answers every call with the core’s own answer, 200 even for a failure: the core validates with the contract, naming fields from the input’s root', async () => {
    const unknown = await api('parcels.drop' as OperationName, board);
    expect([unknown.status, JSON.parse(unknown.body)]).toEqual([200, { ok: false, error: { code: 'VALIDATION', field: 'operation', message: 'There is no operation named "parcels.drop".' } }]);
    const badParams = await api('parcels.list', { params: { limit: 5000 } });
    expect([badParams.status, JSON.parse(badParams.body)]).toEqual([200, { ok: false, error: expect.objectContaining({ code: 'VALIDATION', field: 'params.limit' }) }]);
    const badCommand = await api('command', { type: 'RegisterDepot', payload: { depotId: 'd1', name: 'North', region: 'North!' } });
    expect([badCommand.status, JSON.parse(badCommand.body)]).toEqual([200, { ok: false, error: expect.objectContaining({ code: 'VALIDATION', field: 'payload.region' }) }]);
  });

  it('stamps its own session on every call: a command is recorded as its actor, and a body cannot name another', async () => {
    const named = await api('command', { type: 'RegisterDepot', actor: 'someone-else', payload: { depotId: 'named', name: 'Named', region: 'north' } });
    expect(JSON.parse(named.body)).toEqual({ ok: false, error: { code: 'VALIDATION', field: 'actor', message: 'Unknown field: actor.' } });
    const recorded = JSON.parse((await api('command', { type: 'RegisterDepot', payload: { depotId: 'own', name: 'Own', region: 'north' } })).body);
    expect(recorded).toMatchObject({ ok: true, events: [{ type: 'DepotRegistered' }] });
    const event = JSON.parse((await api('event.get', { params: { position: recorded.position } })).body);
    expect(event).toMatchObject({ ok: true, data: { actor: session.actor, deviceId: core.deviceId } });
    // The file operations name files on this machine: not the page's to call.
    const backup = JSON.parse((await api('backup', { to: join(folder, 'copy.db') })).body);
    expect(backup).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('refuses push sockets without the token (401) or from another site (403)', async () => {
    expect(await upgrade('/api/push')).toBe(401);
    expect(await upgrade(`/api/push?token=${host.token}`, { origin: 'http://attacker.example' })).toBe(403);
    expect(await upgrade(`/api/push?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` })).toBe(101);
  });

  it('streams push messages to an open socket as { topic, message } frames', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/api/push?token=${host.token}`);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const headFrame = new Promise<PushFrame>((resolve) =>
      socket.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString('utf8')) as PushFrame;
        if (frame.topic === 'head') resolve(frame);
      }),
    );
    const weather = JSON.parse((await api('command', { type: 'RecordWeather', payload: { region: 'north', condition: 'rain' } })).body);
    expect(await headFrame).toEqual({ topic: 'head', message: { head: weather.position, appendedPerSecond: expect.any(Number) } });
    socket.close();
  });
});
