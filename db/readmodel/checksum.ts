import type Database from 'better-sqlite3';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import { createHash } from 'node:crypto';
import type { Projection } from './projection.ts';

type Cell = string | number | bigint | Buffer | null;

function compareCells(a: readonly Cell[], b: readonly Cell[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * A canonical checksum of a read model's rows: every drizzle table, rows ordered by primary key,
 * columns in declaration order. Two files with the same rows have the same checksum whatever
 * order they were written in (FTS indexes are derived from these rows and are not read back).
 * With `serverSeqOf`, the columns the projection declares as log positions are read as server
 * sequences, its stream versions are left out, and rows are ordered by their key after that:
 * laptops that number their logs differently then agree when their rows do.
 */
export function readModelChecksum(db: Database.Database, projection: Projection, serverSeqOf?: (position: number) => number): string {
  const hash = createHash('sha256');
  for (const table of projection.tables) {
    const config = getTableConfig(table);
    const columns = config.columns.map((c) => `"${c.name}"`);
    const keyNames = config.primaryKeys[0]?.columns.map((c) => c.name) ?? config.columns.filter((c) => c.primary).map((c) => c.name);
    const key = keyNames.map((name) => `"${name}"`);
    const order = (key.length > 0 ? key : columns).join(', ');
    hash.update(`\u0000${config.name}\u0000`);
    const rows = db.prepare(`SELECT ${columns.join(', ')} FROM "${config.name}" ORDER BY ${order}`).raw();
    const numbering = projection.logNumbering?.[config.name];
    if (!serverSeqOf || !numbering) {
      for (const row of rows.iterate()) hash.update(`${JSON.stringify(row)}\n`);
      continue;
    }
    const index = (name: string) => config.columns.findIndex((c) => c.name === name);
    const single = (numbering.positions ?? []).map(index);
    const maps = (numbering.positionMaps ?? []).map(index);
    const versions = (numbering.versions ?? []).map(index);
    const keyAt = (keyNames.length > 0 ? keyNames : config.columns.map((c) => c.name)).map(index);
    const translated = (rows.all() as Cell[][]).map((row) => {
      for (const i of single) if (typeof row[i] === 'number') row[i] = serverSeqOf(row[i] as number);
      for (const i of versions) row[i] = null;
      for (const i of maps) {
        const map = JSON.parse(String(row[i])) as Record<string, number>;
        row[i] = JSON.stringify(Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : 1)).map(([field, p]) => [field, serverSeqOf(p)])));
      }
      return row;
    });
    translated.sort((a, b) => compareCells(keyAt.map((i) => a[i]!), keyAt.map((i) => b[i]!)));
    for (const row of translated) hash.update(`${JSON.stringify(row)}\n`);
  }
  return hash.digest('hex');
}
