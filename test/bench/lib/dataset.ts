// The seeded data folder every benchmark starts from, and scratch copies of it.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openBenchCore } from './benchCore.ts';
import { projections } from '../../../db/projections/index.ts';
import type { ReadModelName } from '../../../db/contract/index.ts';

export interface DatasetInfo {
  events: number;
  head: number;
  days: number;
  seed: number;
  seedSeconds: number;
  catchUpSeconds: number;
}

const infoFile = (dir: string) => join(dir, 'bench-dataset.json');

/** Seeds `dir` from scratch through the command path, then builds every read model. */
export async function seedDataset(dir: string, events: number, seed: number, log: (line: string) => void): Promise<DatasetInfo> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const waybill = await openBenchCore({ dataDir: dir, projectors: 'inline', backgroundCheckpoints: true });
  let t = performance.now();
  let lastLog = 0;
  const stop = waybill.listen('seed', ({ appended, target }) => {
    if (performance.now() - lastLog < 5000) return;
    lastLog = performance.now();
    log(`seeding ${appended.toLocaleString('en-US')} / ${target.toLocaleString('en-US')} events`);
  });
  const seeded = await waybill.call('seed', { events, seed }).finally(stop);
  if (!seeded.ok) throw new Error(`seeding failed: ${seeded.error.message}`);
  const seedSeconds = (performance.now() - t) / 1000;
  log(`seeded ${seeded.events.toLocaleString('en-US')} events in ${seedSeconds.toFixed(1)} s; building read models`);
  t = performance.now();
  await waybill.core.catchUpAll();
  const catchUpSeconds = (performance.now() - t) / 1000;
  await waybill.close();
  // Fold every WAL into its database so copies of the folder are single files.
  for (const file of [logPath(dir), ...readModelNames.map((name) => readModelPath(dir, name))]) {
    const db = new Database(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }
  const info: DatasetInfo = { events: seeded.events, head: seeded.head, days: seeded.days, seed, seedSeconds, catchUpSeconds };
  writeFileSync(infoFile(dir), JSON.stringify(info, null, 2));
  return info;
}

export function readDatasetInfo(dir: string): DatasetInfo | null {
  return existsSync(infoFile(dir)) ? (JSON.parse(readFileSync(infoFile(dir), 'utf8')) as DatasetInfo) : null;
}

/** A scratch copy of the seeded folder that a benchmark may change. */
export function copyDataset(from: string, to: string): string {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
  return to;
}

export const logPath = (dataDir: string) => join(dataDir, 'events.db');

/** The serving file of a read model (what its pointer names). */
export function readModelPath(dataDir: string, name: ReadModelName): string {
  const pointer = join(dataDir, 'read', `${name}.current`);
  return join(dataDir, 'read', readFileSync(pointer, 'utf8').trim());
}

export const readModelNames = projections.map((p) => p.name);

/** Bytes of a SQLite file and its -wal companion. */
export function fileBytes(path: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(path + suffix).size;
    } catch {
      // no such companion
    }
  }
  return total;
}

export function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(path) : statSync(path).size;
  }
  return total;
}
