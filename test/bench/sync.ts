// Benchmark 10 — Sync: laptops and a sync server (its own process) on a real PostgreSQL (its own
// cluster in the work folder). Push throughput of one laptop and of ten at once, pull throughput
// and the time a new laptop takes to join (pulled and every read model built), and how long a
// command recorded on one laptop takes to show on another online one; each against a bare
// baseline on the same PostgreSQL in the same run.
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { projections } from '../../db/projections/index.ts';
import type { BuiltFiles } from '../../db/runtime/builtFiles.ts';
import { startEmbeddedCluster, type EmbeddedCluster } from '../../db/sync/server/embeddedCluster.ts';
import type { BenchResult } from './child.ts';
import { openBenchCore, type BenchCore } from './lib/benchCore.ts';
import { copyDataset, logPath } from './lib/dataset.ts';
import { atMost, makeFigure, type Figure } from './lib/figures.ts';
import { fmt, mdTable, say } from './lib/log.ts';
import { profile, profileMarkdown } from './lib/profile.ts';
import { cdfPoints, distribution, median, round, sleep } from './lib/stats.ts';
import { barePull, barePush } from './lib/syncBaselines.ts';
import { cpuMeter, cpuSampler, type CpuSplit } from './lib/syncCpu.ts';
import { directPusher, enrolmentCode, joinFleet, seedLaptop, syncNow } from './lib/syncLaptops.ts';
import { crossingLegs, crossings, type RegisterParcel } from './lib/syncLatency.ts';
import { pagedPull, type PagedPull } from './lib/syncProbes.ts';
import { startSyncServerProcess, type SyncServerProcess } from './lib/syncServer.ts';
import { recordWire, summariseWire, type WireRecorder, type WireRequest } from './lib/syncWireTimes.ts';
import type { BenchConfig, Chart } from './lib/types.ts';
import { CommandStream, loadWorld } from './lib/workload.ts';
import { buildNode } from '../../electron/build/build.ts';

/** The issue's join target, stated for a fleet of 1,000,000 events. */
const JOIN_TARGET_EVENTS = 1_000_000;
const LATENCY = { warm: 10, measured: 100, perSecond: 4 };

interface Phase {
  name: string;
  events: number;
  seconds: number;
  cpu: CpuSplit;
  wire: WireRequest[];
  from: number;
}

export async function run(config: BenchConfig): Promise<BenchResult> {
  // Cores start their threads from built entries; other work in this checkout may rebuild dist/ meanwhile, so the laptops run from a build of their own.
  const { dir } = await buildNode(join(config.workDir, 'built'));
  const files: BuiltFiles = { entries: dir, migrations: join(dir, 'migrations'), renderer: join(config.repoRoot, 'dist', 'renderer') };
  const clusterDir = join(config.workDir, 'postgres');
  say('sync', 'starting a PostgreSQL cluster of its own');
  const cluster = await startEmbeddedCluster(clusterDir);
  const wire = recordWire();
  const servers: SyncServerProcess[] = [];
  const serve = async (name: string) => {
    const url = await createDatabase(cluster, name);
    const server = await startSyncServerProcess(url, config.repoRoot);
    servers.push(server);
    return { url, server, cpu: cpuSampler(cpuMeter(server.pid, clusterDir)) };
  };
  try {
    return await measure(config, files, serve, wire);
  } finally {
    wire.stop();
    await Promise.all(servers.map((s) => s.close()));
    await cluster.stop();
  }
}

type Serve = (name: string) => Promise<{ url: string; server: SyncServerProcess; cpu: ReturnType<typeof cpuSampler> }>;

async function measure(config: BenchConfig, files: BuiltFiles, serve: Serve, wire: WireRecorder): Promise<BenchResult> {
  const n = config.events;
  const phases: Phase[] = [];
  const phase = (name: string, events: number, from: number, to: number, cpu: ReturnType<typeof cpuSampler>, requests: WireRequest[]) =>
    phases.push({ name, events, seconds: (to - from) / 1000, cpu: cpu.between(from, to), wire: requests, from });

  // Ten laptops of ten devices, a tenth of the history each, seeded beforehand (not timed).
  const tenEach = Math.max(1000, Math.round(n / 10));
  const tenDirs = Array.from({ length: 10 }, (_, i) => join(config.workDir, `ten-${i}`));
  for (const [i, dir] of tenDirs.entries()) {
    say('sync', `seeding laptop ${i + 1}/10 of ten (${fmt(tenEach)} events)`);
    await seedLaptop(dir, tenEach, 101 + i, files);
  }

  // 1. One laptop pushes its whole history to a fresh server database through sync.now.
  const fleet = await serve('fleet');
  const oneDir = copyDataset(config.baseDir, join(config.workDir, 'one'));
  say('sync', `push: baseline, then one laptop's ${fmt(n)} events through sync.now`);
  const bareOne = await barePush(fleet.url, [oneDir], 'bare_push_one');
  const one = await openBenchCore({ dataDir: oneDir, projectors: 'inline', files });
  await joinFleet(one, fleet.server.url, await enrolmentCode(fleet.url, 'one'));
  wire.take();
  const p0 = performance.now();
  const oneSync = await syncNow(one, 'one');
  const p2 = performance.now();
  const oneWire = wire.take();
  const p1 = Math.max(...oneWire.filter((r) => r.kind === 'push').map((r) => r.end));
  await one.close();
  const oneEvents = oneSync.status.acked;
  phase('one laptop pushes (sync.now)', oneEvents, p0, p1, fleet.cpu, oneWire.filter((r) => r.kind === 'push'));
  phase('… and pulls its own events back', oneSync.status.cursor, p1, p2, fleet.cpu, oneWire.filter((r) => r.kind === 'pull'));
  say('sync', `pushed ${fmt(oneEvents)} in ${round((p1 - p0) / 1000)} s (bare ${round(bareOne.seconds)} s), own events back in ${round((p2 - p1) / 1000)} s`);

  // 2. Ten laptops push at once to one server.
  const ten = await serve('fleet_ten');
  say('sync', `push: baseline, then ten laptops at once (${fmt(tenEach)} events each)`);
  const bareTen = await barePush(ten.url, tenDirs, 'bare_push_ten');
  const pushers = await Promise.all(tenDirs.map((dir, i) => directPusher(dir, ten.url, ten.server.url, `ten-${i}`)));
  wire.take();
  const t0 = performance.now();
  const tenPushed = (await Promise.all(pushers.map((p) => p.pushAll()))).reduce((s, v) => s + v, 0);
  const t1 = performance.now();
  phase('ten laptops push at once', tenPushed, t0, t1, ten.cpu, wire.take());
  for (const p of pushers) p.close();
  ten.cpu.stop();
  await ten.server.close();
  say('sync', `ten pushed ${fmt(tenPushed)} in ${round((t1 - t0) / 1000)} s (bare ${round(bareTen.seconds)} s)`);

  // 3. A new laptop joins the fleet: pulls everything, then builds every read model.
  say('sync', `pull: baseline, then a new laptop joins and pulls ${fmt(oneEvents)} events`);
  const bareIn = await barePull(fleet.url, join(config.workDir, 'bare-pull.db'));
  const freshDir = join(config.workDir, 'fresh');
  const fresh = await openBenchCore({ dataDir: freshDir, projectors: 'inline', files });
  const freshCode = await enrolmentCode(fleet.url, 'fresh');
  wire.take();
  const j0 = performance.now();
  await joinFleet(fresh, fleet.server.url, freshCode);
  const freshSync = await syncNow(fresh, 'fresh');
  const j1 = performance.now();
  phase('a new laptop pulls everything', freshSync.status.cursor, j0, j1, fleet.cpu, wire.take().filter((r) => r.kind === 'pull'));
  await fresh.core.catchUpAll();
  await caughtUp(fresh, 'the new laptop');
  const j2 = performance.now();
  phase('… and builds every read model', freshSync.status.cursor, j1, j2, fleet.cpu, []);
  await fresh.close();
  say('sync', `joined in ${round((j2 - j0) / 1000)} s: pulled in ${round((j1 - j0) / 1000)} s (bare ${round(bareIn.seconds)} s), read models in ${round((j2 - j1) / 1000)} s`);

  // The same join in the app: worker projectors follow the log while it is pulled.
  const appDir = join(config.workDir, 'fresh-app');
  const app = await openBenchCore({ dataDir: appDir, files });
  const appCode = await enrolmentCode(fleet.url, 'fresh-app');
  wire.take();
  const k0 = performance.now();
  await joinFleet(app, fleet.server.url, appCode);
  const appSync = await syncNow(app, 'fresh-app');
  const k1 = performance.now();
  phase('the same in the app (worker projectors follow meanwhile)', appSync.status.cursor, k0, k1, fleet.cpu, wire.take().filter((r) => r.kind === 'pull'));
  await app.core.catchUpAll();
  await caughtUp(app, 'the app-mode laptop');
  const k2 = performance.now();
  phase('… until every read model is at the head', appSync.status.cursor, k1, k2, fleet.cpu, []);
  await app.close();
  rmSync(appDir, { recursive: true, force: true });
  say('sync', `in the app: joined in ${round((k2 - k0) / 1000)} s, pulled in ${round((k1 - k0) / 1000)} s`);

  // 4. Laptop A records, laptop B shows: both opened as the apps open them, syncing in the background.
  say('sync', `A → B: ${LATENCY.measured} parcels registered on A at ${LATENCY.perSecond}/s, each awaited on B`);
  const a = await openBenchCore({ dataDir: oneDir, files });
  const b = await openBenchCore({ dataDir: freshDir, files });
  a.core.startBackgroundSync();
  b.core.startBackgroundSync();
  await settle([a, b]);
  const registrations = parcelsToRegister(oneDir, LATENCY.warm + LATENCY.measured);
  await crossings(a, b, registrations.slice(0, LATENCY.warm), LATENCY.perSecond);
  wire.take();
  const loadBefore = loadavg()[0]!;
  const crossed = await crossings(a, b, registrations.slice(LATENCY.warm), LATENCY.perSecond);
  const loadAfter = loadavg()[0]!;
  const legs = crossingLegs(crossed, wire.take(), a.core.deviceId!, b.core.deviceId!);
  await Promise.all([a.close(), b.close()]);
  fleet.cpu.stop();
  await fleet.server.close();

  // 5. Diagnostics on a tenth of the history: the server's profile during a push, a pull's pages taken apart, the laptop's profile during a pull.
  say('sync', 'diagnostics: a push with the server profiled, pulls at two page sizes, a profiled pull');
  const probe = await serve('probe');
  const pusher = await directPusher(tenDirs[0]!, probe.url, probe.server.url, 'probe-push');
  const serverPushProfile = probe.server.profile();
  await pusher.pushAll();
  const serverPush = await serverPushProfile();
  pusher.close();
  const pullInto = (name: string, pageSize: number) => pagedPull({ databaseUrl: probe.url, serverUrl: probe.server.url, dir: join(config.workDir, name), name, pageSize, wire, files });
  const paged: PagedPull[] = [];
  for (const pageSize of [1000, 5000]) paged.push(await pullInto(`paged-${pageSize}`, pageSize));
  const laptopPull = await profile(config.repoRoot, () => pullInto('paged-profiled', 5000));
  probe.cpu.stop();

  // Figures.
  const [pushOne, pullBack, pushTen, pullIn, readModels, appPull, appReadModels] = phases as [Phase, Phase, Phase, Phase, Phase, Phase, Phase];
  const rateLimited = oneSync.rateLimited + freshSync.rateLimited + appSync.rateLimited;
  const remote = distribution(crossed.map((c) => c.remote - c.sent).filter(Number.isFinite));
  const local = distribution(crossed.map((c) => c.local - c.sent).filter(Number.isFinite));
  const neverSeen = crossed.filter((c) => !Number.isFinite(c.remote)).length;
  const joinSeconds = pullIn.seconds + readModels.seconds;
  const bareName = (what: string) => `${what} on the same PostgreSQL (its own cluster in the work folder), same run`;
  const barePushName = bareName('a bare SELECT of the same rows from each log and one multi-row INSERT … unnest per 1,000 into a plain table (no key, no index), one commit each, one connection per laptop');
  const barePullName = bareName(`bare keyset SELECTs of the server's rows (10,000 a page) and one prepared INSERT each into a plain SQLite table in one transaction`);
  const figures: Figure[] = [
    makeFigure('sync', {
      name: 'sync.push.one',
      unit: 'events/s',
      value: pushOne.events / pushOne.seconds,
      runs: 1,
      baseline: bareOne.events / bareOne.seconds,
      baselineName: barePushName,
      note: `${fmt(pushOne.events)} events of one laptop (the seeded folder) through sync.now, batches of 1,000, until the last push was answered: ${round(pushOne.seconds)} s; the bare INSERTs took ${round(bareOne.seconds)} s`,
    }),
    makeFigure('sync', {
      name: 'sync.push.one.own_events_back',
      unit: 'events/s',
      value: pullBack.events / pullBack.seconds,
      runs: 1,
      note: `diagnostic: the rest of that sync.now, pulling the same ${fmt(pullBack.events)} events back (each stored only as its place in the server's order): ${round(pullBack.seconds)} s`,
    }),
    makeFigure('sync', {
      name: 'sync.push.ten',
      unit: 'events/s',
      value: pushTen.events / pushTen.seconds,
      runs: 1,
      baseline: bareTen.events / bareTen.seconds,
      baselineName: barePushName,
      note: `ten laptops of ten devices (${fmt(tenEach)} events each) pushing at once through the laptop's client (LaptopSync's push loop without the pull sync.now adds), total ${fmt(pushTen.events)} events in ${round(pushTen.seconds)} s; the ten bare INSERT loops took ${round(bareTen.seconds)} s`,
    }),
    makeFigure('sync', {
      name: 'sync.pull',
      unit: 'events/s',
      value: pullIn.events / pullIn.seconds,
      runs: 1,
      baseline: bareIn.events / bareIn.seconds,
      baselineName: barePullName,
      note: `a new laptop (inline projectors, as the CLI opens it) joins and sync.now pulls ${fmt(pullIn.events)} events, pages of 5,000 (the next asked for while one is stored), each stored in one SQLite transaction: ${round(pullIn.seconds)} s; the bare SELECT + INSERT took ${round(bareIn.seconds)} s`,
    }),
    makeFigure('sync', {
      name: 'sync.join',
      unit: 's',
      value: joinSeconds,
      runs: 1,
      baseline: bareIn.seconds,
      baselineName: barePullName,
      ...(n >= JOIN_TARGET_EVENTS ? { target: atMost(120, '≤ 120 s at 1,000,000 events') } : {}),
      note: `sync.join → sync.now pulled everything (${round(pullIn.seconds)} s) → every read model built (catchUpAll: ${projections.length} bulk rebuilds in threads, ${round(readModels.seconds)} s) until projections.status shows lag 0 everywhere${n >= JOIN_TARGET_EVENTS ? '' : `; the target (≤ 120 s) is stated for ${fmt(JOIN_TARGET_EVENTS)} events and not applied to ${fmt(n)}`}`,
    }),
    makeFigure('sync', {
      name: 'sync.join.app',
      unit: 's',
      value: appPull.seconds + appReadModels.seconds,
      runs: 1,
      baseline: bareIn.seconds,
      baselineName: barePullName,
      note: `diagnostic: the same join in a laptop opened as the app opens it (worker projectors following the log while it is pulled, the writer in its thread): pulled in ${round(appPull.seconds)} s, every read model at the head ${round(appReadModels.seconds)} s later`,
    }),
    makeFigure('sync', {
      name: 'sync.latency.a_to_b',
      unit: 'ms',
      value: remote.p50,
      p99: remote.p99,
      max: remote.max,
      runs: remote.count,
      baseline: local.p50,
      baselineP99: local.p99,
      baselineName: 'the same command shown by the same query on laptop A itself (read-your-writes at the command\'s position)',
      target: atMost(1000, 'p99 ≤ 1 s', 'p99'),
      note: `RegisterParcel on A at ${LATENCY.perSecond}/s (open loop, ${LATENCY.warm} excluded before), until B's parcel.summary shows the parcel: B is asked when its head push topic says its log moved; both laptops opened as the apps open them (worker projectors) with background sync, ${fmt(n)} events of history each; load average ${round(loadBefore)} before, ${round(loadAfter)} after${neverSeen ? `; ${neverSeen} never shown within 30 s` : ''}`,
    }),
  ];

  const phaseRows = phases.map((p) => {
    const w = p.wire.length ? summariseWire(p.wire, p.from) : null;
    return [
      p.name,
      fmt(p.events),
      round(p.seconds),
      w ? fmt(p.events / p.seconds) : '',
      w ? fmt(w.requests) : '',
      w ? round(w.medianMs) : '',
      w ? round(w.outSeconds) : '',
      w && p.wire.every((r) => r.deviceId === p.wire[0]!.deviceId) ? round(w.betweenSeconds) : '',
      `${round(p.cpu.laptops)} / ${round(p.cpu.server)} / ${round(p.cpu.postgres)}`,
    ];
  });
  const legRow = (label: string, values: number[]) => [label, round(median(values)), round(distribution(values).p99)];
  const pagedRows = paged.map((p) => [
    fmt(p.pageSize),
    fmt(p.pages),
    fmt(p.events / p.seconds),
    round((p.request / p.pages) * 1000),
    round((p.read / p.pages) * 1000),
    round((p.store / p.pages) * 1000),
    round((p.store / p.events) * 1e6),
    p.rateLimited,
  ]);
  const sections = [
    mdTable(['phase', 'events', 'wall s', 'events/s', 'requests', 'median request ms', 'requests out s (sum)', 'laptop between requests s', 'CPU s: laptop / server / PostgreSQL'], phaseRows),
    `Wall time and who used the CPU (2 cores): the laptops in the benchmark's process, the sync server in its own, every PostgreSQL process of the cluster (from /proc, to the nearest 0.5 s sample). ` +
      `"Requests out" is the time from each request leaving to the last byte of its answer (server, PostgreSQL, loopback); "between requests" is the laptop's own work between them (one device only). ` +
      `Push batches are of 1,000 events (MAX_PUSH_EVENTS, the most the server takes); the laptop's pull pages are of 5,000 (the most the server gives), the next asked for while one is stored. ` +
      (rateLimited ? `**sync.now was refused as rate-limited ${rateLimited} time(s)** (the server's default of 50 requests/s per device) and called again after 1 s; those waits are in the times above.` : 'No sync.now was refused as rate-limited.'),
    `**A → B, leg by leg** (matched by time: A's first push answered after the command, B's first pull answered after that; ${legs.toPush.length} of ${crossed.length} matched)\n\n` +
      mdTable(
        ['leg', 'p50 ms', 'p99 ms'],
        [
          legRow('A\'s command returned → A\'s push left', legs.toPush),
          legRow('A\'s push out (server stores it, NOTIFY at commit)', legs.push),
          legRow('A\'s push answered → B\'s long-poll answered', legs.toPulled),
          legRow('B\'s pull answered → B\'s parcel.summary shows it (store, head push, projector, query)', legs.toShown),
          ['whole crossing A → B', round(remote.p50), round(remote.p99)],
          ['baseline: A\'s own query shows it', round(local.p50), round(local.p99)],
        ],
      ),
    `**A pull's pages taken apart** (a new device pulls the ${fmt(paged[0]?.events ?? 0)} events one laptop of ten pushed, into a fresh log, with the laptop's client and applyPulled, no sync.json or status pushes):\n\n` +
      mdTable(['page size', 'pages', 'events/s', 'request ms/page', 'read (JSON + wire schema) ms/page', 'store (applyPulled) ms/page', 'store µs/event', 'rate-limited'], pagedRows),
    profileMarkdown(`the sync server's process during one laptop's push of ${fmt(pusher.events)} events`, serverPush),
    profileMarkdown(`a new laptop pulling ${fmt(laptopPull.result.events)} events at 5,000 a page (reading each answer, applyPulled)`, laptopPull.summary),
  ];
  const charts: Chart[] = [
    {
      kind: 'lines',
      id: 'sync-a-to-b',
      title: `A records a parcel, B shows it (${remote.count} parcels at ${LATENCY.perSecond}/s), and A's own round trip (CDF)`,
      xLabel: 'ms from A\'s command (log scale)',
      yLabel: 'percentile',
      logX: true,
      series: [
        { label: 'A → B', points: cdfPoints(crossed.map((c) => c.remote - c.sent).filter(Number.isFinite)) },
        { label: 'A → A (baseline)', points: cdfPoints(crossed.map((c) => c.local - c.sent).filter(Number.isFinite)) },
      ],
      marks: [{ label: 'target p99 ≤ 1 s', x: 1000 }],
    },
    {
      kind: 'bars',
      id: 'sync-throughput',
      title: 'Sync throughput against the bare baselines',
      unit: 'events/s',
      groups: [
        { label: 'push, one laptop', bars: [{ label: 'Waybill', value: pushOne.events / pushOne.seconds }, { label: 'bare', value: bareOne.events / bareOne.seconds }] },
        { label: 'push, ten at once', bars: [{ label: 'Waybill', value: pushTen.events / pushTen.seconds }, { label: 'bare', value: bareTen.events / bareTen.seconds }] },
        { label: 'pull, new laptop', bars: [{ label: 'Waybill', value: pullIn.events / pullIn.seconds }, { label: 'bare', value: bareIn.events / bareIn.seconds }] },
      ],
    },
  ];
  return { figures, charts, sections: sections.map((markdown) => ({ markdown })) };
}

async function createDatabase(cluster: EmbeddedCluster, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return cluster.databaseUrl(name);
}

/** Throws unless every read model of the laptop is at its head and none halted. */
async function caughtUp(laptop: BenchCore, who: string): Promise<void> {
  const status = await laptop.status();
  if (status.projections.some((p) => p.lag > 0 || p.state === 'halted')) throw new Error(`${who}'s read models did not catch up: ${status.projections.map((p) => `${p.name} lag ${p.lag} ${p.state}`).join(', ')}`);
}

/** Waits until every laptop has pushed and pulled everything and its read models are at its head. */
async function settle(laptops: BenchCore[]): Promise<void> {
  const deadline = performance.now() + 120_000;
  while (performance.now() < deadline) {
    const states = await Promise.all(
      laptops.map(async (laptop) => {
        const sync = await laptop.call('sync.status', {});
        const status = await laptop.status();
        return sync.ok && sync.status.waiting === 0 && sync.status.behind === 0 && status.projections.every((p) => p.lag === 0);
      }),
    );
    if (states.every(Boolean)) return;
    await sleep(200);
  }
  throw new Error('the laptops did not settle (pushed, pulled, read models at the head) within 120 s');
}

/** New parcels to register, from the workload's stream over the folder's depots. */
function parcelsToRegister(dataDir: string, count: number): RegisterParcel[] {
  const stream = new CommandStream(loadWorld(logPath(dataDir)), { tag: 'sy', seed: 10 });
  const out: RegisterParcel[] = [];
  while (out.length < count) {
    const command = stream.next();
    if (command.type === 'RegisterParcel') out.push(command);
  }
  return out;
}
