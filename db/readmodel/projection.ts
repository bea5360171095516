import type Database from 'better-sqlite3';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { ReadModelName } from '../contract.ts';
import type { EventType, StoredEvent } from '../domain/events.ts';

export type DeadLetterPolicy = 'halt' | 'park';

/**
 * A projection is data plus one function: its name, code version, drizzle tables and the
 * statements that apply one event. The runtime (batches, checkpoints, workers, rebuild) is
 * generic and knows nothing about parcels.
 */
export interface Projection {
  name: ReadModelName;
  /** Bump when the rows it writes change meaning: the read model is then rebuilt. */
  version: number;
  policy: DeadLetterPolicy;
  tables: SQLiteTable[];
  /** Tables drizzle cannot describe (FTS5), created together with `tables`. */
  extraDdl?: string[];
  /** Event types it reads; the others only move its checkpoint. */
  handles: readonly EventType[];
  /** Prepares statements on a connection once and returns the handler for one event. */
  prepare(db: Database.Database): (event: StoredEvent) => void;
}

export function defineProjection(projection: Projection): Projection {
  return projection;
}
