import { homedir } from 'node:os';
import { join } from 'node:path';

/** The per-user data folder; the desktop app uses the same (Electron's userData + /data). WAYBILL_DATA overrides. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.WAYBILL_DATA) return env.WAYBILL_DATA;
  const home = homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Waybill', 'data');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Waybill', 'data');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Waybill', 'data');
}

export const logPathIn = (dataDir: string) => join(dataDir, 'events.db');
