import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelNames, type CommandResult, type OperationAnswer } from '../../db/contract/index.ts';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { runCli, type CliOptions, type ProcessOutcome } from '../helpers/childProcesses.ts';
import { createTempDataDir, tempDataDir, type TempDataDir } from '../helpers/tempDataDir.ts';
import { countEvents, openPlainConnection } from '../helpers/testLog.ts';

/** Every spec here drives the real `waybill` CLI, one process per call, on one seeded data folder. */
let dir: TempDataDir;
let seeded: ProcessOutcome;

beforeAll(async () => {
  dir = createTempDataDir('cli');
  seeded = await runCli(['seed', '--events', '2000', '--json'], dir.path);
});
afterAll(() => dir.remove());

const command = (type: string, payload: object, folder = dir.path) => runCli(['command', type, '--payload', JSON.stringify(payload), '--json'], folder);
const eventsIn = (folder: string) => {
  const db = openPlainConnection(logPathIn(folder));
  try {
    return countEvents(db);
  } finally {
    db.close();
  }
};
const eventsInLog = () => eventsIn(dir.path);

/** What --json prints: exactly one JSON line on stdout and nothing on stderr. */
function jsonAnswer<T = Record<string, unknown>>(outcome: ProcessOutcome): T {
  expect(outcome.stderr).toBe('');
  expect(outcome.stdout).toMatch(/^[^\n]+\n$/);
  return JSON.parse(outcome.stdout) as T;
}

const parcel = {
  parcelId: 'CLI-P1',
  trackingCode: 'CLI000001',
  recipient: { name: 'Ada Lovelace', street: '12 Mill St', city: 'Leeds', postcode: 'LS1 4AP' },
  originDepotId: 'cli-west',
  destinationDepotId: 'cli-west',
  weightKg: 2.5,
};

describe('the waybill CLI', () => {
  it('seed --events 2000 --json exits 0 and prints the whole answer: the events it appended, the head and the days', () => {
    expect(seeded.code).toBe(0);
    const output = jsonAnswer<Extract<OperationAnswer<'seed'>, { ok: true }>>(seeded);
    expect(output).toEqual({
      ok: true,
      events: expect.any(Number),
      head: output.events,
      days: expect.any(Number),
      seedSeconds: expect.any(Number),
      projectSeconds: expect.any(Number),
    });
    expect(output.events).toBeGreaterThanOrEqual(2000);
    expect(output.head).toBe(eventsInLog());
  });

  it('command prints the whole answer, {"ok":true,"commandId":…,"position":…} with the appended events, and exits 0', async () => {
    const head = eventsInLog();
    const outcome = await command('RegisterDepot', { depotId: 'cli-north', name: 'CLI North', region: 'north' });
    expect(outcome.code).toBe(0);
    expect(jsonAnswer(outcome)).toEqual({
      ok: true,
      commandId: expect.any(String),
      position: head + 1,
      events: [{ position: head + 1, eventId: expect.any(String), streamId: 'depot-cli-north', version: 1, type: 'DepotRegistered' }],
      duplicate: false,
    });
  });

  it('a rejected command exits 1 with {"ok":false,"error":{"code":…}} naming the field from the request root, and appends nothing', async () => {
    const head = eventsInLog();
    const unknownParcel = await command('RecordScan', { parcelId: 'NO-SUCH-PARCEL', depotId: 'cli-north', kind: 'arrived' });
    const malformed = await command('RegisterDepot', { depotId: 'x', name: 'No region' });
    expect([unknownParcel.code, malformed.code]).toEqual([1, 1]);
    expect(jsonAnswer(unknownParcel)).toEqual({ ok: false, error: expect.objectContaining({ code: 'NOT_FOUND', field: 'payload.parcelId' }) });
    expect(jsonAnswer(malformed)).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'payload.region is required.', field: 'payload.region' } });
    expect(eventsInLog()).toBe(head);
  });

  it('without --json a rejection is one line on stderr, waybill: CODE: message, and nothing on stdout', async () => {
    const outcome = await runCli(['command', 'RecordScan', '--payload', '{"parcelId":"NO-SUCH-PARCEL","depotId":"cli-north","kind":"arrived"}'], dir.path);
    expect(outcome).toEqual({ code: 1, stdout: '', stderr: expect.stringMatching(/^waybill: NOT_FOUND: .*NO-SUCH-PARCEL.*\n$/) });
  });

  it('answers in JSON when asked to, even when the payload or an option is not what it expects (found by fuzzing: a negative number after the payload option read as an option)', async () => {
    const head = eventsInLog();
    const negative = await runCli(['command', 'RegisterDepot', '--payload', '-2147483646', '--json'], dir.path);
    const unknownOption = await runCli(['command', 'RegisterDepot', '--json', '--bogus'], dir.path);
    for (const outcome of [negative, unknownOption]) {
      expect(outcome.code).toBe(1);
      expect(jsonAnswer(outcome)).toEqual({ ok: false, error: expect.objectContaining({ code: 'VALIDATION' }) });
    }
    expect(jsonAnswer(negative)).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'payload must be an object.', field: 'payload' } });
    expect(jsonAnswer(unknownOption)).toMatchObject({ error: { message: expect.stringContaining("Unknown option '--bogus'") } });
    expect(eventsInLog()).toBe(head);
  });

  it('a query run right after a command, in another process, reflects that command, and prints data with its freshness', async () => {
    expect((await command('RegisterDepot', { depotId: 'cli-west', name: 'CLI West', region: 'west' })).code).toBe(0);
    const registered = await command('RegisterParcel', parcel);
    expect(registered.code).toBe(0);
    const { position } = jsonAnswer<{ position: number }>(registered);
    const query = await runCli(['query', 'parcel.summary', '--params', '{"parcelId":"CLI-P1"}', '--json'], dir.path);
    expect(query.code).toBe(0);
    expect(jsonAnswer(query)).toMatchObject({
      ok: true,
      data: { parcelId: 'CLI-P1', trackingCode: 'CLI000001', recipientName: 'Ada Lovelace', status: 'registered', lastPosition: position },
      freshness: { readModel: 'parcel_summary', position, head: position, lag: 0, stale: false },
    });
  });

  it('query runs queries only: an unknown name, or another operation (seed, backup), is a VALIDATION on name and touches nothing', async () => {
    const head = eventsInLog();
    for (const name of ['nope', 'seed', 'backup', 'RegisterDepot']) {
      const outcome = await runCli(['query', name, '--params', '{"events":10,"to":"x"}', '--json'], dir.path);
      expect(outcome.code).toBe(1);
      expect(jsonAnswer(outcome)).toEqual({
        ok: false,
        error: { code: 'VALIDATION', message: expect.stringContaining(`There is no query named "${name}"`), field: 'name' },
      });
    }
    expect(eventsInLog()).toBe(head);
  });

  it('query --min-position waits for that position and says whether it got there', async () => {
    const head = eventsInLog();
    const outcome = await runCli(['query', 'depots.board', '--min-position', String(head), '--timeout-ms', '5000', '--json'], dir.path);
    expect(outcome.code).toBe(0);
    expect(jsonAnswer(outcome)).toMatchObject({ ok: true, data: expect.anything(), freshness: { readModel: 'depot_board', position: head, head, stale: false } });
  });

  it('status --json after a query shows every read model caught up to the head, at lag 0', async () => {
    expect((await command('RecordWeather', { region: 'west', condition: 'rain' })).code).toBe(0);
    expect((await runCli(['query', 'depots.board', '--json'], dir.path)).code).toBe(0);
    const outcome = await runCli(['status', '--json'], dir.path);
    expect(outcome.code).toBe(0);
    const head = eventsInLog();
    const status = jsonAnswer<Extract<OperationAnswer<'projections.status'>, { ok: true }>>(outcome);
    expect(status).toMatchObject({ ok: true, data: { head, writeRefusal: null }, freshness: { readModel: null, position: head, head, lag: 0 } });
    expect(status.data.projections.map((p) => [p.name, p.checkpoint, p.lag, p.state])).toEqual(readModelNames.map((name) => [name, head, 0, 'idle']));
  });

  it('verify --json reports the log and every read model ok, and exits 0', async () => {
    const outcome = await runCli(['verify', '--json'], dir.path);
    expect(outcome.code).toBe(0);
    const answer = jsonAnswer<Extract<OperationAnswer<'verify'>, { ok: true }>>(outcome);
    expect(answer).toMatchObject({ ok: true, report: { ok: true, log: { gapless: true, guards: true, integrity: 'ok', chain: { ok: true, firstBadPosition: null } } } });
    expect(answer.report.readModels.map((r) => [r.name, r.ok])).toEqual(readModelNames.map((name) => [name, true]));
  });

  it('an unknown subcommand exits non-zero with a message that points to --help, and touches no data folder', async () => {
    const untouched = dir.file('never-created');
    const outcome = await runCli(['frobnicate'], untouched);
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toMatch(/Unknown subcommand frobnicate\. Run waybill --help/);
    const asJson = await runCli(['frobnicate', '--json'], untouched);
    expect(asJson.code).not.toBe(0);
    expect(jsonAnswer(asJson)).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'Unknown subcommand frobnicate. Run waybill --help.', field: 'subcommand' } });
    expect(existsSync(untouched)).toBe(false);
  });

  it.each([
    ['command', ['command', 'RegisterDepot', '--payload', '{}']],
    ['query', ['query', 'depots.board']],
    ['seed', ['seed', '--events', '10']],
    ['verify', ['verify']],
    ['import', ['import', '--from', 'events.ndjson']],
  ])('%s refuses an unknown option before the data folder is touched', async (_name, args) => {
    const untouched = dir.file(`never-created-${args[0]}`);
    for (const json of [true, false]) {
      const outcome = await runCli([...args, '--bogus', ...(json ? ['--json'] : [])], untouched);
      expect(outcome.code).toBe(1);
      if (json) expect(jsonAnswer(outcome)).toEqual({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/^Unknown option '--bogus'.*Run waybill --help\.$/s) } });
      else expect(outcome).toMatchObject({ stdout: '', stderr: expect.stringMatching(/^waybill: VALIDATION: Unknown option '--bogus'/) });
    }
    expect(existsSync(untouched)).toBe(false);
  });

  it('--help lists every subcommand and exits 0', async () => {
    const outcome = await runCli(['--help'], dir.path);
    expect(outcome.code).toBe(0);
    for (const subcommand of ['seed', 'command', 'query', 'status', 'rebuild', 'verify', 'backup', 'restore', 'export', 'import', 'serve']) {
      expect(outcome.stdout).toMatch(new RegExp(`^  ${subcommand}\\b`, 'm'));
    }
  });
});

describe('JSON options read from a file (@FILE)', () => {
  it('command --payload @FILE records the payload the file holds', async () => {
    const files = tempDataDir('cli-files');
    writeFileSync(files.file('depot.json'), JSON.stringify({ depotId: 'cli-file', name: 'From A File', region: 'east' }));
    const head = eventsInLog();
    const outcome = await runCli(['command', 'RegisterDepot', '--payload', `@${files.file('depot.json')}`, '--json'], dir.path);
    expect(outcome.code).toBe(0);
    expect(jsonAnswer(outcome)).toMatchObject({ ok: true, position: head + 1, events: [{ streamId: 'depot-cli-file', type: 'DepotRegistered' }] });
  });

  it('query --params @FILE runs the query with the parameters the file holds', async () => {
    const files = tempDataDir('cli-files');
    const registered = await command('RegisterParcel', { ...parcel, parcelId: 'CLI-P2', trackingCode: 'CLI000002' });
    expect(registered.code).toBe(0);
    writeFileSync(files.file('params.json'), JSON.stringify({ trackingCode: 'CLI000002' }));
    const outcome = await runCli(['query', 'parcel.summary', '--params', `@${files.file('params.json')}`, '--json'], dir.path);
    expect(outcome.code).toBe(0);
    expect(jsonAnswer(outcome)).toMatchObject({ ok: true, data: { parcelId: 'CLI-P2', trackingCode: 'CLI000002' } });
  });

  it.each([
    ['command', 'payload', ['command', 'RegisterDepot']],
    ['query', 'params', ['query', 'parcel.summary']],
  ])('%s --%s @FILE of a missing file is a VALIDATION error naming the option, and appends nothing', async (_name, option, args) => {
    const missing = tempDataDir('cli-files').file('missing.json');
    const head = eventsInLog();
    const outcome = await runCli([...args, `--${option}`, `@${missing}`, '--json'], dir.path);
    expect(outcome.code).toBe(1);
    expect(jsonAnswer(outcome)).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: `--${option} @${missing}: the file cannot be read (ENOENT).`, field: option },
    });
    expect(eventsInLog()).toBe(head);
  });

  it('a file that does not hold JSON is a VALIDATION error naming the option and the file', async () => {
    const file = tempDataDir('cli-files').file('broken.json');
    writeFileSync(file, '{"depotId": "cli-broken",');
    const outcome = await runCli(['command', 'RegisterDepot', '--payload', `@${file}`, '--json'], dir.path);
    expect(outcome.code).toBe(1);
    expect(jsonAnswer(outcome)).toEqual({ ok: false, error: { code: 'VALIDATION', message: `--payload is not valid JSON (in ${file}).`, field: 'payload' } });
  });
});

describe('--json is machine output only: one JSON line on stdout, nothing on stderr, even from a terminal', () => {
  const fromTerminal: CliOptions = { stderrIsTerminal: true };

  it('without --json, seed and rebuild draw progress bars on a terminal (so the specs below would see them)', async () => {
    const folder = tempDataDir('cli-terminal');
    const seedOutcome = await runCli(['seed', '--events', '300'], folder.path, fromTerminal);
    expect(seedOutcome).toMatchObject({ code: 0, stderr: expect.stringContaining('\rseed    [') });
    const rebuildOutcome = await runCli(['rebuild', '--projection', 'depot_board'], folder.path, fromTerminal);
    expect(rebuildOutcome).toMatchObject({ code: 0, stderr: expect.stringContaining('\rrebuild [') });
  });

  it('every subcommand answers with exactly one JSON line, {"ok":true,…}, and writes nothing to stderr', async () => {
    const folder = tempDataDir('cli-json-only');
    const files = tempDataDir('cli-json-files');
    writeFileSync(files.file('depot.json'), JSON.stringify({ depotId: 'json-only', name: 'JSON Only', region: 'north' }));
    writeFileSync(files.file('params.json'), JSON.stringify({ limit: 5 }));
    const run = async (args: string[]) => {
      const outcome = await runCli([...args, '--json'], folder.path, fromTerminal);
      expect(outcome.code, args.join(' ')).toBe(0);
      return jsonAnswer(outcome);
    };

    const seededHere = await run(['seed', '--events', '300']);
    expect(seededHere).toMatchObject({ ok: true, events: expect.any(Number), head: expect.any(Number), days: expect.any(Number) });
    const recorded = await run(['command', 'RegisterDepot', '--payload', `@${files.file('depot.json')}`]);
    expect(recorded).toMatchObject({ ok: true, position: (seededHere.head as number) + 1, duplicate: false });
    expect(await run(['query', 'parcels.list', '--params', `@${files.file('params.json')}`])).toMatchObject({ ok: true, data: { rows: expect.any(Array) }, freshness: { readModel: 'parcel_summary' } });
    expect(await run(['status'])).toMatchObject({ ok: true, data: { head: recorded.position }, freshness: { readModel: null } });
    expect(await run(['rebuild'])).toEqual({ ok: true, seconds: expect.any(Number) });
    expect(await run(['verify'])).toMatchObject({ ok: true, report: { ok: true } });
    expect(await run(['backup', '--to', files.file('backup.db')])).toEqual({ ok: true, to: files.file('backup.db'), bytes: expect.any(Number) });
    expect(await run(['export', '--to', files.file('events.ndjson')])).toEqual({ ok: true, to: files.file('events.ndjson'), events: recorded.position });
    expect(await run(['import', '--from', files.file('events.ndjson')])).toEqual({ ok: true, imported: 0, skipped: recorded.position, head: recorded.position });
    expect(await run(['restore', '--from', files.file('backup.db')])).toEqual({
      ok: true,
      head: recorded.position,
      keptAs: expect.stringMatching(/events\.db\.before-restore-/),
      note: expect.any(String),
    });
    expect(eventsIn(folder.path)).toBe(recorded.position);
  });

  it('a failure is one JSON line too, {"ok":false,"error":…}, with nothing on stderr', async () => {
    const folder = tempDataDir('cli-json-failure');
    const missing = await runCli(['restore', '--from', folder.file('no-such-backup.db'), '--json'], folder.path, fromTerminal);
    expect(missing.code).toBe(1);
    expect(jsonAnswer<CommandResult>(missing)).toEqual({ ok: false, error: expect.objectContaining({ code: 'NOT_FOUND', field: 'from' }) });
    const rejected = await runCli(['command', 'StartRoute', '--payload', '{"routeId":"no-such-route"}', '--json'], folder.path, fromTerminal);
    expect(rejected.code).toBe(1);
    expect(jsonAnswer<CommandResult>(rejected)).toEqual({ ok: false, error: expect.objectContaining({ code: 'NOT_FOUND', field: 'payload.routeId' }) });
  });
});
