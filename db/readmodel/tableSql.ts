// Statements derived from the drizzle tables, so a read model is described once: its drizzle table
// names the columns, their SQL names and their TypeScript names; SELECT lists and INSERTs follow.
import type Database from 'better-sqlite3';
import type { InferSelectModel } from 'drizzle-orm';
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';

/** The TypeScript names of a table's columns. */
export type ColumnKey<T extends SQLiteTable> = keyof InferSelectModel<T> & string;

/** A row of the table as a SELECT built by selectList gives it (every column under its TypeScript name). */
export type Row<T extends SQLiteTable, K extends ColumnKey<T> = ColumnKey<T>> = Pick<InferSelectModel<T>, K>;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Which of a table's columns a statement names: `only` these, or all `except` these. */
export interface ColumnChoice<T extends SQLiteTable> {
  only?: readonly ColumnKey<T>[];
  except?: readonly ColumnKey<T>[];
}

function columns<T extends SQLiteTable>(table: T, choice: ColumnChoice<T> = {}): [string, string][] {
  const all = getTableColumns(table) as Record<string, { name: string }>;
  for (const key of choice.except ?? []) if (!all[key]) throw new Error(`${getTableName(table)} has no column ${key}`);
  const keys = choice.only ?? (Object.keys(all) as ColumnKey<T>[]).filter((key) => !choice.except?.includes(key));
  return keys.map((key) => {
    const column = all[key];
    if (!column) throw new Error(`${getTableName(table)} has no column ${key}`);
    return [key, column.name];
  });
}

/**
 * `sql_name AS "tsName", …` for the table's columns (or those chosen), qualified by `from` (a table
 * name or alias) when given: rows come back under the drizzle table's TypeScript names.
 */
export function selectList<T extends SQLiteTable>(table: T, options: ColumnChoice<T> & { from?: string } = {}): string {
  const prefix = options.from ? `${quote(options.from)}.` : '';
  return columns(table, options)
    .map(([key, name]) => `${prefix}${quote(name)} AS ${quote(key)}`)
    .join(', ');
}

/** The SQL name of one column. */
export function columnName<T extends SQLiteTable>(table: T, key: ColumnKey<T>): string {
  return quote(columns(table, { only: [key] })[0]![1]);
}

/**
 * An INSERT of the table's columns (or `only` those) with named parameters under their TypeScript
 * names (`run({ parcelId, … })`, every chosen column given); `tail` follows the VALUES (an ON CONFLICT clause, say).
 */
export function insertInto<T extends SQLiteTable, K extends ColumnKey<T> = ColumnKey<T>>(
  db: Database.Database,
  table: T,
  options: { only?: readonly K[]; tail?: string } = {},
): Database.Statement<[Row<T, K>]> {
  const cols = columns(table, options.only ? { only: options.only } : {});
  const sql = `INSERT INTO ${quote(getTableName(table))} (${cols.map(([, name]) => quote(name)).join(', ')}) VALUES (${cols.map(([key]) => `@${key}`).join(', ')})${options.tail ? ` ${options.tail}` : ''}`;
  return db.prepare<[Row<T, K>]>(sql);
}
