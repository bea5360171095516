// Benchmark 5 — Lag: command committed → read model committed, for every command and read model,
// while commands are appended at a fixed pace (500/s, 2,000/s) and during a rebuild of everything.
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { openBenchCore, type BenchCore } from './lib/benchCore.ts';
import { projections } from '../../db/projections/index.ts';
import type { BenchResult } from './child.ts';
import { copyDataset, logPath } from './lib/dataset.ts';
import { atMost, makeFigure, type Figure } from './lib/figures.ts';
import { fmt, mdTable, say } from './lib/log.ts';
import { cdfPoints, distribution, monoMs, round, sleep } from './lib/stats.ts';
import type { BenchConfig, Chart, LineSeries } from './lib/types.ts';
import { nextMessage, spawnBenchWorker } from './lib/worker.ts';
import { CommandStream, loadWorld } from './lib/workload.ts';

interface Commit {
  position: number;
  at: number;
  latency: number;
}
interface Records {
  name: string;
  positions: number[];
  times: number[];
}
interface Scenario {
  id: string;
  label: string;
  rate: number;
  commits: Commit[];
  seconds: number;
  rebuildSeconds?: number;
}

const BARE = 'bare follower';

export async function run(config: BenchConfig): Promise<BenchResult> {
  const seconds = config.quick ? 8 : 20;
  const warmSeconds = 2;
  const dataDir = copyDataset(config.baseDir, join(config.workDir, 'data'));
  const world = loadWorld(logPath(dataDir));
  const waybill = await openBenchCore({ dataDir, projectors: 'workers' });
  await waybill.core.catchUpAll();
  const names = projections.map((p) => p.name);

  const flag = new SharedArrayBuffer(4);
  const bareFile = join(config.workDir, 'bare-follower.db');
  const bare = spawnBenchWorker(new URL('./lib/bareFollowerWorker.ts', import.meta.url), { logFile: logPath(dataDir), target: bareFile, intervalMs: 0.25, flag, from: waybill.head() });
  await sleep(300);
  const poller = spawnBenchWorker(new URL('./lib/lagPollerWorker.ts', import.meta.url), {
    dataDir,
    names,
    extra: [{ name: BARE, file: bareFile, sql: 'SELECT position FROM checkpoint WHERE id = 1' }],
    intervalMs: 0.5,
    flag,
  });
  const recordsPromise = nextMessage(poller, (m): m is { kind: 'records'; records: Records[] } => typeof m === 'object' && m !== null && (m as { kind?: string }).kind === 'records');
  await sleep(300);

  const stream = new CommandStream(world, { tag: 'lg', seed: 5 });
  const scenarios: Scenario[] = [];
  for (const rate of [500, 2000]) {
    await paced(waybill, stream, rate, warmSeconds, () => false);
    await drain(waybill);
    say('lag', `${fmt(rate)} commands/s for ${seconds} s`);
    const t0 = monoMs();
    const commits = await paced(waybill, stream, rate, seconds, () => false);
    scenarios.push({ id: `${rate}`, label: `${fmt(rate)} commands/s`, rate, commits, seconds: (monoMs() - t0) / 1000 });
    await drain(waybill);
  }
  say('lag', '500 commands/s during a rebuild of every read model');
  let rebuilding = true;
  const t0 = monoMs();
  const rebuild = waybill.rebuild().then((r) => {
    rebuilding = false;
    return { result: r, seconds: (monoMs() - t0) / 1000 };
  });
  const commits = await paced(waybill, stream, 500, config.quick ? 60 : 180, () => !rebuilding);
  const rebuilt = await rebuild;
  if (!rebuilt.result.ok) throw new Error(`rebuild failed: ${rebuilt.result.error.message}`);
  scenarios.push({ id: 'rebuild', label: '500 commands/s during a rebuild', rate: 500, commits, seconds: (monoMs() - t0) / 1000, rebuildSeconds: rebuilt.seconds });
  await drain(waybill);
  await sleep(500);

  Atomics.store(new Int32Array(flag), 0, 1);
  const { records } = await recordsPromise;
  await Promise.all([poller, bare].map((w: Worker) => w.terminate()));
  await waybill.close();

  const figures: Figure[] = [];
  const rows: (string | number)[][] = [];
  const charts: Chart[] = [];
  const cdfSeries: LineSeries[] = [];
  for (const s of scenarios) {
    const perModel = new Map<string, number[]>();
    for (const r of records) perModel.set(r.name, lagsFor(s.commits, r));
    const all = s.commits.map((_, i) => Math.max(...names.map((n) => perModel.get(n)![i]!)));
    const d = distribution(all.filter(Number.isFinite));
    const b = distribution(perModel.get(BARE)!.filter(Number.isFinite));
    const appendLat = distribution(s.commits.map((c) => c.latency));
    const achieved = s.commits.length / s.seconds;
    const missing = all.filter((v) => !Number.isFinite(v)).length;
    figures.push(
      makeFigure('lag', {
        name: `lag.${s.id === 'rebuild' ? 'during_rebuild' : s.id}`,
        unit: 'ms',
        value: d.p50,
        p99: d.p99,
        max: d.max,
        runs: d.count,
        baseline: b.p50,
        baselineP99: b.p99,
        baselineName: 'a bare follower thread that polls the log (PRAGMA data_version every 0.25 ms), reads the new rows and commits only a checkpoint',
        ...(s.id === '500' ? { target: atMost(25, 'p99 ≤ 25 ms at 500 commands/s', 'p99') } : {}),
        note: `${s.label}: ${fmt(s.commits.length)} commands (${fmt(achieved)} /s achieved), lag until the slowest of the ${names.length} read models has committed${s.rebuildSeconds ? `; the rebuild took ${round(s.rebuildSeconds)} s` : ''}${missing ? `; ${missing} never seen` : ''}`,
      }),
      makeFigure('lag', {
        name: `lag.${s.id === 'rebuild' ? 'during_rebuild' : s.id}.append_latency`,
        unit: 'ms',
        value: appendLat.p50,
        p99: appendLat.p99,
        p999: appendLat.p999,
        max: appendLat.max,
        runs: appendLat.count,
        note: `Waybill.command latency at ${s.label} with the ${names.length} worker projectors following (and the rebuild workers, if any)`,
      }),
    );
    for (const name of [...names, BARE]) {
      const m = distribution(perModel.get(name)!.filter(Number.isFinite));
      rows.push([s.label, name, round(m.p50), round(m.p90), round(m.p99), round(m.max)]);
    }
    rows.push([s.label, '**all read models (slowest per command)**', round(d.p50), round(d.p90), round(d.p99), round(d.max)]);
    cdfSeries.push({ label: `all read models, ${s.label}`, points: cdfPoints(all.filter(Number.isFinite)) });
    if (s.id === '500') cdfSeries.push({ label: `bare follower, ${s.label}`, points: cdfPoints(perModel.get(BARE)!.filter(Number.isFinite)) });
    if (s.id === 'rebuild') {
      const start = s.commits[0]?.at ?? 0;
      charts.push({
        kind: 'lines',
        id: 'lag-during-rebuild',
        title: `Lag of each command (slowest read model) while every read model rebuilds (${round(s.rebuildSeconds ?? 0)} s)`,
        xLabel: 'seconds since the rebuild started',
        yLabel: 'lag (ms, log scale)',
        logY: true,
        series: [{ label: 'lag per command', points: thin(s.commits.map((c, i) => [(c.at - start) / 1000, Math.max(0.05, all[i]!)] as [number, number]).filter((p) => Number.isFinite(p[1])), 1500) }],
        marks: [{ label: '25 ms', y: 25 }],
      });
    }
  }
  charts.unshift({
    kind: 'lines',
    id: 'lag-cdf',
    title: 'Write-to-read lag: command returned → read model committed (CDF)',
    xLabel: 'lag (ms, log scale)',
    yLabel: 'percentile',
    logX: true,
    series: cdfSeries,
    marks: [{ label: 'target p99 ≤ 25 ms', x: 25 }],
  });
  const sections = [
    mdTable(['scenario', 'read model', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'], rows, ['l', 'l', 'r', 'r', 'r', 'r']),
    `Commands are paced on an open-loop schedule (a late command is sent at once, not skipped), after ${warmSeconds} s of excluded warm-up at the same rate; ` +
      'the watcher thread polls PRAGMA data_version of every read model every 0.5 ms, so the measured lag is high by up to about 0.5 ms.',
  ];
  return { figures, charts, sections: sections.map((markdown) => ({ markdown })) };
}

/** Appends at `rate` commands/s for `seconds` (or until `done()`), yielding to the event loop between commands. */
async function paced(waybill: BenchCore, stream: CommandStream, rate: number, seconds: number, done: () => boolean): Promise<Commit[]> {
  const interval = 1000 / rate;
  const total = Math.round(rate * seconds);
  const commits: Commit[] = [];
  const t0 = monoMs();
  for (let i = 0; i < total && !done(); ) {
    const due = t0 + i * interval;
    const now = monoMs();
    if (now < due) {
      if (due - now > 2) await sleep(due - now - 1);
      else await yieldToLoop();
      continue;
    }
    const command = stream.next();
    const s = monoMs();
    const result = await waybill.command(command);
    const e = monoMs();
    if (!result.ok) throw new Error(`${command.type} refused: ${result.error.message}`);
    commits.push({ position: result.position, at: e, latency: e - s });
    i++;
    if (i % 8 === 0) await yieldToLoop();
  }
  return commits;
}

/** Waits until every read model has reached the head (so scenarios do not overlap). */
async function drain(waybill: BenchCore): Promise<void> {
  const deadline = monoMs() + 60_000;
  while (monoMs() < deadline) {
    const status = await waybill.status();
    if (status.projections.every((p) => p.checkpoint >= status.head)) return;
    await sleep(20);
  }
}

/**
 * For each commit, when `r` first showed a checkpoint at or past its position, minus its commit time.
 * Commits rise in position; the watcher records only rising positions, so one forward pass does.
 */
function lagsFor(commits: Commit[], r: Records): number[] {
  const out: number[] = [];
  let j = 0;
  for (const c of commits) {
    while (j < r.positions.length && r.positions[j]! < c.position) j++;
    out.push(j < r.positions.length ? Math.max(0, r.times[j]! - c.at) : Number.POSITIVE_INFINITY);
  }
  return out;
}

function thin(points: [number, number][], max: number): [number, number][] {
  if (points.length <= max) return points;
  const step = points.length / max;
  const out: [number, number][] = [];
  for (let i = 0; i < points.length; i += step) out.push(points[Math.floor(i)]!);
  return out;
}
