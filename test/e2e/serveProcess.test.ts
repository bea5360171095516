// `waybill serve` as a user starts it runs the core in a process of its own: the serve process
// carries bytes and holds no database; the page acts as the person who started serve, in browser
// mode, and cannot say otherwise; and the core never outlives serve, however serve ends.
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callPath, type OperationName } from '../../db/contract/index.ts';
import { startCli } from '../helpers/childProcesses.ts';
import { createTempDataDir, type TempDataDir } from '../helpers/tempDataDir.ts';
import { openTestCore } from '../helpers/testCore.ts';
import { goneWithin, hasProcfs, openFiles, processesWith, running, type ProcessInfo } from './procfs.ts';

const made: TempDataDir[] = [];
const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  for (const dir of made.splice(0)) dir.remove();
});

interface Served {
  dataDir: string;
  port: number;
  token: string;
  /** The core process, and the serve process that started it (its parent). */
  core: ProcessInfo;
  serve: ProcessInfo;
  /** Signals `waybill serve` as a terminal would (its launcher passes it on), and resolves once it has exited. */
  stop(signal: NodeJS.Signals): Promise<unknown>;
  exited: Promise<unknown>;
  call(operation: OperationName | string, input: unknown): Promise<{ status: number; body: unknown }>;
}

async function startServe(label: string): Promise<Served> {
  const dir = createTempDataDir(label);
  made.push(dir);
  const dataDir = dir.file('data');
  const started = startCli(['serve', '--json', '--port', '0', '--data', dataDir]);
  stops.push(() => started.stop('SIGTERM'));
  const printed = JSON.parse(await started.firstLine()) as { url: string; port: number };
  const token = new URL(printed.url).searchParams.get('token')!;
  // Serve prints its address once the core process has opened the folder: it is running now.
  const cores = processesWith('coreProcess.cjs', dataDir);
  expect(cores).toHaveLength(1);
  const core = cores[0]!;
  const serve = processesWith('waybill.mjs', 'serve', dataDir).find((p) => p.pid === core.parent);
  expect(serve, 'the core process is a child of a serve process').toBeDefined();
  return {
    dataDir,
    port: printed.port,
    token,
    core,
    serve: serve!,
    stop: (signal) => started.stop(signal),
    exited: started.exited,
    async call(operation, input) {
      const response = await fetch(`http://127.0.0.1:${printed.port}${callPath(operation as OperationName)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-waybill-token': token },
        body: JSON.stringify(input),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    },
  };
}

/** The log and read-model files of `dataDir` among what a process holds open (SQLite's -wal and -shm files included). */
const databasesOf = (pid: number, dataDir: string) =>
  openFiles(pid).filter((file) => file.startsWith(join(dataDir, 'events.db')) || (file.startsWith(join(dataDir, 'read')) && /\.db(-wal|-shm)?$/.test(file)));

describe.runIf(hasProcfs)('waybill serve and its core process', () => {
  it('runs the core in a process of its own: serve holds no database of the folder, the core process holds the log and the read models', async () => {
    const served = await startServe('serve-fds');
    // A read answered, so the core's read-model connections are open too.
    expect(await served.call('parcels.list', { params: {} })).toMatchObject({ status: 200, body: { ok: true, data: { total: 0 } } });
    const serveProcesses = processesWith('waybill.mjs', 'serve', served.dataDir);
    expect(serveProcesses.map((p) => p.pid)).toContain(served.serve.pid);
    for (const serve of serveProcesses) expect([serve.pid, databasesOf(serve.pid, served.dataDir)]).toEqual([serve.pid, []]);
    const held = databasesOf(served.core.pid, served.dataDir);
    expect(held).toContain(join(served.dataDir, 'events.db'));
    expect(held.some((file) => /\/read\/parcel_summary[^/]*\.db$/.test(file))).toBe(true);
  }, 60_000);

  it('records the page’s calls as the user who started serve, in browser mode, which the page cannot change', async () => {
    const served = await startServe('serve-session');
    const depot = { type: 'RegisterDepot', payload: { depotId: 'north', name: 'North Hub', region: 'north' } };
    for (const field of [{ actor: 'mallory' }, { surface: 'cli' }, { session: { actor: 'mallory', surface: 'cli' } }, { deviceId: 'another-laptop' }]) {
      const key = Object.keys(field)[0]!;
      expect(await served.call('command', { ...depot, ...field })).toEqual({
        status: 200,
        body: { ok: false, error: { code: 'VALIDATION', field: key, message: `Unknown field: ${key}.` } },
      });
    }
    const recorded = await served.call('command', depot);
    expect(recorded).toMatchObject({ status: 200, body: { ok: true, events: [{ type: 'DepotRegistered' }] } });
    const position = (recorded.body as { position: number }).position;
    const event = await served.call('event.get', { params: { position }, options: { minPosition: position, timeoutMs: 20_000 } });
    expect(event).toMatchObject({ status: 200, body: { ok: true, freshness: { stale: false }, data: { actor: userInfo().username, deviceId: expect.stringMatching(/^[0-9a-f-]{36}$/) } } });
    // Browser mode, whatever the page would like: the command line's file operations are not for it.
    for (const [operation, input] of [['backup', { to: join(served.dataDir, 'copy.db') }], ['export', { to: join(served.dataDir, 'all.ndjson') }]] as const) {
      expect(await served.call(operation, input)).toEqual({
        status: 200,
        body: { ok: false, error: { code: 'FORBIDDEN', message: `${operation} is only available from cli, not from the browser.` } },
      });
    }
  }, 60_000);

  it('killed outright (SIGKILL), leaves no core process behind: the core closes when its parent’s channel goes, and the folder opens and verifies', async () => {
    const served = await startServe('serve-killed');
    const recorded = await served.call('command', { type: 'RecordWeather', payload: { region: 'north', condition: 'rain' } });
    expect(recorded).toMatchObject({ status: 200, body: { ok: true } });
    process.kill(served.serve.pid, 'SIGKILL');
    expect(await goneWithin(served.core.pid, 15_000)).toBe(true);
    await served.exited;

    const reopened = await openTestCore({ dataDir: served.dataDir, projectors: 'inline' });
    try {
      expect(reopened.head()).toBe((recorded.body as { position: number }).position);
      expect(await reopened.verify()).toMatchObject({ ok: true });
    } finally {
      await reopened.close();
    }
  }, 60_000);

  it('stopped with SIGTERM, closes its core process before it exits', async () => {
    const served = await startServe('serve-stopped');
    expect(running(served.core.pid)).toBe(true);
    expect(await served.stop('SIGTERM')).toMatchObject({ code: 0, stderr: '' });
    expect(running(served.core.pid)).toBe(false);
  }, 60_000);
});
