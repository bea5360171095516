// The IPC handler table, enumerated without Electron: one handler per contract method, every call
// checked for its sender and its payload before the core sees it.
import { describe, expect, it, vi } from 'vitest';
import type { PushMessages, PushTopic, WaybillApi } from '../../db/contract/index.ts';
import { invokeChannels, pushChannel, pushTopics, type InvokeMethod } from '../../electron/channels.ts';
import { createIpcHandlers, forwardPushMessages, UntrustedSenderError, type CoreCalls, type IpcHandlerEntry } from '../../electron/ipc.ts';
import { createSenderCheck, type FrameLike } from '../../electron/senderCheck.ts';

const ourFrame: FrameLike = { url: 'app://waybill/index.html#/parcels', processId: 4, routingId: 1 };
const fromUs = { senderFrame: ourFrame };

function fakeCore(): CoreCalls & { calls: string[] } {
  const calls: string[] = [];
  const record = <R>(name: string, answer: R) => async () => {
    calls.push(name);
    return answer;
  };
  return {
    calls,
    command: record('command', { ok: true as const, commandId: 'c1', position: 1, events: [], duplicate: false }),
    query: record('query', { ok: true, data: [], freshness: { readModel: null, position: 0, head: 0, lag: 0, stale: false } }) as CoreCalls['query'],
    rebuild: record('rebuild', { ok: true as const }),
    cancelRebuild: record('cancelRebuild', { ok: true as const }),
    verify: record('verify', { ok: true, log: { head: 0, gapless: true, guards: true, integrity: 'ok', chain: { ok: true, firstBadPosition: null } }, readModels: [] }),
    deadLetter: record('deadLetter', { ok: true as const }),
    seed: record('seed', { ok: true as const, events: 100, head: 100 }),
  };
}

function table(core = fakeCore()) {
  const refused: string[] = [];
  const entries = createIpcHandlers(core, createSenderCheck(() => ourFrame), { onRefused: (method, reason) => refused.push(`${method}:${reason}`) });
  const byMethod = Object.fromEntries(entries.map((entry) => [entry.method, entry])) as Record<InvokeMethod, IpcHandlerEntry>;
  return { core, entries, byMethod, refused };
}

/** One valid argument list per method. */
const validCalls: Record<InvokeMethod, unknown[]> = {
  command: [{ type: 'RegisterDepot', payload: { depotId: 'D1', name: 'North', region: 'north' } }],
  query: ['parcels.list', { limit: 10 }, { minPosition: 3 }],
  rebuild: [{ projection: 'parcel_summary' }],
  cancelRebuild: [{}],
  verify: [],
  deadLetter: [{ projection: 'parcel_summary', position: 7, action: 'retry' }],
  seed: [{ events: 500, seed: 2 }],
};

describe('the IPC handler table', () => {
  it('has exactly one handler per WaybillApi method (all but subscribe), each on its own channel', () => {
    const { entries } = table();
    const methods = entries.map((entry) => entry.method).sort();
    expect(methods).toEqual(['cancelRebuild', 'command', 'deadLetter', 'query', 'rebuild', 'seed', 'verify']);
    expect(new Set(entries.map((entry) => entry.channel)).size).toBe(entries.length);
    for (const entry of entries) expect(entry.channel).toBe(invokeChannels[entry.method]);
  });

  it('passes a valid call from our window to the core', async () => {
    const { byMethod, core } = table();
    for (const [method, args] of Object.entries(validCalls) as [InvokeMethod, unknown[]][]) {
      await expect(byMethod[method].handle(fromUs, ...args)).resolves.toMatchObject({ ok: true });
    }
    expect(core.calls.sort()).toEqual(['cancelRebuild', 'command', 'deadLetter', 'query', 'rebuild', 'seed', 'verify']);
  });

  it.each([
    ['a subframe of our window', { ...ourFrame, routingId: 2 }],
    ['another renderer process', { ...ourFrame, processId: 9 }],
    ['our frame after it navigated to a web page', { ...ourFrame, url: 'https://evil.example/' }],
    ['our frame showing a file:// page', { ...ourFrame, url: 'file:///etc/passwd' }],
    ['an app:// page of another host', { ...ourFrame, url: 'app://other/index.html' }],
  ])('refuses every method when the caller is %s, and never calls the core', async (_name, frame) => {
    const { entries, core, refused } = table();
    for (const entry of entries) {
      await expect(entry.handle({ senderFrame: frame }, ...validCalls[entry.method])).rejects.toBeInstanceOf(UntrustedSenderError);
    }
    expect(core.calls).toEqual([]);
    expect(refused).toHaveLength(entries.length);
  });

  it('refuses a call whose frame is gone, or before our window exists', async () => {
    const gone = table();
    await expect(gone.byMethod.verify.handle({ senderFrame: null })).rejects.toBeInstanceOf(UntrustedSenderError);
    const noWindow = createIpcHandlers(fakeCore(), createSenderCheck(() => null));
    await expect(noWindow[0]!.handle(fromUs, ...validCalls[noWindow[0]!.method])).rejects.toBeInstanceOf(UntrustedSenderError);
  });

  it.each<[InvokeMethod, unknown[], string | undefined]>([
    ['command', [{ type: 'DropTable', payload: {} }], 'type'],
    ['command', [{ type: 'RegisterDepot', payload: { depotId: 'D1', name: 'North', region: 'north' }, __proto__: { admin: true }, extra: 1 }], undefined],
    ['command', [{ type: 'RegisterDepot', payload: {} }, 'second argument'], undefined],
    ['query', ['events.raw_sql', {}], 'name'],
    ['query', ['parcels.list', { limit: 1_000_000 }], 'params.limit'],
    ['query', ['parcels.list', { constructor: { prototype: {} } }], undefined],
    ['query', ['parcels.list', {}, { minPosition: -1 }], 'options.minPosition'],
    ['rebuild', [{ projection: 'not_a_model' }], 'projection'],
    ['deadLetter', [{ projection: 'parcel_summary', position: 0, action: 'retry' }], 'position'],
    ['seed', [{ events: 1e9 }], 'events'],
    ['seed', ['x'.repeat(10_000)], undefined],
  ])('answers %s with a VALIDATION error for bad input %#, and never calls the core', async (method, args, field) => {
    const { byMethod, core, refused } = table();
    const answer = (await byMethod[method].handle(fromUs, ...args)) as { ok: boolean; error: { code: string; field?: string } };
    expect(answer.ok).toBe(false);
    expect(answer.error.code).toBe('VALIDATION');
    if (field) expect(answer.error.field).toBe(field);
    expect(core.calls).toEqual([]);
    expect(refused).toEqual([`${method}:payload`]);
    expect(Object.prototype).not.toHaveProperty('admin');
  });

  it('rejects a bad call to a method whose answer has no error shape (verify, cancelRebuild)', async () => {
    const { byMethod, core } = table();
    await expect(byMethod.verify.handle(fromUs, { sneaky: true })).rejects.toThrow();
    await expect(byMethod.cancelRebuild.handle(fromUs, { projection: 'nope' })).rejects.toThrow(/projection/);
    expect(core.calls).toEqual([]);
  });

  it('turns a core that throws into a typed error answer instead of a crash', async () => {
    const core = fakeCore();
    core.seed = async () => {
      throw Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' });
    };
    const { byMethod } = table(core);
    await expect(byMethod.seed.handle(fromUs, { events: 100 })).resolves.toMatchObject({ ok: false, error: { code: 'STORAGE_FULL' } });
  });

  it('passes the parsed params (defaults filled in) to the core', async () => {
    const core = fakeCore();
    const query = vi.fn(core.query);
    core.query = query as CoreCalls['query'];
    await table(core).byMethod.query.handle(fromUs, 'parcels.list', {});
    expect(query).toHaveBeenCalledWith('parcels.list', { sort: 'updated', limit: 100 }, undefined);
  });
});

describe('push forwarding', () => {
  it('forwards every push topic on its own channel and stops when asked', () => {
    const listeners = new Map<PushTopic, (message: unknown) => void>();
    const subscribe: WaybillApi['subscribe'] = (topic, listener) => {
      listeners.set(topic, listener as (message: unknown) => void);
      return () => listeners.delete(topic);
    };
    const sent: [string, unknown][] = [];
    const stop = forwardPushMessages(subscribe, (channel, message) => sent.push([channel, message]));
    expect([...listeners.keys()].sort()).toEqual([...pushTopics].sort());
    const head: PushMessages['head'] = { head: 5, appendedPerSecond: 1 };
    listeners.get('head')!(head);
    expect(sent).toEqual([[pushChannel('head'), head]]);
    stop();
    expect(listeners.size).toBe(0);
  });
});
