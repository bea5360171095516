// Scenario 9c: hostile input over a window's channel to the core, as a renderer gone bad would send
// it on the port main handed it (db/core/process/servePort.ts, over a real core): every call is
// answered with a typed error or a valid result, nothing is appended on a rejection, the window
// cannot choose who it is, Object.prototype stays as it was, every query stays within its row cap,
// and messages that are not calls at all are ignored.
import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationNames, type FromCorePort, type Session } from '../../db/contract/index.ts';
import { servePort, type ServedPort } from '../../db/core/process/servePort.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { createTempDataDir } from '../helpers/tempDataDir.ts';
import { commandAnswerProblems, hostileCommand, hostileQuery, hostileValue, isTypedCode, prototypeKeys, prototypePolluted, queryAnswerProblems } from './helpers/hostile.ts';

const dir = createTempDataDir('fuzz-window-channel');
const windowSession: Session = { actor: 'ana', surface: 'desktop' };
let waybill: TestCore;
let window: { call(operation: unknown, input: unknown): Promise<unknown>; post(raw: unknown): void };
const prototypeBefore = prototypeKeys();

/** Values structured clone carries over a message port besides JSON: NaN, infinities, undefined, BigInt, dates, maps. */
const cloneable = fc.oneof(hostileValue, fc.constantFrom(Number.NaN, Infinity, -Infinity, undefined), fc.bigInt(), fc.date(), fc.constant(new Map([['a', 1]])));

/** The core's end of a window's channel, served as in the core process; the test holds the window's end. */
function windowChannel(): typeof window {
  const port = new EventEmitter() as EventEmitter & ServedPort;
  const answers = new Map<number, (answer: unknown) => void>();
  port.postMessage = (message: FromCorePort) => {
    if (message.kind === 'answer') answers.get(message.id)?.(structuredClone(message.answer));
  };
  port.start = () => undefined;
  servePort(waybill.core.endpoint, port, windowSession);
  let nextId = 1;
  // As the port delivers it (not cloned here: a value too deep to clone never leaves the renderer at all).
  const post = (raw: unknown) => port.emit('message', { data: raw });
  return {
    post,
    call: (operation, input) =>
      new Promise((resolve) => {
        const id = nextId++;
        answers.set(id, resolve);
        post({ kind: 'call', id, operation, input });
      }),
  };
}

beforeAll(async () => {
  waybill = await openTestCore({ dataDir: dir.path, projectors: 'inline', backgroundCheckpoints: false });
  expect(await waybill.call('seed', { events: 2000, seed: 4 })).toMatchObject({ ok: true });
  await waybill.core.catchUpAll();
  window = windowChannel();
}, 60_000);
afterAll(async () => {
  await waybill?.close();
  dir.remove();
});

describe("hostile input over a window's channel to the core", () => {
  it('commands: a typed error or a valid result, nothing appended on rejection', async () => {
    await fc.assert(
      fc.asyncProperty(hostileCommand, async (input) => {
        const before = waybill.head();
        const answer = await window.call('command', input);
        expect(commandAnswerProblems(answer, before, waybill.head())).toEqual([]);
        expect(prototypePolluted()).toBe(false);
      }),
      { numRuns: 300 },
    );
    expect(prototypeKeys()).toEqual(prototypeBefore);
  });

  it('queries: a typed VALIDATION error or data within the row cap, never an append', async () => {
    await fc.assert(
      fc.asyncProperty(hostileQuery, cloneable, async ({ name, params, options }, odd) => {
        const before = waybill.head();
        const answers = [await window.call(name, { params, options }), await window.call(name, odd)];
        for (const answer of answers) expect(queryAnswerProblems(answer)).toEqual([]);
        expect(waybill.head()).toBe(before);
        expect(prototypePolluted()).toBe(false);
      }),
      { numRuns: 300 },
    );
    expect(prototypeKeys()).toEqual(prototypeBefore);
  });

  it('every other operation, and names that are none, with hostile input: a typed answer, never INTERNAL, nothing appended but by seed', async () => {
    const names = fc.oneof(fc.constantFrom(...operationNames.filter((name) => name !== 'command')), cloneable);
    await fc.assert(
      fc.asyncProperty(names, cloneable, async (operation, input) => {
        const before = waybill.head();
        const answer = (await window.call(operation, input)) as { ok?: unknown; error?: { code?: unknown } };
        expect(answer.ok === true || (answer.ok === false && isTypedCode(answer.error?.code) && answer.error?.code !== 'INTERNAL')).toBe(true);
        if (operation !== 'seed' || answer.ok !== true) expect(waybill.head()).toBe(before);
        expect(prototypePolluted()).toBe(false);
      }),
      { numRuns: 120 },
    );
    expect(prototypeKeys()).toEqual(prototypeBefore);
    expect(await waybill.verify()).toMatchObject({ ok: true });
  });

  it('the window cannot choose who it is: a command naming an actor or device is refused, and what it records is the session main bound', async () => {
    const named = await window.call('command', { type: 'RegisterDepot', payload: { depotId: 'W9', name: 'West', region: 'west' }, actor: 'root', deviceId: 'server' });
    expect(named).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'actor' } });
    const recorded = (await window.call('command', { type: 'RegisterDepot', payload: { depotId: 'W9', name: 'West', region: 'west' } })) as { ok: true; position: number };
    expect(recorded).toMatchObject({ ok: true });
    expect(await waybill.query('event.get', { position: recorded.position })).toMatchObject({ ok: true, data: { actor: 'ana', deviceId: waybill.core.deviceId } });
    // The file operations are the command line's only: a window is refused, and nothing is written.
    expect(await window.call('backup', { to: dir.file('stolen.db') })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('ignores messages that are not calls, and a call without a numeric id, answering nothing', async () => {
    const before = waybill.head();
    for (const raw of [null, 7, 'call', [], { kind: 'call', id: 'x', operation: 'command', input: {} }, { kind: 'listen', topic: 'everything' }, { kind: 'unlisten' }, { kind: 'drop table' }]) {
      expect(() => window.post(raw)).not.toThrow();
    }
    // The channel still answers afterwards.
    expect(await window.call('depots.board', {})).toMatchObject({ ok: true });
    expect(waybill.head()).toBe(before);
  });
});
