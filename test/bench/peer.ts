// Benchmark 2 — Peer: the same append and projection workload on Emmett's SQLite event store
// (@event-driven-io/emmett-sqlite 0.38.5 on sqlite3), reported as Waybill / Emmett.
import Database from 'better-sqlite3';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBenchCore } from './lib/benchCore.ts';
import type { CommandRequest } from '../../db/contract/index.ts';
import { openLogReader } from '../../db/log/openEventLog.ts';
import { projectionByName } from '../../db/projections/index.ts';
import { Projector } from '../../db/readmodel/catchUp.ts';
import { openReadModelWriter } from '../../db/readmodel/openReadModel.ts';
import type { BenchResult } from './child.ts';
import { copyDataset, fileBytes, logPath } from './lib/dataset.ts';
import { emmettProjections, loadEmmett, loadHistoryIntoEmmett, openEmmettCommands, type EmmettSqlite } from './lib/emmett.ts';
import { atLeast, atMost, makeFigure, type Figure } from './lib/figures.ts';
import { fmt, mdTable, say } from './lib/log.ts';
import { ensurePeerInstalled } from './lib/peerInstall.ts';
import type { Durability } from './lib/sqlite.ts';
import { cdfPoints, distribution, median, round } from './lib/stats.ts';
import type { BenchConfig, Chart, LineSeries } from './lib/types.ts';
import { CommandStream, loadWorld } from './lib/workload.ts';

const removeDb = (path: string) => {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
};

export async function run(config: BenchConfig): Promise<BenchResult> {
  const peer = ensurePeerInstalled(fileURLToPath(new URL('.', import.meta.url)));
  const emmett = await loadEmmett(peer.emmettSqlite);
  const figures: Figure[] = [];
  const charts: Chart[] = [];
  const sections: string[] = [];
  const baseLog = logPath(config.baseDir);
  const world = loadWorld(baseLog);

  const probe = emmett.sqliteConnection({ fileName: ':memory:' });
  const peerSqlite = (await probe.querySingle<{ v: string }>('SELECT sqlite_version() AS v'))?.v ?? 'unknown';
  probe.close();
  say('peer', 'loading the seeded history into an Emmett store (setup, not timed)');
  const emmettFile = join(config.workDir, 'emmett.db');
  const loaded = await loadHistoryIntoEmmett(emmett, baseLog, emmettFile);
  const perEvent = (bytes: number) => bytes / loaded.events;
  figures.push(
    makeFigure('peer', {
      name: 'peer.log_size',
      unit: 'bytes per event',
      value: perEvent(fileBytes(baseLog)),
      baseline: perEvent(fileBytes(emmettFile)),
      baselineName: 'Emmett’s store holding the same events (emt_messages, emt_streams, and a tracking-code table like Waybill’s)',
      target: atMost(1, 'Waybill ahead of Emmett (ratio ≤ 1)', 'ratio'),
      note: 'Waybill’s log also holds the hash chain, the command table and five secondary indexes',
    }),
  );

  // ── Append: identical command streams, alternating rounds.
  const plans: Record<Durability, { warm: number; rounds: number; size: number }> = config.quick
    ? { normal: { warm: 300, rounds: 5, size: 1000 }, full: { warm: 100, rounds: 3, size: 300 } }
    : { normal: { warm: 500, rounds: 5, size: 2000 }, full: { warm: 150, rounds: 3, size: 500 } };
  const tableRows: (string | number)[][] = [];
  for (const durability of ['normal', 'full'] as const) {
    const plan = plans[durability];
    const waybillDir = copyDataset(config.baseDir, join(config.workDir, `waybill-${durability}`));
    const emmettCopy = join(config.workDir, `emmett-${durability}.db`);
    removeDb(emmettCopy);
    copyFileSync(emmettFile, emmettCopy);
    const waybill = await openBenchCore({ dataDir: waybillDir, projectors: 'inline', durability });
    const em = await openEmmettCommands(emmett, emmettCopy, durability);
    const wStream = new CommandStream(world, { tag: `p${durability[0]}`, seed: 13 });
    const eStream = new CommandStream(world, { tag: `p${durability[0]}`, seed: 13 });
    const w = { lat: [] as number[], rates: [] as number[] };
    const e = { lat: [] as number[], rates: [] as number[] };
    const runWaybill = async (commands: CommandRequest[], into: typeof w | null) => {
      const lat: number[] = [];
      const t0 = performance.now();
      for (const c of commands) {
        const s = performance.now();
        const r = await waybill.command(c);
        lat.push(performance.now() - s);
        if (!r.ok) throw new Error(`Waybill refused ${c.type}: ${r.error.message}`);
      }
      if (into) {
        into.lat.push(...lat);
        into.rates.push((commands.length / (performance.now() - t0)) * 1000);
      }
    };
    const runEmmett = async (commands: CommandRequest[], into: typeof e | null) => {
      const lat: number[] = [];
      const t0 = performance.now();
      for (const c of commands) {
        const s = performance.now();
        const r = await em.handle(c);
        lat.push(performance.now() - s);
        if (!r.ok) throw new Error(`Emmett refused ${c.type}: ${'error' in r ? r.error.message : ''}`);
      }
      if (into) {
        into.lat.push(...lat);
        into.rates.push((commands.length / (performance.now() - t0)) * 1000);
      }
    };
    await runWaybill(wStream.take(plan.warm), null);
    await runEmmett(eStream.take(plan.warm), null);
    for (let r = 0; r < plan.rounds; r++) {
      const wc = wStream.take(plan.size);
      const ec = eStream.take(plan.size);
      if (r % 2 === 0) {
        await runWaybill(wc, w);
        await runEmmett(ec, e);
      } else {
        await runEmmett(ec, e);
        await runWaybill(wc, w);
      }
      say('peer', `${durability} round ${r + 1}/${plan.rounds}: Waybill ${fmt(w.rates.at(-1)!)} cmd/s, Emmett ${fmt(e.rates.at(-1)!)} cmd/s`);
    }
    em.close();
    await waybill.close();
    const wd = distribution(w.lat);
    const ed = distribution(e.lat);
    const upper = durability.toUpperCase();
    figures.push(
      makeFigure('peer', {
        name: `peer.append.latency.${durability}`,
        unit: 'ms',
        value: wd.p50,
        p99: wd.p99,
        max: wd.max,
        runs: wd.count,
        baseline: ed.p50,
        baselineP99: ed.p99,
        baselineName: `Emmett, the same commands decided by the same deciders, synchronous ${upper}`,
        target: atMost(1, 'Waybill ahead of Emmett (ratio ≤ 1)', 'ratio'),
      }),
      makeFigure('peer', {
        name: `peer.append.throughput.${durability}`,
        unit: 'commands/s',
        value: median(w.rates),
        max: Math.max(...w.rates),
        runs: w.rates.length,
        baseline: median(e.rates),
        baselineName: `Emmett, the same commands decided by the same deciders, synchronous ${upper}`,
        target: atLeast(1, 'Waybill ahead of Emmett (ratio ≥ 1)', 'ratio'),
      }),
    );
    tableRows.push([`append, ${upper}`, `p50 ${round(wd.p50)} / p99 ${round(wd.p99)} ms, ${fmt(median(w.rates))} cmd/s`, `p50 ${round(ed.p50)} / p99 ${round(ed.p99)} ms, ${fmt(median(e.rates))} cmd/s`]);
    if (durability === 'normal') {
      const series: LineSeries[] = [
        { label: 'Waybill.command', points: cdfPoints(w.lat) },
        { label: 'Emmett appendToStream (same deciders)', points: cdfPoints(e.lat) },
      ];
      charts.push({ kind: 'lines', id: 'peer-append-cdf', title: 'Append latency, Waybill vs Emmett (synchronous NORMAL)', xLabel: 'ms per command (log scale)', yLabel: 'percentile', logX: true, series });
    }
  }

  // ── Projection throughput: the same read model, from position 0 to M, on each side.
  const head = loaded.events;
  const upTo = Math.min(head, config.quick ? 50_000 : 100_000);
  const runs = config.quick ? 3 : 2;
  const ports = emmettProjections();
  for (const name of ['depot_board', 'eta_stats'] as const) {
    const projection = projectionByName(name);
    const waybillTimes: number[] = [];
    const emmettTimes: number[] = [];
    let waybillRows = '';
    let emmettRows = '';
    for (let r = 0; r < runs; r++) {
      const order = r % 2 === 0 ? ['waybill', 'emmett'] : ['emmett', 'waybill'];
      for (const side of order) {
        if (side === 'waybill') {
          const file = join(config.workDir, `${name}.waybill.db`);
          removeDb(file);
          const db = openReadModelWriter(file, projection);
          const log = openLogReader(baseLog);
          const projector = new Projector(projection, db, log);
          const t0 = performance.now();
          projector.catchUp(2000, upTo);
          waybillTimes.push((performance.now() - t0) / 1000);
          waybillRows = fingerprint(db, name);
          db.close();
          log.close();
          removeDb(file);
        } else {
          const result = await emmettCatchUp(emmett, emmettFile, ports[name], upTo);
          emmettTimes.push(result.seconds);
          emmettRows = result.fingerprint;
        }
      }
    }
    const wr = upTo / median(waybillTimes);
    const er = upTo / median(emmettTimes);
    say('peer', `${name}: Waybill ${fmt(wr)} events/s, Emmett ${fmt(er)} events/s, same rows: ${waybillRows === emmettRows}`);
    figures.push(
      makeFigure('peer', {
        name: `peer.projection.${name}`,
        unit: 'events/s',
        value: wr,
        max: upTo / Math.min(...waybillTimes),
        runs,
        baseline: er,
        baselineName: 'Emmett’s projection processor (consumer batches of 2,000, 1 ms pulling) running the same statements through its connection',
        target: atLeast(1, 'Waybill ahead of Emmett (ratio ≥ 1)', 'ratio'),
        note: `the first ${fmt(upTo)} events into a fresh read model, synchronous NORMAL on both; read models ${waybillRows === emmettRows ? 'identical' : 'DIFFER'}`,
      }),
    );
    tableRows.push([`projection ${name}`, `${fmt(wr)} events/s`, `${fmt(er)} events/s`]);
  }
  sections.push(
    mdTable(['workload', 'Waybill', 'Emmett'], tableRows, ['l', 'l', 'l']),
    `Versions: @event-driven-io/emmett ${peer.versions.emmett}, @event-driven-io/emmett-sqlite ${peer.versions.emmettSqlite}, sqlite3 ${peer.versions.sqlite3} (SQLite ${peerSqlite}), installed into test/bench/peer on first use. ` +
      'Emmett is used at its most favourable: one long-lived connection (its `getSQLiteEventStore` opens and closes a connection per call) with the same `synchronous` setting as Waybill. ' +
      'What differs by design: Waybill also writes a hash chain, a command row per command and checks guards by trigger; Emmett keeps a stream row per stream. ' +
      'Emmett’s driver is asynchronous (sqlite3 runs every statement on the libuv thread pool), Waybill’s synchronous (better-sqlite3).',
  );
  return { figures, charts, sections: sections.map((markdown) => ({ markdown })) };
}

async function emmettCatchUp(emmett: EmmettSqlite, file: string, port: ReturnType<typeof emmettProjections>['depot_board'], upTo: number): Promise<{ seconds: number; fingerprint: string }> {
  const setup = emmett.sqliteConnection({ fileName: file });
  // sqliteConnection does not wait for its own `PRAGMA journal_mode = WAL`: retry while it still holds the schema.
  const run = (sql: string) => untilUnlocked(() => setup.command(sql));
  for (const table of ['depots', 'depot_counts', '_parcels', '_depots', 'delivery_durations', 'region_weather']) await run(`DROP TABLE IF EXISTS ${table}`);
  for (const ddl of port.ddl) await run(ddl);
  await run('DELETE FROM emt_subscriptions');
  setup.close();
  const consumer = emmett.getSQLiteEventStore({ fileName: file }).consumer({ pulling: { batchSize: 2000, pullingFrequencyInMs: 1 } });
  const processor = consumer.processor({ projection: port.projection, startFrom: 'BEGINNING', stopAfter: (m) => m.metadata.globalPosition >= BigInt(upTo) });
  const start = processor.start.bind(processor);
  // Same durability as Waybill's followers; Emmett offers no option, and it cannot change inside its transactions.
  processor.start = async (connection) => {
    await untilUnlocked(() => connection.command('PRAGMA synchronous = NORMAL'));
    return start(connection);
  };
  const t0 = performance.now();
  await consumer.start();
  const seconds = (performance.now() - t0) / 1000;
  await consumer.close();
  const db = new Database(file, { readonly: true });
  const print = fingerprint(db, port.projection.name);
  db.close();
  return { seconds, fingerprint: print };
}

/** The read model's public rows, to check both sides built the same thing. */
function fingerprint(db: Database.Database, name: string): string {
  if (name === 'depot_board') return JSON.stringify(db.prepare('SELECT depot_id, status, n FROM depot_counts WHERE n != 0 ORDER BY 1, 2').raw().all());
  return JSON.stringify(db.prepare('SELECT region, condition, deliveries, round(total_hours, 6) FROM delivery_durations ORDER BY 1, 2').raw().all());
}

async function untilUnlocked<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt > 50 || (code !== 'SQLITE_LOCKED' && code !== 'SQLITE_BUSY')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
