// `npm run bench [-- --events N | --quick] [--only NAME[,NAME]] [--keep] [--publish]`
// Seeds a fresh data folder, runs every benchmark (each in its own process), prints a table and
// writes latest.json, outputs.json and REPORT.md with its SVG charts: into test-results/bench (not
// committed), or with --publish into test/bench/results, the committed report.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readDatasetInfo, seedDataset, type DatasetInfo } from './lib/dataset.ts';
import type { Figure } from './lib/figures.ts';
import { fmt, say } from './lib/log.ts';
import { machineInfo } from './lib/machine.ts';
import { writeReport, type ReportHeader } from './lib/report.ts';
import { codeVersion, hashDir } from './lib/codeVersion.ts';
import { loadavg } from 'node:os';
import { benchNames, type BenchConfig, type BenchName, type BenchOutput } from './lib/types.ts';
import { continueWithBoundedArenas } from '../../db/runtime/mallocArenas.ts';
import { buildNode } from '../../electron/build/build.ts';

// Measured as the product runs: with the allocator limit the app's entry points set (db/runtime/mallocArenas.ts).
await continueWithBoundedArenas();

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = resolve(here, '../..');
const tmpRoot = join(here, 'results', 'tmp');

const { values } = parseArgs({
  options: {
    events: { type: 'string' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'report-only': { type: 'boolean', default: false },
    merge: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    publish: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});
// A run leaves the work tree clean; the committed report changes only when asked to.
const resultsDir = values.publish ? join(here, 'results') : join(repoRoot, 'test-results', 'bench');
const shown = values.publish ? 'test/bench/results' : 'test-results/bench';
if (values.help) {
  console.log(`npm run bench -- [--events N] [--quick] [--only ${benchNames.join('|')}[,…]] [--keep] [--reuse]
  --publish    write the committed report (test/bench/results) instead of test-results/bench
  --events N   events in the seeded history (default 1,000,000)
  --quick      a 100,000-event smoke run
  --only       run only the named benchmarks
  --keep       keep results/tmp (the seeded folder and scratch copies) afterwards
  --reuse      reuse a seeded folder of the same size left by --keep (development only)
  --report-only  write REPORT.md again from latest.json and outputs.json
  --merge      with --only: replace just those benchmarks' figures and sections (same --events), keep the others`);
  process.exit(0);
}
if (values['report-only']) {
  const [first, ...figures] = JSON.parse(readFileSync(join(resultsDir, 'latest.json'), 'utf8')) as [{ header: ReportHeader }, ...Figure[]];
  const outputs = JSON.parse(readFileSync(join(resultsDir, 'outputs.json'), 'utf8')) as BenchOutput[];
  writeReport({ resultsDir, header: first.header, outputs, figures });
  say('bench', 'wrote REPORT.md again');
  process.exit(0);
}
const events = values.events !== undefined ? Number(values.events.replace(/[_,]/g, '')) : values.quick ? 100_000 : 1_000_000;
if (!Number.isInteger(events) || events < 1000) throw new Error('--events must be a whole number of at least 1000');
const quick = values.quick || events <= 200_000;
const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...benchNames];
for (const name of only) if (!(benchNames as readonly string[]).includes(name)) throw new Error(`--only: unknown benchmark ${name}; use ${benchNames.join(', ')}`);
const selected = benchNames.filter((n) => only.includes(n));

// --merge rewrites the committed report in place: refuse before any work, not after it, if there is nothing to merge into.
if (values.merge && (!existsSync(join(resultsDir, 'latest.json')) || !existsSync(join(resultsDir, 'outputs.json')))) {
  console.error(`npm run bench: --merge needs ${shown}/latest.json and outputs.json from an earlier run${values.publish ? '' : ' (add --publish to merge into the committed report)'}; nothing was run or written.`);
  process.exit(2);
}

const started = new Date();
const machine = machineInfo(repoRoot);
const codeAtStart = codeVersion(repoRoot);
say('bench', `${fmt(events)} events, benchmarks: ${selected.join(', ')}; ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, SQLite ${machine.sqlite}`);

// The core starts its threads and job processes from the built entries (dist/node): build them from this code first.
await buildNode();

mkdirSync(tmpRoot, { recursive: true });
const baseDir = join(tmpRoot, 'base');
let dataset: DatasetInfo | null = values.reuse ? readDatasetInfo(baseDir) : null;
if (dataset && dataset.events < events) dataset = null;
if (dataset) say('bench', `reusing the seeded folder (${fmt(dataset.events)} events)`);
else dataset = await seedDataset(baseDir, events, 1, (line) => say('seed', line));

const outputs: BenchOutput[] = [];
const failures: { name: BenchName; error: string }[] = [];
for (const name of selected) {
  const workDir = join(tmpRoot, `work-${name}`);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const config: BenchConfig = { name, events: dataset.events, quick, baseDir, workDir, tmpRoot, repoRoot, outFile: join(workDir, 'output.json') };
  const configFile = join(tmpRoot, `${name}.config.json`);
  writeFileSync(configFile, JSON.stringify(config));
  say('bench', `── ${name}`);
  const code = await runChild(configFile);
  try {
    if (code !== 0) throw new Error(`exited with code ${code}`);
    outputs.push(JSON.parse(readFileSync(config.outFile, 'utf8')) as BenchOutput);
  } catch (error) {
    failures.push({ name, error: (error as Error).message });
    say('bench', `${name} FAILED: ${(error as Error).message}`);
  }
  if (!values.keep) rmSync(workDir, { recursive: true, force: true });
}

let figures: Figure[] = outputs.flatMap((o) => o.figures);
printTable(figures);
let earlier: { header: ReportHeader; figures: Figure[]; outputs: BenchOutput[] } | null = null;
if (values.merge) {
  try {
    const [first, ...kept] = JSON.parse(readFileSync(join(resultsDir, 'latest.json'), 'utf8')) as [{ header: ReportHeader }, ...Figure[]];
    const keptOutputs = JSON.parse(readFileSync(join(resultsDir, 'outputs.json'), 'utf8')) as BenchOutput[];
    if (first.header.events === dataset.events) earlier = { header: first.header, figures: kept, outputs: keptOutputs };
    else mergeRefused(`latest.json is of ${fmt(first.header.events)} events, not ${fmt(dataset.events)}`);
  } catch (error) {
    mergeRefused(`latest.json or outputs.json could not be read (${error instanceof Error ? error.message : String(error)})`);
  }
}

function mergeRefused(why: string): never {
  console.error(`npm run bench: --merge: ${why}; the committed report was left as it was.`);
  process.exit(2);
}
const dbHashAtEnd = hashDir(join(repoRoot, 'db'));
if (dbHashAtEnd !== codeAtStart.dbHash) say('bench', 'WARNING: db/ changed while the benchmarks ran; the figures mix code versions');
const header: { header: ReportHeader } = {
  header: {
    date: started.toISOString(),
    durationSeconds: Math.round((Date.now() - started.getTime()) / 1000),
    events: dataset.events,
    quick,
    benchmarks: selected,
    failed: failures,
    machine,
    dataset,
    peakRssMb: Object.fromEntries(outputs.map((o) => [o.name, Math.round(o.peakRssMb)])),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    code: { ...codeAtStart, dbHashAtEnd },
    loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
  },
};
let allOutputs = outputs;
if (earlier) {
  const rerun = new Set(outputs.map((o) => o.name));
  allOutputs = benchNames.flatMap((n) => (rerun.has(n) ? outputs.filter((o) => o.name === n) : earlier!.outputs.filter((o) => o.name === n)));
  figures = allOutputs.flatMap((o) => (rerun.has(o.name) ? o.figures : earlier!.figures.filter((f) => f.bench === o.name)));
  header.header = {
    ...earlier.header,
    benchmarks: benchNames.filter((n) => allOutputs.some((o) => o.name === n)),
    failed: [...earlier.header.failed.filter((f) => !rerun.has(f.name)), ...failures],
    peakRssMb: { ...earlier.header.peakRssMb, ...header.header.peakRssMb },
    reruns: [...(earlier.header.reruns ?? []), { benchmarks: selected, date: header.header.date, code: header.header.code, loadAverageAtStart: machine.loadAverageAtStart, mallocArenaMax: machine.mallocArenaMax }],
  };
}
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'outputs.json'), `${JSON.stringify(allOutputs)}\n`);
writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify([header, ...figures], null, 2)}\n`);
writeReport({ resultsDir, header: header.header, outputs: allOutputs, figures });

say('bench', `wrote ${shown}/latest.json, outputs.json and REPORT.md (${figures.length} figures${failures.length ? `, ${failures.length} benchmark(s) failed` : ''})`);
if (!values.keep) rmSync(tmpRoot, { recursive: true, force: true });
process.exit(failures.length ? 1 : 0);

function runChild(configFile: string): Promise<number> {
  return new Promise((resolveCode) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--max-old-space-size=8192', join(here, 'child.ts'), configFile], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
    child.on('exit', (code, signal) => resolveCode(code ?? (signal ? 1 : 0)));
  });
}

function printTable(all: Figure[]): void {
  const rows = all.map((f) => [
    f.name,
    `${fmtValue(f.value)} ${f.unit}`,
    f.p99 !== undefined ? fmtValue(f.p99) : '',
    f.baseline !== undefined ? fmtValue(f.baseline) : '',
    f.ratio !== undefined ? `${f.ratio}×` : '',
    f.target ?? '',
    f.met === null ? '' : f.met ? 'met' : 'MISSED',
  ]);
  const head = ['figure', 'value (median)', 'p99', 'baseline', 'ratio', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i >= 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${line(head)}\n${widths.map((w) => '─'.repeat(w)).join('  ')}`);
  for (const r of rows) console.log(line(r));
  console.log('');
}

function fmtValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1000) return fmt(v);
  return String(v);
}
