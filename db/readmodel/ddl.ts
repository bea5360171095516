import { getTableConfig, SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function columnSql(column: SQLiteColumn, inlinePrimaryKey: boolean): string {
  let sql = `${quote(column.name)} ${column.getSQLType()}`;
  if (column.primary && inlinePrimaryKey) sql += ' PRIMARY KEY';
  if (column.notNull && !(column.primary && inlinePrimaryKey)) sql += ' NOT NULL';
  if (column.hasDefault && (typeof column.default === 'number' || typeof column.default === 'string')) {
    sql += ` DEFAULT ${typeof column.default === 'number' ? column.default : `'${column.default.replace(/'/g, "''")}'`}`;
  }
  return sql;
}

/** CREATE TABLE from a drizzle table definition, so drizzle stays the one source of read-model tables. */
export function createTableSql(table: SQLiteTable): string {
  const config = getTableConfig(table);
  const composite = config.primaryKeys[0];
  const parts = config.columns.map((column) => columnSql(column, composite === undefined));
  if (composite) parts.push(`PRIMARY KEY (${composite.columns.map((c) => quote(c.name)).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${quote(config.name)} (\n  ${parts.join(',\n  ')}\n)`;
}

/**
 * CREATE INDEX statements: `unique` ones are constraints, which a rebuild must enforce from its
 * first row as the live projector does (or the two disagree about an event); a rebuild creates the
 * `plain` ones after its bulk load.
 */
export function createIndexSql(table: SQLiteTable, which: 'all' | 'unique' | 'plain' = 'all'): string[] {
  const config = getTableConfig(table);
  const chosen = config.indexes.filter((index) => which === 'all' || (which === 'unique') === Boolean(index.config.unique));
  return chosen.map((index) => {
    const columns = index.config.columns.map((column) => {
      if (!(column instanceof SQLiteColumn)) throw new Error(`Index ${index.config.name}: only plain columns are supported`);
      return quote(column.name);
    });
    const unique = index.config.unique ? 'UNIQUE ' : '';
    return `CREATE ${unique}INDEX IF NOT EXISTS ${quote(index.config.name)} ON ${quote(config.name)} (${columns.join(', ')})`;
  });
}
