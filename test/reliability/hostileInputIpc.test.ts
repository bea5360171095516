// Scenario 9c: hostile input through the IPC handler table (electron/ipc.ts) over the real core, as
// a renderer gone bad would send it from our own (trusted) frame. Every call answers a typed error
// or a valid result, nothing is appended on a rejection, Object.prototype stays as it was, and
// every query stays within its row cap.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { seedHistory } from '../../db/seed/seedHistory.ts';
import type { InvokeMethod } from '../../electron/channels.ts';
import { createIpcHandlers, type IpcHandlerEntry } from '../../electron/ipc.ts';
import { createSenderCheck, type FrameLike } from '../../electron/senderCheck.ts';
import { createTempDataDir } from '../helpers/tempDataDir.ts';
import { commandAnswerProblems, hostileCommand, hostileQuery, hostileValue, isTypedCode, prototypeKeys, prototypePolluted, queryAnswerProblems } from './helpers/hostile.ts';

const dir = createTempDataDir('fuzz-ipc');
const ourFrame: FrameLike = { url: 'app://waybill/index.html', processId: 7, routingId: 1 };
const fromUs = { senderFrame: ourFrame };
let waybill: TestCore;
let handlers: Record<InvokeMethod, IpcHandlerEntry>;
const prototypeBefore = prototypeKeys();

/** Values structured clone carries over IPC besides JSON: NaN, infinities, undefined, BigInt, dates, maps. */
const ipcValue = fc.oneof(hostileValue, fc.constantFrom(Number.NaN, Infinity, -Infinity, undefined), fc.bigInt(), fc.date(), fc.constant(new Map([['a', 1]])));
const extraArgs = fc.array(ipcValue, { maxLength: 2 });

beforeAll(async () => {
  waybill = await openTestCore({ dataDir: dir.path, projectors: 'inline', backgroundCheckpoints: false });
  await seedHistory(waybill, { events: 2000, seed: 4 });
  await waybill.core.catchUpAll();
  const entries = createIpcHandlers(waybill.api, createSenderCheck(() => ourFrame));
  handlers = Object.fromEntries(entries.map((entry) => [entry.method, entry])) as Record<InvokeMethod, IpcHandlerEntry>;
}, 60_000);
afterAll(async () => {
  await waybill?.close();
  dir.remove();
});

describe('hostile input over the IPC handler table', () => {
  it('commands: a typed error or a valid result, nothing appended on rejection', async () => {
    await fc.assert(
      fc.asyncProperty(hostileCommand, fc.option(extraArgs, { nil: undefined }), async (input, extra) => {
        const before = waybill.head();
        const answer = await handlers.command.handle(fromUs, input, ...(extra ?? []));
        const problems = commandAnswerProblems(answer, before, waybill.head());
        if (extra && extra.length > 0) expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
        expect(problems).toEqual([]);
        expect(prototypePolluted()).toBe(false);
      }),
      { numRuns: 300 },
    );
    expect(prototypeKeys()).toEqual(prototypeBefore);
  });

  it('queries: a typed VALIDATION error or data within the row cap, never an append', async () => {
    await fc.assert(
      fc.asyncProperty(hostileQuery, ipcValue, async ({ name, params, options }, odd) => {
        const before = waybill.head();
        const answers = [await handlers.query.handle(fromUs, name, params, options), await handlers.query.handle(fromUs, name, odd)];
        for (const answer of answers) expect(queryAnswerProblems(answer)).toEqual([]);
        expect(waybill.head()).toBe(before);
        expect(prototypePolluted()).toBe(false);
      }),
      { numRuns: 300 },
    );
    expect(prototypeKeys()).toEqual(prototypeBefore);
  });

  it('the core API itself, with no handler in front: the same guarantees for commands and queries', async () => {
    type AnyQuery = (name: unknown, params: unknown, options?: unknown) => Promise<unknown>;
    const query = waybill.api.query as unknown as AnyQuery;
    await fc.assert(
      fc.asyncProperty(hostileCommand, hostileQuery, async (input, { name, params, options }) => {
        const before = waybill.head();
        const answer = await waybill.command(input as never);
        expect(commandAnswerProblems(answer, before, waybill.head())).toEqual([]);
        const after = waybill.head();
        expect(queryAnswerProblems(await query(name, params, options))).toEqual([]);
        expect(waybill.head()).toBe(after);
        expect(prototypePolluted()).toBe(false);
      }),
      { numRuns: 300 },
    );
    expect(prototypeKeys()).toEqual(prototypeBefore);
  });

  it('rebuild, cancelRebuild, deadLetter, seed and verify with hostile arguments: typed answers or rejections, never a crash', async () => {
    const methods: InvokeMethod[] = ['rebuild', 'cancelRebuild', 'deadLetter', 'seed', 'verify'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methods), fc.array(ipcValue, { minLength: 1, maxLength: 3 }), async (method, args) => {
        const before = waybill.head();
        const answer = await handlers[method].handle(fromUs, ...args).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        if ('error' in answer) {
          // Only the two methods without an error shape reject, and with a plain Error.
          expect(['verify', 'cancelRebuild']).toContain(method);
          expect(answer.error).toBeInstanceOf(Error);
        } else {
          const body = answer.value as { ok?: boolean; error?: { code?: string } };
          if (body.ok === false) expect(isTypedCode(body.error?.code) && body.error?.code !== 'INTERNAL').toBe(true);
          if (method !== 'seed' || body.ok !== true) expect(waybill.head()).toBe(before);
        }
        expect(prototypePolluted()).toBe(false);
      }),
      { numRuns: 120 },
    );
    expect(prototypeKeys()).toEqual(prototypeBefore);
    expect((await waybill.verify()).ok).toBe(true);
  });
});
