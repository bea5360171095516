// The physical limit of a follower: notice a commit to the log (PRAGMA data_version, polled every
// `intervalMs`), read the new rows, and commit a checkpoint to its own WAL file. No projection work.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { workerData } from 'node:worker_threads';

const data = workerData as { logFile: string; target: string; intervalMs: number; flag: SharedArrayBuffer; from: number };
const flag = new Int32Array(data.flag);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
for (const suffix of ['', '-wal', '-shm']) rmSync(data.target + suffix, { force: true });
const log = new Database(data.logFile, { readonly: true, fileMustExist: true });
const db = new Database(data.target);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE checkpoint (id INTEGER PRIMARY KEY, position INTEGER NOT NULL)');
db.prepare('INSERT INTO checkpoint VALUES (1, ?)').run(data.from);
const read = log.prepare('SELECT position, type, payload, metadata FROM events WHERE position > ? ORDER BY position LIMIT 2000').raw();
const save = db.prepare('UPDATE checkpoint SET position = ? WHERE id = 1');
let checkpoint = data.from;
let version = -1;
while (Atomics.load(flag, 0) === 0) {
  const v = log.pragma('data_version', { simple: true }) as number;
  if (v !== version) {
    version = v;
    for (;;) {
      const rows = read.all(checkpoint) as unknown[][];
      if (rows.length === 0) break;
      checkpoint = rows[rows.length - 1]![0] as number;
      save.run(checkpoint);
    }
  }
  Atomics.wait(sleeper, 0, 0, data.intervalMs);
}
db.close();
log.close();
