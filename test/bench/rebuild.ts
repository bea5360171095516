// Benchmark 3 — Catch-up and rebuild: events/s per projection (follower catch-up and bulk rebuild),
// and the wall time of rebuilding every read model as the app does (job processes, a few at a time),
// each against the physical limit of reading the log and writing the same final rows bare.
import Database from 'better-sqlite3';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openBenchCore } from './lib/benchCore.ts';
import { defaultRebuildConcurrency } from '../../db/core/workerEngine.ts';
import { openLogReader } from '../../db/log/openEventLog.ts';
import { projections } from '../../db/projections/index.ts';
import { Projector } from '../../db/readmodel/catchUp.ts';
import { openReadModelWriter } from '../../db/readmodel/openReadModel.ts';
import { rebuildReadModel } from '../../db/readmodel/rebuildReadModel.ts';
import type { Projection } from '../../db/readmodel/projection.ts';
import type { ReadModelName, RebuildProgress } from '../../db/contract/index.ts';
import type { BenchResult } from './child.ts';
import { bareBuild, loadFinalRows } from './lib/bareReadModel.ts';
import { copyDataset, logPath, readModelPath } from './lib/dataset.ts';
import { atLeast, atMost, makeFigure, type Figure } from './lib/figures.ts';
import { fmt, mdTable, say } from './lib/log.ts';
import { profile, profileMarkdown } from './lib/profile.ts';
import { statementTable, timedProjection, type StatementTimes } from './lib/statementTimes.ts';
import { median, round } from './lib/stats.ts';
import type { BenchConfig, Chart, LineSeries } from './lib/types.ts';
import { nextMessage, spawnBenchWorker } from './lib/worker.ts';

const removeDb = (path: string) => {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
};

export async function run(config: BenchConfig): Promise<BenchResult> {
  const logFile = logPath(config.baseDir);
  const head = headOf(logFile);
  const tail = config.quick ? Math.min(20_000, Math.floor(head / 5)) : Math.min(100_000, Math.floor(head / 5));
  const runs = config.quick ? 3 : 2;
  const figures: Figure[] = [];
  const sections: string[] = [];
  const charts: Chart[] = [];
  const perProjection: (string | number)[][] = [];
  const bareRates = new Map<ReadModelName, number>();
  const catchUpRates = new Map<ReadModelName, number>();

  for (const projection of projections) {
    // Rebuild from scratch on this thread, alternating with the bare build of the same final rows.
    const final = loadFinalRows(readModelPath(config.baseDir, projection.name));
    const rebuildTimes: number[] = [];
    const bareTimes: number[] = [];
    const phases: { loading: number; indexing: number; verifying: number }[] = [];
    const target = join(config.workDir, `${projection.name}.rebuild.db`);
    const bareTarget = join(config.workDir, `${projection.name}.bare.db`);
    for (let r = 0; r < runs; r++) {
      const order = r % 2 === 0 ? ['waybill', 'bare'] : ['bare', 'waybill'];
      for (const side of order) {
        if (side === 'bare') {
          bareTimes.push(bareBuild(logFile, bareTarget, projection, final).seconds);
          removeDb(bareTarget);
        } else {
          const timed = await timedRebuild(projection, logFile, target);
          rebuildTimes.push(timed.seconds);
          phases.push(timed.phases);
          removeDb(target);
        }
      }
    }
    const rebuildRate = head / median(rebuildTimes);
    const bareRate = head / median(bareTimes);
    bareRates.set(projection.name, bareRate);

    // Catch-up: a follower's Projector applying the last `tail` events to a read model holding all before them.
    const caughtUpTo = join(config.workDir, `${projection.name}.catchup-base.db`);
    removeDb(caughtUpTo);
    await rebuildReadModel({ projection, logPath: logFile, targetPath: caughtUpTo, upTo: head - tail });
    const catchUpTimes: number[] = [];
    const runFile = join(config.workDir, `${projection.name}.catchup.db`);
    for (let r = 0; r <= runs + 1; r++) {
      prepareCatchUp(caughtUpTo, runFile);
      const seconds = catchUp(projection, logFile, runFile, head);
      if (r > 0) catchUpTimes.push(seconds); // the first run warms caches and is excluded
    }
    const catchUpRate = tail / median(catchUpTimes);
    catchUpRates.set(projection.name, catchUpRate);
    say('rebuild', `${projection.name}: rebuild ${fmt(rebuildRate)} ev/s (bare ${fmt(bareRate)}), catch-up ${fmt(catchUpRate)} ev/s`);

    const bareName = `read the whole log + write the same ${fmt(final.rowCount)} final rows with bare prepared statements in one transaction, indexes afterwards`;
    figures.push(
      makeFigure('rebuild', {
        name: `catchup.${projection.name}`,
        unit: 'events/s',
        value: catchUpRate,
        max: tail / Math.min(...catchUpTimes),
        runs: catchUpTimes.length,
        baseline: bareRate,
        baselineName: bareName,
        target: atLeast(50_000, '≥ 50,000 events/s'),
        note: `the last ${fmt(tail)} events applied in batches of 2,000 by a follower Projector (WAL, indexes in place)`,
      }),
      makeFigure('rebuild', {
        name: `rebuild.${projection.name}`,
        unit: 'events/s',
        value: rebuildRate,
        max: head / Math.min(...rebuildTimes),
        runs: rebuildTimes.length,
        baseline: bareRate,
        baselineName: bareName,
        note: `rebuildReadModel from position 0 on one thread: ${round(median(rebuildTimes))} s for ${fmt(head)} events`,
      }),
    );
    const ph = phases.at(-1)!;
    perProjection.push([
      projection.name,
      fmt(final.rowCount),
      fmt(catchUpRate),
      fmt(rebuildRate),
      round(median(rebuildTimes)),
      `${round(ph.loading)} / ${round(ph.indexing)} / ${round(ph.verifying)}`,
      round(median(bareTimes)),
      `${round(median(rebuildTimes) / median(bareTimes), 2)}×`,
    ]);
    if (final.skippedFts.length) sections.push(`Note: ${projection.name} has full-text tables the bare build cannot refill (${final.skippedFts.join(', ')}); its baseline leaves them empty.`);
  }

  // Where the catch-up time goes, statement by statement, for every projection that misses the target.
  const statementSections: string[] = [];
  for (const [name, rate] of catchUpRates) {
    if (rate >= 50_000) continue;
    const times: StatementTimes = new Map();
    const projection = timedProjection(projections.find((p) => p.name === name)!, times);
    prepareCatchUp(join(config.workDir, `${name}.catchup-base.db`), join(config.workDir, `${name}.catchup.db`));
    const seconds = catchUp(projection, logFile, join(config.workDir, `${name}.catchup.db`), head);
    statementSections.push(statementTable(`Statements of ${name}'s catch-up (one more run, each statement timed)`, times, seconds * 1000, tail));
  }

  // Where the slowest projection's catch-up spends its time.
  const slowest = [...catchUpRates.entries()].sort((a, b) => a[1] - b[1])[0]![0];
  const slowProjection = projections.find((p) => p.name === slowest)!;
  prepareCatchUp(join(config.workDir, `${slowest}.catchup-base.db`), join(config.workDir, `${slowest}.catchup.db`));
  const { summary } = await profile(config.repoRoot, () => catchUp(slowProjection, logFile, join(config.workDir, `${slowest}.catchup.db`), head));
  for (const p of projections) removeDb(join(config.workDir, `${p.name}.catchup-base.db`));

  // Every read model at once, as the app rebuilds them, against every bare build at once.
  say('rebuild', 'all read models: Waybill.rebuild() in job processes vs bare builds in worker threads');
  const appDir = copyDataset(config.baseDir, join(config.workDir, 'app'));
  const waybill = await openBenchCore({ dataDir: appDir, projectors: 'workers' });
  const progress: { t: number; p: RebuildProgress }[] = [];
  let runStart = 0;
  waybill.subscribe('rebuild', (p) => progress.push({ t: (performance.now() - runStart) / 1000, p }));
  const allTimes: number[] = [];
  const bareAllTimes: number[] = [];
  let lastProgress: { t: number; p: RebuildProgress }[] = [];
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? ['waybill', 'bare'] : ['bare', 'waybill'];
    for (const side of order) {
      if (side === 'bare') {
        bareAllTimes.push(await bareAll(config, logFile));
      } else {
        progress.length = 0;
        runStart = performance.now();
        const result = await waybill.rebuild();
        allTimes.push((performance.now() - runStart) / 1000);
        if (!result.ok) throw new Error(`Waybill.rebuild failed: ${result.error.message}`);
        lastProgress = [...progress];
      }
    }
    say('rebuild', `all read models, run ${r + 1}/${runs}: Waybill ${round(allTimes.at(-1)!)} s, bare ${round(bareAllTimes.at(-1)!)} s`);
  }
  await waybill.close();

  // The same, every read model at once (rebuildConcurrency = all), as the bare builds run: the
  // engine's default keeps a core free for the followers, so write-to-read lag holds during a rebuild.
  const unthrottledDir = copyDataset(config.baseDir, join(config.workDir, 'app-unthrottled'));
  const unthrottled = await openBenchCore({ dataDir: unthrottledDir, projectors: 'workers', rebuildConcurrency: projections.length });
  const unthrottledTimes: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const result = await unthrottled.rebuild();
    unthrottledTimes.push((performance.now() - started) / 1000);
    if (!result.ok) throw new Error(`Waybill.rebuild failed: ${result.error.message}`);
    say('rebuild', `all read models at once, run ${r + 1}/${runs}: Waybill ${round(unthrottledTimes.at(-1)!)} s`);
  }
  await unthrottled.close();
  rmSync(unthrottledDir, { recursive: true, force: true });

  figures.push(
    makeFigure('rebuild', {
      name: 'rebuild.all.wall.unthrottled',
      unit: 's',
      value: median(unthrottledTimes),
      max: Math.max(...unthrottledTimes),
      runs: unthrottledTimes.length,
      baseline: median(bareAllTimes),
      baselineName: 'the six bare builds in six worker threads at once',
      note: `diagnostic: Waybill.rebuild() with rebuildConcurrency ${projections.length} (every read model at once, like the baseline); the app's default runs ${defaultRebuildConcurrency()} at a time to keep lag low while it rebuilds`,
    }),
  );

  figures.push(
    makeFigure('rebuild', {
      name: 'rebuild.all.wall',
      unit: 's',
      value: median(allTimes),
      max: Math.max(...allTimes),
      runs: allTimes.length,
      baseline: median(bareAllTimes),
      baselineName: 'the six bare builds in six worker threads at once',
      target: atMost(10, '≤ 10 s'),
      note: `Waybill.rebuild() of all ${projections.length} read models over ${fmt(head)} events, in job processes as the engine schedules them, until every swap`,
    }),
  );

  const series: LineSeries[] = projections.map((p) => ({
    label: p.name,
    points: [[0, 0] as [number, number], ...lastProgress.filter((e) => e.p.name === p.name && e.p.target > 0).map((e) => [e.t, (Math.min(e.p.position, e.p.target) / e.p.target) * 100] as [number, number])],
  }));
  charts.push({
    kind: 'lines',
    id: 'rebuild-progress',
    title: `Waybill.rebuild() of every read model (${fmt(head)} events): progress over time`,
    xLabel: 'seconds since Waybill.rebuild()',
    yLabel: '% of the log applied',
    series,
    marks: [{ label: 'target 10 s', x: 10 }],
  });
  charts.push({
    kind: 'bars',
    id: 'projection-rates',
    title: 'Events per second per projection (log scale)',
    unit: 'events/s',
    logX: true,
    groups: projections.map((p) => ({
      label: p.name,
      bars: [
        { label: 'catch-up (follower)', value: catchUpRates.get(p.name)! },
        { label: 'rebuild (one thread)', value: head / Number(perProjection.find((row) => row[0] === p.name)![4]) },
        { label: 'bare baseline', value: bareRates.get(p.name)! },
      ],
    })),
    marks: [{ label: 'target 50k', x: 50_000 }],
  });
  const phaseText = lastProgress.length
    ? mdTable(
        ['read model', 'loaded at s', 'done at s'],
        projections.map((p) => {
          const own = lastProgress.filter((e) => e.p.name === p.name);
          const indexing = own.find((e) => e.p.phase !== 'loading');
          const done = own.find((e) => e.p.phase === 'done');
          return [p.name, indexing ? round(indexing.t) : '', done ? round(done.t) : ''];
        }),
      )
    : '';
  sections.push(
    mdTable(
      ['projection', 'final rows', 'catch-up ev/s', 'rebuild ev/s', 'rebuild s', 'phases s (load / index / verify)', 'bare s', 'rebuild / bare'],
      perProjection,
    ),
    `Per projection on one thread, ${runs} runs each, alternating with the bare build; catch-up over the last ${fmt(tail)} events, ${runs + 1} runs after one excluded warm-up run. ` +
      `Phases are seconds from the start of the last rebuild run to the start of indexing, of verifying, and to the end.`,
    `**Waybill.rebuild() of everything, last run** — seconds from the call until each read model finished loading and until it was swapped in:\n\n${phaseText}`,
    profileMarkdown(`catch-up of ${slowest}, the slowest projection (${fmt(tail)} events)`, summary),
    ...statementSections,
  );
  return { figures, charts, sections: sections.map((markdown) => ({ markdown })) };
}

function headOf(logFile: string): number {
  const db = new Database(logFile, { readonly: true });
  try {
    return db.prepare('SELECT coalesce(max(position), 0) FROM events').pluck().get() as number;
  } finally {
    db.close();
  }
}

async function timedRebuild(projection: Projection, logFile: string, target: string) {
  removeDb(target);
  const marks = { indexing: 0, verifying: 0 };
  const t0 = performance.now();
  await rebuildReadModel({
    projection,
    logPath: logFile,
    targetPath: target,
    onProgress: (p) => {
      const t = (performance.now() - t0) / 1000;
      if (p.phase === 'indexing' && !marks.indexing) marks.indexing = t;
      if (p.phase === 'verifying' && !marks.verifying) marks.verifying = t;
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, phases: { loading: marks.indexing, indexing: marks.verifying, verifying: seconds } };
}

/** A scratch copy of the catch-up starting point (not timed). */
function prepareCatchUp(from: string, runFile: string): void {
  removeDb(runFile);
  copyFileSync(from, runFile);
}

/** Seconds a follower Projector takes from the copy's checkpoint to `head`; the copy is removed after. */
function catchUp(projection: Projection, logFile: string, runFile: string, head: number): number {
  const db = openReadModelWriter(runFile, projection);
  const log = openLogReader(logFile);
  try {
    const projector = new Projector(projection, db, log);
    const t0 = performance.now();
    const reached = projector.catchUp(2000, head);
    const seconds = (performance.now() - t0) / 1000;
    if (reached !== head) throw new Error(`${projection.name} caught up to ${reached}, not ${head}`);
    return seconds;
  } finally {
    db.close();
    log.close();
    removeDb(runFile);
  }
}

/** All bare builds at once, one worker each; the clock starts when every worker holds its rows. */
async function bareAll(config: BenchConfig, logFile: string): Promise<number> {
  const workers = projections.map((p) =>
    spawnBenchWorker(new URL('./lib/bareReadModelWorker.ts', import.meta.url), {
      name: p.name,
      logFile,
      builtFile: readModelPath(config.baseDir, p.name),
      target: join(config.workDir, `${p.name}.bare-all.db`),
    }, 6144),
  );
  const isKind = (kind: string) => (m: unknown): m is { kind: string } => typeof m === 'object' && m !== null && (m as { kind?: unknown }).kind === kind;
  await Promise.all(workers.map((w) => nextMessage(w, isKind('ready'))));
  const t0 = performance.now();
  const done = workers.map((w) => nextMessage(w, isKind('done')));
  for (const w of workers) w.postMessage('go');
  await Promise.all(done);
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(workers.map((w) => w.terminate()));
  for (const p of projections) removeDb(join(config.workDir, `${p.name}.bare-all.db`));
  return seconds;
}
