import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { defaultBuiltFiles } from '../runtime/builtFiles.ts';
import { WaybillError } from '../contract/waybillError.ts';


/**
 * Migrates the log forward inside one transaction (an event is never lost: migrations only add),
 * and refuses a log that a newer Waybill has already migrated past what this build knows.
 */
export function migrateLog(db: Database.Database, migrationsFolder = defaultBuiltFiles().migrations): { applied: number } {
  const known = readMigrationFiles({ migrationsFolder });
  const newestKnown = Math.max(...known.map((m) => m.folderMillis));
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  let before = 0;
  if (hasTable) {
    const rows = db.prepare('SELECT hash, created_at AS createdAt FROM __drizzle_migrations').all() as { hash: string; createdAt: number }[];
    before = rows.length;
    const future = rows.find((row) => Number(row.createdAt) > newestKnown);
    if (future) {
      throw new WaybillError(
        'CONFLICT',
        'This event log was written by a newer version of Waybill. Install that version (or newer) to open it; nothing was changed.',
        { rule: 'log_from_the_future' },
      );
    }
  }
  migrate(drizzle(db), { migrationsFolder });
  const after = (db.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
  return { applied: after - before };
}
