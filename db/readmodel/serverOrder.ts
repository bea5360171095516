import type Database from 'better-sqlite3';

/** Whether the server's order differs anywhere from this log's (a pulled page went before events it already held). */
export function logIsReordered(log: Database.Database): boolean {
  const hasTable = log.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reorders'").get();
  return hasTable !== undefined && log.prepare('SELECT 1 FROM reorders LIMIT 1').get() !== undefined;
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
