// The rebuild-crash scenario, shared by `npm test` (a few kills) and the soak (more): a seeded,
// projected folder; a child that rebuilds read models while querying them is SIGKILLed mid-rebuild,
// again and again (each later child restarts the interrupted rebuild by itself); after every kill
// each pointer must name a whole file with exactly the original rows; finally a start finishes it.
import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReadModelName } from '../../../db/contract/index.ts';
import { openTestCore } from '../../helpers/testCore.ts';
import { projections } from '../../../db/projections/index.ts';
import { readModelChecksum } from '../../../db/readmodel/checksum.ts';
import { jobProcessesFor, jobProcessesLeft } from '../../helpers/jobProcesses.ts';
import { spawnJsonChild } from './children.ts';
import { seededRandom } from './random.ts';

const childScript = fileURLToPath(new URL('./rebuildChild.ts', import.meta.url));

export interface ServingState {
  file: string;
  integrity: string;
  checksum: string;
}

/** The serving file of every read model: its integrity and its rows' checksum. */
export function serving(dataDir: string): Map<ReadModelName, ServingState> {
  return new Map(
    projections.map((projection) => {
      const file = join(dataDir, 'read', readFileSync(join(dataDir, 'read', `${projection.name}.current`), 'utf8').trim());
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return [projection.name, { file, integrity: String(db.pragma('quick_check', { simple: true })), checksum: readModelChecksum(db, projection) }];
      } finally {
        db.close();
      }
    }),
  );
}

export interface SeededFolder {
  parcels: number;
  onBoards: number;
  original: Map<ReadModelName, ServingState>;
}

/** Seeds `events` events through the command path and projects them. */
export async function seedProjectedFolder(dataDir: string, events: number, seed: number): Promise<SeededFolder> {
  const waybill = await openTestCore({ dataDir, projectors: 'inline', backgroundCheckpoints: false });
  try {
    const seeded = await waybill.call('seed', { events, seed });
    if (!seeded.ok) throw new Error(`seeding failed: ${seeded.error.code}: ${seeded.error.message}`);
    await waybill.core.catchUpAll();
    const list = await waybill.query('parcels.list', { limit: 1 });
    const board = await waybill.query('depots.board', {});
    if (!list.ok || !board.ok) throw new Error('seeding failed');
    return { parcels: list.data.total, onBoards: board.data.reduce((n, depot) => n + depot.total, 0), original: serving(dataDir) };
  } finally {
    await waybill.close();
  }
}

export interface RebuildCrashRun {
  kills: number;
  killedMidRebuild: number;
  /** Kills that caught a rebuild job running in a process of its own (db/projector/jobProcess.ts). */
  killedWithJobProcess: number;
  /** What every query of every child answered. */
  answers: { parcels: number; rows: number; onBoards: number }[];
  /** Anything that must not happen: stderr output, a pointer to a damaged or different file. */
  problems: string[];
}

export async function runRebuildCrashes(dataDir: string, seeded: SeededFolder, options: { kills: number; seed: number; rebuilt: readonly ReadModelName[] }): Promise<RebuildCrashRun> {
  const random = seededRandom(options.seed);
  const run: RebuildCrashRun = { kills: 0, killedMidRebuild: 0, killedWithJobProcess: 0, answers: [], problems: [] };
  for (let kill = 0; kill < options.kills; kill++) {
    const child = spawnJsonChild(childScript, [dataDir, kill === 0 ? 'request' : 'resume', ...options.rebuilt]);
    // Killed at the n-th loading report, once a query has been answered after it (with the rebuild under way).
    const isAnswer = (line: Record<string, unknown>) => typeof line.parcels === 'number';
    const loadingThenAnswer = child
      .waitFor((line) => line.phase === 'loading', 1 + Math.floor(random() * 4))
      .then((loading) => loading && child.waitFor(isAnswer, child.lines.filter(isAnswer).length + 1));
    const gaveUp = new Promise<null>((resolve) => setTimeout(() => resolve(null), 30_000).unref());
    const seen = await Promise.race([loadingThenAnswer, gaveUp]);
    const jobs = jobProcessesFor(dataDir);
    await child.kill();
    run.kills++;
    if (jobs.length > 0) run.killedWithJobProcess++;
    // A job whose parent died must stop too: nobody will swap its file in, and the next start rebuilds.
    const outlived = await jobProcessesLeft(dataDir, 5000);
    if (outlived.length > 0) run.problems.push(`kill ${kill}: job processes ${outlived.join(', ')} outlived their killed parent`);
    if (child.stderr() !== '') run.problems.push(`kill ${kill}: ${child.stderr()}`);
    if (seen !== null && !child.lines.some((line) => line.rebuilt !== undefined)) run.killedMidRebuild++;
    for (const line of child.lines) {
      if (typeof line.parcels === 'number') run.answers.push({ parcels: line.parcels, rows: line.rows as number, onBoards: line.onBoards as number });
    }
    // Whatever the kill interrupted, every pointer names a whole, undamaged file with exactly the original rows.
    for (const [name, state] of serving(dataDir)) {
      if (state.integrity !== 'ok' || state.checksum !== seeded.original.get(name)!.checksum) run.problems.push(`kill ${kill}: ${name} serves ${state.file} (${state.integrity})`);
    }
  }
  return run;
}

/**
 * Opens the folder once more and waits until no interrupted rebuild is left (no marker, nothing
 * rebuilding); returns the read models this last start rebuilt, and whether everything verifies.
 */
export async function finishRebuilds(dataDir: string, timeoutMs = 120_000): Promise<{ done: string[]; markersLeft: string[]; verified: boolean }> {
  const markers = () => readdirSync(join(dataDir, 'read')).filter((f) => f.endsWith('.rebuilding'));
  // The interrupted rebuilds this start must finish, and any other it runs: each ends with a last push (done, failed or cancelled).
  const started = new Set(markers().map((f) => f.slice(0, -'.rebuilding'.length)));
  const ended = new Map<string, string>();
  const waybill = await openTestCore({ dataDir, projectors: 'workers' });
  try {
    waybill.subscribe('rebuild', (p) => {
      started.add(p.name);
      if (p.phase === 'done' || p.phase === 'failed' || p.phase === 'cancelled') ended.set(p.name, p.phase);
    });
    const finished = async () =>
      markers().length === 0 && !(await waybill.status()).projections.some((p) => p.rebuild !== null) && [...started].every((name) => ended.has(name));
    const deadline = Date.now() + timeoutMs;
    while (!(await finished()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const done = [...ended].filter(([, phase]) => phase === 'done').map(([name]) => name);
    return { done: done.sort(), markersLeft: markers(), verified: (await waybill.verify()).ok };
  } finally {
    await waybill.close();
  }
}
