import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelNames, type CommandResult, type ParcelSummaryRow, type ProjectionStatus, type VerifyReport } from '../../db/contract/index.ts';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { lastJson, runCli, type ProcessOutcome } from '../helpers/childProcesses.ts';
import { createTempDataDir, type TempDataDir } from '../helpers/tempDataDir.ts';
import { countEvents, openPlainConnection } from '../helpers/testLog.ts';

interface SeedOutput {
  ok: true;
  events: number;
  head: number;
}
interface StatusOutput {
  head: number;
  projections: ProjectionStatus[];
}

/** Every spec here drives the real `waybill` CLI, one process per call, on one seeded data folder. */
let dir: TempDataDir;
let seeded: ProcessOutcome;

beforeAll(async () => {
  dir = createTempDataDir('cli');
  seeded = await runCli(['seed', '--events', '2000', '--json'], dir.path);
});
afterAll(() => dir.remove());

const command = (type: string, payload: object) => runCli(['command', type, '--json', JSON.stringify(payload)], dir.path);
const eventsInLog = () => {
  const db = openPlainConnection(logPathIn(dir.path));
  try {
    return countEvents(db);
  } finally {
    db.close();
  }
};

describe('the waybill CLI', () => {
  it('seed --events 2000 --json exits 0 and reports the events it appended as JSON', () => {
    expect(seeded.code).toBe(0);
    const output = lastJson<SeedOutput>(seeded);
    expect(output).toMatchObject({ ok: true, head: output.events });
    expect(output.events).toBeGreaterThanOrEqual(2000);
  });

  it('command prints {"ok":true,"position":…} with the appended events and exits 0', async () => {
    const head = eventsInLog();
    const outcome = await command('RegisterDepot', { depotId: 'cli-north', name: 'CLI North', region: 'north' });
    expect(outcome.code).toBe(0);
    expect(lastJson<CommandResult>(outcome)).toMatchObject({
      ok: true,
      position: head + 1,
      events: [{ position: head + 1, streamId: 'depot-cli-north', version: 1, type: 'DepotRegistered' }],
    });
  });

  it('a rejected command exits 1 with {"ok":false,"error":{"code":…}} and appends nothing', async () => {
    const head = eventsInLog();
    const unknownParcel = await command('RecordScan', { parcelId: 'NO-SUCH-PARCEL', depotId: 'cli-north', kind: 'arrived' });
    const malformed = await command('RegisterDepot', { depotId: 'x', name: 'No region' });
    expect([unknownParcel.code, malformed.code]).toEqual([1, 1]);
    expect(lastJson<CommandResult>(unknownParcel)).toEqual({ ok: false, error: expect.objectContaining({ code: 'NOT_FOUND', field: 'parcelId' }) });
    expect(lastJson<CommandResult>(malformed)).toEqual({ ok: false, error: expect.objectContaining({ code: 'VALIDATION', field: 'region' }) });
    expect(eventsInLog()).toBe(head);
  });

  it('answers in JSON when asked to, even when the payload or an option is not what it expects (found by fuzzing: a negative number after --json read as an unknown option)', async () => {
    const head = eventsInLog();
    const negative = await runCli(['command', 'RegisterDepot', '--json', '-2147483646'], dir.path);
    const unknownOption = await runCli(['command', 'RegisterDepot', '--json', '--bogus'], dir.path);
    for (const outcome of [negative, unknownOption]) {
      expect(outcome.code).toBe(1);
      expect(lastJson<CommandResult>(outcome)).toEqual({ ok: false, error: expect.objectContaining({ code: 'VALIDATION' }) });
    }
    expect(lastJson<CommandResult>(negative)).toMatchObject({ error: { message: 'payload must be an object.' } });
    expect(lastJson<CommandResult>(unknownOption)).toMatchObject({ error: { message: expect.stringContaining("Unknown option '--bogus'") } });
    expect(eventsInLog()).toBe(head);
  });

  it('a query run right after a command, in another process, reflects that command', async () => {
    expect((await command('RegisterDepot', { depotId: 'cli-west', name: 'CLI West', region: 'west' })).code).toBe(0);
    const registered = await command('RegisterParcel', {
      parcelId: 'CLI-P1',
      trackingCode: 'CLI000001',
      recipient: { name: 'Ada Lovelace', street: '12 Mill St', city: 'Leeds', postcode: 'LS1 4AP' },
      originDepotId: 'cli-west',
      destinationDepotId: 'cli-west',
      weightKg: 2.5,
    });
    expect(registered.code).toBe(0);
    const query = await runCli(['query', 'parcel.summary', '--params', '{"parcelId":"CLI-P1"}', '--json'], dir.path);
    expect(query.code).toBe(0);
    expect(lastJson<ParcelSummaryRow>(query)).toMatchObject({
      parcelId: 'CLI-P1',
      trackingCode: 'CLI000001',
      recipientName: 'Ada Lovelace',
      status: 'registered',
      lastPosition: lastJson<{ position: number }>(registered).position,
    });
  });

  it('status --json after a query shows every read model caught up to the head, at lag 0', async () => {
    expect((await command('RecordWeather', { region: 'west', condition: 'rain' })).code).toBe(0);
    expect((await runCli(['query', 'depots.board', '--json'], dir.path)).code).toBe(0);
    const outcome = await runCli(['status', '--json'], dir.path);
    expect(outcome.code).toBe(0);
    const status = lastJson<StatusOutput>(outcome);
    expect(status.head).toBe(eventsInLog());
    expect(status.projections.map((p) => [p.name, p.checkpoint, p.lag, p.state])).toEqual(readModelNames.map((name) => [name, status.head, 0, 'idle']));
  });

  it('verify --json reports the log and every read model ok', async () => {
    const outcome = await runCli(['verify', '--json'], dir.path);
    expect(outcome.code).toBe(0);
    const report = lastJson<VerifyReport>(outcome);
    expect(report).toMatchObject({ ok: true, log: { gapless: true, guards: true, integrity: 'ok', chain: { ok: true, firstBadPosition: null } } });
    expect(report.readModels.map((r) => [r.name, r.ok])).toEqual(readModelNames.map((name) => [name, true]));
  });

  it('an unknown subcommand exits non-zero with a message that points to --help, and touches no data folder', async () => {
    const untouched = dir.file('never-created');
    const outcome = await runCli(['frobnicate'], untouched);
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toMatch(/Unknown subcommand frobnicate\. Run waybill --help/);
    const asJson = await runCli(['frobnicate', '--json'], untouched);
    expect(asJson.code).not.toBe(0);
    expect(lastJson<CommandResult>(asJson)).toEqual({ ok: false, error: expect.objectContaining({ code: 'VALIDATION' }) });
    expect(existsSync(untouched)).toBe(false);
  });

  it('--help lists every subcommand and exits 0', async () => {
    const outcome = await runCli(['--help'], dir.path);
    expect(outcome.code).toBe(0);
    for (const subcommand of ['seed', 'command', 'query', 'status', 'rebuild', 'verify', 'backup', 'restore', 'export', 'import']) {
      expect(outcome.stdout).toMatch(new RegExp(`^  ${subcommand}\\b`, 'm'));
    }
  });
});
