// Benchmark 9 — Isolation: a point query's latency while the core is busy with something long
// (verify, a seed, a rebuild), against the same query with the core idle, in the same run. The
// core runs in a process of its own as the apps run it (startCoreProcess, as `waybill serve`
// does); the baseline design is the core in the caller's process with everything on one thread
// (the inline core the CLI uses, as the desktop app's main process ran it before issue 12).
import { join } from 'node:path';
import type { Answer, OperationName, Session } from '../../db/contract/index.ts';
import type { CoreEndpoint } from '../../db/core/endpoint.ts';
import { openCore } from '../../db/core/openCore.ts';
import { startCoreProcess } from '../../db/core/process/startCoreProcess.ts';
import { defaultBuiltFiles } from '../../db/runtime/builtFiles.ts';
import { nodeProcessLauncher } from '../../db/runtime/processLauncher.ts';
import type { BenchResult } from './child.ts';
import { copyDataset } from './lib/dataset.ts';
import { makeFigure, type Figure } from './lib/figures.ts';
import { fmt, mdTable, say } from './lib/log.ts';
import { cdfPoints, distribution, round, sleep, type Distribution } from './lib/stats.ts';
import type { BenchConfig, Chart, LineSeries } from './lib/types.ts';

const session: Session = { actor: 'bench', surface: 'cli' };
/** The ratio of p99s the "never delays another caller" is held to here. */
const P99_RATIO_LIMIT = 3;
/** Calls before anything is timed: the query threads' statements prepared and their pages cached. */
const WARM_UP = 2000;

type Call = (operation: OperationName, input: unknown) => Promise<Answer<object>>;

async function must(call: Call, operation: OperationName, input: unknown): Promise<Record<string, unknown>> {
  const answer = await call(operation, input);
  if (!answer.ok) throw new Error(`${operation}: ${answer.error.code} ${answer.error.message}`);
  return answer as unknown as Record<string, unknown>;
}

/** Point queries one after another until `busy` settles (at least `min` of them); their latencies in ms. */
async function sampleWhile(call: Call, parcelId: string, busy: Promise<unknown> | null, min: number): Promise<number[]> {
  let done = busy === null;
  void busy?.finally(() => (done = true));
  const latencies: number[] = [];
  while (!done || latencies.length < min) {
    const started = performance.now();
    const answer = await call('parcel.summary', { params: { parcelId } });
    latencies.push(performance.now() - started);
    if (!answer.ok) throw new Error(`parcel.summary: ${answer.error.message}`);
    if (busy === null && latencies.length >= min) break;
    // Callers' requests arrive as events (a message, a socket read), not as one microtask chain that would starve the event loop.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await busy;
  return latencies;
}

interface Phase {
  id: string;
  label: string;
  latencies: number[];
  stats: Distribution;
  busyMs: number | null;
}

async function phases(call: Call, parcelId: string, quick: boolean, design: string): Promise<Phase[]> {
  const samples = quick ? 5000 : 10_000;
  for (let i = 0; i < WARM_UP; i++) await must(call, 'parcel.summary', { params: { parcelId } });
  const out: Phase[] = [];
  const idle: number[] = [];
  // Idle stretches before and after every busy one, pooled, so drift over the run (caches, JIT) favours neither side.
  const idleStretch = async () => idle.push(...(await sampleWhile(call, parcelId, null, samples / 4)));
  const busyPhase = async (id: string, label: string, start: () => Promise<unknown>) => {
    await idleStretch();
    const began = performance.now();
    const latencies = await sampleWhile(call, parcelId, start(), 1);
    out.push({ id, label, latencies, stats: distribution(latencies), busyMs: performance.now() - began });
    say('isolation', `${design}, ${label}: ${fmt(latencies.length)} queries, p50 ${round(out.at(-1)!.stats.p50)} / p99 ${round(out.at(-1)!.stats.p99)} ms`);
  };
  await busyPhase('verify', 'while verify runs', () => must(call, 'verify', {}));
  await busyPhase('seed', `while a ${fmt(quick ? 20_000 : 100_000)}-event seed appends`, () => must(call, 'seed', { events: quick ? 20_000 : 100_000, seed: 90_001 }));
  await busyPhase('rebuild', 'while every read model rebuilds', () => must(call, 'rebuild', {}));
  await idleStretch();
  out.unshift({ id: 'alone', label: 'idle core', latencies: idle, stats: distribution(idle), busyMs: null });
  say('isolation', `${design}, idle core: ${fmt(idle.length)} queries, p50 ${round(out[0]!.stats.p50)} / p99 ${round(out[0]!.stats.p99)} ms`);
  return out;
}

export async function run(config: BenchConfig): Promise<BenchResult> {
  const files = defaultBuiltFiles();

  // The apps' design: the core in its own process, its writer, queries and jobs off the caller's thread.
  const processDir = copyDataset(config.baseDir, join(config.workDir, 'process'));
  const core: CoreEndpoint & { close(): Promise<void> } = await startCoreProcess({ launcher: nodeProcessLauncher, core: { dataDir: processDir, files } });
  const viaProcess: Call = (operation, input) => core.call(session, operation, input);
  const head = ((await must(viaProcess, 'projections.status', { params: {} })).data as { head: number }).head;
  await must(viaProcess, 'projections.status', { params: {}, options: { minPosition: head, timeoutMs: 30_000 } });
  await sleep(2000); // the query threads and followers finish starting before anything is timed
  const first = (await must(viaProcess, 'parcels.list', { params: { limit: 1 } })).data as { rows: { parcelId: string }[] };
  const parcelId = first.rows[0]!.parcelId;
  const separate = await phases(viaProcess, parcelId, config.quick, 'core process');
  await core.close();

  // The baseline design: one thread for the caller and every piece of the core.
  const inlineDir = copyDataset(config.baseDir, join(config.workDir, 'inline'));
  const inline = await openCore({ dataDir: inlineDir, projectors: 'inline' });
  const viaInline: Call = (operation, input) => inline.endpoint.call(session, operation, input);
  const oneThread = await phases(viaInline, parcelId, config.quick, 'one thread');
  await inline.close();

  const alone = separate[0]!;
  const figures: Figure[] = [];
  const rows: (string | number)[][] = [];
  const series: LineSeries[] = [];
  for (const phase of separate) {
    const baseline = oneThread.find((p) => p.id === phase.id)!;
    rows.push([
      phase.label,
      fmt(phase.latencies.length),
      round(phase.stats.p50),
      round(phase.stats.p99),
      round(phase.stats.max),
      round(phase.stats.p99 / alone.stats.p99),
      round(baseline.stats.p99),
      round(baseline.stats.max),
      phase.busyMs === null ? '' : round(phase.busyMs / 1000),
    ]);
    series.push({ label: `core process, ${phase.label}`, points: cdfPoints(phase.latencies) });
    if (phase.id === 'alone') continue;
    figures.push(
      makeFigure('isolation', {
        name: `isolation.point-query-p99.${phase.id}`,
        unit: 'ms',
        value: phase.stats.p99,
        max: phase.stats.max,
        runs: phase.stats.count,
        baseline: alone.stats.p99,
        baselineName: 'p99 of the same query with the core idle (same run, same process)',
        target: { on: 'ratio', op: '<=', limit: P99_RATIO_LIMIT, text: `p99 ${phase.label} ≤ ${P99_RATIO_LIMIT}× p99 idle` },
        alt: [{ name: 'one thread (the design before the core process)', value: baseline.stats.p99 }],
        note: `parcel.summary through the core process ${phase.label}; on one thread the same query waited up to ${fmt(round(baseline.stats.max))} ms`,
      }),
    );
  }
  series.push({ label: 'one thread, while verify runs', points: cdfPoints(oneThread.find((p) => p.id === 'verify')!.latencies) });

  const charts: Chart[] = [
    { kind: 'lines', id: 'isolation-cdf', title: 'parcel.summary while the core is busy (core process) and on one thread', xLabel: 'ms (log scale)', yLabel: 'percentile', logX: true, series },
  ];
  const sections = [
    mdTable(['phase', 'queries', 'p50 ms', 'p99 ms', 'max ms', 'p99 ÷ idle p99', 'one thread p99 ms', 'one thread max ms', 'busy for s'], rows),
    `One \`parcel.summary\` after another, each awaited, for as long as the long operation runs (the idle figure: ${fmt(alone.latencies.length)} queries in stretches before and after each busy phase, pooled; ${fmt(WARM_UP)} warm-up calls first). ` +
      'The core process answers from its query threads while the job processes (verify, rebuild) and the writer thread work; the machine has 2 cores, so what remains is CPU contention, not waiting. ' +
      'On one thread a query waits for the whole of each synchronous step: the log\'s hash walk, a read model\'s scratch rebuild, a seed chunk.',
  ];
  return { figures, charts, sections: sections.map((markdown) => ({ markdown })) };
}
