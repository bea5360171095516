// Electron's security checklist, asserted on the pure parts of the shell (no Electron needed):
// window settings, the CSP, navigation and permission decisions, the app:// file resolver.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appEntryUrl, isAppUrl } from '../../electron/appOrigin.ts';
import { appPaths, isInside, userDataFolderName } from '../../electron/appPaths.ts';
import { resolveAppFile } from '../../electron/appProtocol.ts';
import { contentSecurityPolicy, securityHeaders } from '../../electron/contentSecurity.ts';
import { mayNavigate, mayUsePermission, windowOpenAction } from '../../electron/navigationPolicy.ts';
import { mainWindowOptions, secureWebPreferences } from '../../electron/windowOptions.ts';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe('the window', () => {
  const preferences = secureWebPreferences('/app/dist/electron/preload.cjs', { devTools: false });

  it('isolates the page: context isolation, sandbox, no Node anywhere', () => {
    expect(preferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('keeps web security on and the risky features off', () => {
    expect(preferences).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    });
    expect(preferences).not.toHaveProperty('enableBlinkFeatures');
    expect(preferences.preload).toBe('/app/dist/electron/preload.cjs');
  });

  it('uses the same preferences for the main window, with dev tools only when asked', () => {
    const options = mainWindowOptions({ width: 1000, height: 700 }, '/p.cjs', { devTools: true });
    expect(options.webPreferences).toEqual(secureWebPreferences('/p.cjs', { devTools: true }));
    expect(options.show).toBe(false);
  });

  it('loads its page from app://waybill, never file://', () => {
    expect(appEntryUrl).toBe('app://waybill/index.html');
    expect(isAppUrl(appEntryUrl)).toBe(true);
    const main = readFileSync(join(import.meta.dirname, '../../electron/main.ts'), 'utf8');
    expect(main).toContain('loadURL(appEntryUrl)');
    expect(main).not.toMatch(/loadFile|file:\/\//);
  });
});

describe('the Content-Security-Policy', () => {
  const csp = directives(contentSecurityPolicy);

  it('denies by default and allows scripts and styles only from the app itself', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('never allows inline or evaluated code, or a remote origin', () => {
    expect(contentSecurityPolicy).not.toMatch(/unsafe-inline|unsafe-eval|wasm-unsafe-eval|https?:|ws:|\*/);
  });

  it('is sent with every app:// answer, with nosniff', () => {
    expect(securityHeaders['content-security-policy']).toBe(contentSecurityPolicy);
    expect(securityHeaders['x-content-type-options']).toBe('nosniff');
  });
});

describe('navigation, new windows and permissions', () => {
  it.each(['https://example.com/', 'http://127.0.0.1:5177/', 'file:///etc/passwd', 'app://other/index.html', 'app://user@waybill/', 'javascript:alert(1)', 'data:text/html,hi', 'not a url'])(
    'refuses to navigate to %s',
    (url) => expect(mayNavigate(url)).toBe(false),
  );

  it('stays free to move within app://waybill', () => {
    expect(mayNavigate('app://waybill/index.html#/parcel/P1')).toBe(true);
  });

  it('denies window.open', () => {
    expect(windowOpenAction).toEqual({ action: 'deny' });
  });

  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb', 'openExternal', 'fullscreen'])('denies the %s permission', (permission) => {
    expect(mayUsePermission(permission)).toBe(false);
  });
});

describe('the app:// file resolver', () => {
  const root = '/opt/waybill/dist/renderer';

  it('serves index.html for the root and typed files below dist/renderer', () => {
    expect(resolveAppFile('app://waybill/', 'GET', root)).toEqual({ status: 200, file: `${root}/index.html`, contentType: 'text/html; charset=utf-8' });
    expect(resolveAppFile('app://waybill/assets/index-abc.js?v=1', 'GET', root)).toMatchObject({ status: 200, file: `${root}/assets/index-abc.js`, contentType: 'text/javascript; charset=utf-8' });
  });

  it.each([
    ['app://waybill/../../etc/passwd'],
    ['app://waybill/%2e%2e/%2e%2e/etc/passwd'],
    ['app://waybill/assets/..%2f..%2f..%2fsecret'],
    ['app://waybill/%2fetc%2fpasswd'],
  ])('never serves a file outside the renderer folder: %s', (url) => {
    const answer = resolveAppFile(url, 'GET', root);
    expect(answer.status !== 200 || isInside(answer.file, root)).toBe(true);
  });

  it('refuses other hosts, writes and malformed paths', () => {
    expect(resolveAppFile('app://evil/index.html', 'GET', root).status).toBe(403);
    expect(resolveAppFile('app://waybill/index.html', 'POST', root).status).toBe(405);
    expect(resolveAppFile('app://waybill/%E0%A4%A', 'GET', root).status).toBe(404);
    expect(resolveAppFile('app://waybill/a%00b', 'GET', root).status).toBe(404);
    expect(resolveAppFile('app://waybill/a%5C..%5Cb', 'GET', root).status).toBe(404);
  });
});

describe('where the app keeps things', () => {
  it('keeps data in the per-user folder, next to nothing of the install', () => {
    const paths = appPaths('/opt/Waybill/resources/app.asar/dist/electron', '/home/ana/.config/Waybill');
    expect(paths.dataDir).toBe('/home/ana/.config/Waybill/data');
    expect(isInside(paths.dataDir, '/opt/Waybill')).toBe(false);
    expect(paths.migrationsDir).toBe('/opt/Waybill/resources/app.asar/dist/electron/migrations');
    expect(paths.entriesDir).toBe('/opt/Waybill/resources/app.asar/dist/electron');
    expect(paths.rendererDir).toBe('/opt/Waybill/resources/app.asar/dist/renderer');
  });

  it('keeps a development build away from an installed app’s data', () => {
    expect(userDataFolderName(true)).toBe('Waybill');
    expect(userDataFolderName(false)).not.toBe('Waybill');
  });
});
