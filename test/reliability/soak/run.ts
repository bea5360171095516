// `npm run soak [-- --minutes 60]`: the long versions of the crash scenarios, then a load soak.
// Not part of `npm test`. Writes results/soak-<date>.json and SVG charts of RSS and WAL sizes, prints
// the figures and the pass criteria, and exits 1 if any criterion is not met.
//   --minutes N        load duration (default 10; the full soak is 60)
//   --rate N           commands per second (default 200)
//   --kills N          writer SIGKILLs (default 100; 0 skips)
//   --rebuild-kills N  SIGKILLs mid-rebuild (default 10; 0 skips)
//   --seed-events N    history seeded before the load (default 50000)
//   --rebuild-concurrency N  read models rebuilt at once (default: the engine's, cores − 1)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { logPathIn } from '../../../db/core/dataPaths.ts';
import { openTestCore } from '../../helpers/testCore.ts';
import { buildNode } from '../../../electron/build/build.ts';
import { finishRebuilds, runRebuildCrashes, seedProjectedFolder, serving } from '../helpers/rebuildCrash.ts';
import { auditLog, runWriterCrashes } from '../helpers/writerCrash.ts';
import { memoryChart, totalRss, walChart } from './charts.ts';
import { runLoad } from './loadSoak.ts';
import { continueWithBoundedArenas } from '../../../db/runtime/mallocArenas.ts';
import { maximum, percentile, round, slope } from './stats.ts';
import { codeVersion } from '../../bench/lib/codeVersion.ts';

// Measured as the product runs: with the allocator limit the app's entry points set (db/runtime/mallocArenas.ts).
await continueWithBoundedArenas();

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '200' },
    kills: { type: 'string', default: '100' },
    'rebuild-kills': { type: 'string', default: '10' },
    'seed-events': { type: 'string', default: '50000' },
    'rebuild-concurrency': { type: 'string' },
  },
});
const config = {
  minutes: Number(values.minutes),
  rate: Number(values.rate),
  kills: Number(values.kills),
  rebuildKills: Number(values['rebuild-kills']),
  seedEvents: Number(values['seed-events']),
  rebuildConcurrency: values['rebuild-concurrency'] === undefined ? null : Number(values['rebuild-concurrency']),
};
const log = (line: string) => console.log(line);
const resultsDir = fileURLToPath(new URL('./results', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'waybill-soak-'));
const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const criteria: { name: string; value: number | string; target: string; met: boolean }[] = [];
const problems: string[] = [];

await buildNode(); // the entries threads and processes start from, as the apps ship them
log(`waybill soak ${stamp}: ${JSON.stringify(config)} in ${work}`);

let writerCrash: Record<string, unknown> | null = null;
if (config.kills > 0) {
  log(`\n1. writer crash: ${config.kills} SIGKILLs`);
  const dir = join(work, 'writer-crash');
  const started = performance.now();
  const run = await runWriterCrashes(dir, { kills: config.kills, seed: 1127, maxAcks: 400, maxCheckpoints: 60 });
  const audit = auditLog(logPathIn(dir), run.acks);
  const waybill = await openTestCore({ dataDir: dir, projectors: 'workers' });
  await waybill.core.catchUpAll();
  const report = await waybill.verify();
  await waybill.close();
  const held = run.problems.length === 0 && audit.missing.length + audit.miscounted.length + audit.partial.length + audit.orphanEvents + audit.gaps === 0 && report.ok;
  writerCrash = {
    kills: run.kills,
    killsWhileAppending: run.killsWhileAppending,
    killsWhileProjecting: run.killsWhileProjecting,
    acknowledged: run.acks.filter((a) => !a.duplicate).length,
    retried: run.retried.length,
    head: audit.head,
    audit,
    verify: { ok: report.ok, integrity: report.log.integrity, gapless: report.log.gapless, chain: report.log.chain.ok },
    minutes: round((performance.now() - started) / 60_000, 1),
  };
  problems.push(...run.problems);
  criteria.push({ name: 'writer crash: acknowledged commands all present and whole, log intact, read models = rebuild', value: held ? 'held' : 'FAILED', target: 'held', met: held });
  log(`   ${JSON.stringify(writerCrash)}`);
}

let rebuildCrash: Record<string, unknown> | null = null;
if (config.rebuildKills > 0) {
  log(`\n2. rebuild crash: ${config.rebuildKills} SIGKILLs mid-rebuild`);
  const dir = join(work, 'rebuild-crash');
  const rebuilt = ['parcel_summary', 'parcel_timeline', 'event_history'] as const;
  const seeded = await seedProjectedFolder(dir, 30_000, 11);
  const run = await runRebuildCrashes(dir, seeded, { kills: config.rebuildKills, seed: 11, rebuilt });
  const finished = await finishRebuilds(dir);
  const halfBuilt = run.answers.filter((a) => a.parcels !== seeded.parcels || a.onBoards !== seeded.onBoards).length;
  const allSwapped = [...serving(dir)].every(([name, state]) => !rebuilt.includes(name as (typeof rebuilt)[number]) || state.file !== seeded.original.get(name)!.file);
  const held = run.problems.length === 0 && halfBuilt === 0 && allSwapped && finished.markersLeft.length === 0 && finished.verified;
  rebuildCrash = { kills: run.kills, killedMidRebuild: run.killedMidRebuild, queries: run.answers.length, halfBuiltAnswers: halfBuilt, allSwapped, finished };
  problems.push(...run.problems);
  criteria.push({ name: 'rebuild crash: old model served, nothing half-built queried, next start finished the rebuild', value: held ? 'held' : 'FAILED', target: 'held', met: held });
  log(`   ${JSON.stringify(rebuildCrash)}`);
}

log(`\n3. load: ${config.minutes} min at ${config.rate} commands/s over ${config.seedEvents} seeded events, queries alongside, two rebuilds`);
const loadDir = join(work, 'load');
if (config.seedEvents > 0) await seedProjectedFolder(loadDir, config.seedEvents, 3);
const load = await runLoad(loadDir, { minutes: config.minutes, rate: config.rate, log, measurementsPath: join(work, 'timings.tsv'), ...(config.rebuildConcurrency ? { rebuildConcurrency: config.rebuildConcurrency } : {}) });
// The per-second samples first, so an hour of load is on disk even if summarising it fails.
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, `soak-${stamp}-samples.json`), `${JSON.stringify({ config, rebuilds: load.rebuilds, errors: load.errors.slice(0, 50), samples: load.samples })}\n`);
// Figures outside and inside the rebuild windows (a second of margin after each).
const inRebuild = (seconds: number) => load.rebuilds.some((r) => seconds >= r.atSeconds && seconds <= r.atSeconds + r.seconds + 1);
const split = (values: number[], at: number[]) => ({
  outside: values.filter((_, i) => !inRebuild(at[i]!)),
  inside: values.filter((_, i) => inRebuild(at[i]!)),
});
const lagSplit = split(load.lagMs, load.lagAt);
const appendSplit = split(load.appendMs, load.appendAt);
const figures = (values: number[], digits = 1) => ({ n: values.length, p50: round(percentile(values, 50), digits), p99: round(percentile(values, 99), digits), max: round(Math.max(0, maximum(values)), digits) });
/** Figures per label, for values labelled one by one (lag by probe, time by query). */
const figuresBy = (values: number[], labels: string[], digits = 1) =>
  Object.fromEntries([...new Set(labels)].map((label) => [label, figures(values.filter((_, i) => labels[i] === label), digits)]));
problems.push(...load.errors);

// Memory: after a warm-up (a fifth of the run, at least a minute) RSS must not keep growing.
// Counted: this process and its rebuild job processes together (totalRss).
const warmup = Math.max(60, (config.minutes * 60) / 5);
const steady = load.samples.filter((s) => s.seconds >= warmup);
const rssSlope = slope(steady.map((s) => ({ x: s.seconds / 60, y: totalRss(s) })));
const rssFirst = steady.slice(0, Math.max(1, Math.floor(steady.length / 4))).map(totalRss);
const rssLast = steady.slice(-Math.max(1, Math.floor(steady.length / 4))).map(totalRss);
const maxLogWal = maximum(load.samples.map((s) => s.logWalMiB));
const maxReadWal = maximum(load.samples.map((s) => s.readWalMaxMiB));
const lagP99 = percentile(load.lagMs, 99);
criteria.push(
  steady.length >= 60
    ? { name: 'memory flat: RSS slope after warm-up (MiB/min)', value: round(rssSlope), target: '≤ 2', met: rssSlope <= 2 }
    : { name: 'memory flat: RSS slope after warm-up (MiB/min)', value: 'not measured: run at least 2 minutes', target: '≤ 2', met: false },
  { name: 'WAL bounded: largest log WAL (MiB)', value: round(maxLogWal, 1), target: '≤ 64', met: maxLogWal <= 64 },
  { name: 'WAL bounded: largest read-model WAL (MiB)', value: round(maxReadWal, 1), target: '≤ 64', met: maxReadWal <= 64 },
  { name: 'lag: write-to-read p99 per read model (ms)', value: round(lagP99, 1), target: '≤ 25', met: lagP99 <= 25 },
  { name: 'errors', value: problems.length, target: '0', met: problems.length === 0 },
);

const summary = {
  commands: load.commands,
  commandsPerSecond: round(load.commands / (config.minutes * 60), 1),
  appendMs: { all: figures(load.appendMs, 3), outsideRebuilds: figures(appendSplit.outside, 3), duringRebuilds: figures(appendSplit.inside, 3) },
  lagMs: { all: figures(load.lagMs), outsideRebuilds: figures(lagSplit.outside), duringRebuilds: figures(lagSplit.inside) },
  lagMsByProbe: figuresBy(load.lagMs, load.lagProbe),
  queries: load.queries,
  pushMessages: load.pushes,
  queryMs: { p50: round(percentile(load.queryMs, 50), 2), p99: round(percentile(load.queryMs, 99), 2) },
  queryMsByName: figuresBy(load.queryMs, load.queryName, 2),
  rebuilds: load.rebuilds,
  rssMiB: { first: round(load.samples[0] ? totalRss(load.samples[0]) : 0, 0), max: round(maximum(load.samples.map(totalRss)), 0), maxInJobs: round(Math.max(0, maximum(load.samples.map((s) => s.jobsRssMiB))), 0), steadyFirstQuarterMedian: round(percentile(rssFirst, 50), 0), steadyLastQuarterMedian: round(percentile(rssLast, 50), 0), slopePerMinute: round(rssSlope) },
  walMiB: { logMax: round(maxLogWal, 1), readModelMax: round(maxReadWal, 1) },
  finalHead: load.samples.at(-1)?.head ?? 0,
  machineLoad1: { median: round(percentile(load.samples.map((s) => s.load1), 50), 1), max: round(Math.max(0, maximum(load.samples.map((s) => s.load1))), 1) },
};
const passed = criteria.every((c) => c.met);
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: round(totalmem() / 1024 ** 3, 1), node: process.version, platform: `${process.platform} ${process.arch}`, mallocArenaMax: process.env.MALLOC_ARENA_MAX ?? 'glibc default' };

mkdirSync(resultsDir, { recursive: true });
const base = join(resultsDir, `soak-${stamp}`);
writeFileSync(`${base}.json`, `${JSON.stringify({ date: new Date().toISOString(), machine, code: codeVersion(fileURLToPath(new URL('../../..', import.meta.url))), config, passed, criteria, writerCrash, rebuildCrash, load: summary, problems: problems.slice(0, 50), samples: load.samples }, null, 2)}\n`);
const chartRun = { rate: config.rate, minutes: config.minutes, commands: summary.commands, samples: load.samples, rebuilds: load.rebuilds };
writeFileSync(`${base}-rss.svg`, memoryChart(chartRun));
writeFileSync(`${base}-wal.svg`, walChart(chartRun));
rmSync(work, { recursive: true, force: true });

log(`\nload: ${JSON.stringify(summary)}`);
log('\ncriteria:');
for (const c of criteria) log(`  ${c.met ? 'ok  ' : 'FAIL'} ${c.name}: ${c.value} (target ${c.target})`);
if (problems.length > 0) log(`\nproblems (first 10):\n  ${problems.slice(0, 10).join('\n  ')}`);
log(`\nwrote ${base}.json, ${base}-rss.svg, ${base}-wal.svg`);
process.exit(passed ? 0 : 1);
