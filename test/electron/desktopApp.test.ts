// End to end in the real desktop shell, driven by Playwright's _electron. It needs the Electron
// binary (and a display on Linux: run under xvfb-run); where either is missing it is skipped and
// its name says why.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WaybillTransport } from '../../db/contract/index.ts';
import { buildDesktop, projectRoot } from '../../electron/build/build.ts';
import { findElectronBinary } from '../../electron/build/electronBinary.ts';
import { stageNativeModules } from '../../electron/build/nativeModules.ts';
import { contentSecurityPolicy } from '../../electron/contentSecurity.ts';

const binary = findElectronBinary(projectRoot);
const needsDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const skipReason = !binary.found ? 'electron binary not downloadable in this environment' : needsDisplay ? 'no display for Electron (run under xvfb-run)' : null;
const hasElectron = skipReason === null;
const named = (behaviour: string) => (skipReason ? `${behaviour} [skipped: ${skipReason}]` : behaviour);

type PageWithApi = { waybill?: WaybillTransport & { watchConnection: unknown }; require?: unknown; process?: unknown };

describe('the desktop app (Playwright _electron)', () => {
  it.skipIf(!hasElectron)(
    named('opens one hardened window on app://waybill, answers through window.waybill over its channel to the core process, rebuilds in a utility process, refuses to leave, and shuts down cleanly'),
    async () => {
      if (!binary.found) return;
      const built = await buildDesktop();
      await stageNativeModules(projectRoot, join(built.outDir, 'electron'), { kind: 'electron', version: binary.version, platform: process.platform, arch: process.arch });
      const userData = mkdtempSync(join(tmpdir(), 'waybill-electron-'));
      // With the arena limit already set the app does not relaunch itself (away from Playwright) on Linux.
      const app = await _electron.launch({ executablePath: binary.path, args: [projectRoot], env: { ...process.env, MALLOC_ARENA_MAX: '2', WAYBILL_USER_DATA: userData } });
      try {
        const page = await app.firstWindow();
        await page.waitForLoadState('domcontentloaded');
        expect(page.url()).toMatch(/^app:\/\/waybill\//);

        const loaded = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((window) => window.webContents.getURL()));
        expect(loaded).toEqual([page.url()]);

        const globals = await page.evaluate(() => {
          const scope = globalThis as PageWithApi;
          return {
            require: typeof scope.require,
            process: typeof scope.process,
            ipcRenderer: typeof (globalThis as { ipcRenderer?: unknown }).ipcRenderer,
            waybill: Object.keys(scope.waybill ?? {}).sort(),
          };
        });
        expect(globals).toEqual({
          require: 'undefined',
          process: 'undefined',
          ipcRenderer: 'undefined',
          waybill: ['call', 'listen', 'watchConnection'],
        });

        const status = await page.evaluate(() => (globalThis as PageWithApi).waybill!.call('projections.status', {}));
        expect(status).toMatchObject({ ok: true, data: { writeRefusal: null } });
        // A rebuild runs in an Electron utility process that main starts on the core's request, and swaps in.
        const rebuilt = await page.evaluate(() => (globalThis as PageWithApi).waybill!.call('rebuild', { projection: 'depot_board' }));
        expect(rebuilt).toEqual({ ok: true });
        const rejected = await page.evaluate(() => (globalThis as PageWithApi).waybill!.call('command', { type: 'RegisterDepot', payload: { depotId: '' } } as never));
        expect(rejected).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
        // The core runs in a utility process of its own, not in main.
        const processes = await app.evaluate(({ app: electronApp }) => electronApp.getAppMetrics().map((metric) => ({ type: metric.type, name: metric.name ?? null })));
        expect(processes).toContainEqual({ type: 'Utility', name: 'Waybill core' });

        const csp = await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
        expect(csp).toBe(contentSecurityPolicy);

        expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
        await page.evaluate(() => {
          location.href = 'https://example.com/';
        });
        await page.waitForTimeout(500);
        expect(page.url()).toMatch(/^app:\/\/waybill\//);
        expect(app.windows()).toHaveLength(1);

        mkdirSync(join(projectRoot, 'test-results'), { recursive: true });
        await page.screenshot({ path: join(projectRoot, 'test-results', 'electron-window.png') });
      } finally {
        await app.close();
      }
      expect(existsSync(join(userData, 'data', 'events.db'))).toBe(true);
      expect(existsSync(join(userData, 'window-state.json'))).toBe(true);
    },
    300_000,
  );
});
