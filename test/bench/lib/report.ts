// results/REPORT.md and its SVG charts, from the figures and the benchmarks' own sections.
import { fileURLToPath } from 'node:url';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure } from './figures.ts';
import { mdTable } from './log.ts';
import type { MachineInfo } from './machine.ts';
import type { DatasetInfo } from './dataset.ts';
import type { CodeVersion } from './codeVersion.ts';
import { barChartSvg, lineChartSvg } from './svg.ts';
import type { BenchName, BenchOutput } from './types.ts';

export interface ReportHeader {
  date: string;
  durationSeconds: number;
  events: number;
  quick: boolean;
  benchmarks: BenchName[];
  failed: { name: BenchName; error: string }[];
  machine: MachineInfo;
  dataset: DatasetInfo;
  peakRssMb: Record<string, number>;
  command: string;
  code: CodeVersion & { dbHashAtEnd: string };
  loadAverageAtEnd: number[];
  /** Benchmarks run again later (npm run bench -- --only … --merge) and merged into this run's figures. */
  reruns?: { benchmarks: BenchName[]; date: string; code: CodeVersion & { dbHashAtEnd: string }; loadAverageAtStart: number[]; mallocArenaMax?: string }[];
}

const titles: Record<BenchName, string> = {
  append: '1. Append',
  peer: '2. Peer: Emmett SQLite',
  rebuild: '3. Catch-up and rebuild',
  queries: '4. Queries',
  lag: '5. Write-to-read lag',
  memory: '6. Memory and size',
  bridge: '7. Bridge',
  browser: '8. Browser mode in a real browser',
  isolation: '9. Isolation: a query while the core is busy',
  sync: '10. Sync: laptops and a sync server on PostgreSQL',
};

const intros: Record<BenchName, string> = {
  append:
    'Single commands through `Waybill.command` (validate → decide → append in one IMMEDIATE transaction), back to back, on a copy of the seeded log, ' +
    'projectors not running. Baseline: a bare prepared `INSERT` of exactly the event rows the command path wrote, one transaction per command, ' +
    'on another copy of the same log with the same pragmas and the same background WAL checkpointer (the physical limit). Warm-up rounds are excluded; ' +
    'rounds alternate between the sides.',
  peer:
    'The same command stream replayed on Waybill and on Emmett’s SQLite event store (`@event-driven-io/emmett-sqlite@0.38.5`, driver `sqlite3`), both starting ' +
    'from the same seeded history and with the same `synchronous` setting. Emmett decides with the very same pure deciders (the streams each decision reads are ' +
    'loaded through Emmett’s `readStream`, events appended per stream with the expected version through Emmett’s `appendToStream`, all in one transaction per command). ' +
    'Projection: the same read models ported to an Emmett projection processor. Ratios are Waybill / Emmett.',
  rebuild:
    'Catch-up: a follower-style `Projector` (WAL, indexes in place, batches of 2,000) applying the last events of the log to a read model that holds everything before them. ' +
    'Rebuild: `rebuildReadModel` from position 0 into a fresh file, per projection on one thread, and `Waybill.rebuild()` of all read models as the app runs it (worker threads; the engine decides how many run at once). ' +
    'Baseline: read every row of the log and write the final rows of the same read model (taken from the built file beforehand) with bare prepared statements in one transaction, indexes afterwards.',
  queries:
    'Every named query through `Waybill.query` in-process (validation, read-model connection, row mapping), cycling through sampled parameters, after a warm-up. ' +
    'Next to it the same answer computed from (a) a normalized "CRUD" schema (depots, drivers, parcels with their current status, routes, stops, scans, delivery attempts, exceptions, ' +
    'weather readings, an audit log) with joins and aggregates, indexed for these queries, and (b) the raw event log alone. Ratios are Waybill / CRUD and Waybill / raw log (below 1: Waybill is faster).',
  lag:
    'Commands paced at a fixed rate while the six worker-thread projectors follow; a separate thread watches every read model’s checkpoint (PRAGMA data_version every 0.5 ms) and records when each position ' +
    'became visible to readers. Lag = read model committed − command returned, for every command and every read model; the figure is the slowest read model per command. ' +
    'Baseline: a bare follower thread in the same process that polls the log every 0.25 ms, reads the new rows and commits only a checkpoint (the physical limit of noticing, reading and committing).',
  memory: 'Peak resident set size of a process that opens the seeded folder with worker projectors, appends, queries and rebuilds; bytes on disk per 1M events for the log and each read model (dbstat).',
  bridge:
    'A typical query through browser mode’s transport: HTTP POST `/api/call/<operation>` to `startBrowserHost` on 127.0.0.1 with the `x-waybill-token` header and a kept-alive connection, against the same query in-process.',
  browser:
    "Issue 3's speed figures: Debian's Chromium (headless, via playwright-core) loads the console from `startBrowserHost` over the benchmark's data folder; " +
    'time from the page load event to the overview being rendered, and list pages fetched per viewport while scrolling the parcel and event tables.',
  isolation:
    'A point query (`parcel.summary`) awaited back to back while the core runs `verify`, a seed or a rebuild, against the same query with the core idle in the same run. ' +
    'The core runs in a process of its own as the apps run it (`startCoreProcess`, as `waybill serve` does); next to it the design before issue 12, everything on one thread (the inline core). Ratios are p99 busy ÷ p99 idle.',
  sync:
    'A real PostgreSQL (the embedded cluster, in the work folder) and the sync server in a process of its own on 127.0.0.1, everything on the same two cores. ' +
    'Push: a copy of the seeded folder pushes its whole history through `sync.now`, and ten seeded laptops of ten devices push a tenth each at once. ' +
    'Pull and join: a new, empty laptop joins and pulls everything, then builds every read model. A → B: two laptops opened as the apps open them, syncing in the background; ' +
    'a parcel registered on one until the other’s query shows it. Baselines on the same PostgreSQL in the same run: bare multi-row `INSERT … unnest` of the same rows into a plain table, ' +
    'bare `SELECT` of the rows into a plain SQLite table in one transaction, and the same command’s round trip on one laptop.',
};

export function writeReport(input: { resultsDir: string; header: ReportHeader; outputs: BenchOutput[]; figures: Figure[] }): void {
  const { resultsDir, header, outputs, figures } = input;
  const imgDir = join(resultsDir, 'img');
  mkdirSync(imgDir, { recursive: true });
  for (const f of readdirSync(imgDir)) if (f.endsWith('.svg')) rmSync(join(imgDir, f));

  const m = header.machine;
  const lines: string[] = [];
  lines.push('# Waybill benchmarks', '');
  lines.push(
    `Run of ${header.date.slice(0, 16).replace('T', ' ')} UTC over a seeded history of **${header.events.toLocaleString('en-US')} events** ` +
      `(${header.dataset.days} simulated days, seed ${header.dataset.seed})${header.quick ? ' — a quick smoke run, not the reference run' : ''}. ` +
      `Produced by \`${header.command}\` in ${Math.round(header.durationSeconds / 60)} min; raw figures in [latest.json](latest.json). ` +
      `The history was appended through the command path (batches of 500 commands per transaction) in ${Math.round(header.dataset.seedSeconds)} s, ` +
      `and its read models built in ${Math.round(header.dataset.catchUpSeconds)} s.`,
    '',
  );
  lines.push(
    mdTable(
      ['machine', ''],
      [
        ['CPU', `${m.cores} cores (${m.cpuModel})`],
        ['memory', `${m.memoryGb} GB`],
        ['Node', m.node],
        ['SQLite (better-sqlite3)', `${m.sqlite} (better-sqlite3 ${m.betterSqlite3})`],
        ['platform', m.platform],
        ['malloc arenas (MALLOC_ARENA_MAX)', m.mallocArenaMax ?? 'glibc default'],
        ['load average (1, 5, 15 min)', `${m.loadAverageAtStart.join(', ')} at the start, ${header.loadAverageAtEnd.join(', ')} at the end`],
        ['code', `commit ${header.code.commit}${header.code.uncommittedInDb.length ? ` with ${header.code.uncommittedInDb.length} uncommitted change(s) under db/` : ''}; db/ hash ${header.code.dbHash}${header.code.dbHashAtEnd !== header.code.dbHash ? ` at the start, ${header.code.dbHashAtEnd} at the end (db/ changed during the run)` : ''}`],
      ],
      ['l', 'l'],
    ),
    '',
  );
  lines.push(
    'Other work on the same cores would show in the load averages above; every figure is a median (or a pooled percentile) over repeated runs after excluded warm-up runs, ' +
      'and every comparison is a ratio against a baseline measured in the same run, interleaved with it where possible. ' +
      'Rerun with `npm run bench` (1,000,000 events, about half an hour), `npm run bench -- --quick` (100,000 events) or `npm run bench -- --only queries,lag`.',
    '',
  );
  for (const r of header.reruns ?? []) {
    lines.push(
      `**Rerun:** ${r.benchmarks.join(', ')} again at ${r.date.slice(0, 16).replace('T', ' ')} UTC on the same seeded folder (commit ${r.code.commit}, db/ hash ${r.code.dbHash}, load average ${r.loadAverageAtStart.join(', ')}, malloc arenas ${r.mallocArenaMax ?? 'glibc default'}); their figures below are from that run.`,
      '',
    );
  }
  if (header.failed.length) {
    lines.push('**Benchmarks that failed in this run:**', '', ...header.failed.map((f) => `- ${f.name}: ${f.error}`), '');
  }

  // Targets first: what a reader wants to know.
  const targeted = figures.filter((f) => f.target !== null);
  lines.push('## Targets', '');
  lines.push(
    mdTable(
      ['figure', 'target', 'measured', 'baseline', 'ratio', ''],
      targeted.map((f) => [`\`${f.name}\``, f.target!, measured(f), f.baseline !== undefined ? `${num(f.baseline)} ${f.unit}` : '', f.ratio !== undefined ? `${f.ratio}×` : '', f.met ? '✅ met' : '❌ missed']),
      ['l', 'l', 'r', 'r', 'r', 'l'],
    ),
    '',
  );
  const missed = targeted.filter((f) => f.met === false);
  lines.push(missed.length ? `${missed.length} of ${targeted.length} targets missed; the sections below give the measured reasons.` : `All ${targeted.length} targets met.`, '');

  const notesFile = fileURLToPath(new URL('../ANALYSIS.md', import.meta.url));
  if (existsSync(notesFile)) lines.push(readFileSync(notesFile, 'utf8').trim(), '');

  for (const output of outputs) {
    lines.push(`## ${titles[output.name]}`, '', intros[output.name], '');
    const own = figures.filter((f) => f.bench === output.name);
    lines.push(
      mdTable(
        ['figure', 'median', 'p99', 'max', 'runs', 'baseline', 'ratio', 'target'],
        own.map((f) => [
          `\`${f.name}\``,
          `${num(f.value)} ${f.unit}`,
          f.p99 !== undefined ? num(f.p99) : '',
          f.max !== undefined ? num(f.max) : '',
          f.runs ?? '',
          f.baseline !== undefined ? num(f.baseline) : '',
          f.ratio !== undefined ? `${f.ratio}×` : '',
          f.target ? `${f.target} ${f.met ? '✅' : '❌'}` : '',
        ]),
      ),
      '',
    );
    const notes = own.filter((f) => f.note);
    if (notes.length) lines.push(...notes.map((f) => `- \`${f.name}\`: ${f.note}`), '');
    const baselines = [...new Set(own.flatMap((f) => (f.baselineName ? [f.baselineName] : [])))];
    if (baselines.length) lines.push(`Baseline${baselines.length > 1 ? 's' : ''}: ${baselines.map((b) => `${b}`).join('; ')}.`, '');
    for (const chart of output.charts) {
      const file = `${chart.id}.svg`;
      writeFileSync(join(imgDir, file), chart.kind === 'lines' ? lineChartSvg(chart) : barChartSvg(chart));
      lines.push(`![${chart.title}](img/${file})`, '');
    }
    for (const section of output.sections) lines.push(section.markdown, '');
    lines.push(`<sub>${output.name}: ${Math.round(output.seconds)} s, peak RSS of its process ${Math.round(output.peakRssMb)} MB</sub>`, '');
  }
  writeFileSync(join(resultsDir, 'REPORT.md'), `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`);
}

function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 ? v.toLocaleString('en-US', { maximumFractionDigits: 0 }) : String(v);
}

function measured(f: Figure): string {
  const p99 = f.target?.includes('p99') && f.p99 !== undefined ? ` (p99 ${num(f.p99)})` : '';
  return `${num(f.value)} ${f.unit}${p99}`;
}
