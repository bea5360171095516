// The built preload (dist/electron/preload.cjs) under a stand-in `electron` module: it asks main for
// the channel to the core once, exposes exactly call/listen/watchConnection as window.waybill, and
// carries calls and push messages over the port main handed it (Node's MessageChannel stands in
// for the renderer's). The page never gets ipcRenderer or the port.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FromCorePort, ToCorePort } from '../../db/contract/index.ts';
import { buildDesktop } from '../../electron/build/build.ts';
import { connectChannel, portChannel } from '../../electron/channels.ts';

let scratch: string;
let preload: { source: string; runtimeImports: string[] };
beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'waybill-preload-'));
  const built = await buildDesktop({ outDir: scratch, renderer: false });
  preload = { source: readFileSync(built.preload, 'utf8'), runtimeImports: built.runtimeImports['preload.cjs']! };
}, 60_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Exposed {
  call(operation: string, input: unknown): Promise<unknown>;
  listen(topic: string, listener: (message: unknown) => void): () => void;
  watchConnection(listener: (connected: boolean) => void): () => void;
}

/** Runs the bundle as Electron would, in a context of its own; returns what it exposed and what it sent main. */
function runPreload() {
  const exposed = new Map<string, unknown>();
  const sent: string[] = [];
  const once = new Map<string, (event: { ports: MessagePort[] }) => void>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
    ipcRenderer: {
      send: (channel: string) => sent.push(channel),
      once: (channel: string, listener: (event: { ports: MessagePort[] }) => void) => once.set(channel, listener),
    },
  };
  const module = { exports: {} };
  runInNewContext(preload.source, { module, exports: module.exports, require: (name: string) => (name === 'electron' ? electron : undefined) });
  const { port1: core, port2: window } = new MessageChannel();
  return { exposed, sent, handOver: () => once.get(portChannel)?.({ ports: [window] }), core };
}

describe('the preload', () => {
  it('loads nothing at run time but electron', () => {
    expect(preload.runtimeImports).toEqual(['electron']);
  });

  it('asks main for its channel once and exposes exactly call, listen and watchConnection as window.waybill', () => {
    const { exposed, sent } = runPreload();
    expect(sent).toEqual([connectChannel]);
    expect([...exposed.keys()]).toEqual(['waybill']);
    expect(Object.keys(exposed.get('waybill') as object).sort()).toEqual(['call', 'listen', 'watchConnection']);
  });

  it('carries a call made before the channel arrived, and its answer, over the port', async () => {
    const { exposed, handOver, core } = runPreload();
    const waybill = exposed.get('waybill') as Exposed;
    const seen: ToCorePort[] = [];
    core.on('message', (message: ToCorePort) => {
      seen.push(message);
      if (message.kind === 'call') core.postMessage({ kind: 'answer', id: message.id, answer: { ok: true, echoed: message.operation } } satisfies FromCorePort);
    });
    const answer = waybill.call('depots.board', {});
    handOver();
    await expect(answer).resolves.toEqual({ ok: true, echoed: 'depots.board' });
    expect(seen).toEqual([{ kind: 'call', id: 1, operation: 'depots.board', input: {} }]);
    core.close();
  });

  it('listens to a topic once over the port, delivers its messages, and says when the channel closes', async () => {
    const { exposed, handOver, core } = runPreload();
    const waybill = exposed.get('waybill') as Exposed;
    handOver();
    const heads: unknown[] = [];
    const connection: boolean[] = [];
    const listening = new Promise<ToCorePort>((resolve) => core.once('message', resolve));
    waybill.listen('head', (message) => heads.push(message));
    waybill.watchConnection((up) => connection.push(up));
    expect(await listening).toEqual({ kind: 'listen', topic: 'head' });
    core.postMessage({ kind: 'push', topic: 'head', message: { head: 3, appendedPerSecond: 0 } } satisfies FromCorePort);
    await expect.poll(() => heads).toEqual([{ head: 3, appendedPerSecond: 0 }]);
    core.close();
    await expect.poll(() => connection).toEqual([true, false]);
  });

  it('refuses an unknown topic or a listener that is not a function, in the page', () => {
    const waybill = runPreload().exposed.get('waybill') as Exposed;
    expect(() => waybill.listen('everything', () => undefined)).toThrow(/unknown push topic/);
    expect(() => waybill.listen('head', 'not a function' as never)).toThrow(/listener function/);
  });
});
