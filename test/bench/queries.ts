// Benchmark 4 — Queries: p50/p99 of every named query in-process, next to the same answer from a
// normalized CRUD schema with joins and from the raw log, with the answers checked against each other.
import Database from 'better-sqlite3';
import { PerformanceObserver } from 'node:perf_hooks';
import { join } from 'node:path';
import { openBenchCore, type BenchCore } from './lib/benchCore.ts';
import { eventTypes } from '../../db/domain/events.ts';
import type { QueryName, QueryParams } from '../../db/contract/index.ts';
import { lastNames, regions, streets } from '../../db/seed/names.ts';
import type { BenchResult } from './child.ts';
import { normalForm, type ComparedQuery, type QuerySide } from './lib/answers.ts';
import { buildCrud, crudQueries } from './lib/crud.ts';
import { copyDataset, fileBytes, logPath, readModelPath } from './lib/dataset.ts';
import { atMost, makeFigure, type Figure } from './lib/figures.ts';
import { fmt, mdTable, say } from './lib/log.ts';
import { rawLogQueries } from './lib/rawLog.ts';
import { cdfPoints, distribution, round, roundSig, sleep, type Distribution } from './lib/stats.ts';
import type { BenchConfig, Chart } from './lib/types.ts';

type Kind = 'point' | 'page' | 'search';
interface QueryCase<Q extends QueryName = QueryName> {
  id: string;
  query: Q;
  kind: Kind;
  params: QueryParams<Q>[];
}
// Lets one list hold cases of different queries.
type AnyCase = { [Q in QueryName]: QueryCase<Q> }[QueryName];

export interface Samples {
  lat: number[];
}

export async function run(config: BenchConfig): Promise<BenchResult> {
  const quick = config.quick;
  const dataDir = copyDataset(config.baseDir, join(config.workDir, 'data'));
  say('queries', 'building the normalized CRUD database from the log (setup, not timed)');
  const crudFile = join(config.workDir, 'crud.db');
  const built = buildCrud(logPath(dataDir), crudFile);
  say('queries', `CRUD database built in ${round(built.seconds)} s, ${fmt(fileBytes(crudFile) / 2 ** 20)} MB`);

  const waybill = await openBenchCore({ dataDir, projectors: 'workers' });
  await waybill.core.catchUpAll();
  await sleep(3000); // let the worker threads finish starting before anything is timed
  const cases = sampleCases(dataDir, waybill);
  for (const c of cases) if (c.query === 'parcels.list' && c.id.endsWith('page-2')) c.params = await secondPages(waybill, c.params);

  const crud = crudQueries(crudFile);
  const raw = rawLogQueries(logPath(dataDir));
  const waybillSamples = quick ? 600 : 1500;
  const budgetMs = quick ? 2500 : 6000;
  const figures: Figure[] = [];
  const rows: (string | number)[][] = [];
  const agreement: (string | number)[][] = [];
  const tails: (string | number)[][] = [];
  const cdfs: { id: string; points: [number, number][] }[] = [];
  const bars: { label: string; w: number; c: number | null; r: number | null }[] = [];

  for (const c of cases) {
    const w = await measureWaybill(waybill, c, waybillSamples, c.kind === 'search' ? 5 : 1);
    const compared = c.query !== 'projections.status';
    const cr = compared ? measureSync((i) => (crud.side[c.query as ComparedQuery] as (p: unknown) => unknown)(c.params[i % c.params.length]), budgetMs, waybillSamples) : null;
    const rl = compared ? measureSync((i) => (raw.side[c.query as ComparedQuery] as (p: unknown) => unknown)(c.params[i % c.params.length]), budgetMs, waybillSamples) : null;
    const check = compared ? await checkAnswers(c, waybill, crud.side, raw.side) : null;
    const target = c.kind === 'search' ? atMost(5, 'p99 ≤ 5 ms (full-text search)', 'p99') : atMost(1, `p99 ≤ 1 ms (${c.kind} query)`, 'p99');
    figures.push(
      makeFigure('queries', {
        name: `query.${c.id}`,
        unit: 'ms',
        value: w.p50,
        p99: w.p99,
        max: w.max,
        runs: w.count,
        ...(cr ? { baseline: cr.p50, baselineP99: cr.p99, baselineName: 'the same answer from the normalized CRUD schema with joins' } : {}),
        ...(rl ? { alt: [{ name: 'raw log', value: rl.p50, p99: rl.p99 }] } : {}),
        target,
        note: `${c.params.length} parameter sets${check ? `; answers agree with CRUD ${check.crud}, with the raw log ${check.raw}` : ''}`,
      }),
    );
    rows.push([
      c.id,
      round(w.p50),
      round(w.p99),
      cr ? round(cr.p50) : '—',
      cr ? round(cr.p99) : '—',
      rl ? round(rl.p50) : '—',
      rl ? round(rl.p99) : '—',
      cr ? `${roundSig(w.p50 / cr.p50, 2)}×` : '—',
      rl ? `${roundSig(w.p50 / rl.p50, 2)}×` : '—',
    ]);
    if (check) agreement.push([c.id, check.crud, check.raw]);
    tails.push([c.id, `${w.tail.slow} of ${w.count}`, w.tail.slow ? `${w.tail.slowWithGc} (${Math.round((100 * w.tail.slowWithGc) / w.tail.slow)} %)` : '—', round(w.tail.gcMs), w.tail.slowestParams]);
    cdfs.push({ id: c.id, points: cdfPoints(w.samples) });
    bars.push({ label: c.id, w: w.p50, c: cr?.p50 ?? null, r: rl?.p50 ?? null });
    say('queries', `${c.id}: waybill p50 ${round(w.p50)} / p99 ${round(w.p99)} ms; CRUD p50 ${cr ? round(cr.p50) : '—'} ms (${cr?.count ?? 0} runs); raw log p50 ${rl ? round(rl.p50) : '—'} ms (${rl?.count ?? 0} runs)`);
  }
  crud.close();
  raw.close();
  await waybill.close();

  const charts: Chart[] = [
    {
      kind: 'bars',
      id: 'queries-p50',
      title: 'Query p50: read model vs normalized CRUD vs raw log (log scale)',
      unit: 'ms per query',
      logX: true,
      groups: bars.map((b) => ({
        label: b.label,
        bars: [
          { label: 'Waybill read model', value: b.w },
          ...(b.c !== null ? [{ label: 'CRUD with joins', value: b.c }] : []),
          ...(b.r !== null ? [{ label: 'raw log', value: b.r }] : []),
        ],
      })),
      marks: [{ label: '1 ms', x: 1 }],
    },
    {
      kind: 'lines',
      id: 'queries-cdf',
      title: 'Latency CDF of the named queries through Waybill.query (in-process)',
      xLabel: 'ms per query (log scale)',
      yLabel: 'percentile',
      logX: true,
      series: cdfs.filter((c) => !c.id.includes('/') || /first-page|by-id|search|stream|time-range/.test(c.id)).map((c) => ({ label: c.id, points: c.points })),
      marks: [{ label: '1 ms', x: 1 }, { label: '5 ms', x: 5 }],
    },
  ];
  const sections = [
    mdTable(['query', 'Waybill p50 ms', 'p99 ms', 'CRUD p50 ms', 'CRUD p99 ms', 'raw log p50 ms', 'raw log p99 ms', 'Waybill / CRUD', 'Waybill / raw log'], rows),
    `Waybill: ${fmt(waybillSamples)} calls per query after 100 excluded warm-up calls, cycling through the parameter sets. ` +
      `CRUD and raw log: up to ${fmt(waybillSamples)} calls or ${budgetMs / 1000} s per query (at least 3), after excluded warm-up calls. ` +
      `CRUD database: ${fmt(fileBytes(crudFile) / 2 ** 20)} MB, built from the log in ${round(built.seconds)} s (not timed). ` +
      'Searches: the read models use FTS5 prefix terms; the CRUD schema and the raw log use LIKE substring matching (no full-text index), so their search answers are not compared. ' +
      'The ETA: the read model keeps the estimate as of each parcel’s last change; CRUD and the raw log compute it from the current history (so it is not compared either; `parcel.eta` itself is compared).',
    `**The tail**: samples slower than the target (1 ms; 5 ms for searches), and how many overlapped a garbage collection of the main thread (the rest were descheduled by other threads or genuinely slow):\n\n${mdTable(['query', 'slow samples', 'overlapping a GC', 'GC ms during the run', 'parameters slow nearly every time'], tails, ['l', 'r', 'r', 'r', 'l'])}`,
    `**Answer check** (normal form of up to 10 parameter sets per query: ids, statuses, counts, positions, sentences; not compared: setBy, timeline event ids, and CRUD positions):\n\n${mdTable(['query', 'CRUD agrees', 'raw log agrees'], agreement)}`,
  ];
  return { figures, charts, sections: sections.map((markdown) => ({ markdown })) };
}

interface Tail {
  slow: number;
  slowWithGc: number;
  gcMs: number;
  slowestParams: string;
}

/** Samples above the target, and how many of them overlapped a garbage collection on this thread. */
async function measureWaybill(waybill: BenchCore, c: AnyCase, samples: number, slowMs: number): Promise<Distribution & { samples: number[]; tail: Tail }> {
  const call = (i: number) => waybill.query(c.query, c.params[i % c.params.length]);
  for (let i = 0; i < 100; i++) {
    const r = await call(i);
    if (!r.ok) throw new Error(`${c.id}: ${r.error.message}`);
  }
  const gcs: { start: number; end: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ start: e.startTime, end: e.startTime + e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const lat: number[] = [];
  const slow: { start: number; end: number; i: number }[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await call(i);
    const e = performance.now();
    lat.push(e - t);
    if (e - t > slowMs) slow.push({ start: t, end: e, i });
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  const overlapping = slow.filter((s) => gcs.some((g) => g.start < s.end && g.end > s.start));
  const byParams = new Map<number, number>();
  for (const s of slow) byParams.set(s.i % c.params.length, (byParams.get(s.i % c.params.length) ?? 0) + 1);
  // Parameter sets that are slow nearly every time they come round (a fair share is samples / sets).
  const fair = samples / c.params.length;
  const chronic = [...byParams.entries()].filter(([, n]) => c.params.length > 1 && n > fair / 2).sort((a, b) => b[1] - a[1]);
  const tail: Tail = {
    slow: slow.length,
    slowWithGc: overlapping.length,
    gcMs: gcs.reduce((n, g) => n + (g.end - g.start), 0),
    slowestParams: chronic.slice(0, 4).map(([i]) => JSON.stringify(c.params[i])).join(', '),
  };
  return { ...distribution(lat), samples: lat, tail };
}

function measureSync(call: (i: number) => unknown, budgetMs: number, maxSamples: number): Distribution {
  const warm = performance.now();
  call(0);
  if (performance.now() - warm < budgetMs / 20) for (let i = 1; i < 5; i++) call(i);
  const lat: number[] = [];
  const start = performance.now();
  for (let i = 0; lat.length < maxSamples && (lat.length < 3 || performance.now() - start < budgetMs); i++) {
    const t = performance.now();
    call(i);
    lat.push(performance.now() - t);
  }
  return distribution(lat);
}

async function checkAnswers(c: AnyCase, waybill: BenchCore, crud: QuerySide, raw: QuerySide): Promise<{ crud: string; raw: string }> {
  const q = c.query as ComparedQuery;
  const n = Math.min(10, c.params.length);
  let crudSame = 0;
  let rawSame = 0;
  for (let i = 0; i < n; i++) {
    const params = c.params[i];
    const answer = await waybill.query(c.query, params);
    if (!answer.ok) throw new Error(`${c.id}: ${answer.error.message}`);
    const expected = normalForm(q, answer.data, 'waybill');
    const expectedNoPositions = normalForm(q, answer.data, 'crud');
    if (normalForm(q, (crud[q] as (p: unknown) => unknown)(params), 'crud') === expectedNoPositions) crudSame++;
    if (normalForm(q, (raw[q] as (p: unknown) => unknown)(params), 'raw') === expected) rawSame++;
  }
  const searching = c.kind === 'search';
  return { crud: searching ? 'n/a (LIKE)' : `${crudSame}/${n}`, raw: searching && q === 'events.list' ? 'n/a (LIKE)' : `${rawSame}/${n}` };
}

/** Parameters sampled evenly from the seeded read models. */
function sampleCases(dataDir: string, waybill: BenchCore): AnyCase[] {
  const open = (name: Parameters<typeof readModelPath>[1]) => new Database(readModelPath(dataDir, name), { readonly: true });
  const summary = open('parcel_summary');
  const count = summary.prepare('SELECT count(*) FROM parcel_summary').pluck().get() as number;
  const step = Math.max(1, Math.floor(count / 200));
  const parcels = summary.prepare('SELECT parcel_id AS id, tracking_code AS code FROM parcel_summary WHERE rowid % ? = 0 LIMIT 200').all(step) as { id: string; code: string }[];
  const depots = summary.prepare('SELECT depot_id FROM _depots ORDER BY depot_id').pluck().all() as string[];
  summary.close();
  const board = open('route_board');
  const drivers = board.prepare('SELECT DISTINCT driver_id FROM routes ORDER BY driver_id').pluck().all() as string[];
  board.close();
  const history = open('event_history');
  const head = waybill.head();
  const hStep = Math.max(1, Math.floor(head / 200));
  const positions = history.prepare('SELECT position FROM history_events WHERE position % ? = 0 LIMIT 200').pluck().all(hStep) as number[];
  const actors = history.prepare('SELECT DISTINCT actor FROM history_events WHERE position % ? = 0 AND actor IS NOT NULL LIMIT 60').pluck().all(Math.max(1, Math.floor(hStep / 4))) as string[];
  const correlations = history.prepare("SELECT correlation_id FROM history_events WHERE type = 'RoutePlanned' AND position % ? < 50 LIMIT 100").pluck().all(hStep) as string[];
  const times = history.prepare('SELECT recorded_at FROM history_events WHERE position % ? = 0 LIMIT 100').pluck().all(hStep * 2) as string[];
  history.close();

  const statuses = ['at_depot', 'delivered', 'in_transit', 'planned', 'attempt_failed', 'registered', 'out_for_delivery'] as const;
  const parcelTerms = [...lastNames.map((n) => n.split(/[\s-]/)[0]!), ...streets.map((s) => s.split(' ')[0]!)];
  const eventTerms = ['Leicester', 'storm', 'Nobody', 'Glasgow', 'damaged', 'Exeter', 'Hopper', 'kettle', 'Bristol', 'snow'];
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const HOUR = 3_600_000;
  return [
    { id: 'parcels.list/first-page', query: 'parcels.list', kind: 'page', params: [{ limit: 50 }] },
    { id: 'parcels.list/by-status', query: 'parcels.list', kind: 'page', params: statuses.map((status) => ({ status, limit: 50 })) },
    { id: 'parcels.list/by-status-page-2', query: 'parcels.list', kind: 'page', params: statuses.map((status) => ({ status, limit: 50 })) },
    { id: 'parcels.list/depot-by-tracking', query: 'parcels.list', kind: 'page', params: depots.map((depotId) => ({ depotId, sort: 'tracking' as const, limit: 50 })) },
    { id: 'parcels.list/search', query: 'parcels.list', kind: 'search', params: parcelTerms.map((search) => ({ search, limit: 50 })) },
    { id: 'parcel.summary/by-id', query: 'parcel.summary', kind: 'point', params: parcels.map((p) => ({ parcelId: p.id })) },
    { id: 'parcel.summary/by-tracking-code', query: 'parcel.summary', kind: 'point', params: parcels.map((p) => ({ trackingCode: p.code })) },
    { id: 'parcel.timeline', query: 'parcel.timeline', kind: 'page', params: parcels.map((p) => ({ parcelId: p.id })) },
    { id: 'parcel.eta', query: 'parcel.eta', kind: 'point', params: parcels.map((p) => ({ parcelId: p.id })) },
    { id: 'region.deliveryTimes', query: 'region.deliveryTimes', kind: 'point', params: regions.map(({ region }) => ({ region })) },
    { id: 'route.current', query: 'route.current', kind: 'point', params: drivers.map((driverId) => ({ driverId })) },
    { id: 'depots.board', query: 'depots.board', kind: 'page', params: [{}] },
    { id: 'events.list/first-page', query: 'events.list', kind: 'page', params: [{ limit: 50 }] },
    { id: 'events.list/by-stream', query: 'events.list', kind: 'page', params: parcels.map((p) => ({ streamId: `parcel-${p.id}`, limit: 50 })) },
    { id: 'events.list/by-type-before', query: 'events.list', kind: 'page', params: range(60).map((i) => ({ type: eventTypes[i % eventTypes.length]!, before: positions[(i * 7) % positions.length]!, limit: 50 })) },
    { id: 'events.list/by-actor', query: 'events.list', kind: 'page', params: actors.map((actor) => ({ actor, limit: 50 })) },
    { id: 'events.list/by-correlation', query: 'events.list', kind: 'page', params: correlations.map((correlationId) => ({ correlationId, limit: 50 })) },
    { id: 'events.list/time-range', query: 'events.list', kind: 'page', params: times.map((from) => ({ from, to: new Date(Date.parse(from) + 6 * HOUR).toISOString(), limit: 50 })) },
    { id: 'events.list/search', query: 'events.list', kind: 'search', params: eventTerms.map((search) => ({ search, limit: 50 })) },
    { id: 'event.get', query: 'event.get', kind: 'point', params: positions.map((position) => ({ position })) },
    { id: 'projections.status', query: 'projections.status', kind: 'point', params: [{}] },
  ];
}

/** Page-2 parameters: the first page's cursor, as a screen would send it. */
async function secondPages(waybill: BenchCore, firsts: QueryParams<'parcels.list'>[]): Promise<QueryParams<'parcels.list'>[]> {
  const out: QueryParams<'parcels.list'>[] = [];
  for (const params of firsts) {
    const page = await waybill.query('parcels.list', params);
    if (page.ok && page.data.next) out.push({ ...params, after: String(page.data.next) });
  }
  return out.length ? out : firsts;
}
