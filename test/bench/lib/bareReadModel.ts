// The physical limit of building a read model: read every row of the log, and write the read
// model's final rows (taken beforehand from a built file) with bare prepared statements in one
// transaction, secondary indexes afterwards — the same file pragmas as a rebuild, none of its logic.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { createIndexes, createSchema } from '../../../db/readmodel/openReadModel.ts';
import type { Projection } from '../../../db/readmodel/projection.ts';
import { searchableText } from '../../../db/projections/eventHistory/projection.ts';

export interface FinalRows {
  tables: { name: string; columns: string[]; rows: unknown[][] }[];
  fts: { name: string; rows: [number, string][] }[];
  rowCount: number;
}

const LOG_COLUMNS = 'position, event_id, stream_id, version, type, schema_version, payload, metadata, recorded_at';

/**
 * Bodies of contentless full-text tables cannot be read back; they are rebuilt from the rows the
 * projection derived them from. An unknown one is left out (and reported).
 */
const ftsSources: Record<string, (db: Database.Database) => [number, string][]> = {
  parcel_search: (db) =>
    (db.prepare('SELECT seq, tracking_code, recipient_name, street, city, postcode, description FROM parcel_summary').raw().all() as [number, string, string, string, string, string, string | null][]).map(
      (r) => [r[0], [r[1], r[2], r[3], r[4], r[5], r[6] ?? ''].join(' ')],
    ),
  history_search: (db) =>
    (db.prepare('SELECT position, type, stream_id, payload FROM history_events').raw().all() as [number, string, string, string][]).map((r) => [
      r[0],
      searchableText(r[1], r[2], JSON.parse(r[3]) as unknown),
    ]),
};

/** Every row of a built read model, in memory (not timed). */
export function loadFinalRows(builtFile: string): FinalRows & { skippedFts: string[] } {
  const db = new Database(builtFile, { readonly: true, fileMustExist: true });
  try {
    const schema = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[];
    const virtual = schema.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql)).map((t) => t.name);
    const shadow = (name: string) => virtual.some((v) => name.startsWith(`${v}_`));
    const tables = schema
      .filter((t) => !virtual.includes(t.name) && !shadow(t.name))
      .map((t) => {
        const columns = db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').pluck().all(t.name) as string[];
        return { name: t.name, columns, rows: db.prepare(`SELECT * FROM "${t.name}"`).raw().all() as unknown[][] };
      });
    const fts = virtual.filter((v) => ftsSources[v]).map((v) => ({ name: v, rows: ftsSources[v]!(db) }));
    const rowCount = tables.reduce((n, t) => n + t.rows.length, 0) + fts.reduce((n, t) => n + t.rows.length, 0);
    return { tables, fts, rowCount, skippedFts: virtual.filter((v) => !ftsSources[v]) };
  } finally {
    db.close();
  }
}

/** Times the bare build into `target` (removed first). Returns seconds and log rows read. */
export function bareBuild(logFile: string, target: string, projection: Projection, rows: FinalRows): { seconds: number; logRows: number; loadSeconds: number } {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(target + suffix, { force: true });
  const db = new Database(target);
  const log = new Database(logFile, { readonly: true, fileMustExist: true });
  try {
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    db.pragma('temp_store = MEMORY');
    log.pragma('cache_size = -32768');
    createSchema(db, projection, { withIndexes: false });
    const t0 = performance.now();
    let logRows = 0;
    db.transaction(() => {
      const read = log.prepare(`SELECT ${LOG_COLUMNS} FROM events ORDER BY position`).raw();
      for (const row of read.iterate()) if ((row as unknown[]).length > 0) logRows++;
      for (const table of rows.tables) {
        const insert = db.prepare(`INSERT INTO "${table.name}" (${table.columns.map((c) => `"${c}"`).join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')})`);
        for (const row of table.rows) insert.run(row);
      }
      for (const table of rows.fts) {
        const insert = db.prepare(`INSERT INTO "${table.name}" (rowid, body) VALUES (?, ?)`);
        for (const [rowid, body] of table.rows) insert.run(rowid, body);
      }
    })();
    const loadSeconds = (performance.now() - t0) / 1000;
    createIndexes(db, projection);
    return { seconds: (performance.now() - t0) / 1000, logRows, loadSeconds };
  } finally {
    db.close();
    log.close();
  }
}
