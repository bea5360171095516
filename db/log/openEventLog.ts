import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { backfillOrigins } from './backfillOrigins.ts';
import { migrateLog } from './migrateLog.ts';

export type Durability = 'normal' | 'full';

export interface LogWriterOptions {
  durability?: Durability;
  migrationsFolder?: string;
  busyTimeoutMs?: number;
  /**
   * Let the writer checkpoint its own WAL (SQLite's default of 1000 pages). Off by default: a
   * background connection checkpoints (walCheckpointWorker), so appends never wait on one. Whoever
   * opens a writer without that worker must turn this on, or the WAL grows without bound.
   */
  autoCheckpoint?: boolean;
}

/**
 * The single writer connection. WAL with auto-checkpoint off unless asked for (a background
 * connection checkpoints, so appends never wait on one), recursive triggers on so REPLACE fires
 * the delete guards as well.
 */
export function openLogWriter(path: string, options: LogWriterOptions = {}): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma(`wal_autocheckpoint = ${options.autoCheckpoint ? 1000 : 0}`);
    db.pragma('recursive_triggers = ON');
    db.pragma('cache_size = -65536');
    // The WAL file is reused after each complete checkpoint; cap what stays on disk.
    db.pragma('journal_size_limit = 67108864');
    migrateLog(db, options.migrationsFolder);
    backfillOrigins(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Every other connection to the log is read-only. */
export function openLogReader(path: string, options: { busyTimeoutMs?: number; cacheMiB?: number } = {}): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  db.pragma('query_only = ON');
  // Projectors read the log once, in order: a page cache per follower would only hold pages it
  // never reads again (and six of them filled to 32 MiB each showed up as growing RSS in the soak).
  db.pragma(`cache_size = ${-1024 * (options.cacheMiB ?? 8)}`);
  return db;
}
