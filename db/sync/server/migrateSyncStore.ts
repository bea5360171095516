import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { WaybillError } from '../../contract/waybillError.ts';
import { asUnavailable } from './database.ts';

/** The session lock every migrating process takes first ('Wayb', 'Sync'): two servers starting together migrate one after the other. */
const MIGRATION_LOCK = [0x57617962, 0x53796e63] as const;

const here = fileURLToPath(import.meta.url);

/** Beside the bundle (the build copies them there), or in the source tree when running from TypeScript. */
export function syncMigrationsFolder(): string {
  return here.endsWith('.ts') ? join(dirname(here), 'migrations') : join(dirname(here), 'sync-server-migrations');
}

/**
 * Migrates the sync database forward, under an advisory lock, and refuses one that a newer Waybill
 * has already migrated past what this build knows.
 */
export async function migrateSyncStore(databaseUrl: string, migrationsFolder = syncMigrationsFolder()): Promise<{ applied: number }> {
  const known = readMigrationFiles({ migrationsFolder });
  const newestKnown = Math.max(...known.map((m) => m.folderMillis));
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
    const applied = async () =>
      (await client.query<{ exists: string | null }>("SELECT to_regclass('drizzle.__drizzle_migrations') AS exists")).rows[0]!.exists === null
        ? []
        : (await client.query<{ created_at: string }>('SELECT created_at FROM drizzle.__drizzle_migrations')).rows.map((row) => Number(row.created_at));
    const before = await applied();
    if (before.some((createdAt) => createdAt > newestKnown)) {
      throw new WaybillError('CONFLICT', 'This sync database was migrated by a newer version of Waybill. Run that version (or newer) of the sync server; nothing was changed.', {
        rule: 'database_from_the_future',
      });
    }
    await migrate(drizzle(client), { migrationsFolder });
    return { applied: (await applied()).length - before.length };
  } catch (error) {
    throw asUnavailable(error);
  } finally {
    // Ending the session releases the advisory lock with it.
    await client.end().catch(() => undefined);
  }
}
