import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { commandTypes, queryNames, readModelNames, type QueryName, type ReadModelName, type RebuildProgress } from '../contract.ts';
import { defaultDataDir, logPathIn } from '../core/dataPaths.ts';
import { withReadOnlyHint } from '../core/openFailures.ts';
import { openWaybill, type OpenedWaybill } from '../core/openWaybill.ts';
import { toErrorBody, WaybillError } from '../errors.ts';
import { backupLog, restoreLog } from '../log/backupLog.ts';
import { exportEvents } from '../log/exportEvents.ts';
import { importEvents } from '../log/importEvents.ts';
import { seedHistory } from '../seed/seedHistory.ts';
import { createProgressBar } from './progressBar.ts';

/** The subcommands that only read the data folder, so they can open it read-only; the others record into it. */
const readingSubcommands = ['query', 'status', 'verify', 'backup', 'export', 'serve'];
const writingSubcommands = ['seed', 'command', 'rebuild', 'import', 'restore'];

const USAGE = `waybill — the operator's recovery kit for a Waybill data folder

Usage: waybill <subcommand> [options]   (every subcommand takes --data DIR and --json)

  seed --events N [--seed S]                 append a realistic, deterministic demo history
  command TYPE --json '<payload>' [--id ID]  run one command (${commandTypes.join(', ')})
  query NAME [--params '<json>'] [--min-position P]
                                             run a named query (${queryNames.join(', ')})
  status                                     head position and every read model's checkpoint and lag
  rebuild [--projection NAME]                rebuild read models from the log (old ones serve meanwhile)
  verify                                     check the log (integrity, gaps, guards, hash chain) and every read model
  backup --to FILE                           online, consistent copy of the log
  restore --from FILE                        replace the log with a verified backup (the old log is kept)
  export --to FILE.ndjson                    every event, one JSON line each
  import --from FILE.ndjson                  append events not already here (idempotent by event id)
  serve [--port P]                           browser mode on 127.0.0.1

  --read-only                                open the data folder without writing a byte to it (a
                                             read-only medium, or just to look); works with
                                             ${readingSubcommands.join(', ')}

Data folder: --data DIR, else $WAYBILL_DATA, else ${defaultDataDir()}`;

type Output = { json: boolean };
const print = (out: Output, value: unknown, human?: string) => console.log(out.json || human === undefined ? JSON.stringify(value, null, out.json ? 0 : 2) : human);

/**
 * `--json VALUE` where VALUE starts with one dash (a negative number as a payload) would read as an
 * unknown option; there are no short options, so such a VALUE is the payload.
 */
function joinDashedJsonValues(args: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (args[i] === '--json' && next !== undefined && /^-(?!-)/.test(next)) {
      joined.push(`--json=${next}`);
      i++;
    } else joined.push(args[i]!);
  }
  return joined;
}

export async function main(argv: string[]): Promise<number> {
  const [subcommand, ...given] = argv;
  const rest = joinDashedJsonValues(given);
  if (!subcommand || subcommand === 'help' || subcommand === '--help' || subcommand === '-h') {
    console.log(USAGE);
    return subcommand ? 0 : 2;
  }
  // serve parses its own options (its --json is a flag, not a payload).
  if (subcommand === 'serve') return serve(given);
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        json: { type: 'string' },
        params: { type: 'string' },
        id: { type: 'string' },
        events: { type: 'string' },
        seed: { type: 'string' },
        'min-position': { type: 'string' },
        projection: { type: 'string' },
        to: { type: 'string' },
        from: { type: 'string' },
        port: { type: 'string' },
        durability: { type: 'string' },
        'read-only': { type: 'boolean' },
      },
    }) as { values: Record<string, string | boolean | undefined>; positionals: string[] });
  } catch (error) {
    // `--json` is both a flag (machine output) and, for command/query, the payload.
    const flagOnly = rest.map((a) => (a === '--json' ? '--json=' : a));
    const wantsJson = rest.some((a) => a === '--json' || a.startsWith('--json='));
    if (flagOnly.join() === rest.join()) return fail({ json: wantsJson }, new WaybillError('VALIDATION', (error as Error).message));
    return main([subcommand, ...flagOnly]);
  }
  const jsonArg = typeof values.json === 'string' ? values.json : undefined;
  const out: Output = { json: rest.includes('--json') || rest.some((a) => a.startsWith('--json=')) };
  const dataDir = typeof values.data === 'string' ? values.data : defaultDataDir();
  const string = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  if (values['read-only'] === true && writingSubcommands.includes(subcommand)) {
    return fail(
      out,
      new WaybillError('VALIDATION', `${subcommand} records into the data folder, so it cannot run with --read-only. --read-only works with ${readingSubcommands.join(', ')}.`, {
        field: 'read-only',
      }),
    );
  }

  try {
    switch (subcommand) {
      case 'seed':
        return await withWaybill(dataDir, values, (w) => seed(w, out, string('events'), string('seed')));
      case 'command':
        return await withWaybill(dataDir, values, async (w) => {
          const type = positionals[0];
          const payload = parseJson(jsonArg ?? string('params') ?? '{}', 'json');
          const result = w.command({ type, payload, ...(string('id') ? { commandId: string('id') } : {}), actor: process.env.USER ?? 'cli' });
          print(out, result);
          return result.ok ? 0 : 1;
        });
      case 'query':
        return await withWaybill(dataDir, values, async (w) => {
          const name = positionals[0] as QueryName;
          const params = parseJson(string('params') ?? (jsonArg && jsonArg !== '' ? jsonArg : '{}'), 'params');
          const minPosition = string('min-position');
          const result = await w.query(name, params, minPosition ? { minPosition: Number(minPosition) } : {});
          print(out, result.ok ? result.data : result);
          return result.ok ? 0 : 1;
        });
      case 'status':
        return await withWaybill(dataDir, values, async (w) => {
          const status = w.status();
          const table = status.projections
            .map((p) => `  ${p.name.padEnd(16)} v${p.version}  checkpoint ${String(p.checkpoint).padStart(9)}  lag ${String(p.lag).padStart(8)}  ${p.state}${p.error ? `  ${p.error}` : ''}${p.deadLetters.length ? `  ${p.deadLetters.length} dead letters` : ''}`)
            .join('\n');
          print(out, status, `log head: ${status.head}${w.readOnly ? ' (opened read-only)' : ''}\n${table}`);
          return 0;
        });
      case 'rebuild':
        return await withWaybill(dataDir, values, async (w) => {
          const only = string('projection');
          if (only !== undefined && !readModelNames.includes(only as ReadModelName)) {
            throw new WaybillError('VALIDATION', `There is no read model ${only}; choose one of ${readModelNames.join(', ')}.`, { field: 'projection' });
          }
          const bars = new Map<string, RebuildProgress>();
          const bar = createProgressBar('rebuild');
          const started = performance.now();
          const result = await w.rebuild(only as ReadModelName | undefined, (progress) => {
            bars.set(progress.name, progress);
            const all = [...bars.values()];
            bar.update(all.reduce((n, p) => n + p.position, 0), all.reduce((n, p) => n + p.target, 0));
          });
          bar.done();
          print(out, { ...result, seconds: Math.round((performance.now() - started) / 100) / 10 });
          return result.ok ? 0 : 1;
        });
      case 'verify':
        return await withWaybill(dataDir, values, async (w) => {
          const report = await w.verify();
          print(out, report);
          return report.ok ? 0 : 1;
        });
      case 'backup':
        return await withWaybill(dataDir, values, async (w) => {
          const to = required(string('to'), 'to');
          print(out, { ok: true, to, ...(await backupLog(w.logReaderForBackup(), to)) });
          return 0;
        });
      case 'restore': {
        const from = required(string('from'), 'from');
        const result = restoreLog(logPathIn(dataDir), from);
        rmSync(join(dataDir, 'read'), { recursive: true, force: true });
        print(out, { ok: true, ...result, note: 'Read models are rebuilt from the restored log on the next start.' });
        return 0;
      }
      case 'export':
        return await withWaybill(dataDir, values, async (w) => {
          const to = required(string('to'), 'to');
          print(out, { ok: true, to, ...(await exportEvents(w.logReaderForBackup(), to)) });
          return 0;
        });
      case 'import':
        return await withWaybill(dataDir, values, async (w) => {
          const from = required(string('from'), 'from');
          const result = await importEvents(w.writerForImport(), from);
          w.afterAppend(result.head, result.imported);
          print(out, { ok: true, ...result });
          return 0;
        });
      default:
        throw new WaybillError('VALIDATION', `Unknown subcommand ${subcommand}. Run waybill --help.`);
    }
  } catch (error) {
    return fail(out, error);
  }
}

async function serve(args: readonly string[]): Promise<number> {
  const json = args.includes('--json');
  try {
    const { runServe } = await import('../serve/main.ts');
    await runServe(args);
    return 0;
  } catch (error) {
    return fail({ json }, error);
  }
}

async function withWaybill(dataDir: string, values: Record<string, unknown>, work: (w: OpenedWaybill) => Promise<number>): Promise<number> {
  const durability = values.durability === 'full' ? 'full' : 'normal';
  const readOnly = values['read-only'] === true;
  const waybill = await openWaybill({ dataDir, projectors: 'inline', durability, readOnly, actor: process.env.USER ?? 'cli', deviceId: 'cli' }).catch((error: unknown) => {
    throw readOnly ? error : withReadOnlyHint(error, `To look at it from here, add --read-only (it works with ${readingSubcommands.join(', ')}).`);
  });
  try {
    return await work(waybill);
  } finally {
    await waybill.close();
  }
}

async function seed(w: OpenedWaybill, out: Output, events: string | undefined, seedValue: string | undefined): Promise<number> {
  const target = Number(events ?? '10000');
  if (!Number.isInteger(target) || target < 1 || target > 50_000_000) {
    throw new WaybillError('VALIDATION', '--events must be a whole number between 1 and 50,000,000.', { field: 'events' });
  }
  const seedNumber = Number(seedValue ?? '1');
  if (!Number.isInteger(seedNumber) || seedNumber < 0) throw new WaybillError('VALIDATION', '--seed must be a whole number.', { field: 'seed' });
  const started = performance.now();
  const bar = createProgressBar('seed   ');
  const result = await seedHistory(w, { events: target, seed: seedNumber, onProgress: (done, total) => bar.update(done, total) });
  bar.update(result.events, target, true);
  bar.done();
  const seeded = performance.now();
  const projectBar = createProgressBar('project');
  const totals = new Map<string, RebuildProgress>();
  await w.catchUpAll((progress) => {
    totals.set(progress.name, progress);
    const all = [...totals.values()];
    projectBar.update(all.reduce((n, p) => n + p.position, 0), all.reduce((n, p) => n + p.target, 0));
  });
  projectBar.done();
  print(out, {
    ok: true,
    ...result,
    seedSeconds: Math.round((seeded - started) / 100) / 10,
    projectSeconds: Math.round((performance.now() - seeded) / 100) / 10,
  });
  return 0;
}

function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new WaybillError('VALIDATION', `--${field} is not valid JSON.`, { field });
  }
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new WaybillError('VALIDATION', `--${name} is required.`, { field: name });
  return value;
}

function fail(out: Output, error: unknown): number {
  const body = toErrorBody(error);
  if (out.json) console.log(JSON.stringify({ ok: false, error: body }));
  else console.error(`waybill: ${body.code}: ${body.message}`);
  return 1;
}
