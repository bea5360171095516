// better-sqlite3 for Electron is staged beside the bundles and rebuilt in a cache of its own: the
// project's node_modules keeps its Node-ABI binary, whatever `npm start` or `npm run dist` did.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../electron/build/build.ts';
import { addonAbi, stageNativeModules, type NativeRebuild } from '../../electron/build/nativeModules.ts';

const projectBinary = join(projectRoot, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

const electronAbi = readFileSync(join(projectRoot, 'node_modules/electron/abi_version'), 'utf8').trim();
const installedElectron = (JSON.parse(readFileSync(join(projectRoot, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const electron = { kind: 'electron', version: installedElectron, platform: 'linux', arch: 'x64' } as const;

/** Stands in for @electron/rebuild: writes an addon naming `abi` where the rebuild would. */
function fakeRebuild(calls: string[], abi = electronAbi): NativeRebuild {
  return async (buildPath, runtime, modules) => {
    calls.push(`${runtime.version}:${modules.join(',')}`);
    const release = join(buildPath, 'node_modules/better-sqlite3/build/Release');
    expect(existsSync(release)).toBe(false);
    mkdirSync(release, { recursive: true });
    writeFileSync(join(release, 'better_sqlite3.node'), `\0ELF\0node_register_module_v${abi}\0electron-${runtime.version}`);
  };
}

describe('native modules for Electron', () => {
  it('stages the rebuilt binary beside the bundles, with only what runs, and leaves the project’s binary alone', async () => {
    const before = digest(projectBinary);
    const scratch = mkdtempSync(join(tmpdir(), 'waybill-native-'));
    const electronDir = join(scratch, 'electron');
    const calls: string[] = [];
    const staged = await stageNativeModules(projectRoot, electronDir, electron, { cacheRoot: join(scratch, 'cache'), rebuild: fakeRebuild(calls), log: () => undefined });

    expect(staged.sort()).toEqual(['better-sqlite3', 'bindings', 'file-uri-to-path']);
    expect(readFileSync(join(electronDir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), 'utf8')).toContain(`electron-${installedElectron}`);
    expect(existsSync(join(electronDir, 'node_modules/better-sqlite3/src'))).toBe(false);
    expect(existsSync(join(electronDir, 'node_modules/better-sqlite3/deps'))).toBe(false);
    expect(existsSync(join(electronDir, 'node_modules/prebuild-install'))).toBe(false);
    expect(calls).toEqual([`${installedElectron}:better-sqlite3`]);
    expect(digest(projectBinary)).toBe(before);
  });

  it('rebuilds once per Electron version, platform and arch, then reuses the cache', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'waybill-native-'));
    const calls: string[] = [];
    const options = { cacheRoot: join(scratch, 'cache'), rebuild: fakeRebuild(calls), log: () => undefined };
    await stageNativeModules(projectRoot, join(scratch, 'a'), electron, options);
    await stageNativeModules(projectRoot, join(scratch, 'b'), electron, options);
    await stageNativeModules(projectRoot, join(scratch, 'c'), { ...electron, version: '99.0.0' }, options);
    expect(calls).toEqual([`${installedElectron}:better-sqlite3`, '99.0.0:better-sqlite3']);
  });

  it('says what a rebuild needs when it fails, and does not cache the failure', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'waybill-native-'));
    const offline: NativeRebuild = async () => {
      throw new Error('getaddrinfo ENOTFOUND electronjs.org');
    };
    const options = { cacheRoot: join(scratch, 'cache'), rebuild: offline, log: () => undefined };
    await expect(stageNativeModules(projectRoot, join(scratch, 'a'), electron, options)).rejects.toThrow(/prebuilt binary or Electron's headers.*ENOTFOUND/);
    const calls: string[] = [];
    await stageNativeModules(projectRoot, join(scratch, 'a'), electron, { ...options, rebuild: fakeRebuild(calls) });
    expect(calls).toHaveLength(1);
  });

  it('refuses a "rebuild" that came out for Node’s ABI (npm’s nodedir pointing at Node’s headers)', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'waybill-native-'));
    const nodeAbi = process.versions.modules;
    const options = { cacheRoot: join(scratch, 'cache'), rebuild: fakeRebuild([], nodeAbi), log: () => undefined };
    await expect(stageNativeModules(projectRoot, join(scratch, 'a'), electron, options)).rejects.toThrow(`ABI ${nodeAbi}, but Electron ${installedElectron} needs ${electronAbi}`);
    expect(addonAbi(projectBinary)).toBe(nodeAbi);
  });

  it('stages Node’s own binary for plain Node (what the packaging tests run)', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'waybill-native-'));
    await stageNativeModules(projectRoot, scratch, { kind: 'node' });
    expect(digest(join(scratch, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(digest(projectBinary));
  });
});
