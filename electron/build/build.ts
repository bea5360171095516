// `npm run build`: bundles the desktop shell (main, preload, workers) with esbuild into
// <out>/electron and the renderer with vite into <out>/renderer. Run: node --import tsx electron/build/build.ts [--out DIR] [--no-renderer]
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerEntry } from '../../db/projector/spawnWorker.ts';

export const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Worker entries the core spawns by name (db/projector/spawnWorker.ts); each becomes `<name>.js` beside main. */
export const workerSources: Readonly<Record<WorkerEntry, string>> = {
  projectorWorker: 'db/projector/projectorWorker.ts',
  walCheckpointWorker: 'db/log/walCheckpointWorker.ts',
};

/** Loaded from node_modules at run time, never bundled: native code, or Electron itself. */
export const runtimeExternals = ['better-sqlite3'] as const;

export interface DesktopBuild {
  outDir: string;
  main: string;
  preload: string;
  workers: Record<WorkerEntry, string>;
  rendererDir: string | null;
  /** Every bare module specifier each bundle still loads at run time (node builtins included). */
  runtimeImports: Record<string, string[]>;
}

// CommonJS has no import.meta; the core uses import.meta.url to find files beside its modules.
const importMetaShim = {
  banner: { js: 'const __waybillImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__waybillImportMetaUrl' },
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

export async function buildDesktop(options: { outDir?: string; renderer?: boolean } = {}): Promise<DesktopBuild> {
  const outDir = resolve(options.outDir ?? join(projectRoot, 'dist'));
  const electronDir = join(outDir, 'electron');
  rmSync(electronDir, { recursive: true, force: true });
  mkdirSync(electronDir, { recursive: true });
  // Everything in dist/electron is CommonJS, whatever the project's package.json says.
  writeFileSync(join(electronDir, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);

  const node: BuildOptions = {
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron', ...runtimeExternals],
    absWorkingDir: projectRoot,
    ...importMetaShim,
  };
  const main = join(electronDir, 'main.cjs');
  const preload = join(electronDir, 'preload.cjs');
  const workers = Object.fromEntries(Object.keys(workerSources).map((name) => [name, join(electronDir, `${name}.js`)])) as Record<WorkerEntry, string>;
  const runtimeImports: Record<string, string[]> = {};

  runtimeImports['main.cjs'] = await bundle({ ...node, entryPoints: [join(projectRoot, 'electron/main.ts')], outfile: main });
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
  for (const [name, source] of Object.entries(workerSources)) {
    runtimeImports[`${name}.js`] = await bundle({ ...node, external: [...runtimeExternals], entryPoints: [join(projectRoot, source)], outfile: workers[name as WorkerEntry] });
  }
  cpSync(join(projectRoot, 'db/log/migrations'), join(electronDir, 'migrations'), { recursive: true });

  let rendererDir: string | null = null;
  if (options.renderer !== false) {
    rendererDir = join(outDir, 'renderer');
    const vite = spawnSync(process.execPath, [join(projectRoot, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', rendererDir, '--emptyOutDir'], {
      cwd: projectRoot,
      stdio: 'inherit',
    });
    if (vite.status !== 0) throw new Error(`vite build failed (exit ${vite.status ?? vite.signal})`);
  }
  return { outDir, main, preload, workers, rendererDir, runtimeImports };
}

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = argValue('--out');
  buildDesktop({ ...(outDir ? { outDir } : {}), renderer: !process.argv.includes('--no-renderer') }).then(
    (result) => console.log(`waybill: built ${result.outDir}/electron${result.rendererDir ? ' and renderer' : ''}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
