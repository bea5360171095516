// The built main bundle, run under plain Node with a recording stand-in for `electron`
// (fakeElectron.ts, driven by driveMain.ts): the wiring between Electron, the core and the window.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeChannels } from '../../electron/channels.ts';
import { contentSecurityPolicy } from '../../electron/contentSecurity.ts';
import { secureWebPreferences } from '../../electron/windowOptions.ts';
import { relaunchedFlag, relaunchedMarker } from '../../db/runtime/mallocArenas.ts';

let scratch: string;
let report: Record<string, unknown> & { environment: { migrations: string; workers: string }; userData: string };

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'waybill-main-'));
  // As the relaunched app runs: with the allocator limit set (see the relaunch test below).
  report = driveMain(scratch, { MALLOC_ARENA_MAX: '2' }) as typeof report;
}, 180_000);

function driveMain(dir: string, extraEnv: Record<string, string>, ...args: string[]): Record<string, unknown> {
  const { WAYBILL_MIGRATIONS_DIR: _m, WAYBILL_WORKER_DIR: _w, WAYBILL_USER_DATA: _u, MALLOC_ARENA_MAX: _a, [relaunchedMarker]: _r, ...env } = process.env;
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'driveMain.ts'), dir, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...env, ...extraEnv } });
  const line = run.stdout.split('\n').find((text) => text.startsWith('REPORT '));
  if (run.status !== 0 || !line) throw new Error(`the main process run failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(line.slice('REPORT '.length)) as Record<string, unknown>;
}

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the main process (built bundle, stand-in electron)', () => {
  it('keeps data in the per-user folder of a development build and points the core at the bundled migrations and workers', () => {
    expect(report.userData).toBe(join(scratch, 'appData', 'Waybill (development)'));
    expect(report.dataFiles).toBe(true);
    expect(report.environment).toEqual({ migrations: join(scratch, 'dist/electron/migrations'), workers: join(scratch, 'dist/electron') });
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

  it('handles every API method over IPC and refuses a foreign frame', () => {
    expect([...(report.channels as string[])].sort()).toEqual(Object.values(invokeChannels).sort());
    expect(report.command).toMatchObject({ resolved: { ok: true, position: 1 } });
    expect(report.foreign).toEqual({ rejected: 'waybill: command refused: the caller is not the Waybill window.' });
  });

  it('reads its own write through the worker-thread projectors (read-your-writes)', () => {
    expect(report.query).toMatchObject({ resolved: { ok: true, data: [{ depotId: 'D1' }], freshness: { stale: false } } });
  });

  it('forwards push messages to the window', () => {
    expect(report.pushChannels).toContain('waybill:push:head');
    // Rebuilds run in utility processes started from the bundled worker entry, and the result serves.
    expect(report.rebuild).toEqual({ resolved: { ok: true } });
    expect(report.afterRebuild).toMatchObject({ resolved: { ok: true, data: [{ depotId: 'D1' }] } });
    expect(report.jobs).toEqual([
      { modulePath: join(scratch, 'dist/electron/projectorWorker.js'), serviceName: 'Waybill projector job', job: expect.objectContaining({ mode: 'rebuild', name: 'depot_board' }) },
    ]);
  });

  it('denies navigation, window.open, permissions and network requests', () => {
    expect(report.navigationPrevented).toBe(true);
    expect(report.windowOpen).toEqual({ action: 'deny' });
    expect(report.permission).toBe(false);
    expect(report.networkCancelled).toBe(true);
  });

  it('shuts down gracefully: the first quit waits for the core to close, then quits; no handler is left', () => {
    expect(report.quitCalls).toBe(2);
    expect(report.handlersAfterQuit).toBe(0);
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
      expect(relaunch).toMatchObject({ privilegedSchemes: [], ipcHandlers: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
