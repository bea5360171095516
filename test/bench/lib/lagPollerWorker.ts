// Watches read-model checkpoints from its own thread and records when each position became
// visible to readers (monotonic ms). PRAGMA data_version tells cheaply whether a file changed;
// pointer files are re-read so a rebuild's swap is followed. Stops when the shared flag is set.
import Database from 'better-sqlite3';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { monoMs } from './stats.ts';

interface Watched {
  name: string;
  pointer: string | null;
  file: string;
  sql: string;
  db: Database.Database;
  read: Database.Statement;
  version: number;
  last: number;
  stamp: number;
  positions: number[];
  times: number[];
}

const data = workerData as { dataDir: string; names: string[]; extra: { name: string; file: string; sql: string }[]; intervalMs: number; flag: SharedArrayBuffer };
const flag = new Int32Array(data.flag);
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function open(w: Pick<Watched, 'file' | 'sql'>) {
  const db = new Database(w.file, { readonly: true, fileMustExist: true });
  return { db, read: db.prepare(w.sql).pluck() };
}
const currentFile = (pointer: string) => join(data.dataDir, 'read', readFileSync(pointer, 'utf8').trim());
const stampOf = (pointer: string) => statSync(pointer).mtimeMs;

const watched: Watched[] = [
  ...data.names.map((name) => {
    const pointer = join(data.dataDir, 'read', `${name}.current`);
    const file = currentFile(pointer);
    const sql = `SELECT position FROM _checkpoint WHERE projection = '${name}'`;
    return { name, pointer, file, sql, ...open({ file, sql }), version: -1, last: 0, stamp: stampOf(pointer), positions: [], times: [] };
  }),
  ...data.extra.map((x) => ({ name: x.name, pointer: null, file: x.file, sql: x.sql, ...open(x), version: -1, last: 0, stamp: 0, positions: [], times: [] })),
];

let lastPointerCheck = 0;
while (Atomics.load(flag, 0) === 0) {
  for (const w of watched) {
    const version = w.db.pragma('data_version', { simple: true }) as number;
    if (version === w.version) continue;
    w.version = version;
    const position = (w.read.get() as number | undefined) ?? 0;
    if (position > w.last) {
      w.last = position;
      w.positions.push(position);
      w.times.push(monoMs());
    }
  }
  const now = monoMs();
  if (now - lastPointerCheck > 20) {
    lastPointerCheck = now;
    for (const w of watched) {
      if (!w.pointer) continue;
      try {
        const stamp = stampOf(w.pointer);
        if (stamp === w.stamp) continue;
        w.stamp = stamp;
        const file = currentFile(w.pointer);
        if (file === w.file) continue;
        w.db.close();
        Object.assign(w, { file, ...open({ file, sql: w.sql }), version: -1 });
        // A swapped-in file starts at its own checkpoint; positions it already covers count from now.
      } catch {
        // mid-swap: try again on the next round
      }
    }
  }
  Atomics.wait(sleeper, 0, 0, data.intervalMs);
}
for (const w of watched) w.db.close();
parentPort!.postMessage({ kind: 'records', records: watched.map((w) => ({ name: w.name, positions: w.positions, times: w.times })) });
