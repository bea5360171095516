import type Database from 'better-sqlite3';
import type { ReadModelName } from '../contract/index.ts';
import { readModelNames } from '../contract/index.ts';
import { openReadModelReader } from './openReadModel.ts';
import type { ReadModelFiles } from './readModelFiles.ts';

export interface CheckpointRow {
  version: number;
  position: number;
}

/**
 * The read-only connections queries use, one per read model. After a rebuild swap the
 * connection is reopened on the new file and `generation` moves, so prepared queries are
 * prepared again; a swap between two queries is therefore atomic for callers.
 */
export class ReadModelReaders {
  private readonly connections = new Map<ReadModelName, Database.Database>();
  private readonly checkpointStatements = new Map<ReadModelName, Database.Statement>();
  generation = 0;

  constructor(
    private readonly files: Pick<ReadModelFiles, 'current'>,
    private readonly options: { cacheMiB?: number } = {},
  ) {
    for (const name of readModelNames) this.open(name);
  }

  get(name: ReadModelName): Database.Database {
    return this.connections.get(name)!;
  }

  all(): Record<ReadModelName, Database.Database> {
    return Object.fromEntries(this.connections) as Record<ReadModelName, Database.Database>;
  }

  checkpoint(name: ReadModelName): CheckpointRow | null {
    return (this.checkpointStatements.get(name)!.get(name) as CheckpointRow | undefined) ?? null;
  }

  reopen(name: ReadModelName): void {
    this.connections.get(name)?.close();
    this.open(name);
    this.generation++;
  }

  close(): void {
    for (const db of this.connections.values()) db.close();
    this.connections.clear();
  }

  private open(name: ReadModelName): void {
    const db = openReadModelReader(this.files.current(name), this.options);
    this.connections.set(name, db);
    this.checkpointStatements.set(name, db.prepare('SELECT version, position FROM _checkpoint WHERE projection = ?'));
  }
}
