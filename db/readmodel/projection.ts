import type Database from 'better-sqlite3';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { ReadModelName } from '../contract/index.ts';
import type { EventType, StoredEvent } from '../domain/events.ts';

export type DeadLetterPolicy = 'halt' | 'park';

/** A follower's page cache unless its projection asks for more (most append at the end of their tables). */
export const FOLLOWER_CACHE_MIB = 8;

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
  /** Whether its handler reads `event.metadata` (actor, correlation id…); without it, metadata is not even read from the log. */
  readsMetadata?: boolean;
  /**
   * Page cache of its follower's connection, in MiB (default FOLLOWER_CACHE_MIB). A follower holds
   * its cache for as long as the app runs and fills it as its file grows, so it counts in the
   * app's steady memory: only a projection that updates rows all over its tables needs more.
   */
  followerCacheMiB?: number;
  /**
   * Columns, by table, in each laptop's own numbering of its log: `positions` hold a position,
   * `positionMaps` a JSON object of them (compared across laptops as server sequences), and
   * `versions` a stream version (left out when laptops are compared: each numbers its streams
   * in the order events reached it).
   */
  logNumbering?: Readonly<Record<string, { positions?: readonly string[]; positionMaps?: readonly string[]; versions?: readonly string[] }>>;
  /** Prepares statements on a connection once and returns the handler for one event. */
  prepare(db: Database.Database): EventHandler | BatchedEventHandler;
}

export type EventHandler = (event: StoredEvent) => void;

/**
 * A handler that holds rows between events (a write-back cache), so an event that changes a row
 * it has seen costs no read and a batch writes each row once. The runtime calls `flush` inside
 * the batch's transaction, before the checkpoint moves, and `reset` whenever what it holds may no
 * longer match the file: after a rollback, or when another connection wrote to the file.
 */
export interface BatchedEventHandler {
  apply: EventHandler;
  flush(): void;
  reset(): void;
}

export function asBatchedHandler(handler: EventHandler | BatchedEventHandler): BatchedEventHandler {
  return typeof handler === 'function' ? { apply: handler, flush: () => {}, reset: () => {} } : handler;
}

export function defineProjection(projection: Projection): Projection {
  return projection;
}
