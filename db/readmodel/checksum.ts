import type Database from 'better-sqlite3';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import { createHash } from 'node:crypto';
import type { Projection } from './projection.ts';

/**
 * A canonical checksum of a read model's rows: every drizzle table, rows ordered by primary key,
 * columns in declaration order. Two files with the same rows have the same checksum whatever
 * order they were written in (FTS indexes are derived from these rows and are not read back).
 */
export function readModelChecksum(db: Database.Database, projection: Projection): string {
  const hash = createHash('sha256');
  for (const table of projection.tables) {
    const config = getTableConfig(table);
    const columns = config.columns.map((c) => `"${c.name}"`);
    const key = config.primaryKeys[0]?.columns.map((c) => `"${c.name}"`) ?? config.columns.filter((c) => c.primary).map((c) => `"${c.name}"`);
    const order = (key.length > 0 ? key : columns).join(', ');
    hash.update(`\u0000${config.name}\u0000`);
    for (const row of db.prepare(`SELECT ${columns.join(', ')} FROM "${config.name}" ORDER BY ${order}`).raw().iterate()) {
      hash.update(JSON.stringify(row));
      hash.update('\n');
    }
  }
  return hash.digest('hex');
}
