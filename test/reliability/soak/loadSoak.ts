// The load phase of the soak: the core in this process with worker-thread projectors, commands at a
// fixed rate, queries alongside, two full rebuilds on the way (in job processes, whose memory is
// counted with this process's), and a sample every second of RSS,
// WAL sizes and lag. Write-to-read lag is measured the way a screen sees it: a query asking for
// the command's position (read-your-writes) per read model, timed from the command's return.
import { readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { QueryName } from '../../../db/contract/index.ts';
import { openTestCore } from '../../helpers/testCore.ts';
import { jobsResidentMiB } from '../../helpers/jobProcesses.ts';
import { roundCommands, SETUP } from '../helpers/workload.ts';
import { MeasurementLog, type Measurements } from './measurementLog.ts';
import { maximum } from './stats.ts';

export interface Sample {
  seconds: number;
  /** This process, every thread. */
  rssMiB: number;
  /** Rebuild and verify jobs running in processes of their own (db/projector/jobProcess.ts), summed. */
  jobsRssMiB: number;
  heapMiB: number;
  logWalMiB: number;
  readWalMaxMiB: number;
  head: number;
  maxLag: number;
  /** The machine's 1-minute load average (other programs share these cores). */
  load1: number;
}

export interface LoadResult extends Measurements {
  samples: Sample[];
  commands: number;
  queries: number;
  pushes: number;
  rebuilds: { atSeconds: number; seconds: number; ok: boolean }[];
  errors: string[];
}

const fileMiB = (path: string) => {
  try {
    return statSync(path).size / 1024 / 1024;
  } catch {
    return 0;
  }
};

/** One probe per read model: a query answered by it that a screen would ask. */
const probes: { name: QueryName; params: (parcelId: string) => Record<string, unknown> }[] = [
  { name: 'parcel.summary', params: (parcelId) => ({ parcelId }) },
  { name: 'parcel.timeline', params: (parcelId) => ({ parcelId, limit: 10 }) },
  { name: 'route.current', params: () => ({ driverId: 'drv' }) },
  { name: 'depots.board', params: () => ({}) },
  { name: 'parcel.eta', params: (parcelId) => ({ parcelId }) },
  { name: 'events.list', params: () => ({ limit: 20 }) },
];

export interface LoadOptions {
  minutes: number;
  rate: number;
  /** Read models rebuilt at once (default: the engine's, one less than the cores). */
  rebuildConcurrency?: number;
  log: (line: string) => void;
  /** Where the timings are kept while the load runs. */
  measurementsPath: string;
}

export async function runLoad(dataDir: string, options: LoadOptions): Promise<LoadResult> {
  const waybill = await openTestCore({ dataDir, projectors: 'workers', ...(options.rebuildConcurrency ? { rebuildConcurrency: options.rebuildConcurrency } : {}) });
  const result = { samples: [] as Sample[], commands: 0, queries: 0, rebuilds: [] as LoadResult['rebuilds'], errors: [] as string[] };
  const timings = new MeasurementLog(options.measurementsPath);
  const error = (text: string) => {
    if (result.errors.length < 200) result.errors.push(text);
  };
  // Listen to every push topic, as the desktop window and the browser page do.
  let pushes = 0;
  for (const topic of ['head', 'projection', 'rebuild'] as const) waybill.subscribe(topic, () => pushes++);
  for (const request of SETUP) if (!(await waybill.command(request)).ok) error('setup failed');
  await waybill.core.catchUpAll();

  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const endAt = options.minutes * 60;
  let round = 0;
  let queue: ReturnType<typeof roundCommands> = [];
  const recentParcels: string[] = [];
  // Probes still running (finished ones are dropped, so an hour of them does not pile up in the measured process).
  const pending = new Set<Promise<void>>();

  const measureLag = async (position: number, parcelId: string, sentAt: number) => {
    await Promise.all(
      probes.map(async (probe) => {
        const answer = await waybill.query(probe.name, probe.params(parcelId) as never, { minPosition: position, timeoutMs: 10_000 });
        if (!answer.ok) error(`lag probe ${probe.name}: ${answer.error.code} ${answer.error.message}`);
        else if (answer.freshness.stale) error(`lag probe ${probe.name}: still stale after 10 s`);
        timings.record('lag', performance.now() - sentAt, elapsed(), probe.name);
      }),
    );
  };

  const sendOne = async () => {
    if (queue.length === 0) queue = roundCommands('soak', round++);
    const request = queue.shift()!;
    const t0 = performance.now();
    const answer = await waybill.command(request);
    const t1 = performance.now();
    timings.record('append', t1 - t0, elapsed());
    result.commands++;
    if (!answer.ok) return error(`command ${request.type}: ${answer.error.code} ${answer.error.message}`);
    if (request.type === 'RegisterParcel') {
      recentParcels.push((request.payload as { parcelId: string }).parcelId);
      if (recentParcels.length > 500) recentParcels.shift();
    }
    if (result.commands % 10 === 0) {
      const probe = measureLag(answer.position, recentParcels.at(-1) ?? 'none', t1).finally(() => pending.delete(probe));
      pending.add(probe);
    }
  };

  // Commands at the rate, in 20 ms ticks, catching up if a tick came late (one tick at a time: each command is answered before the next).
  let sending: Promise<void> | null = null;
  const commandTimer = setInterval(() => {
    sending ??= (async () => {
      const due = Math.floor(elapsed() * options.rate);
      while (result.commands < due && elapsed() < endAt) await sendOne();
    })().finally(() => (sending = null));
  }, 20);

  // Queries alongside: a screen's worth of reads, about 50 a second.
  let stopQueries = false;
  const queryLoop = (async () => {
    const names: QueryName[] = ['parcels.list', 'parcel.summary', 'parcel.timeline', 'events.list', 'depots.board', 'route.current', 'projections.status'];
    for (let i = 0; !stopQueries; i++) {
      const name = names[i % names.length]!;
      const parcelId = recentParcels[i % Math.max(1, recentParcels.length)] ?? 'none';
      const params: Record<string, unknown> = name === 'parcels.list' ? { limit: 50, ...(i % 3 === 0 ? { search: 'recipient' } : {}) } : name === 'route.current' ? { driverId: 'drv' } : name.startsWith('parcel.') ? { parcelId } : name === 'events.list' ? { limit: 50 } : {};
      const t0 = performance.now();
      const answer = await waybill.query(name, params as never);
      timings.record('query', performance.now() - t0, elapsed(), name);
      result.queries++;
      if (!answer.ok) error(`query ${name}: ${answer.error.code} ${answer.error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();

  // Two full rebuilds, at a third and at two thirds of the run, while everything else goes on.
  const rebuildAt = [endAt / 3, (2 * endAt) / 3];
  const rebuilds: Promise<void>[] = [];
  const rebuildTimers = rebuildAt.map((at) =>
    setTimeout(() => {
      const t0 = elapsed();
      options.log(`  rebuild of every read model at ${Math.round(t0)} s`);
      rebuilds.push(
        waybill.rebuild().then((answer) => {
          result.rebuilds.push({ atSeconds: Math.round(t0), seconds: Math.round((elapsed() - t0) * 10) / 10, ok: answer.ok });
          if (!answer.ok) error(`rebuild: ${answer.error.message}`);
        }),
      );
    }, at * 1000),
  );

  // A sample a second: memory, WAL sizes, head and lag; and the state of every projection.
  const readDir = join(dataDir, 'read');
  const takeSample = async () => {
    const memory = process.memoryUsage();
    const readWals = readdirSync(readDir).filter((f) => f.endsWith('-wal')).map((f) => fileMiB(join(readDir, f)));
    const status = await waybill.status();
    for (const p of status.projections) if (p.error && !p.error.startsWith('Paused')) error(`projection ${p.name}: ${p.state} ${p.error}`);
    const sample: Sample = {
      seconds: Math.round(elapsed()),
      rssMiB: memory.rss / 1024 / 1024,
      jobsRssMiB: jobsResidentMiB(dataDir),
      heapMiB: memory.heapUsed / 1024 / 1024,
      logWalMiB: fileMiB(join(dataDir, 'events.db-wal')),
      readWalMaxMiB: Math.max(0, maximum(readWals)),
      head: status.head,
      maxLag: maximum(status.projections.map((p) => p.lag)),
      load1: Math.round(loadavg()[0]! * 100) / 100,
    };
    result.samples.push(sample);
    if (sample.seconds % 30 === 0) {
      options.log(`  ${sample.seconds} s: head ${sample.head}, RSS ${sample.rssMiB.toFixed(0)} MiB (+${sample.jobsRssMiB.toFixed(0)} in jobs), log WAL ${sample.logWalMiB.toFixed(1)} MiB, lag ${sample.maxLag}, load ${sample.load1}`);
    }
  };
  const samples = new Set<Promise<void>>();
  const sampleTimer = setInterval(() => {
    const taken = takeSample().finally(() => samples.delete(taken));
    samples.add(taken);
  }, 1000);

  await new Promise((resolve) => setTimeout(resolve, endAt * 1000));
  clearInterval(commandTimer);
  clearInterval(sampleTimer);
  await sending;
  await Promise.all([...samples]);
  for (const timer of rebuildTimers) clearTimeout(timer);
  stopQueries = true;
  await queryLoop;
  await Promise.all([...pending]);
  await Promise.all(rebuilds);
  const report = await waybill.verify();
  if (!report.ok) error(`verify after the load: ${JSON.stringify(report.log)} ${report.readModels.filter((r) => !r.ok).map((r) => r.name).join(', ')}`);
  await waybill.close();
  return { ...result, ...timings.read(), pushes };
}
