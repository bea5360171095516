// The BrowserWindow settings, per Electron's security checklist. Pure: only types come from electron.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import type { WindowBounds } from './windowState.ts';

export function secureWebPreferences(preloadPath: string, options: { devTools: boolean }): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: options.devTools,
  };
}

export function mainWindowOptions(bounds: WindowBounds, preloadPath: string, options: { devTools: boolean }): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    minWidth: 900,
    minHeight: 600,
    title: 'Waybill',
    show: false,
    backgroundColor: '#111418',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preloadPath, options),
  };
}
