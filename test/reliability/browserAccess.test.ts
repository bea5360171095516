// Scenario 10, beyond db/serve/startBrowserHost.test.ts (no token, wrong token, a foreign Host and
// Origin, push sockets without the token or from another origin): the variants an attacker would
// try next — rebinding Host names, opaque and look-alike origins, Sec-Fetch-Site, the token in the
// wrong place, CORS preflights, push sockets with a wrong token or a foreign Host — are refused,
// and no refusal echoes the token.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { callPath } from '../../db/contract/index.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { startBrowserHost, type BrowserHost } from '../../db/serve/startBrowserHost.ts';
import { createTempDataDir } from '../helpers/tempDataDir.ts';

const dir = createTempDataDir('access');
let waybill: TestCore;
let host: BrowserHost;

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
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

const boardPath = callPath('depots.board');
const query = JSON.stringify({ params: {} });
const api = (headers: Record<string, string>, path = boardPath) =>
  send(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-waybill-token': host.token, ...headers }, body: query });

/** The status line of an HTTP/1.0 request sent without any Host header. */
function withoutHost(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(host.port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.0\r\nx-waybill-token: ${host.token}\r\n\r\n`));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('end', () => resolve(text.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

function upgrade(path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}${path}`, { headers });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('error', () => resolve(-1));
  });
}

beforeAll(async () => {
  mkdirSync(dir.file('page'));
  writeFileSync(dir.file('page', 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  waybill = await openTestCore({ dataDir: dir.file('data'), projectors: 'inline', backgroundCheckpoints: false });
  host = await startBrowserHost({ core: waybill.core.endpoint, session: { actor: 'tester', surface: 'browser' }, staticDir: dir.file('page') });
});
afterAll(async () => {
  await host?.close();
  await waybill?.close();
  dir.remove();
});

describe('browser mode refuses what the existing host tests do not try', () => {
  it('accepts the page’s own call (the baseline every refusal below differs from in one header)', async () => {
    const answer = await api({ origin: `http://127.0.0.1:${host.port}` });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: true, data: [], freshness: { readModel: 'depot_board' } });
  });

  it.each([
    ['a rebinding name that starts like loopback', () => `localhost.attacker.example:${host.port}`],
    ['a wildcard-DNS name for 127.0.0.1', () => `127.0.0.1.nip.io:${host.port}`],
    ['loopback on another port', () => `127.0.0.1:${host.port + 1}`],
    ['the right host without a port (port 80)', () => '127.0.0.1'],
    ['a user-info trick', () => `attacker.example@127.0.0.1:${host.port}`],
  ])('refuses a Host header of %s, for the API and the page', async (_label, hostHeader) => {
    expect((await api({ host: hostHeader() })).status).toBe(403);
    expect((await send(`/?token=${host.token}`, { headers: { host: hostHeader() } })).status).toBe(403);
  });

  it('refuses a request with no Host header at all', async () => {
    expect(await withoutHost(boardPath)).toMatch(/^HTTP\/1\.[01] 4\d\d/);
  });

  it.each([
    ['an opaque origin (sandboxed frame, file://)', () => 'null'],
    ['https on the same host and port', () => `https://127.0.0.1:${host.port}`],
    ['a look-alike suffix', () => `http://127.0.0.1:${host.port}.attacker.example`],
    ['localhost while the page is on 127.0.0.1', () => `http://localhost:${host.port}`],
  ])('refuses an Origin of %s even with the right token', async (_label, origin) => {
    expect((await api({ origin: origin() })).status).toBe(403);
  });

  it('refuses requests a browser marks as cross-site or same-site (another port on localhost)', async () => {
    expect((await api({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await api({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await api({ 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('takes the API token only from its header: not from the cookie, the query string, or a near miss', async () => {
    const page = await send(`/?token=${host.token}`);
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    const noHeader = (path: string, headers: Record<string, string>) => send(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: query });
    expect((await noHeader(boardPath, { cookie })).status).toBe(401);
    expect((await noHeader(`${boardPath}?token=${host.token}`, {})).status).toBe(401);
    for (const nearMiss of [host.token.toUpperCase(), `${host.token} x`, `${host.token}x`, host.token.slice(1), `${host.token},${host.token}`]) {
      expect((await api({ 'x-waybill-token': nearMiss })).status).toBe(401);
    }
  });

  it('answers a CORS preflight from another origin without granting anything', async () => {
    const preflight = await send(boardPath, {
      method: 'OPTIONS',
      headers: { origin: 'http://attacker.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-waybill-token' },
    });
    expect(preflight.status).toBeGreaterThanOrEqual(400);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-headers']).toBeUndefined();
  });

  it('refuses push sockets with a wrong token, a foreign Host, an opaque origin or a cross-site fetch, and on other paths', async () => {
    const good = `/api/push?token=${host.token}`;
    expect(await upgrade(`/api/push?token=${host.token}x`)).toBe(401);
    expect(await upgrade(good, { host: `attacker.example:${host.port}` })).toBe(403);
    expect(await upgrade(good, { origin: 'null' })).toBe(403);
    expect(await upgrade(good, { 'sec-fetch-site': 'cross-site' })).toBe(403);
    expect(await upgrade(`${boardPath}?token=${host.token}`)).toBe(404);
    expect(await upgrade(good)).toBe(101);
  });

  it('never echoes the token in a refusal', async () => {
    const refusals = [
      await api({ origin: 'http://attacker.example' }),
      await api({ host: `attacker.example:${host.port}` }),
      await api({ 'x-waybill-token': 'wrong' }),
      await send('/?token=wrong'),
      await send(`/?token=${host.token}`, { headers: { host: `attacker.example:${host.port}` } }),
    ];
    for (const refusal of refusals) {
      expect(refusal.status).toBeGreaterThanOrEqual(400);
      expect(refusal.body).not.toContain(host.token);
      expect(JSON.stringify(refusal.headers)).not.toContain(host.token);
    }
  });
});
