// What `npm run dist` puts in app.asar, checked on a real electron-builder run (stand-in Electron,
// see packWithStandIn.ts): the bundles exist, everything they load at run time is inside the
// archive, native code is unpacked, the fuses are flipped, and the workers run from the packaged
// layout under plain Node.
import { extractAll, listPackage, statFile } from '@electron/asar';
import { getCurrentFuseWire } from '@electron/fuses';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, posix, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FromWorker, RebuildWorkerData } from '../../db/projector/messages.ts';
import { startCoreProcess } from '../../db/core/process/startCoreProcess.ts';
import { entryNames, entryPath, type BuiltFiles, type EntryName } from '../../db/runtime/builtFiles.ts';
import { nodeProcessLauncher } from '../../db/runtime/processLauncher.ts';
import { appPaths } from '../../electron/appPaths.ts';
import { projectRoot } from '../../electron/build/build.ts';
import { fusesOf, hardenedFuses } from './fuseChecklist.ts';

interface Packed {
  project: string;
  outDir: string;
  runtimeImports: Record<string, string[]>;
  appOutDir: string;
  asar: string;
  executable: string;
}

let scratch: string;
let packed: Packed;
let listing: Set<string>;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'waybill-pack-'));
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'test/packaging/packWithStandIn.ts'), scratch], {
    cwd: projectRoot,
    encoding: 'utf8',
    timeout: 240_000,
  });
  const line = run.stdout.split('\n').find((text) => text.startsWith('PACKED '));
  if (run.status !== 0 || !line) throw new Error(`packing failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  packed = JSON.parse(line.slice('PACKED '.length)) as Packed;
  listing = new Set(listPackage(packed.asar, { isPack: false }).map((file) => file.replace(/\\/g, '/').replace(/^\//, '')));
}, 300_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

/** Node's resolution, answered from the archive's file list instead of the disk. */
function resolveInAsar(specifier: string, fromFile: string): string | null {
  const candidates = (base: string) => [base, `${base}.js`, `${base}.json`, `${base}.node`, `${base}/index.js`];
  if (specifier.startsWith('.')) {
    const base = posix.normalize(posix.join(posix.dirname(fromFile), specifier));
    return candidates(base).find((file) => listing.has(file)) ?? null;
  }
  const [scope, name] = specifier.split('/');
  const packageName = scope!.startsWith('@') ? `${scope}/${name}` : scope!;
  const subpath = specifier.slice(packageName.length);
  for (let dir = posix.dirname(fromFile); ; dir = posix.dirname(dir)) {
    const root = posix.join(dir === '.' ? '' : dir, 'node_modules', packageName);
    if (listing.has(`${root}/package.json`)) {
      if (subpath) return candidates(`${root}${subpath}`).find((file) => listing.has(file)) ?? null;
      const main = (JSON.parse(readFileSync(join(packed.project, root, 'package.json'), 'utf8')) as { main?: string }).main ?? 'index.js';
      return candidates(posix.normalize(posix.join(root, main))).find((file) => listing.has(file)) ?? null;
    }
    if (dir === '.' || dir === '') return null;
  }
}

/** Every module reachable from an entry through static require() calls, resolved inside the archive. */
function requireGraph(entry: string): { files: Set<string>; unresolved: string[] } {
  const files = new Set<string>();
  const unresolved: string[] = [];
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    if (!file.endsWith('.js') && !file.endsWith('.cjs')) return;
    const source = readFileSync(join(packed.project, file), 'utf8');
    for (const [, specifier] of source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
      if (builtins.has(specifier!) || specifier === 'electron') continue;
      const target = resolveInAsar(specifier!, file);
      if (target) visit(target);
      else unresolved.push(`${file} → ${specifier}`);
    }
  };
  visit(entry);
  return { files, unresolved };
}

describe('the packaged app (electron-builder with a stand-in Electron runtime)', () => {
  it('builds main, preload, one bundle per entry the core starts (its own process, projectors, the checkpointer) and the renderer', () => {
    const electronDir = join(packed.outDir, 'electron');
    for (const file of ['main.cjs', 'preload.cjs', 'package.json', ...entryNames.map((name) => `${name}.cjs`)]) {
      expect(existsSync(join(electronDir, file)), file).toBe(true);
    }
    const html = readFileSync(join(packed.outDir, 'renderer/index.html'), 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(listing.has(`dist/renderer/${asset}`), asset).toBe(true);
  });

  it('loads only electron in the preload, and only node built-ins, electron and better-sqlite3 elsewhere', () => {
    expect(packed.runtimeImports['preload.cjs']).toEqual(['electron']);
    for (const [bundle, imports] of Object.entries(packed.runtimeImports)) {
      const foreign = imports.filter((name) => !builtins.has(name) && name !== 'electron' && name !== 'better-sqlite3');
      expect(foreign, bundle).toEqual([]);
    }
    for (const name of entryNames) expect(packed.runtimeImports[`${name}.cjs`]).not.toContain('electron');
  });

  it('starts from package.json main, which is in the archive', () => {
    expect(listing.has('package.json')).toBe(true);
    const manifest = JSON.parse(readFileSync(join(packed.project, 'package.json'), 'utf8')) as { main: string };
    expect(manifest.main).toBe('dist/electron/main.cjs');
    expect(listing.has(manifest.main)).toBe(true);
  });

  it.each(['dist/electron/main.cjs', 'dist/electron/preload.cjs', ...entryNames.map((name) => `dist/electron/${name}.cjs`)])(
    'holds everything %s requires at run time',
    (entry) => {
      const graph = requireGraph(entry);
      expect(graph.unresolved).toEqual([]);
      // Main carries calls to the core process and opens no database: only the entries load better-sqlite3.
      if (!entry.endsWith('preload.cjs') && !entry.endsWith('main.cjs')) expect([...graph.files]).toContain('dist/electron/node_modules/better-sqlite3/lib/index.js');
    },
  );

  it('ships better-sqlite3’s native binary unpacked from the archive, and nothing else unpacked', () => {
    const binary = 'dist/electron/node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    expect(listing.has(binary)).toBe(true);
    expect(statFile(packed.asar, binary)).toMatchObject({ unpacked: true });
    expect(existsSync(join(`${packed.asar}.unpacked`, binary))).toBe(true);
    expect(statFile(packed.asar, 'dist/electron/main.cjs')).not.toHaveProperty('unpacked', true);
  });

  it('ships the log’s migrations beside the entries, where main tells the core they are', () => {
    const journal = JSON.parse(readFileSync(join(projectRoot, 'db/log/migrations/meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    expect(listing.has('dist/electron/migrations/meta/_journal.json')).toBe(true);
    for (const { tag } of journal.entries) expect(listing.has(`dist/electron/migrations/${tag}.sql`), tag).toBe(true);
  });

  it('leaves out sources, source maps, tests and the project’s own node_modules', () => {
    const leaked = [...listing].filter(
      (file) => file.endsWith('.map') || file.endsWith('.ts') || /^(db|electron|renderer|test|node_modules)\//.test(file) || file.includes('/test/'),
    );
    expect(leaked).toEqual([]);
  });

  it('flips the fuses in the packed executable (afterPack)', async () => {
    // The stand-in starts at Electron's defaults (standInElectron.ts), so each fuse the checklist changes was flipped by the build.
    expect(fusesOf(await getCurrentFuseWire(packed.executable))).toEqual(hardenedFuses);
  });

  it('holds every entry, and the migrations, where main tells the core to find them (appPaths, inside app.asar)', () => {
    const paths = appPaths(join(packed.asar, 'dist/electron'), join(scratch, 'user'));
    const inArchive = (file: string) => relative(packed.asar, file).split('\\').join('/');
    for (const name of entryNames) expect(listing.has(inArchive(join(paths.entriesDir, `${name}.cjs`))), name).toBe(true);
    expect(listing.has(inArchive(join(paths.migrationsDir, 'meta/_journal.json')))).toBe(true);
  });
});

describe('the packaged entries under plain Node', () => {
  let app: string;
  let dataDir: string;
  let head: number;
  let packagedFiles: BuiltFiles;

  beforeAll(async () => {
    app = join(scratch, 'extracted');
    extractAll(packed.asar, app);
    dataDir = join(scratch, 'data');
    packagedFiles = { entries: join(app, 'dist/electron'), migrations: join(app, 'dist/electron/migrations'), renderer: join(app, 'dist/renderer') };
    // The packaged core process, started as main starts it (here with Node's fork), on the packaged files.
    const core = await startCoreProcess({ launcher: nodeProcessLauncher, core: { dataDir, files: packagedFiles } });
    const answer = await core.call({ actor: 'ana', surface: 'desktop' }, 'command', { type: 'RegisterDepot', payload: { depotId: 'D1', name: 'North', region: 'north' } });
    expect(answer).toMatchObject({ ok: true, position: 1 });
    head = answer.ok ? (answer as unknown as { position: number }).position : 0;
    await core.close();
  }, 60_000);

  function runWorker(entry: EntryName, workerData: object, until: (message: FromWorker | { kind: string }) => boolean): Promise<FromWorker[]> {
    return new Promise((resolvePromise, reject) => {
      const worker = new Worker(entryPath(packagedFiles, entry), { workerData });
      const seen: FromWorker[] = [];
      const timer = setTimeout(() => reject(new Error(`${entry} sent no final message: ${JSON.stringify(seen)}`)), 20_000);
      worker.on('message', (message: FromWorker) => {
        seen.push(message);
        if (until(message)) {
          clearTimeout(timer);
          void worker.terminate().then(() => resolvePromise(seen));
        }
      });
      worker.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  it('runs the core process and migrates a new log with the shipped migrations (the log has the event)', () => {
    expect(head).toBeGreaterThan(0);
  });

  it('rebuilds a read model with projector.cjs from the packaged layout', async () => {
    const data: RebuildWorkerData = { mode: 'rebuild', name: 'depot_board', logPath: join(dataDir, 'events.db'), targetPath: join(scratch, 'depot_board.db'), batchSize: 50 };
    const messages = await runWorker('projector', data, (message) => message.kind === 'stopped');
    expect(messages).toContainEqual({ kind: 'rebuildDone', name: 'depot_board', checkpoint: head });
  });

  it('checkpoints the WAL with walCheckpointer.cjs from the packaged layout', async () => {
    const messages = await runWorker('walCheckpointer', { logPath: join(dataDir, 'events.db'), intervalMs: 20 }, (message) => message.kind === 'checkpointed');
    expect(messages.at(-1)).toMatchObject({ kind: 'checkpointed' });
  });
});
