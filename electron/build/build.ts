// `npm run build` (and `npm install`, through `prepare`): the one build step. It bundles, with
// esbuild, the CLI and every entry Waybill starts a thread or process from into <out>/node, the
// desktop shell (main, preload, and the same entries) into <out>/electron, and the renderer with
// vite into <out>/renderer. The CLI, browser mode, the tests and packaging all run these bundles;
// nothing is bundled at run time. Run: node --import tsx electron/build/build.ts [--out DIR] [--no-renderer]
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EntryName } from '../../db/runtime/builtFiles.ts';

export const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Every Node bundle: the CLI, and the entries the core starts by name (db/runtime/builtFiles.ts). Each becomes `<name>.cjs`. */
export const nodeEntries: Readonly<Record<'cli' | EntryName, string>> = {
  cli: 'db/cli/waybill.ts',
  coreProcess: 'db/entries/coreProcess.ts',
  projector: 'db/entries/projector.ts',
  queryWorker: 'db/entries/queryWorker.ts',
  walCheckpointer: 'db/entries/walCheckpointer.ts',
  writer: 'db/entries/writer.ts',
};

/** Loaded from node_modules at run time, never bundled: native code, or Electron itself. */
export const runtimeExternals = ['better-sqlite3'] as const;

/** Left out of the CLI bundle: pg's optional native binding (the sync server's), never installed and never loaded. */
export const cliExternals = ['pg-native'] as const;

export interface NodeBuild {
  dir: string;
  /** Every bare module specifier each bundle still loads at run time (node builtins included). */
  runtimeImports: Record<string, string[]>;
}

export interface DesktopBuild extends NodeBuild {
  outDir: string;
  main: string;
  preload: string;
  rendererDir: string | null;
}

// CommonJS has no import.meta; the core uses import.meta.url to find files beside its modules.
const importMetaShim = {
  banner: { js: 'const __waybillImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__waybillImportMetaUrl' },
};

const nodeOptions: BuildOptions = {
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron', ...runtimeExternals],
  absWorkingDir: projectRoot,
  ...importMetaShim,
};

function runtimeImportsOf(metafile: Metafile): string[] {
  const found = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const entry of output.imports) if (entry.external) found.add(entry.path);
  }
  return [...found].sort();
}

async function bundle(options: BuildOptions & { outfile: string }): Promise<string[]> {
  const { metafile } = await build({ bundle: true, metafile: true, sourcemap: 'linked', logLevel: 'warning', legalComments: 'none', ...options });
  if (!metafile) throw new Error(`esbuild returned no metafile for ${options.outfile}`);
  return runtimeImportsOf(metafile);
}

/** A folder of CommonJS bundles, whatever the project's package.json says. */
function commonJsFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
}

/** The CLI and the thread and process entries, with the log's migrations beside them. */
export async function buildNode(outDir = join(projectRoot, 'dist')): Promise<NodeBuild> {
  const dir = join(outDir, 'node');
  commonJsFolder(dir);
  const runtimeImports: Record<string, string[]> = {};
  await Promise.all(
    Object.entries(nodeEntries).map(async ([name, source]) => {
      runtimeImports[`${name}.cjs`] = await bundle({
        ...nodeOptions,
        entryPoints: [join(projectRoot, source)],
        outfile: join(dir, `${name}.cjs`),
        ...(name === 'cli' ? { banner: { js: `#!/usr/bin/env node\n${importMetaShim.banner.js}` }, external: [...(nodeOptions.external ?? []), ...cliExternals] } : {}),
      });
    }),
  );
  cpSync(join(projectRoot, 'db/log/migrations'), join(dir, 'migrations'), { recursive: true });
  // The sync server's PostgreSQL migrations, where db/sync/server/migrateSyncStore.ts looks beside the CLI.
  cpSync(join(projectRoot, 'db/sync/server/migrations'), join(dir, 'sync-server-migrations'), { recursive: true });
  return { dir, runtimeImports };
}

function newestChange(path: string): number {
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

/** True when the built page is missing or older than the renderer's sources, the contract it imports, or vite's config. */
export function rendererIsStale(rendererDir: string): boolean {
  const index = join(rendererDir, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const inputs = ['renderer', 'db/contract', 'vite.config.ts'].map((p) => join(projectRoot, p)).filter((p) => existsSync(p));
  return inputs.some((input) => newestChange(input) > built);
}

/** The console page, with vite (skipped when nothing it is built from changed since). */
export function buildRenderer(outDir = join(projectRoot, 'dist')): string {
  const rendererDir = join(outDir, 'renderer');
  if (!rendererIsStale(rendererDir)) return rendererDir;
  // Vite and the React plugin take NODE_ENV as given; from inside a test run it is 'test', which would ship dev React.
  const vite = spawnSync(process.execPath, [join(projectRoot, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', rendererDir, '--emptyOutDir'], {
    cwd: projectRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (vite.status !== 0) throw new Error(`vite build failed (exit ${vite.status ?? vite.signal})`);
  return rendererDir;
}

/** The desktop shell: main and preload, and the node entries the core starts, copied from <out>/node. */
export async function buildDesktop(options: { outDir?: string; renderer?: boolean } = {}): Promise<DesktopBuild> {
  const outDir = resolve(options.outDir ?? join(projectRoot, 'dist'));
  const node = await buildNode(outDir);
  const electronDir = join(outDir, 'electron');
  commonJsFolder(electronDir);
  const main = join(electronDir, 'main.cjs');
  const preload = join(electronDir, 'preload.cjs');
  const runtimeImports: Record<string, string[]> = { ...node.runtimeImports };
  delete runtimeImports['cli.cjs'];
  runtimeImports['main.cjs'] = await bundle({ ...nodeOptions, entryPoints: [join(projectRoot, 'electron/main.ts')], outfile: main });
  // A sandboxed preload may load only `electron`: bundle for the browser so nothing else is required.
  runtimeImports['preload.cjs'] = await bundle({
    entryPoints: [join(projectRoot, 'electron/preload.ts')],
    outfile: preload,
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    external: ['electron'],
    absWorkingDir: projectRoot,
  });
  for (const name of Object.keys(nodeEntries)) {
    if (name === 'cli') continue;
    for (const suffix of ['.cjs', '.cjs.map']) cpSync(join(node.dir, `${name}${suffix}`), join(electronDir, `${name}${suffix}`));
  }
  cpSync(join(node.dir, 'migrations'), join(electronDir, 'migrations'), { recursive: true });
  const rendererDir = options.renderer === false ? null : buildRenderer(outDir);
  return { outDir, dir: electronDir, main, preload, rendererDir, runtimeImports };
}

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = argValue('--out');
  buildDesktop({ ...(outDir ? { outDir } : {}), renderer: !process.argv.includes('--no-renderer') }).then(
    (result) => console.log(`waybill: built ${result.outDir}/node, ${result.outDir}/electron${result.rendererDir ? ' and renderer' : ''}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
