// Scenario 9b: hostile input through the browser-mode bridge, over HTTP with the right token:
// `POST /api/call/<operation>` answers 200 with the core's typed answer (valid against the
// operation's output schema, never INTERNAL) or refuses with a 4xx transport error (bad JSON, too
// big), never 500; nothing is appended on a refusal, the server's Object.prototype stays clean,
// queries stay within caps, and the page's session cannot reach the file operations.
import fc from 'fast-check';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callPath, errorBodySchema, operationNames, operations, seedRequestSchema, type OperationName, type Session } from '../../db/contract/index.ts';
import { maxBodyBytes, startBrowserHost, type BrowserHost } from '../../db/serve/startBrowserHost.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { createTempDataDir } from '../helpers/tempDataDir.ts';
import { commandAnswerProblems, hostileCommand, hostileQuery, hostileValue, prototypeKeys, prototypePolluted, queryAnswerProblems } from './helpers/hostile.ts';

const dir = createTempDataDir('fuzz-http');
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
const browser: Session = { actor: 'fuzz-browser', surface: 'browser' };
const fileOperations = ['backup', 'export', 'import'] as const satisfies readonly OperationName[];
let waybill: TestCore;
let host: BrowserHost;
const prototypeBefore = prototypeKeys();

interface HttpAnswer {
  status: number;
  body: unknown;
}

const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

function post(path: string, body: string | Uint8Array, options: { chunked?: boolean } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'x-waybill-token': host.token };
    if (!options.chunked) headers['content-length'] = Buffer.byteLength(body);
    const call = request({ host: '127.0.0.1', port: host.port, path, method: 'POST', agent, headers }, (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, body: parsed(text) });
      });
    });
    // A refused big body may close the connection while it is still being sent: the answer is what counts.
    call.on('error', (error) => (answered ? undefined : reject(error)));
    if (options.chunked) {
      const bytes = Buffer.from(body);
      for (let at = 0; at < bytes.length; at += 64 * 1024) call.write(bytes.subarray(at, at + 64 * 1024));
      call.end();
    } else call.end(body);
  });
}

/** The call path of any name: lone surrogates, which a URL cannot carry, become U+FFFD as a browser would send them. */
const pathOf = (operation: string) => `/api/call/${encodeURIComponent(Buffer.from(operation, 'utf8').toString('utf8'))}`;
const call = (operation: string, input: unknown) => post(callPath(operation as OperationName), JSON.stringify(input) ?? 'null');

const refusals: Readonly<Record<number, string>> = { 400: 'VALIDATION', 413: 'VALIDATION' };
/** Where the path itself is hostile, also: no such route (a dot segment took it out of /api/call/). */
const pathRefusals: Readonly<Record<number, string>> = { ...refusals, 404: 'NOT_FOUND' };

/**
 * A 4xx answer must be a transport refusal with a typed body (bad JSON, too big); a 200 answer is
 * judged on its own. With a hostile path, a request line over Node's header limit (a huge name) is
 * refused by Node's own parser before the host sees it: 431, no body.
 */
function transportProblems(answer: HttpAnswer, options: { hostilePath?: boolean } = {}): string[] {
  if (answer.status === 200 || (options.hostilePath && answer.status === 431)) return [];
  const expected = (options.hostilePath ? pathRefusals : refusals)[answer.status];
  const body = answer.body as { ok?: unknown; error?: { code?: unknown } };
  return expected !== undefined && body?.ok === false && body.error?.code === expected ? [] : [`HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`];
}

/** What is wrong with a 200 answer to `operation`: it must match the operation's output schema, or be a typed error other than INTERNAL. */
function answerProblems(operation: OperationName, body: unknown): string[] {
  const { ok, ...rest } = (body ?? {}) as { ok?: unknown } & Record<string, unknown>;
  if (ok === true) {
    const output = operations[operation].output.safeParse(rest);
    return output.success ? [] : [`${operation} answered outside its schema: ${output.error.message.slice(0, 200)}`];
  }
  if (ok !== false) return [`not an answer: ${JSON.stringify(body)?.slice(0, 200)}`];
  const error = errorBodySchema.safeParse(rest.error);
  if (!error.success) return [`${operation} failed without a typed error: ${JSON.stringify(body)?.slice(0, 200)}`];
  return error.data.code === 'INTERNAL' ? [`${operation} failed with INTERNAL: ${error.data.message}`] : [];
}

/** How far the head may move for an answer: a command by its events, a seed to the head it reports, anything else not at all. */
function expectedHead(operation: OperationName, body: unknown, before: number): number {
  const answer = body as { ok?: unknown; events?: unknown; head?: unknown };
  if (answer?.ok !== true) return before;
  if (operation === 'command') return before + (answer.events as unknown[]).length;
  if (operation === 'seed') return answer.head as number;
  return before;
}

beforeAll(async () => {
  const staticDir = dir.file('page');
  mkdirSync(staticDir);
  writeFileSync(dir.file('page', 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  waybill = await openTestCore({ dataDir: dir.file('data'), projectors: 'inline', backgroundCheckpoints: false });
  expect(await waybill.call('seed', { events: 2000, seed: 6 })).toMatchObject({ ok: true });
  await waybill.core.catchUpAll();
  host = await startBrowserHost({ core: waybill.core.endpoint, session: browser, staticDir });
}, 60_000);
afterAll(async () => {
  agent.destroy();
  await host?.close();
  await waybill?.close();
  dir.remove();
});

describe('hostile input over the browser-mode bridge (HTTP, with the token)', () => {
  it('commands: typed answers only, nothing appended on a rejection, an accepted one recorded as the page’s session', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(hostileCommand, async (input) => {
        const before = waybill.head();
        const answer = await call('command', input);
        expect(transportProblems(answer)).toEqual([]);
        if (answer.status !== 200) return void expect(waybill.head()).toBe(before);
        expect(answerProblems('command', answer.body)).toEqual([]);
        expect(commandAnswerProblems(answer.body, before, waybill.head())).toEqual([]);
        const result = answer.body as { ok: boolean; position: number };
        if (result.ok) {
          accepted++;
          // Whatever the body said, who recorded it is the host's session, on this folder's device.
          const recorded = await waybill.query('event.get', { position: result.position });
          expect(recorded).toMatchObject({ ok: true, data: { actor: browser.actor, deviceId: waybill.core.deviceId } });
        }
        expect(prototypePolluted()).toBe(false);
      }),
      { numRuns: 200 },
    );
    expect(accepted).toBeGreaterThan(0);
    expect(prototypeKeys()).toEqual(prototypeBefore);
  });

  it('queries: a typed VALIDATION error or data within the row cap', async () => {
    await fc.assert(
      fc.asyncProperty(hostileQuery, async ({ name, params, options }) => {
        const before = waybill.head();
        const operation = typeof name === 'string' ? name : JSON.stringify(name) ?? 'undefined';
        const answer = await post(pathOf(operation), JSON.stringify({ params, ...(options === undefined ? {} : { options }) }));
        expect(transportProblems(answer, { hostilePath: true })).toEqual([]);
        if (answer.status === 200) {
          expect(queryAnswerProblems(answer.body)).toEqual([]);
          if (operationNames.includes(name as OperationName)) expect(answerProblems(name as OperationName, answer.body)).toEqual([]);
        }
        expect(waybill.head()).toBe(before);
      }),
      { numRuns: 200 },
    );
    expect(prototypePolluted()).toBe(false);
  });

  it('any JSON body to every operation: a typed answer valid against the operation’s schema, never INTERNAL, nothing appended unless recorded', async () => {
    const body = fc.oneof(
      hostileValue,
      fc.record({ params: hostileValue, options: hostileValue }, { requiredKeys: [] }),
      fc.dictionary(fc.constantFrom('params', 'options', 'projection', 'position', 'action', 'events', 'seed', 'to', 'from', 'type', 'payload', 'actor', '__proto__'), hostileValue, { maxKeys: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...operationNames), body, async (operation, input) => {
        // A well-formed seed of millions of events is not hostile, only slow.
        fc.pre(!(operation === 'seed' && seedRequestSchema.safeParse(input).success && (input as { events: number }).events > 5000));
        const before = waybill.head();
        const answer = await call(operation, input);
        expect(transportProblems(answer)).toEqual([]);
        if (answer.status === 200) expect(answerProblems(operation, answer.body)).toEqual([]);
        if ((fileOperations as readonly string[]).includes(operation)) expect(answer.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        expect(waybill.head()).toBe(expectedHead(operation, answer.body, before));
        expect(prototypePolluted()).toBe(false);
      }),
      { numRuns: 300 },
    );
    expect(prototypeKeys()).toEqual(prototypeBefore);
  });

  it('unknown operation names answer VALIDATION on `operation` (or 404 once the path leaves /api/call/), and append nothing', async () => {
    const name = fc.oneof(
      fc.constantFrom('', 'Command', 'parcels', 'parcels.list.x', 'command/x', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '..', '%2e%2e', 'api/call/command'),
      fc.string({ unit: 'binary', maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(name, hostileValue, async (operation, input) => {
        fc.pre(!(operationNames as readonly string[]).includes(operation));
        const before = waybill.head();
        const answer = await post(pathOf(operation), JSON.stringify(input) ?? 'null');
        expect(transportProblems(answer, { hostilePath: true })).toEqual([]);
        if (answer.status === 200) expect(answer.body).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'operation' } });
        expect(waybill.head()).toBe(before);
      }),
      { numRuns: 150 },
    );
    // The names that are paths of their own: the prefix alone, a dot segment out of it.
    expect(await post('/api/call/', '{}')).toMatchObject({ status: 200, body: { ok: false, error: { code: 'VALIDATION', field: 'operation' } } });
    expect(await post('/api/call/%2e%2e/command', '{}')).toMatchObject({ status: 404, body: { ok: false, error: { code: 'NOT_FOUND' } } });
    expect(prototypePolluted()).toBe(false);
  });

  it('raw bodies (not JSON, invalid UTF-8, hostile JSON) to every operation: typed refusals, never a 500, the server keeps serving', async () => {
    const rawBody = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.constantFrom(Buffer.from([0xff]), Buffer.from([0x22, 0xc3, 0x28, 0x22]), Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d]), Buffer.from('{"params":{}}\u0000')),
      hostileValue.map((value) => JSON.stringify(value) ?? 'null'),
      fc.constantFrom('{', '{"params":', '\u0000', '[]'.repeat(10_000), '{"a":1,"a":2}', '{"__proto__":{"polluted":1}}', '{"params":{},"params":{"limit":5000}}'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...operationNames), rawBody, async (operation, body) => {
        const before = waybill.head();
        const answer = await post(callPath(operation), body);
        expect(transportProblems(answer)).toEqual([]);
        if (answer.status === 200) expect(answerProblems(operation, answer.body)).toEqual([]);
        expect(waybill.head()).toBe(expectedHead(operation, answer.body, before));
      }),
      { numRuns: 200 },
    );
    expect(prototypePolluted()).toBe(false);
    const still = await call('depots.board', { params: {} });
    expect(still).toMatchObject({ status: 200, body: { ok: true, data: expect.any(Array) } });
    expect(await waybill.verify()).toMatchObject({ ok: true });
  });

  it('big bodies: over the limit refused with 413 (declared or streamed), just under it answered by the core, and the server keeps serving', async () => {
    const before = waybill.head();
    const over = JSON.stringify({ type: 'RecordWeather', payload: { region: 'north', condition: 'rain', note: 'W'.repeat(maxBodyBytes) } });
    for (const chunked of [false, true]) {
      expect(await post(callPath('command'), over, { chunked })).toMatchObject({ status: 413, body: { ok: false, error: { code: 'VALIDATION' } } });
    }
    const under = JSON.stringify({ type: 'RecordWeather', payload: { region: 'W'.repeat(maxBodyBytes - 100), condition: 'rain' } });
    const answer = await post(callPath('command'), under);
    expect(answer).toMatchObject({ status: 200, body: { ok: false, error: { code: 'VALIDATION', field: 'payload.region' } } });
    expect(waybill.head()).toBe(before);
    expect(await call('depots.board', { params: {} })).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('the page’s session cannot back up, export or import (FORBIDDEN), and such a call writes no file and appends nothing', async () => {
    // An export of another folder, so an import that got through would append.
    const other = await openTestCore({ dataDir: dir.file('other'), projectors: 'inline', backgroundCheckpoints: false });
    const exported = dir.file('other.jsonl');
    try {
      expect(await other.command({ type: 'RecordWeather', payload: { region: 'elsewhere', condition: 'snow' } })).toMatchObject({ ok: true });
      expect(await other.call('export', { to: exported })).toMatchObject({ ok: true, events: 1 });
    } finally {
      await other.close();
    }
    const before = waybill.head();
    const attempts = { backup: { to: dir.file('leak.db') }, export: { to: dir.file('leak.jsonl') }, import: { from: exported } } as const;
    for (const operation of fileOperations) {
      const answer = await call(operation, attempts[operation]);
      expect(answer).toEqual({ status: 200, body: { ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining(operation) } } });
    }
    expect(existsSync(dir.file('leak.db'))).toBe(false);
    expect(existsSync(dir.file('leak.jsonl'))).toBe(false);
    expect(waybill.head()).toBe(before);
  });
});
