import type Database from 'better-sqlite3';

/** Rows per statement: past this the gain is small (SQLite allows 32,766 parameters a statement). */
const CHUNKS = [100, 10, 1] as const;

/**
 * Inserts rows into one table in multi-row INSERT statements. Each statement run costs a fixed
 * overhead that the log's append-only triggers make large (about 14 µs on this machine), so
 * a hundred rows a statement pay it once, not a hundred times.
 */
export class RowInserter {
  private readonly statements = new Map<number, Database.Statement>();
  private readonly row: string;

  constructor(
    private readonly db: Database.Database,
    private readonly table: string,
    private readonly columns: readonly string[],
  ) {
    this.row = `(${columns.map(() => '?').join(', ')})`;
  }

  insert(rows: readonly (readonly unknown[])[]): void {
    let at = 0;
    for (const size of CHUNKS) {
      for (; rows.length - at >= size; at += size) this.statement(size).run(rows.slice(at, at + size).flat());
    }
  }

  private statement(size: number): Database.Statement {
    let statement = this.statements.get(size);
    if (!statement) {
      statement = this.db.prepare(`INSERT INTO ${this.table} (${this.columns.join(', ')}) VALUES ${Array.from({ length: size }, () => this.row).join(', ')}`);
      this.statements.set(size, statement);
    }
    return statement;
  }
}
