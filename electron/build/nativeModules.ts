// Native modules for a runtime, staged beside the bundles (<out>/electron/node_modules) so the
// main bundle and the workers resolve them first. The project's own node_modules is never
// rebuilt: it stays at Node's ABI for tests, the CLI and browser mode.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { runtimeExternals } from './build.ts';

export type NativeRuntime = { kind: 'node' } | { kind: 'electron'; version: string; platform: NodeJS.Platform; arch: string };
type ElectronRuntime = Extract<NativeRuntime, { kind: 'electron' }>;

/** Dependencies needed only to install a package (downloading prebuilt binaries), never at run time. */
const installOnly: ReadonlySet<string> = new Set(['prebuild-install']);
/** The compiled addon of each native external. */
const nativeBinaries: Readonly<Record<(typeof runtimeExternals)[number], string>> = { 'better-sqlite3': 'better_sqlite3.node' };
/** Of a native package, only these reach the app; sources, build intermediates and tests stay behind. */
const nativeRuntimeFiles: Readonly<Record<string, (relative: string) => boolean>> = {
  'better-sqlite3': (file) => file === 'package.json' || file === 'LICENSE' || file.startsWith('lib/') || file === 'build/Release/better_sqlite3.node',
};

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
}

function readPackage(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** Node's lookup: `<dir>/node_modules/<name>` from `fromDir` upwards. */
function findPackageDir(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`waybill: cannot find the package ${name} from ${fromDir}; run npm install`);
  }
}

/** The package and its dependencies, flattened: name → folder in the project's node_modules. */
export function dependencyClosure(root: string, projectRoot: string, options: { runtimeOnly: boolean }): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (name: string, fromDir: string) => {
    if (found.has(name) || (options.runtimeOnly && installOnly.has(name))) return;
    const dir = findPackageDir(name, fromDir);
    found.set(name, dir);
    for (const dependency of Object.keys(readPackage(dir).dependencies ?? {})) visit(dependency, dir);
  };
  visit(root, projectRoot);
  return found;
}

function copyRuntimeFiles(name: string, from: string, to: string): void {
  const keep = nativeRuntimeFiles[name];
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, {
    recursive: true,
    filter: (source) => {
      const relative = source.slice(from.length + 1).split('\\').join('/');
      if (relative === '') return true;
      if (/^(node_modules|test|tests|\.github)(\/|$)/.test(relative)) return false;
      if (/\.md$/i.test(relative) && !/license/i.test(relative)) return false;
      if (!keep) return true;
      return keep(relative) || ['lib', 'build', 'build/Release'].includes(relative);
    },
  });
}

/** Copies the runtime closure of every native external into `<targetDir>/node_modules`, taken from `sourceRoot`. */
function installRuntimeCopy(sourceRoot: string, targetDir: string): string[] {
  const names: string[] = [];
  for (const external of runtimeExternals) {
    for (const [name, dir] of dependencyClosure(external, sourceRoot, { runtimeOnly: true })) {
      copyRuntimeFiles(name, dir, join(targetDir, 'node_modules', name));
      names.push(name);
    }
  }
  return names;
}

function cacheKey(projectRoot: string, runtime: ElectronRuntime): string {
  const versions = runtimeExternals.map((name) => `${name}-${readPackage(findPackageDir(name, projectRoot)).version}`).join('_');
  return `electron-${runtime.version}-${runtime.platform}-${runtime.arch}_${versions}`;
}

/** Rebuilds `modules` under `buildPath/node_modules` for an Electron runtime, in place in that folder. */
export type NativeRebuild = (buildPath: string, runtime: ElectronRuntime, modules: string[]) => Promise<void>;

/**
 * electron-builder's own native rebuild (@electron/rebuild): prebuild-install first, node-gyp
 * against Electron's headers after. npm's `nodedir` setting (this machine kind sets it to Node's
 * own headers) would make node-gyp build for Node instead, so it is hidden for the rebuild.
 */
const electronRebuild: NativeRebuild = async (buildPath, runtime, modules) => {
  const { rebuild } = await import('@electron/rebuild');
  const hidden = Object.entries(process.env).filter(([name]) => name.toLowerCase() === 'npm_config_nodedir');
  for (const [name] of hidden) delete process.env[name];
  try {
    await rebuild({
      buildPath,
      projectRootPath: buildPath,
      electronVersion: runtime.version,
      platform: runtime.platform,
      arch: runtime.arch,
      onlyModules: modules,
      force: true,
      mode: 'sequential',
      disablePreGypCopy: true,
    });
  } finally {
    for (const [name, value] of hidden) process.env[name] = value;
  }
};

/** Electron's module ABI when `version` is the installed electron package (it ships abi_version), else null. */
export function electronAbi(projectRoot: string, version: string): string | null {
  const dir = join(projectRoot, 'node_modules', 'electron');
  if (!existsSync(join(dir, 'abi_version')) || readPackage(dir).version !== version) return null;
  return readFileSync(join(dir, 'abi_version'), 'utf8').trim();
}

/** A V8-API addon names its ABI in an exported symbol (`node_register_module_v<abi>`); N-API addons have none. */
export function addonAbi(binary: string): string | null {
  return /node_register_module_v(\d+)/.exec(readFileSync(binary, 'latin1'))?.[1] ?? null;
}

export interface StageOptions {
  log?: (line: string) => void;
  /** Where Electron-ABI rebuilds are kept between runs (default node_modules/.cache/waybill-electron-native). */
  cacheRoot?: string;
  rebuild?: NativeRebuild;
}

/**
 * Builds the Electron-ABI copies in a cache folder of their own (full closure, so the rebuild can
 * fetch a prebuilt binary with prebuild-install before falling back to compiling), once per
 * Electron version, platform and arch.
 */
async function electronCopies(projectRoot: string, runtime: ElectronRuntime, options: StageOptions): Promise<string> {
  const cacheRoot = options.cacheRoot ?? join(projectRoot, 'node_modules', '.cache', 'waybill-electron-native');
  const cacheDir = join(cacheRoot, cacheKey(projectRoot, runtime));
  const marker = join(cacheDir, 'rebuilt.json');
  if (existsSync(marker)) return cacheDir;
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(join(cacheDir, 'node_modules'), { recursive: true });
  const dependencies: Record<string, string> = {};
  for (const external of runtimeExternals) {
    for (const [name, dir] of dependencyClosure(external, projectRoot, { runtimeOnly: false })) {
      // The project's build/ holds Node-ABI binaries: leave them behind so only the rebuild can fill it.
      const stale = join(dir, 'build');
      cpSync(dir, join(cacheDir, 'node_modules', name), { recursive: true, filter: (source) => source !== stale && !source.startsWith(`${stale}${sep}`) });
    }
    dependencies[external] = readPackage(findPackageDir(external, projectRoot)).version;
  }
  writeFileSync(join(cacheDir, 'package.json'), JSON.stringify({ name: 'waybill-electron-native', private: true, dependencies }, null, 2));
  (options.log ?? console.log)(`waybill: rebuilding ${runtimeExternals.join(', ')} for Electron ${runtime.version} (${runtime.platform}-${runtime.arch}) in ${cacheDir}`);
  try {
    await (options.rebuild ?? electronRebuild)(cacheDir, runtime, [...runtimeExternals]);
  } catch (error) {
    throw new Error(
      `could not rebuild ${runtimeExternals.join(', ')} for Electron ${runtime.version}: it needs a prebuilt binary or Electron's headers ` +
        `(both downloaded), and a C++ toolchain to compile from source. ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const expectedAbi = electronAbi(projectRoot, runtime.version);
  for (const external of runtimeExternals) {
    const binary = join(cacheDir, 'node_modules', external, 'build', 'Release', nativeBinaries[external]);
    if (!existsSync(binary)) throw new Error(`waybill: rebuilding ${external} for Electron produced no binary`);
    const abi = addonAbi(binary);
    if (expectedAbi && abi && abi !== expectedAbi) {
      throw new Error(`waybill: ${external} was rebuilt for module ABI ${abi}, but Electron ${runtime.version} needs ${expectedAbi} (was it built against Node's headers?)`);
    }
  }
  writeFileSync(marker, JSON.stringify({ ...runtime, rebuiltAt: new Date().toISOString() }, null, 2));
  return cacheDir;
}

/**
 * Puts the native externals for `runtime` into `<electronDir>/node_modules`: Node's own build for
 * plain Node, or an Electron-ABI rebuild from the cache. Returns the package names staged.
 */
export async function stageNativeModules(projectRoot: string, electronDir: string, runtime: NativeRuntime, options: StageOptions = {}): Promise<string[]> {
  const sourceRoot = runtime.kind === 'node' ? projectRoot : await electronCopies(projectRoot, runtime, options);
  rmSync(join(electronDir, 'node_modules'), { recursive: true, force: true });
  return installRuntimeCopy(sourceRoot, electronDir);
}
