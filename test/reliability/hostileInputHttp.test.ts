// Scenario 9b: hostile input through the browser-mode bridge, over HTTP with the right token:
// every answer is 200 with a typed body or 4xx with a typed VALIDATION body (never 500), nothing is
// appended on a rejection, the server's Object.prototype stays clean, queries stay within caps.
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { startBrowserHost, type BrowserHost } from '../../db/serve/startBrowserHost.ts';
import { seedHistory } from '../../db/seed/seedHistory.ts';
import { createTempDataDir } from '../helpers/tempDataDir.ts';
import { commandAnswerProblems, hostileCommand, hostileQuery, hostileValue, prototypeKeys, prototypePolluted, queryAnswerProblems } from './helpers/hostile.ts';

const dir = createTempDataDir('fuzz-http');
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
let waybill: TestCore;
let host: BrowserHost;
const prototypeBefore = prototypeKeys();

function post(path: string, body: string | Uint8Array): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const call = request(
      { host: '127.0.0.1', port: host.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-waybill-token': host.token } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown });
        });
      },
    );
    call.on('error', reject);
    call.end(body);
  });
}

/** A 4xx answer must carry a typed VALIDATION body; a 200 answer is judged by the caller. */
function transportProblems(answer: { status: number; body: unknown }): string[] {
  if (answer.status === 200) return [];
  const code = (answer.body as { error?: { code?: unknown } })?.error?.code;
  return [400, 413].includes(answer.status) && code === 'VALIDATION' ? [] : [`HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`];
}

beforeAll(async () => {
  const staticDir = dir.file('page');
  mkdirSync(staticDir);
  writeFileSync(dir.file('page', 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  waybill = await openTestCore({ dataDir: dir.file('data'), projectors: 'inline', backgroundCheckpoints: false });
  await seedHistory(waybill, { events: 2000, seed: 6 });
  await waybill.core.catchUpAll();
  host = await startBrowserHost({ waybill, staticDir });
}, 60_000);
afterAll(async () => {
  agent.destroy();
  await host?.close();
  await waybill?.close();
  dir.remove();
});

describe('hostile input over the browser-mode bridge (HTTP, with the token)', () => {
  it('commands: typed answers only, nothing appended on a rejection', async () => {
    await fc.assert(
      fc.asyncProperty(hostileCommand, async (input) => {
        const before = waybill.head();
        const answer = await post('/api/command', JSON.stringify(input) ?? 'null');
        expect(transportProblems(answer)).toEqual([]);
        if (answer.status === 200) expect(commandAnswerProblems(answer.body, before, waybill.head())).toEqual([]);
        else expect(waybill.head()).toBe(before);
        expect(prototypePolluted()).toBe(false);
      }),
      { numRuns: 200 },
    );
    expect(prototypeKeys()).toEqual(prototypeBefore);
  });

  it('queries: a typed VALIDATION error or data within the row cap', async () => {
    await fc.assert(
      fc.asyncProperty(hostileQuery, async ({ name, params, options }) => {
        const before = waybill.head();
        const answer = await post('/api/query', JSON.stringify({ name, params, ...(options === undefined ? {} : { options }) }));
        expect(transportProblems(answer)).toEqual([]);
        if (answer.status === 200) expect(queryAnswerProblems(answer.body)).toEqual([]);
        expect(waybill.head()).toBe(before);
      }),
      { numRuns: 200 },
    );
    expect(prototypePolluted()).toBe(false);
  });

  it('raw bodies (not JSON, invalid UTF-8, hostile JSON) to every route: typed refusals, never a 500, the server keeps serving', async () => {
    const routes = ['/api/command', '/api/query', '/api/rebuild', '/api/cancel-rebuild', '/api/verify', '/api/dead-letter', '/api/seed'];
    const rawBody = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      hostileValue.map((value) => JSON.stringify(value) ?? 'null'),
      fc.constantFrom('{', '{"name":', '\u0000', '[]'.repeat(10_000), '{"a":1,"a":2}', '{"__proto__":{"polluted":1}}'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), rawBody, async (route, body) => {
        const before = waybill.head();
        const answer = await post(route, body);
        expect(transportProblems(answer)).toEqual([]);
        const typed = answer.body as { ok?: unknown; error?: { code?: unknown } };
        if (answer.status === 200 && typed.ok === false) expect(typed.error?.code).not.toBe('INTERNAL');
        if (route !== '/api/seed' || typed.ok !== true) expect(waybill.head()).toBe(before);
      }),
      { numRuns: 150 },
    );
    expect(prototypePolluted()).toBe(false);
    const still = await post('/api/query', JSON.stringify({ name: 'depots.board', params: {} }));
    expect(still).toMatchObject({ status: 200, body: { ok: true } });
    expect((await waybill.verify()).ok).toBe(true);
  });
});
