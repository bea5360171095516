// The built main bundle, run under plain Node with a recording stand-in for `electron`
// (fakeElectron.ts, driven by driveMain.ts): the wiring between Electron, the core and the window.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../electron/contentSecurity.ts';
import { secureWebPreferences } from '../../electron/windowOptions.ts';
import { relaunchedFlag, relaunchedMarker } from '../../db/runtime/mallocArenas.ts';

let scratch: string;
interface Fork {
  modulePath: string;
  serviceName: string;
  data: Record<string, unknown> | null;
}
let report: Record<string, unknown> & { userData: string; forks: Fork[]; databases: { main: string[]; core: string[] } };

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'waybill-main-'));
  // As the relaunched app runs: with the allocator limit set (see the relaunch test below).
  report = driveMain(scratch, { MALLOC_ARENA_MAX: '2' }) as typeof report;
}, 180_000);

function driveMain(dir: string, extraEnv: Record<string, string>, ...args: string[]): Record<string, unknown> {
  const { WAYBILL_USER_DATA: _u, MALLOC_ARENA_MAX: _a, [relaunchedMarker]: _r, ...env } = process.env;
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'driveMain.ts'), dir, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...env, ...extraEnv } });
  const line = run.stdout.split('\n').find((text) => text.startsWith('REPORT '));
  if (run.status !== 0 || !line) throw new Error(`the main process run failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(line.slice('REPORT '.length)) as Record<string, unknown>;
}

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the main process (built bundle, stand-in electron)', () => {
  it('keeps data in the per-user folder of a development build', () => {
    expect(report.userData).toBe(join(scratch, 'appData', 'Waybill (development)'));
    expect(report.dataFiles).toBe(true);
  });

  it('registers app:// as a privileged standard scheme and serves the renderer with the CSP', () => {
    expect(report.privilegedSchemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(report.page).toEqual({ status: 200, csp: contentSecurityPolicy, type: 'text/html; charset=utf-8', body: '<!doctype html><title>Waybill</title>' });
    expect(report.escapeStatus).toBe(403);
  });

  it('opens one window with the hardened preferences on app://waybill/index.html', () => {
    expect(report.webPreferences).toEqual(secureWebPreferences(join(scratch, 'dist/electron/preload.cjs'), { devTools: true }));
    expect(report.loadedUrl).toBe('app://waybill/index.html');
  });

  it('runs the core in a utility process of its own, handed the bundled entries and migrations as options, and opens no database itself', () => {
    const core = report.forks[0]!;
    expect(core).toMatchObject({
      modulePath: join(scratch, 'dist/electron/coreProcess.cjs'),
      serviceName: 'Waybill core',
      data: { jobs: 'parent', files: { entries: join(scratch, 'dist/electron'), migrations: join(scratch, 'dist/electron/migrations') } },
    });
    expect(report.databases.main).toEqual([]);
    if (process.platform === 'linux') expect(report.databases.core).toContain('events.db');
  });

  it("hands our window a channel straight to the core (and a foreign frame none); calls on it are the window's session's", () => {
    expect(report.foreignPort).toBe(false);
    expect(report.command).toMatchObject({ ok: true, position: 1 });
    expect(report.query).toMatchObject({ ok: true, data: [{ depotId: 'D1' }], freshness: { stale: false } });
    // Who recorded it is the session main bound to the channel (the OS user, at the desktop), never the window's say.
    expect(report.recorded).toMatchObject({ ok: true, data: { rows: [{ position: 1, actor: userInfo().username, deviceId: expect.stringMatching(/^[0-9a-f-]{36}$/) }] } });
    expect(report.chosenActor).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'actor' } });
    expect(report.forbidden).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(report.heads).toBeGreaterThan(0);
  });

  it('starts rebuild jobs as utility processes on the core process\'s request, and the result serves', () => {
    expect(report.rebuild).toEqual({ ok: true });
    expect(report.afterRebuild).toMatchObject({ ok: true, data: [{ depotId: 'D1' }] });
    expect(report.forks.slice(1)).toEqual([
      { modulePath: join(scratch, 'dist/electron/projector.cjs'), serviceName: 'Waybill projector job', data: expect.objectContaining({ mode: 'rebuild', name: 'depot_board' }) },
    ]);
  });

  it('denies navigation, window.open, permissions and network requests', () => {
    expect(report.navigationPrevented).toBe(true);
    expect(report.windowOpen).toEqual({ action: 'deny' });
    expect(report.permission).toBe(false);
    expect(report.networkCancelled).toBe(true);
  });

  it('shuts down gracefully: the first quit waits for the core process to close and exit, then quits; no listener is left', () => {
    expect(report.quitCalls).toBe(2);
    expect(report.coreExit).toBe(0);
    expect(report.listenersAfterQuit).toBe(0);
    expect(report.errors).toEqual([]);
  });

  it('remembers the window bounds', () => {
    expect(report.windowState).toEqual({ bounds: { x: 40, y: 30, width: 1111, height: 777 }, maximized: false });
  });

  it.runIf(process.platform === 'linux')('on Linux without the allocator limit, asks to start again with it (and a flag against a loop) and does nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'waybill-main-relaunch-'));
    try {
      const relaunch = driveMain(dir, {}, 'expect-relaunch');
      expect(relaunch.exitCode).toBe(0);
      expect(relaunch.arenaLimit).toBe('2');
      expect(relaunch.relaunches).toEqual([{ args: [expect.stringContaining('driveMain.ts'), dir, 'expect-relaunch', relaunchedFlag] }]);
      expect(relaunch).toMatchObject({ privilegedSchemes: [], utilityForks: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
