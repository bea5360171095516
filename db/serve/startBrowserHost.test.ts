import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openWaybill } from '../core/openWaybill.ts';
import { startBrowserHost, type BrowserHost } from './startBrowserHost.ts';

let folder: string;
let host: BrowserHost;
let closeCore: () => Promise<void>;

/** A raw request, so tests can send the Host and Origin headers a browser would not let them forge. */
function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
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

const api = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  send(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-waybill-token': host.token, ...headers }, body: JSON.stringify(body) });

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
  const waybill = await openTestCore({ dataDir: join(folder, 'data'), projectors: 'inline', backgroundCheckpoints: false });
  closeCore = () => waybill.close();
  host = await startBrowserHost({ waybill, staticDir });
});

afterAll(async () => {
  await host?.close();
  await closeCore?.();
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
  });

  it('answers API calls without the token with 401', async () => {
    const answer = await send('/api/query', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"depots.board","params":{}}' });
    expect(answer.status).toBe(401);
    expect((await api('/api/query', { name: 'depots.board', params: {} }, { 'x-waybill-token': 'wrong' })).status).toBe(401);
  });

  it('refuses a foreign Host header and a foreign Origin with 403', async () => {
    expect((await api('/api/query', { name: 'depots.board', params: {} }, { host: `attacker.example:${host.port}` })).status).toBe(403);
    expect((await api('/api/query', { name: 'depots.board', params: {} }, { origin: 'http://attacker.example' })).status).toBe(403);
    expect((await api('/api/query', { name: 'depots.board', params: {} }, { origin: `http://127.0.0.1:${host.port}` })).status).toBe(200);
  });

  it('refuses bodies over 1 MB with 413 and non-JSON bodies with 415', async () => {
    const big = await api('/api/command', { type: 'RegisterDepot', payload: { name: 'x'.repeat(1_100_000) } });
    expect(big.status).toBe(413);
    const form = await send('/api/query', { method: 'POST', headers: { 'content-type': 'text/plain', 'x-waybill-token': host.token }, body: '{}' });
    expect(form.status).toBe(415);
  });

  it('validates requests with the contract before the core sees them', async () => {
    const unknown = await api('/api/query', { name: 'parcels.drop', params: {} });
    expect(unknown.status).toBe(400);
    const badParams = JSON.parse((await api('/api/query', { name: 'parcels.list', params: { limit: 5000 } })).body);
    expect(badParams.ok).toBe(false);
    expect(badParams.error).toMatchObject({ code: 'VALIDATION', field: 'limit' });
    const badCommand = JSON.parse((await api('/api/command', { type: 'RegisterDepot', payload: { depotId: 'd1', name: 'North', region: 'North!' } })).body);
    expect(badCommand.error).toMatchObject({ code: 'VALIDATION', field: 'region' });
  });

  it('refuses push sockets without the token (401) or from another site (403)', async () => {
    expect(await upgrade('/api/push')).toBe(401);
    expect(await upgrade(`/api/push?token=${host.token}`, { origin: 'http://attacker.example' })).toBe(403);
    expect(await upgrade(`/api/push?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` })).toBe(101);
  });
});
