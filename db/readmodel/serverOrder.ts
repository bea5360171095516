import type Database from 'better-sqlite3';

/** The position of the log's last reorder (0 when its order has never differed from the server's). */
export function lastReorder(log: Database.Database): number {
  const hasTable = log.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reorders'").get();
  return hasTable === undefined ? 0 : (log.prepare('SELECT coalesce(max(position), 0) FROM reorders').pluck().get() as number);
}

/** The last reorder a read-model file was built in the server's order through (0 if none). */
export function builtThrough(readModel: Database.Database, projection: string): number {
  return (readModel.prepare('SELECT built_through FROM _server_order WHERE projection = ?').pluck().get(projection) as number | undefined) ?? 0;
}

/**
 * The log's positions up to `upTo` in the server's order, a batch at a time: the events the server
 * has placed, by server sequence, then those it has not yet (recorded here, still going up) in log
 * order, which is where the server will put them.
 */
export function* inServerOrder(log: Database.Database, upTo: number, batchSize: number): Generator<number[]> {
  const placed = log.prepare('SELECT server_seq AS seq, position FROM server_order WHERE server_seq > ? AND position <= ? ORDER BY server_seq LIMIT ?');
  for (let after = 0; ; ) {
    const rows = placed.all(after, upTo, batchSize) as { seq: number; position: number }[];
    if (rows.length === 0) break;
    yield rows.map((r) => r.position);
    after = rows.at(-1)!.seq;
  }
  const waiting = log.prepare(
    'SELECT e.position FROM events e WHERE e.position > ? AND e.position <= ? AND NOT EXISTS (SELECT 1 FROM server_order s WHERE s.position = e.position) ORDER BY e.position LIMIT ?',
  ).pluck();
  for (let after = 0; ; ) {
    const positions = waiting.all(after, upTo, batchSize) as number[];
    if (positions.length === 0) break;
    yield positions;
    after = positions.at(-1)!;
  }
}
