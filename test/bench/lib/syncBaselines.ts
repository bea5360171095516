// The physical limits the sync figures are compared with, on the same PostgreSQL in the same run:
// the same rows read bare from each laptop's log and inserted bare into a plain table (push), and
// the server's rows selected bare and inserted bare into a SQLite table (pull).
import Database from 'better-sqlite3';
import pg from 'pg';
import { MAX_PUSH_EVENTS } from '../../../db/contract/syncWire.ts';
import { deviceIdOf } from '../../../db/log/deviceIdentity.ts';
import { openLogReader } from '../../../db/log/openEventLog.ts';
import { logPath } from './dataset.ts';

/** The columns of the server's events table, without a key, an index or a constraint. */
const PLAIN_EVENTS = `(server_seq bigint, event_id uuid, device_id uuid, device_seq bigint, device_hash text, stream_id text, type text,
  schema_version int, payload text, metadata text, recorded_at text, received_at timestamptz)`;

/**
 * Each folder's own events (what its push sends), read with a bare SELECT in batches of the push's
 * size and written with one multi-row INSERT … unnest per batch (one commit each, as each push
 * commits), every folder on its own connection at once. Seconds from the first read to the last commit.
 */
export async function barePush(databaseUrl: string, dataDirs: readonly string[], table: string): Promise<{ events: number; seconds: number }> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} ${PLAIN_EVENTS}`);
  const sides = await Promise.all(
    dataDirs.map(async (dir) => {
      const log = openLogReader(logPath(dir));
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      const select = log
        .prepare(
          `SELECT e.event_id, o.device_id, o.device_seq, o.device_hash, e.stream_id, e.type, e.schema_version, e.payload, e.metadata, e.recorded_at
           FROM event_origins o JOIN events e ON e.position = o.position WHERE o.device_id = ? AND o.device_seq > ? ORDER BY o.device_seq LIMIT ?`,
        )
        .raw();
      return { log, client, select, deviceId: deviceIdOf(log)! };
    }),
  );
  let nextSeq = 1;
  let events = 0;
  const t0 = performance.now();
  await Promise.all(
    sides.map(async ({ client, select, deviceId }) => {
      for (let after = 0; ; ) {
        const rows = select.all(deviceId, after, MAX_PUSH_EVENTS) as unknown[][];
        if (rows.length === 0) return;
        const columns = rows[0]!.map((_, c) => rows.map((r) => r[c]));
        const first = nextSeq;
        nextSeq += rows.length;
        await client.query(
          `INSERT INTO ${table} SELECT $1::bigint + ordinality - 1, event_id, device_id, device_seq, device_hash, stream_id, type, schema_version, payload, metadata, recorded_at, now()
           FROM unnest($2::uuid[], $3::uuid[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[], $10::text[], $11::text[])
             WITH ORDINALITY AS e(event_id, device_id, device_seq, device_hash, stream_id, type, schema_version, payload, metadata, recorded_at, ordinality)`,
          [first, ...columns],
        );
        events += rows.length;
        after = rows.at(-1)![2] as number;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  for (const side of sides) {
    side.log.close();
    await side.client.end();
  }
  await admin.query(`DROP TABLE ${table}`);
  await admin.end();
  return { events, seconds };
}

/** Rows of one bare SELECT of the pull baseline (larger than a pull page: the limit, not the wire). */
const BARE_PULL_ROWS = 10_000;

/**
 * Every row of the server's events table in server order, selected bare in keyset pages, inserted
 * with one prepared INSERT each into a plain SQLite table (the log's pragmas) in one transaction.
 */
export async function barePull(databaseUrl: string, target: string): Promise<{ events: number; seconds: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const db = new Database(target);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.exec(`CREATE TABLE pulled (server_seq INTEGER, event_id TEXT, device_id TEXT, device_seq INTEGER, device_hash TEXT, stream_id TEXT, type TEXT,
    schema_version INTEGER, payload TEXT, metadata TEXT, recorded_at TEXT, received_at TEXT)`);
  const insert = db.prepare('INSERT INTO pulled VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  let events = 0;
  const t0 = performance.now();
  db.exec('BEGIN');
  for (let after = '0'; ; ) {
    const { rows } = await client.query<unknown[]>({
      text: `SELECT server_seq, event_id, device_id, device_seq, device_hash, stream_id, type, schema_version, payload, metadata, recorded_at, received_at::text
             FROM events WHERE server_seq > $1 ORDER BY server_seq LIMIT $2`,
      values: [after, BARE_PULL_ROWS],
      rowMode: 'array',
    });
    if (rows.length === 0) break;
    for (const row of rows) insert.run(row);
    events += rows.length;
    after = rows.at(-1)![0] as string;
  }
  db.exec('COMMIT');
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  await client.end();
  return { events, seconds };
}
