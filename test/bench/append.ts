// Benchmark 1 — Append: single-command latency and sustained commands/s through the full command
// path (validate → decide → append, one IMMEDIATE transaction per command) with synchronous NORMAL
// and FULL, against a bare INSERT of the very rows the command path wrote, on a copy of the same
// log with the same pragmas and the same background checkpointer.
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { commandRequestSchema, type CommandRequest } from '../../db/contract/index.ts';
import { openBenchCore } from './lib/benchCore.ts';
import type { BenchResult } from './child.ts';
import { atLeast, atMost, makeFigure, type Figure } from './lib/figures.ts';
import { copyDataset, logPath } from './lib/dataset.ts';
import { fmt, mdTable, say } from './lib/log.ts';
import { profile, profileMarkdown } from './lib/profile.ts';
import { newRetryStats, retryNote, sendCommand } from './lib/commands.ts';
import { openBareWriter, startCheckpointer, type Durability } from './lib/sqlite.ts';
import { cdfPoints, distribution, median, round } from './lib/stats.ts';
import type { BenchConfig, Chart, LineSeries } from './lib/types.ts';
import { CommandStream, loadWorld } from './lib/workload.ts';

type Row = unknown[];
interface CommandRows {
  events: Row[];
  command: Row;
  reservations: Row[];
}

interface SideResult {
  latencies: number[];
  ratesPerRound: number[];
  events: number;
}

/** Column lists read from the live schema, so the baselines copy whatever rows the current code writes. */
function columnsOf(db: Database.Database, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).pluck().all(table) as string[]);
}
const marks = (n: number) => new Array<string>(n).fill('?').join(', ');

export async function run(config: BenchConfig): Promise<BenchResult> {
  const world = loadWorld(logPath(config.baseDir));
  const plans: Record<Durability, { warm: number; rounds: number; size: number }> = config.quick
    ? { normal: { warm: 1500, rounds: 5, size: 3000 }, full: { warm: 200, rounds: 5, size: 500 } }
    : { normal: { warm: 3000, rounds: 7, size: 8000 }, full: { warm: 300, rounds: 5, size: 1200 } };
  const figures: Figure[] = [];
  const charts: Chart[] = [];
  const sections: string[] = [];
  const summary: (string | number)[][] = [];
  const retries = { normal: newRetryStats(), full: newRetryStats() };

  for (const durability of ['normal', 'full'] as const) {
    const plan = plans[durability];
    say('append', `${durability}: copying the seeded folder`);
    const waybillDir = copyDataset(config.baseDir, join(config.workDir, `waybill-${durability}`));
    const bareFile = copyLog(config.baseDir, join(config.workDir, `bare-${durability}`));
    const guardedFile = copyLog(config.baseDir, join(config.workDir, `guarded-${durability}`));

    const waybill = await openBenchCore({ dataDir: waybillDir, projectors: 'inline', durability });
    const appended = new Database(logPath(waybillDir), { readonly: true });
    const eventCols = columnsOf(appended, 'events');
    const commandCols = columnsOf(appended, 'commands');
    const reservationCols = columnsOf(appended, 'reservations');
    for (const [table, cols] of [['events', ['position']], ['commands', ['first_position']], ['reservations', ['position']]] as const) {
      const have = columnsOf(appended, table);
      for (const c of cols) if (!have.includes(c)) throw new Error(`the log's ${table} table has no ${c} column any more; update test/bench/append.ts`);
    }
    const selectEvents = appended.prepare(`SELECT ${eventCols.join(', ')} FROM events WHERE position > ? ORDER BY position`).raw();
    const selectCommands = appended.prepare(`SELECT ${commandCols.join(', ')}, first_position FROM commands WHERE first_position > ? ORDER BY first_position`).raw();
    const selectReservations = appended.prepare(`SELECT ${reservationCols.join(', ')}, position FROM reservations WHERE position > ?`).raw();
    const insertEventSql = `INSERT INTO events (${eventCols.join(', ')}) VALUES (${marks(eventCols.length)})`;

    // Baseline: the events rows only, no guard triggers — the physical limit of appending them.
    const bare = openBareWriter(bareFile, durability);
    for (const trigger of ['events_no_update', 'events_no_delete', 'events_no_replace']) bare.exec(`DROP TRIGGER IF EXISTS ${trigger}`);
    const bareInsert = bare.prepare(insertEventSql);
    // Diagnostic: every row the command path writes (events, commands, reservations) with the guards in place.
    const guarded = openBareWriter(guardedFile, durability);
    const guardedEvent = guarded.prepare(insertEventSql);
    const guardedCommand = guarded.prepare(`INSERT INTO commands (${commandCols.join(', ')}) VALUES (${marks(commandCols.length)})`);
    const guardedReservation = guarded.prepare(`INSERT INTO reservations (${reservationCols.join(', ')}) VALUES (${marks(reservationCols.length)})`);
    const checkpointers = [startCheckpointer(bareFile), startCheckpointer(guardedFile)];

    const stream = new CommandStream(world, { tag: `a${durability[0]}`, seed: 11 });
    const sides = { waybill: emptySide(), bare: emptySide(), guarded: emptySide() };

    const runWaybill = async (commands: CommandRequest[], into: SideResult | null) => {
      const from = waybill.head();
      const lat = new Array<number>(commands.length);
      const t0 = performance.now();
      for (let i = 0; i < commands.length; i++) {
        const s = performance.now();
        await sendCommand(waybill, commands[i]!, retries[durability]);
        lat[i] = performance.now() - s;
      }
      const wall = performance.now() - t0;
      const rows = collectRows(from, eventCols.indexOf('position'), selectEvents, selectCommands, selectReservations);
      if (into) record(into, lat, (commands.length / wall) * 1000, rows.reduce((n, r) => n + r.events.length, 0));
      return rows;
    };
    const runBare = (rows: CommandRows[], into: SideResult | null) => {
      const tx = bare.transaction((r: CommandRows) => {
        for (const e of r.events) bareInsert.run(e);
      });
      timeRows(rows, (r) => tx.immediate(r), into);
    };
    const runGuarded = (rows: CommandRows[], into: SideResult | null) => {
      const tx = guarded.transaction((r: CommandRows) => {
        for (const e of r.events) guardedEvent.run(e);
        for (const reservation of r.reservations) guardedReservation.run(reservation.slice(0, -1));
        guardedCommand.run(r.command.slice(0, -1));
      });
      timeRows(rows, (r) => tx.immediate(r), into);
    };

    // Warm-up (excluded): JIT, statement caches, page cache of the indexes' right edges.
    const warmRows = await runWaybill(stream.take(plan.warm), null);
    runBare(warmRows, null);
    runGuarded(warmRows, null);
    // Rounds alternate between the sides so background noise lands on all of them alike.
    for (let round = 0; round < plan.rounds; round++) {
      const rows = await runWaybill(stream.take(plan.size), sides.waybill);
      if (round % 2 === 0) {
        runBare(rows, sides.bare);
        runGuarded(rows, sides.guarded);
      } else {
        runGuarded(rows, sides.guarded);
        runBare(rows, sides.bare);
      }
      say('append', `${durability} round ${round + 1}/${plan.rounds}: waybill ${fmt(sides.waybill.ratesPerRound.at(-1)!)} cmd/s, bare ${fmt(sides.bare.ratesPerRound.at(-1)!)} cmd/s`);
    }

    // Where the command path's time goes: validation alone (no database), then a CPU profile of one more round.
    const probe = stream.take(plan.size);
    const tv = performance.now();
    for (const c of probe) commandRequestSchema.parse(c);
    const validateUs = ((performance.now() - tv) / probe.length) * 1000;
    let profileSection = '';
    if (durability === 'normal') {
      const { summary: cpu } = await profile(config.repoRoot, () => runWaybill(probe, null));
      profileSection = profileMarkdown(`${fmt(probe.length)} commands through the core's command operation (synchronous NORMAL)`, cpu);
    }

    await Promise.all(checkpointers.map((c) => c.stop()));
    bare.close();
    guarded.close();
    appended.close();
    await waybill.close();

    const w = distribution(sides.waybill.latencies);
    const b = distribution(sides.bare.latencies);
    const g = distribution(sides.guarded.latencies);
    const upper = durability.toUpperCase();
    const bareName = `bare INSERT of the same event rows, one transaction per command, same pragmas (${upper})`;
    figures.push(
      makeFigure('append', {
        name: `append.latency.${durability}`,
        unit: 'ms',
        value: w.p50,
        p99: w.p99,
        p999: w.p999,
        max: w.max,
        runs: w.count,
        baseline: b.p50,
        baselineP99: b.p99,
        baselineName: bareName,
        ...(durability === 'normal' ? { target: atMost(1, 'p99 ≤ 1 ms', 'p99') } : {}),
        note: `p50/p99/p99.9 of single commands through the core's command operation (its endpoint, in process); baseline p99 ${round(b.p99)} ms${retryNote(retries[durability])}`,
      }),
      makeFigure('append', {
        name: `append.throughput.${durability}`,
        unit: 'commands/s',
        value: median(sides.waybill.ratesPerRound),
        max: Math.max(...sides.waybill.ratesPerRound),
        runs: sides.waybill.ratesPerRound.length,
        baseline: median(sides.bare.ratesPerRound),
        baselineName: bareName,
        ...(durability === 'normal' ? { target: atLeast(10_000, '≥ 10,000 commands/s') } : {}),
        note: `sustained, back to back, ${fmt(plan.size)} commands per run (${(sides.waybill.events / sides.waybill.latencies.length).toFixed(2)} events per command)`,
      }),
      makeFigure('append', {
        name: `append.guarded_rows.latency.${durability}`,
        unit: 'ms',
        value: g.p50,
        p99: g.p99,
        p999: g.p999,
        max: g.max,
        runs: g.count,
        baseline: b.p50,
        baselineP99: b.p99,
        baselineName: bareName,
        note: 'diagnostic: bare INSERT of every row the command path writes (events + commands + reservations) with the append-only guard triggers',
      }),
    );
    summary.push(
      [`${upper}: command operation`, round(w.p50), round(w.p99), round(w.p999), round(w.max), fmt(median(sides.waybill.ratesPerRound))],
      [`${upper}: bare INSERT, all rows + guards`, round(g.p50), round(g.p99), round(g.p999), round(g.max), fmt(median(sides.guarded.ratesPerRound))],
      [`${upper}: bare INSERT, event rows (baseline)`, round(b.p50), round(b.p99), round(b.p999), round(b.max), fmt(median(sides.bare.ratesPerRound))],
      [`${upper}: command validation alone (no database)`, round(validateUs / 1000, 4), '', '', '', fmt(1e6 / validateUs)],
    );
    const series: LineSeries[] = [
      { label: 'command operation', points: cdfPoints(sides.waybill.latencies) },
      { label: 'bare INSERT, all rows + guards', points: cdfPoints(sides.guarded.latencies) },
      { label: 'bare INSERT, event rows', points: cdfPoints(sides.bare.latencies) },
    ];
    charts.push({
      kind: 'lines',
      id: `append-latency-${durability}`,
      title: `Append latency CDF, synchronous ${upper} (${fmt(w.count)} commands per side)`,
      xLabel: 'latency per command (ms, log scale)',
      yLabel: 'percentile',
      logX: true,
      series,
      ...(durability === 'normal' ? { marks: [{ label: 'target p99 ≤ 1 ms', x: 1 }] } : {}),
    });
    if (profileSection) sections.push(profileSection);
  }

  sections.unshift(
    mdTable(['side', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'commands/s'], summary),
    'The three write sides replay the same rows in alternating rounds on identical copies of the seeded log. ' +
      'The gap between the first and second row is the CPU of validation, decision (reading and folding the streams) and hashing; ' +
      'between the second and third, the extra rows (commands, reservations) and the guard triggers.',
  );
  return { figures, charts, sections: sections.map((markdown) => ({ markdown })) };
}

function emptySide(): SideResult {
  return { latencies: [], ratesPerRound: [], events: 0 };
}

function record(side: SideResult, lat: number[], rate: number, events: number): void {
  for (const l of lat) side.latencies.push(l);
  side.ratesPerRound.push(rate);
  side.events += events;
}

function timeRows(rows: CommandRows[], write: (r: CommandRows) => void, into: SideResult | null): void {
  const lat = new Array<number>(rows.length);
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i++) {
    const s = performance.now();
    write(rows[i]!);
    lat[i] = performance.now() - s;
  }
  const wall = performance.now() - t0;
  if (into) record(into, lat, (rows.length / wall) * 1000, rows.reduce((n, r) => n + r.events.length, 0));
}

/** The rows the command path appended after `from`, grouped by command in append order. */
function collectRows(from: number, positionIndex: number, events: Database.Statement, commands: Database.Statement, reservations: Database.Statement): CommandRows[] {
  // Commands and reservation rows carry their first position as an extra last column.
  const byFirst = new Map<number, CommandRows>();
  const out: CommandRows[] = [];
  for (const command of commands.all(from) as Row[]) {
    const entry: CommandRows = { events: [], command, reservations: [] };
    byFirst.set(command.at(-1) as number, entry);
    out.push(entry);
  }
  let current: CommandRows | undefined;
  for (const event of events.all(from) as Row[]) {
    current = byFirst.get(event[positionIndex] as number) ?? current;
    current!.events.push(event);
  }
  for (const r of reservations.all(from) as Row[]) byFirst.get(r.at(-1) as number)!.reservations.push(r);
  return out;
}

function copyLog(baseDir: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const target = join(dir, 'events.db');
  copyFileSync(logPath(baseDir), target);
  return target;
}
