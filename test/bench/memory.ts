// Benchmark 6 — Memory and size: peak RSS of a process running the core with its worker projectors
// through appends, queries and a rebuild (its rebuild job processes counted with it); bytes on disk
// per 1M events for the log and each read model.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openBenchCore } from './lib/benchCore.ts';
import type { QueryName, QueryParams } from '../../db/contract/index.ts';
import { projections } from '../../db/projections/index.ts';
import type { BenchResult } from './child.ts';
import { jobsResidentMiB } from '../helpers/jobProcesses.ts';
import { copyDataset, fileBytes, logPath, readModelPath } from './lib/dataset.ts';
import { makeFigure, type Figure } from './lib/figures.ts';
import { fmt, mdTable, say } from './lib/log.ts';
import { tableBytes } from './lib/sqlite.ts';
import { round, sleep } from './lib/stats.ts';
import type { BenchConfig, Chart } from './lib/types.ts';
import { CommandStream, loadWorld } from './lib/workload.ts';

const MB = 2 ** 20;

export async function run(config: BenchConfig): Promise<BenchResult> {
  const figures: Figure[] = [];
  const sections: string[] = [];
  const charts: Chart[] = [];

  // ── Size on disk, from the seeded folder (every WAL folded in).
  const head = headOf(logPath(config.baseDir));
  const per1M = (bytes: number) => (bytes / MB) * (1_000_000 / head);
  const files = [{ name: 'log (events.db)', key: 'log', path: logPath(config.baseDir) }, ...projections.map((p) => ({ name: p.name, key: p.name, path: readModelPath(config.baseDir, p.name) }))];
  const sizeRows: (string | number)[][] = [];
  let readModelsTotal = 0;
  let readModelsContent = 0;
  for (const f of files) {
    const bytes = fileBytes(f.path);
    const content = contentBytes(f.path);
    if (f.key !== 'log') {
      readModelsTotal += bytes;
      readModelsContent += content;
    }
    figures.push(
      makeFigure('memory', {
        name: `size.${f.key}`,
        unit: 'MB per 1M events',
        value: per1M(bytes),
        baseline: per1M(content),
        baselineName: 'the bytes of the rows’ own values (sum of length() over every column), without indexes, page and record overhead',
      }),
    );
    const top = tableBytes(f.path)
      .slice(0, 4)
      .map((t) => `${t.name} ${fmt(t.bytes / MB, 1)}`)
      .join(', ');
    sizeRows.push([f.name, fmt(bytes / MB, 1), fmt(per1M(bytes), 1), fmt(bytes / head, 0), `${round(bytes / content, 2)}×`, top]);
  }
  figures.push(
    makeFigure('memory', {
      name: 'size.all_read_models',
      unit: 'MB per 1M events',
      value: per1M(readModelsTotal),
      baseline: per1M(readModelsContent),
      baselineName: 'the bytes of the rows’ own values (sum of length() over every column), without indexes, page and record overhead',
    }),
  );
  sections.push(
    mdTable(['file', 'MB', 'MB per 1M events', 'bytes per event', 'file / content', 'largest tables and indexes (MB)'], sizeRows),
  );

  // ── Peak RSS of the core at work.
  const dataDir = copyDataset(config.baseDir, join(config.workDir, 'data'));
  const samples: [number, number][] = [];
  const t0 = performance.now();
  const sample = () => samples.push([(performance.now() - t0) / 1000, process.memoryUsage().rss / MB + jobsResidentMiB(dataDir)]);
  const timer = setInterval(sample, 100);
  const phases: { phase: string; peak: number; seconds: number }[] = [];
  const phase = async (name: string, work: () => Promise<void>) => {
    const from = samples.length;
    const start = performance.now();
    await work();
    sample();
    phases.push({ phase: name, peak: Math.max(...samples.slice(from).map((s) => s[1])), seconds: (performance.now() - start) / 1000 });
    say('memory', `${name}: peak RSS ${fmt(phases.at(-1)!.peak)} MB`);
  };
  sample();
  const startRss = process.memoryUsage().rss / MB;
  const waybill = await openBenchCore({ dataDir, projectors: 'workers' });
  await phase('open, worker projectors following', async () => {
    await waybill.core.catchUpAll();
    await sleep(2000);
  });
  const stream = new CommandStream(loadWorld(logPath(dataDir)), { tag: 'mm', seed: 3 });
  await phase(`append ${config.quick ? '20,000' : '100,000'} commands back to back`, async () => {
    const n = config.quick ? 20_000 : 100_000;
    for (let i = 0; i < n; i++) {
      const r = await waybill.command(stream.next());
      if (!r.ok) throw new Error(r.error.message);
      if (i % 200 === 0) await sleep(0);
    }
    await waybill.core.catchUpAll();
  });
  await phase('every query, 200 times each', async () => {
    const params: [QueryName, QueryParams<QueryName>][] = [
      ['parcels.list', { limit: 100 }],
      ['parcels.list', { search: 'Hopper', limit: 100 }],
      ['depots.board', {}],
      ['events.list', { limit: 100 }],
      ['events.list', { search: 'Leicester', limit: 100 }],
      ['projections.status', {}],
    ];
    for (let i = 0; i < 200; i++) for (const [name, p] of params) await waybill.query(name, p);
  });
  await phase('rebuild of every read model', async () => {
    const r = await waybill.rebuild();
    if (!r.ok) throw new Error(r.error.message);
  });
  clearInterval(timer);
  await waybill.close();
  // maxRSS covers this process alone, the samples its job processes too.
  const peak = Math.max(process.resourceUsage().maxRSS / 1024, ...samples.map((s) => s[1]));
  figures.push(
    makeFigure('memory', {
      name: 'memory.peak_rss',
      unit: 'MB',
      value: peak,
      baseline: startRss,
      baselineName: 'the same process before opening the data folder (Node, tsx and the modules loaded)',
      note: `main thread, ${projections.length} follower threads and the WAL checkpointer, plus, while rebuilding, its rebuild job processes (summed with it, sampled every 100 ms)`,
    }),
  );
  charts.push({ kind: 'lines', id: 'memory-rss', title: 'Resident set size of the process and its rebuild job processes over the run', xLabel: 'seconds', yLabel: 'RSS (MB)', series: [{ label: 'RSS', points: samples }] });
  sections.push(mdTable(['phase', 'peak RSS MB', 'seconds'], phases.map((p) => [p.phase, fmt(p.peak), round(p.seconds)])));
  return { figures, charts, sections: sections.map((markdown) => ({ markdown })) };
}

function headOf(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT coalesce(max(position), 0) FROM events').pluck().get() as number;
  } finally {
    db.close();
  }
}

/** Sum of length() of every value in every ordinary table (full-text tables count their shadow tables' values). */
function contentBytes(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    let total = 0;
    for (const t of tables) {
      const cols = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(t) as string[];
      if (cols.length === 0) continue;
      total += (db.prepare(`SELECT coalesce(sum(${cols.map((c) => `coalesce(length("${c}"), 0)`).join(' + ')}), 0) FROM "${t}"`).pluck().get() as number) ?? 0;
    }
    return total;
  } finally {
    db.close();
  }
}
