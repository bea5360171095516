// Where the desktop app keeps and finds things. Data lives in the per-user folder, never beside
// the program, so an upgrade (which replaces the install folder) keeps it.
import { isAbsolute, join, relative } from 'node:path';

export interface AppPaths {
  dataDir: string;
  windowStateFile: string;
  preload: string;
  rendererDir: string;
  /** The log's drizzle migrations, copied next to the main bundle by the build (inside app.asar when packaged). */
  migrationsDir: string;
  /** The bundled thread and process entries (`projector.cjs`, …) sit beside the main bundle. */
  entriesDir: string;
}

/** `mainDir` is the folder of the main bundle (dist/electron); `userData` is Electron's per-user folder. */
export function appPaths(mainDir: string, userData: string): AppPaths {
  return {
    dataDir: join(userData, 'data'),
    windowStateFile: join(userData, 'window-state.json'),
    preload: join(mainDir, 'preload.cjs'),
    rendererDir: join(mainDir, '..', 'renderer'),
    migrationsDir: join(mainDir, 'migrations'),
    entriesDir: mainDir,
  };
}

export function isInside(child: string, parent: string): boolean {
  const path = relative(parent, child);
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}

/** The folder name under the OS's app-data folder; a development build never touches an installed app's data. */
export function userDataFolderName(isPackaged: boolean): string {
  return isPackaged ? 'Waybill' : 'Waybill (development)';
}
