import { cpus, loadavg, release, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { sqliteVersion } from './sqlite.ts';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  sqlite: string;
  betterSqlite3: string;
  platform: string;
  loadAverageAtStart: number[];
  /** The allocator limit the app's entry points set on Linux (db/runtime/mallocArenas.ts). */
  mallocArenaMax?: string;
}

export function machineInfo(repoRoot: string): MachineInfo {
  const pkg = JSON.parse(readFileSync(`${repoRoot}/node_modules/better-sqlite3/package.json`, 'utf8')) as { version: string };
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    sqlite: sqliteVersion(),
    betterSqlite3: pkg.version,
    platform: `${process.platform} ${release()} ${process.arch}`,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
    mallocArenaMax: process.env.MALLOC_ARENA_MAX ?? 'glibc default',
  };
}
