import type Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReadModelName } from '../../db/contract/index.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import type { FollowWorkerData, FromWorker, ToWorker } from '../../db/projector/messages.ts';
import { projectionByName, projections } from '../../db/projections/index.ts';
import { Projector } from '../../db/readmodel/catchUp.ts';
import { readModelChecksum } from '../../db/readmodel/checksum.ts';
import { openReadModelWriter } from '../../db/readmodel/openReadModel.ts';
import { ReadModelFiles } from '../../db/readmodel/readModelFiles.ts';
import { rebuildReadModel } from '../../db/readmodel/rebuildReadModel.ts';
import { verifyReadModel } from '../../db/readmodel/verifyReadModel.ts';
import { openLogReader } from '../../db/log/openEventLog.ts';
import { defaultBuiltFiles, startEntryThread } from '../../db/runtime/builtFiles.ts';
import { logPathOf, seedFolder, withPlainConnection } from './helpers/dataFolder.ts';
import { createTempDirs } from './helpers/tempDirs.ts';
import { waitUntil } from './helpers/waitUntil.ts';

const temp = createTempDirs('crash');
let seeded: string;
let head: number;
let waybill: TestCore | null = null;
const workers: Worker[] = [];
const children: ChildProcess[] = [];
const connections: Database.Database[] = [];

beforeAll(async () => {
  seeded = temp.make('seeded');
  ({ head } = await seedFolder(seeded, { events: 30_000, seed: 11, project: false }));
}, 180_000);
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
  for (const db of connections.splice(0)) if (db.open) db.close();
  await waybill?.close();
  waybill = null;
});
afterAll(() => temp.cleanup());

/** A folder holding a copy of the seeded log and nothing else. */
function logOnlyCopy(): string {
  const dir = temp.make('case');
  copyFileSync(logPathOf(seeded), logPathOf(dir));
  return dir;
}

const BATCH = 3000;

/** Starts a follow worker on one read-model file, reporting every checkpoint it publishes; it may stall where a test hook says. */
function follow(name: ReadModelName, logPath: string, readModelPath: string, onCheckpoint: (checkpoint: number) => void, hook: Pick<FollowWorkerData, 'stallBeforeCheckpoint'> = {}): Worker {
  const worker = startEntryThread(defaultBuiltFiles(), 'projector', { mode: 'follow', name, logPath, readModelPath, batchSize: BATCH, pollMs: 50, ...hook } satisfies FollowWorkerData);
  workers.push(worker);
  worker.on('message', (m: FromWorker) => m.kind === 'progress' && onCheckpoint(m.checkpoint));
  worker.postMessage({ kind: 'notify', head } satisfies ToWorker);
  return worker;
}

const storedCheckpoint = (path: string, name: ReadModelName) =>
  !existsSync(path) ? 0 : withPlainConnection(path, (db) => (db.prepare('SELECT position FROM _checkpoint WHERE projection = ?').pluck().get(name) as number | undefined) ?? 0, true);

describe('a projector killed mid-batch', () => {
  it('keeps rows and checkpoint in step at every kill, and resumes with no event applied twice or skipped', async () => {
    const dir = logOnlyCopy();
    const logPath = logPathOf(dir);
    for (const name of ['parcel_summary', 'event_history'] as const) {
      const path = join(dir, `${name}.db`);
      const projection = projectionByName(name);
      const killedAt: number[] = [];
      for (let kill = 1; kill <= 2; kill++) {
        const from = storedCheckpoint(path, name);
        // Terminated inside its second batch: the first committed, the second's rows written but not its checkpoint.
        const signal = new SharedArrayBuffer(4);
        const stalled = new Int32Array(signal);
        const worker = follow(name, logPath, path, () => {}, { stallBeforeCheckpoint: { pastPosition: from + BATCH, stalled: signal } });
        let exited = false;
        worker.once('exit', () => (exited = true));
        await waitUntil(`${name} to stall inside its second batch`, () => Atomics.load(stalled, 0) === 1 || exited, { intervalMs: 1 });
        expect(exited).toBe(false);
        await worker.terminate();
        killedAt.push(storedCheckpoint(path, name));
        // The file holds exactly the rows of the events up to its checkpoint: the killed batch left nothing.
        const verdict = await verifyReadModel({ projection, logPath, servingPath: path, scratchPath: join(dir, `scratch-${kill}.db`) });
        expect(verdict).toMatchObject({ ok: true, checkpoint: killedAt.at(-1) });
      }
      expect(killedAt).toEqual([BATCH, 2 * BATCH]);

      let latest = 0;
      follow(name, logPath, path, (c) => (latest = c));
      await waitUntil(`${name} to reach the head after the restarts`, () => latest === head);
      await Promise.all(workers.splice(0).map((w) => w.terminate()));

      const rebuiltPath = join(dir, `rebuilt-${name}.db`);
      await rebuildReadModel({ projection, logPath, targetPath: rebuiltPath });
      const checksum = (p: string) => withPlainConnection(p, (db) => readModelChecksum(db, projection), true);
      expect(checksum(path)).toBe(checksum(rebuiltPath));
      expect(storedCheckpoint(path, name)).toBe(head);
    }
    // One row per event in event_history: none twice, none missing.
    const rows = withPlainConnection(join(dir, 'event_history.db'), (db) => db.prepare('SELECT count(*) AS n, min(position) AS lo, max(position) AS hi FROM history_events').get(), true);
    expect(rows).toEqual({ n: head, lo: 1, hi: head });
  }, 180_000);

  it('resumes after its process is killed with SIGKILL during catch-up, every read model equal to a rebuild', async () => {
    const dir = logOnlyCopy();
    // Read models already under way (not new), so the child follows the log rather than rebuilding.
    const files = new ReadModelFiles(dir);
    const log = openLogReader(logPathOf(dir));
    connections.push(log);
    for (const projection of projections) {
      const db = openReadModelWriter(files.current(projection.name), projection);
      new Projector(projection, db, log).catchUp(500, 1000);
      db.close();
    }

    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./helpers/followChild.ts', import.meta.url)), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let exitedEarly = false;
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => {
        exitedEarly = signal === null;
        resolve(signal);
      }),
    );
    const checkpoints = new Map<string, number>();
    let stderr = '';
    let buffer = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const message = JSON.parse(line) as { name?: string; checkpoint?: number };
        if (message.name && message.checkpoint !== undefined) checkpoints.set(message.name, message.checkpoint);
      }
    });
    await waitUntil('the child to catch parcel_summary up past 6000', () => (checkpoints.get('parcel_summary') ?? 0) > 6000 || exitedEarly);
    expect(exitedEarly, `the child exited on its own: ${stderr}`).toBe(false);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const atKill = projections.map((p) => storedCheckpoint(files.current(p.name), p.name));
    expect(atKill.some((c) => c > 1000 && c < head)).toBe(true);

    const w = (waybill = await openTestCore({ dataDir: dir, projectors: 'workers' }));
    await w.core.catchUpAll();
    expect((await w.status()).projections.map((p) => [p.name, p.checkpoint, p.lag])).toEqual(projections.map((p) => [p.name, head, 0]));
    await w.close();
    for (const projection of projections) {
      const rebuiltPath = join(dir, `rebuilt-${projection.name}.db`);
      await rebuildReadModel({ projection, logPath: logPathOf(dir), targetPath: rebuiltPath });
      const checksum = (p: string) => withPlainConnection(p, (db) => readModelChecksum(db, projection), true);
      expect({ name: projection.name, checksum: checksum(files.current(projection.name)) }).toEqual({ name: projection.name, checksum: checksum(rebuiltPath) });
    }
  }, 180_000);
});
