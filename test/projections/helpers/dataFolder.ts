// Seeded data folders for projection tests: seed once per file, copy per test.
import Database from 'better-sqlite3';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadModelName } from '../../../db/contract/index.ts';
import { openTestCore } from '../../helpers/testCore.ts';

export const logPathOf = (dir: string) => join(dir, 'events.db');

/** Seeds `dir` through the normal append path; with `project`, brings every read model to the head. */
export async function seedFolder(dir: string, options: { events: number; seed?: number; project: boolean }): Promise<{ head: number }> {
  const waybill = await openTestCore({ dataDir: dir, projectors: 'inline', backgroundCheckpoints: false });
  try {
    const seeded = await waybill.call('seed', { events: options.events, seed: options.seed ?? 1 });
    if (!seeded.ok) throw new Error(`seeding failed: ${seeded.error.message}`);
    if (options.project) await waybill.core.catchUpAll();
    return { head: waybill.head() };
  } finally {
    await waybill.close();
  }
}

/** Copies a closed data folder (log and read models) to `to`. */
export function copyFolder(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
}

/** The file a read model's pointer names. */
export function servingFile(dir: string, name: ReadModelName): string {
  return join(dir, 'read', readFileSync(join(dir, 'read', `${name}.current`), 'utf8').trim());
}

/** Every database file of one read model in the folder (serving, rebuilding or orphaned). */
export function readModelDbFiles(dir: string, name: ReadModelName): string[] {
  const read = join(dir, 'read');
  if (!existsSync(read)) return [];
  return readdirSync(read)
    .filter((f) => f.startsWith(`${name}.`) && f.endsWith('.db'))
    .map((f) => join(read, f))
    .sort();
}

/** Runs `work` on a plain (default pragmas) connection and closes it. */
export function withPlainConnection<T>(path: string, work: (db: Database.Database) => T, readonly = false): T {
  const db = new Database(path, { readonly, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return work(db);
  } finally {
    db.close();
  }
}
