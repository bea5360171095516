// electron-builder.yml as electron-builder resolves and validates it: targets, files, asarUnpack,
// hooks, fuses, file associations, desktop entry, icons, and room for a publish provider later.
import { getCurrentFuseWire } from '@electron/fuses';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import type { Configuration, FileSet, TargetConfiguration } from 'electron-builder';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../electron/build/build.ts';
import { loadBuilderConfig } from '../../electron/build/builderConfig.ts';
import { afterPack, packagedExecutable, waybillFuses } from '../../electron/build/hooks.ts';
import { generateIcons, linuxSizes } from '../../electron/build/icons.ts';
import { electronDefaultFuses, fusesAfter, fusesOf, hardenedFuses } from './fuseChecklist.ts';
import { writeStandInElectron } from './standInElectron.ts';

let config: Configuration;
beforeAll(async () => {
  config = await loadBuilderConfig();
});

function targetNames(targets: unknown): string[] {
  return (Array.isArray(targets) ? targets : [targets]).map((target: string | TargetConfiguration) => (typeof target === 'string' ? target : target.target));
}

function filePatterns(): string[] {
  const files = (Array.isArray(config.files) ? config.files : [config.files]) as (string | FileSet)[];
  return files.flatMap((entry) => (typeof entry === 'string' ? [entry] : [entry.filter ?? []].flat()));
}

describe('electron-builder configuration', () => {
  it('names the app', () => {
    expect(config.appId).toBe('io.waybill.console');
    expect(config.productName).toBe('Waybill');
  });

  it('builds AppImage and deb for Linux, NSIS for Windows, dmg for macOS', () => {
    expect(targetNames(config.linux?.target)).toEqual(['AppImage', 'deb']);
    expect(targetNames(config.win?.target)).toEqual(['nsis']);
    expect(targetNames(config.mac?.target)).toEqual(['dmg']);
  });

  it('packs only the bundles into an asar, with native code unpacked', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    const patterns = filePatterns();
    expect(patterns).toEqual(expect.arrayContaining(['package.json', 'dist/electron/**/*', 'dist/renderer/**/*', 'dist/electron/node_modules/**/*', '!**/*.map']));
    expect(patterns.filter((pattern) => !pattern.startsWith('!') && pattern !== 'package.json' && !pattern.startsWith('dist/'))).toEqual([]);
  });

  it('leaves node_modules to the beforeBuild hook, and flips fuses in afterPack', async () => {
    expect(config.npmRebuild).not.toBe(false);
    for (const [hook, file] of [
      ['beforeBuild', config.beforeBuild],
      ['afterPack', config.afterPack],
    ] as const) {
      expect(typeof file).toBe('string');
      const path = join(projectRoot, file as string);
      expect(existsSync(path), path).toBe(true);
      const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
      expect(typeof module[hook]).toBe('function');
    }
  });

  it('turns off running as Node, NODE_OPTIONS and inspector flags, and turns on asar integrity and asar-only loading', () => {
    // What the hook asks for, over Electron's defaults, against the checklist written out in fuseChecklist.ts.
    expect(fusesAfter(waybillFuses)).toEqual(hardenedFuses);
    // Fuses are flipped in one place: electron-builder's own electronFuses would flip them a second time.
    expect(config.electronFuses ?? null).toBeNull();
  });

  it('flips those fuses in a packed Linux executable', async () => {
    const appOutDir = mkdtempSync(join(tmpdir(), 'waybill-fuses-'));
    writeStandInElectron(appOutDir, '0.0.0');
    copyFileSync(join(appOutDir, 'electron'), join(appOutDir, 'waybill'));
    expect(fusesOf(await getCurrentFuseWire(join(appOutDir, 'waybill')))).toEqual(electronDefaultFuses);
    // The afterPack hook electron-builder.yml names, loaded the way electron-builder loads it.
    const hook = (await import(pathToFileURL(join(projectRoot, config.afterPack as string)).href)) as { afterPack: typeof afterPack };
    const context = { appOutDir, electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'Waybill' }, executableName: 'waybill' } };
    await hook.afterPack(context as unknown as Parameters<typeof afterPack>[0]);
    expect(fusesOf(await getCurrentFuseWire(join(appOutDir, 'waybill')))).toEqual(hardenedFuses);
  });

  it('finds the executable to patch on every platform', () => {
    const packager = { appInfo: { productFilename: 'Waybill' }, executableName: 'waybill' };
    expect(packagedExecutable({ appOutDir: '/o', electronPlatformName: 'darwin', packager })).toBe('/o/Waybill.app');
    expect(packagedExecutable({ appOutDir: '/o', electronPlatformName: 'win32', packager })).toBe('/o/Waybill.exe');
    expect(packagedExecutable({ appOutDir: '/o', electronPlatformName: 'linux', packager })).toBe('/o/waybill');
  });

  it('opens .waybill export bundles', () => {
    const associations = [config.fileAssociations].flat();
    expect(associations).toContainEqual(expect.objectContaining({ ext: 'waybill', mimeType: 'application/x-waybill-export', name: 'Waybill export bundle' }));
  });

  it('installs a desktop entry on Linux', () => {
    const entry = config.linux?.desktop?.entry as Record<string, string> | undefined;
    expect(entry).toMatchObject({ Name: 'Waybill', Categories: 'Office;Utility;' });
    expect(config.linux?.maintainer).toBeTruthy();
  });

  it('keeps user data on uninstall', () => {
    expect(config.nsis?.deleteAppDataOnUninstall).toBe(false);
  });

  it('still validates when a publish provider is added later, and `npm run dist` never uploads', async () => {
    await expect(validateConfiguration({ ...config, publish: { provider: 'github', owner: 'waybill', repo: 'waybill' } }, new DebugLogger(false))).resolves.toBeUndefined();
    const scripts = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.dist).toContain('electron-builder');
    expect(scripts.dist).toContain('--publish never');
  });

  it('never rebuilds native modules for Electron on install (node_modules stay at Node’s ABI)', () => {
    const scripts = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) {
      expect(scripts[hook] ?? '', hook).not.toMatch(/install-app-deps|electron-rebuild|@electron\/rebuild/);
    }
  });
});

describe('icons from one source image', () => {
  it('generates the Linux PNG set, a Windows .ico and a macOS .icns where the config points', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'waybill-icons-'));
    const made = generateIcons(outDir);
    expect(config.linux?.icon).toBe('dist/icons/png');
    expect(config.win?.icon).toBe('dist/icons/icon.ico');
    expect(config.mac?.icon).toBe('dist/icons/icon.icns');
    for (const size of linuxSizes) {
      const png = readFileSync(join(made.pngDir, `${size}x${size}.png`));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
    const ico = readFileSync(made.ico);
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    expect(ico.readUInt8(6 + 16 * (ico.readUInt16LE(4) - 1))).toBe(0); // the largest image is 256 px
    const icns = readFileSync(made.icns);
    expect(icns.subarray(0, 4).toString()).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
  });
});
