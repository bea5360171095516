// The core in a process of its own (db/core/process/), as `waybill serve` and the desktop app run
// it: real child processes. Calls carry the host's session; push messages come back; a folder that
// cannot be opened fails the start with its typed error; a core that dies answers what was pending
// with UNAVAILABLE; and where only the host may start processes (Electron), jobs start there.
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../db/contract/index.ts';
import { startCoreProcess, type CoreProcess } from '../../db/core/process/startCoreProcess.ts';
import { defaultBuiltFiles } from '../../db/runtime/builtFiles.ts';
import { nodeProcessLauncher, startDataFlag, type ProcessLauncher } from '../../db/runtime/processLauncher.ts';
import { createTempDataDir, type TempDataDir } from '../helpers/tempDataDir.ts';
import { projections } from '../../db/projections/index.ts';

const browser: Session = { actor: 'ana', surface: 'browser' };
const made: TempDataDir[] = [];
const running: CoreProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((core) => core.close()));
  for (const dir of made.splice(0)) dir.remove();
});
const folder = () => {
  const dir = createTempDataDir('core-process');
  made.push(dir);
  return dir;
};
async function start(dataDir: string, jobLauncher?: ProcessLauncher): Promise<CoreProcess> {
  const core = await startCoreProcess({ launcher: nodeProcessLauncher, ...(jobLauncher ? { jobLauncher } : {}), core: { dataDir, files: defaultBuiltFiles() } });
  running.push(core);
  return core;
}
const depot = (depotId: string) => ({ type: 'RegisterDepot', payload: { depotId, name: `Depot ${depotId}`, region: 'north' } });

describe('the core process', () => {
  it("answers calls as the host's session, in another process, and pushes what changed", async () => {
    const core = await start(folder().path);
    expect(core.pid).not.toBe(process.pid);
    const heads: number[] = [];
    core.listen('head', (message) => heads.push(message.head));
    expect(await core.call(browser, 'command', depot('D1'))).toMatchObject({ ok: true, position: 1 });
    expect(await core.call(browser, 'event.get', { params: { position: 1 }, options: { minPosition: 1, timeoutMs: 10_000 } })).toMatchObject({
      ok: true,
      data: { actor: 'ana', deviceId: core.deviceId },
    });
    expect(await core.call(browser, 'backup', { to: '/tmp/x.db' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await expect.poll(() => heads).toContain(1);
  });

  it('fails to start with the typed error of a folder it cannot open, and leaves no process behind', async () => {
    const dir = folder();
    writeFileSync(dir.file('events.db'), 'this is not a database');
    await expect(start(dir.path)).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/restore/) });
  });

  it('answers every call still pending with UNAVAILABLE when the core process dies, and says it has gone', async () => {
    const core = await start(folder().path);
    // Waits for a position the log will not reach: still pending when the process dies.
    const pending = core.call(browser, 'depots.board', { options: { minPosition: 999, timeoutMs: 30_000 } });
    expect(await core.call(browser, 'projections.status', {})).toMatchObject({ ok: true });
    process.kill(core.pid!, 'SIGKILL');
    expect(await core.exited).toBe(137);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', retryable: true } });
    expect(await core.call(browser, 'depots.board', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', retryable: true } });
  });

  it('closes gracefully: the process exits by itself with 0', async () => {
    const core = await startCoreProcess({ launcher: nodeProcessLauncher, core: { dataDir: folder().path, files: defaultBuiltFiles() } });
    await core.close();
    expect(await core.exited).toBe(0);
  });

  it('starts rebuild jobs through its host when told the host alone can (Electron), relays their messages, and the rebuild serves', async () => {
    const jobs: { entryFile: string; data: unknown }[] = [];
    const recording: ProcessLauncher = (entryFile, args) => {
      const flag = args.find((arg) => arg.startsWith(startDataFlag))!;
      jobs.push({ entryFile, data: JSON.parse(flag.slice(startDataFlag.length)) });
      return nodeProcessLauncher(entryFile, args);
    };
    const core = await start(folder().path, recording);
    expect(await core.call(browser, 'command', depot('D1'))).toMatchObject({ ok: true });
    expect(await core.call(browser, 'rebuild', { projection: 'depot_board' })).toEqual({ ok: true });
    expect(jobs).toEqual([{ entryFile: expect.stringMatching(/projector\.cjs$/), data: expect.objectContaining({ mode: 'rebuild', name: 'depot_board' }) }]);
    expect(await core.call(browser, 'depots.board', { options: { minPosition: 1, timeoutMs: 10_000 } })).toMatchObject({ ok: true, data: [{ depotId: 'D1' }] });
    const verified = await core.call(browser, 'verify', {});
    expect(verified).toMatchObject({ ok: true, report: { ok: true } });
    expect(jobs.filter((job) => (job.data as { mode: string }).mode === 'verify')).toHaveLength(projections.length);
  });
});
