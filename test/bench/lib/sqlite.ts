// Connections the baselines use: the same pragmas as the core's, without its code.
import Database from 'better-sqlite3';
import { startLogCheckpointer } from '../../../db/core/logCheckpointer.ts';
import { defaultBuiltFiles } from '../../../db/runtime/builtFiles.ts';

export type Durability = 'normal' | 'full';

/** A writer on an events.db copy with exactly the pragmas of db/log/openEventLog.ts's openLogWriter. */
export function openBareWriter(path: string, durability: Durability): Database.Database {
  const db = new Database(path);
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('recursive_triggers = ON');
  db.pragma('cache_size = -65536');
  db.pragma('journal_size_limit = 67108864');
  return db;
}

/** The same background WAL checkpointer the core runs next to its writer (from the built entry, as the core starts it). */
export function startCheckpointer(logFile: string): { stop(): Promise<void> } {
  return startLogCheckpointer(defaultBuiltFiles(), logFile);
}

export function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return db.prepare('SELECT sqlite_version()').pluck().get() as string;
  } finally {
    db.close();
  }
}

/** Bytes per table and index of a database (dbstat), largest first. */
export function tableBytes(path: string): { name: string; bytes: number }[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as { name: string; bytes: number }[];
  } finally {
    db.close();
  }
}
