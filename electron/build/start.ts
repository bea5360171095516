// `npm start`: build, make sure the Electron runtime is here, stage better-sqlite3 rebuilt for
// Electron's ABI beside the bundles (never in the project's node_modules), then launch.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildDesktop, projectRoot } from './build.ts';
import { findElectronBinary, missingElectronMessage, type ElectronBinary } from './electronBinary.ts';
import { stageNativeModules } from './nativeModules.ts';
import { boundedArenaEnvironment } from '../../db/runtime/mallocArenas.ts';

/** Electron 42+ downloads its binary on first use, not at install: try that once, quietly failing offline. */
function downloadElectron(): ElectronBinary {
  const binary = findElectronBinary(projectRoot);
  if (binary.found || binary.version === null || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return binary;
  console.log(`waybill: the Electron ${binary.version} binary is not here yet; trying to download it…`);
  spawnSync(process.execPath, [join(projectRoot, 'node_modules/electron/install.js')], { stdio: ['ignore', 'ignore', 'ignore'], timeout: 300_000 });
  return findElectronBinary(projectRoot);
}

async function start(): Promise<number> {
  const built = await buildDesktop();
  const binary = downloadElectron();
  if (!binary.found) {
    console.error(missingElectronMessage(binary));
    return 1;
  }
  await stageNativeModules(projectRoot, join(built.outDir, 'electron'), {
    kind: 'electron',
    version: binary.version,
    platform: process.platform,
    arch: process.arch,
  });
  // Bounded malloc arenas from the start, so the app does not relaunch itself for them (electron/main.ts).
  const env = boundedArenaEnvironment(process.platform, process.env) ?? { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary.path, [projectRoot, ...process.argv.slice(2)], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

start().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`waybill: npm start failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
