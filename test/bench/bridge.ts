// Benchmark 7 — Bridge: a typical query's round trip through browser mode's transport (HTTP POST to
// startBrowserHost on 127.0.0.1 with the token header, kept-alive connection) against the same query
// in-process. Electron IPC is measured only where an Electron binary and a display exist.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { startBrowserHost } from '../../db/serve/startBrowserHost.ts';
import { callPath, tokenHeader, type QueryName, type QueryParams } from '../../db/contract/index.ts';
import { openBenchCore } from './lib/benchCore.ts';
import type { BenchResult } from './child.ts';
import { copyDataset, logPath } from './lib/dataset.ts';
import { atMost, makeFigure, type Figure } from './lib/figures.ts';
import { fmt, mdTable, say } from './lib/log.ts';
import { cdfPoints, distribution, round, sleep } from './lib/stats.ts';
import type { BenchConfig, Chart, LineSeries } from './lib/types.ts';
import { CommandStream, loadWorld } from './lib/workload.ts';

export async function run(config: BenchConfig): Promise<BenchResult> {
  const dataDir = copyDataset(config.baseDir, join(config.workDir, 'data'));
  const staticDir = join(config.workDir, 'page');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><html><head><title>bench</title></head><body></body></html>');
  const waybill = await openBenchCore({ dataDir, projectors: 'workers' });
  await waybill.core.catchUpAll();
  await sleep(3000); // let the worker threads finish starting before anything is timed
  // The host carries calls to the in-process core's endpoint, so the figure is the transport's cost alone.
  const host = await startBrowserHost({ core: waybill.core.endpoint, session: { actor: 'bench', surface: 'browser' }, staticDir, port: 0 });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = (path: string, body: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const text = JSON.stringify(body);
      const call = request(
        { host: '127.0.0.1', port: host.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), [tokenHeader]: host.token } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
            if (response.statusCode !== 200) reject(new Error(`${path}: HTTP ${response.statusCode}: ${JSON.stringify(parsed)}`));
            else resolve(parsed);
          });
        },
      );
      call.on('error', reject);
      call.end(text);
    });

  const parcel = (await waybill.query('parcels.list', { limit: 1 })) as { ok: true; data: { rows: { parcelId: string }[] } };
  const parcelId = parcel.data.rows[0]!.parcelId;
  const cases: { id: string; name: QueryName; params: QueryParams<QueryName> }[] = [
    { id: 'parcel.summary', name: 'parcel.summary', params: { parcelId } },
    { id: 'parcels.list/first-page', name: 'parcels.list', params: { limit: 50 } },
    { id: 'events.list/first-page', name: 'events.list', params: { limit: 50 } },
    { id: 'depots.board', name: 'depots.board', params: {} },
  ];
  const samples = config.quick ? 1000 : 2000;
  const figures: Figure[] = [];
  const rows: (string | number)[][] = [];
  const series: LineSeries[] = [];
  for (const c of cases) {
    const http: number[] = [];
    const local: number[] = [];
    const viaHttp = async () => {
      const t = performance.now();
      const answer = (await post(callPath(c.name), { params: c.params })) as { ok: boolean };
      http.push(performance.now() - t);
      if (!answer.ok) throw new Error(`${c.id} through the bridge: ${JSON.stringify(answer)}`);
    };
    const inProcess = async () => {
      const t = performance.now();
      await waybill.query(c.name, c.params);
      local.push(performance.now() - t);
    };
    for (let i = 0; i < 100; i++) {
      await viaHttp();
      await inProcess();
    }
    http.length = 0;
    local.length = 0;
    // Blocks of 100 alternate between the two paths.
    for (let block = 0; block < samples / 100; block++) for (let i = 0; i < 100; i++) await (block % 2 === 0 ? viaHttp() : inProcess()).then(() => (block % 2 === 0 ? inProcess() : viaHttp()));
    const h = distribution(http);
    const l = distribution(local);
    figures.push(
      makeFigure('bridge', {
        name: `bridge.${c.id}`,
        unit: 'ms',
        value: h.p50,
        p99: h.p99,
        max: h.max,
        runs: h.count,
        baseline: l.p50,
        baselineP99: l.p99,
        baselineName: 'the same query through the core\'s endpoint in-process',
        target: atMost(5, 'p99 ≤ 5 ms through the bridge', 'p99'),
      }),
    );
    rows.push([c.id, round(h.p50), round(h.p99), round(l.p50), round(l.p99), round(h.p50 - l.p50)]);
    series.push({ label: `${c.id} via HTTP`, points: cdfPoints(http) });
    say('bridge', `${c.id}: HTTP p50 ${round(h.p50)} / p99 ${round(h.p99)} ms, in-process p50 ${round(l.p50)} ms`);
  }

  // A command through the bridge, for completeness (appends to the scratch copy).
  const stream = new CommandStream(loadWorld(logPath(dataDir)), { tag: 'br', seed: 9 });
  const commandLat: number[] = [];
  for (let i = 0; i < (config.quick ? 1000 : 2000) + 100; i++) {
    const t = performance.now();
    const answer = (await post(callPath('command'), stream.next())) as { ok: boolean };
    if (i >= 100) commandLat.push(performance.now() - t);
    if (!answer.ok) throw new Error(`command through the bridge: ${JSON.stringify(answer)}`);
  }
  const cmd = distribution(commandLat);
  figures.push(makeFigure('bridge', { name: 'bridge.command', unit: 'ms', value: cmd.p50, p99: cmd.p99, max: cmd.max, runs: cmd.count, note: `a command (the workload mix) through POST ${callPath('command')}` }));
  rows.push(['command (workload mix)', round(cmd.p50), round(cmd.p99), '', '', '']);
  agent.destroy();
  await host.close();
  await waybill.close();

  const electron = electronAvailability(config.repoRoot);
  const charts: Chart[] = [
    { kind: 'lines', id: 'bridge-cdf', title: 'Query round trip through browser mode (HTTP on 127.0.0.1, kept-alive)', xLabel: 'ms (log scale)', yLabel: 'percentile', logX: true, series, marks: [{ label: '5 ms', x: 5 }] },
  ];
  const sections = [
    mdTable(['query', 'HTTP p50 ms', 'HTTP p99 ms', 'in-process p50 ms', 'in-process p99 ms', 'transport cost p50 ms'], rows),
    `${fmt(samples)} round trips per query after 100 excluded warm-up calls, in blocks of 100 alternating with the in-process calls; one kept-alive connection, as a browser tab uses. ` +
      `The client runs in the same process as the server (as a browser would not), so the figure includes both ends' JSON work on one thread.`,
    `**Electron IPC: not measured.** ${electron}`,
  ];
  return { figures, charts, sections: sections.map((markdown) => ({ markdown })) };
}

function electronAvailability(repoRoot: string): string {
  const binary = join(repoRoot, 'node_modules', 'electron', 'dist', process.platform === 'darwin' ? 'Electron.app' : 'electron');
  const reasons: string[] = [];
  if (!existsSync(binary)) reasons.push(`the Electron binary is not installed here (${binary.slice(repoRoot.length + 1)} is missing: its download is blocked)`);
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) reasons.push('there is no display to open a window on');
  return reasons.length ? `On this machine ${reasons.join(', and ')}. The IPC handler table is exercised by test/electron with a fake Electron instead.` : 'An Electron binary and a display exist, but this benchmark does not drive Electron yet.';
}

