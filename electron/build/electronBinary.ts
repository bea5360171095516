// Finds the Electron runtime without `require('electron')`, which would try to download it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronBinary = { found: true; path: string; version: string } | { found: false; version: string | null; missing: string };

export function findElectronBinary(projectRoot: string, env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const packageDir = join(projectRoot, 'node_modules', 'electron');
  if (!existsSync(join(packageDir, 'package.json'))) {
    return { found: false, version: null, missing: 'the electron package (node_modules/electron); run `npm install`' };
  }
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist');
  if (relative === null && !env.ELECTRON_OVERRIDE_DIST_PATH) {
    return { found: false, version, missing: `the Electron ${version} binary (node_modules/electron/path.txt and dist/ are absent)` };
  }
  const binary = join(distDir, relative ?? 'electron');
  if (!existsSync(binary)) return { found: false, version, missing: `the Electron ${version} binary (${binary} does not exist)` };
  return { found: true, path: binary, version };
}

export function missingElectronMessage(binary: Extract<ElectronBinary, { found: false }>): string {
  return [
    'waybill: cannot start the desktop app: the Electron runtime is missing.',
    `  Missing: ${binary.missing}.`,
    '  The Electron binary could not be downloaded: Electron fetches it from GitHub releases (not the npm registry), and that download failed or was skipped here.',
    '  Run `npm run serve` for the browser mode: the same console and core, served on 127.0.0.1.',
    '  For the desktop app, on a machine with internet access run `npx install-electron`, then `npm start` again.',
  ].join('\n');
}
