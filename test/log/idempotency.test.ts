import { describe, expect, it } from 'vitest';
import type { CommandRequest, CommandResult } from '../../db/contract/index.ts';
import { openTestCore } from '../helpers/testCore.ts';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { runCommandsTogether } from '../helpers/childProcesses.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { countEvents, openPlainConnection, openTestLog, parcelPayload, recordBasics, tableRows, type Accepted, type TestLog } from '../helpers/testLog.ts';

const accepted = (result: CommandResult): Accepted => {
  if (!result.ok) throw new Error(`expected the command to be accepted: ${result.error.message}`);
  return result;
};

function basicLog(): TestLog {
  const log = openTestLog(tempDataDir('idempotency').file('events.db'));
  recordBasics(log);
  return log;
}

const allRows = (log: TestLog) => ({
  events: tableRows(log.writer, 'events'),
  commands: tableRows(log.writer, 'commands'),
  reservations: tableRows(log.writer, 'reservations'),
});

/** A data folder opened once by the app (log, read models), with the basics recorded, then closed. */
async function preparedFolder(): Promise<string> {
  const dir = tempDataDir('two-processes');
  const waybill = await openTestCore({ dataDir: dir.path, projectors: 'inline', backgroundCheckpoints: false });
  try {
    for (const request of [
      { type: 'RegisterDepot', payload: { depotId: 'north-hub', name: 'North Hub', region: 'north' } },
      { type: 'RegisterParcel', payload: parcelPayload(1) },
    ] satisfies CommandRequest[]) {
      accepted(await waybill.command(request));
    }
  } finally {
    await waybill.close();
  }
  return dir.path;
}

describe('a command id is accepted once', () => {
  it('the same command id twice returns the first result, marked duplicate, and appends nothing', () => {
    const log = basicLog();
    const request = { type: 'RegisterDepot', payload: { depotId: 'east', name: 'East Depot', region: 'north' }, commandId: 'cmd-east' } as const;
    const first = accepted(log.handle(request));
    const before = allRows(log);
    const second = log.handle(request);
    expect(second).toEqual({ ...first, duplicate: true });
    expect(first.duplicate).toBe(false);
    expect(allRows(log)).toEqual(before);
  });

  it('the same command id sent at once from two processes appends exactly once and both get its result', async () => {
    const dataDir = await preparedFolder();
    const request: CommandRequest = { type: 'RegisterDepot', payload: { depotId: 'east', name: 'East Depot', region: 'north' }, commandId: 'cmd-race' };
    const results = (await runCommandsTogether(dataDir, [request, request])).map(accepted);

    expect(results.map((r) => r.duplicate).sort()).toEqual([false, true]);
    expect(results[0]!.events).toEqual(results[1]!.events);
    expect(results[0]!.position).toBe(3);
    const db = openPlainConnection(logPathIn(dataDir));
    expect(countEvents(db)).toBe(3);
    expect(db.prepare("SELECT count(*) FROM commands WHERE command_id = 'cmd-race'").pluck().get()).toBe(1);
  });
});

describe('optimistic concurrency', () => {
  it('two processes deciding on the same stream version: exactly one is accepted, the other gets CONCURRENCY', async () => {
    const dataDir = await preparedFolder();
    const report = (note: string): CommandRequest => ({
      type: 'ReportException',
      payload: { parcelId: 'P1', kind: 'damaged', note },
      expectedVersion: 1,
    });
    const results = await runCommandsTogether(dataDir, [report('seen by A'), report('seen by B')]);

    const winners = results.filter((r) => r.ok);
    const losers = results.flatMap((r) => (r.ok ? [] : [r.error]));
    expect(winners).toHaveLength(1);
    expect(losers).toEqual([expect.objectContaining({ code: 'CONCURRENCY', field: 'expectedVersion', retryable: true })]);
    const db = openPlainConnection(logPathIn(dataDir));
    expect(countEvents(db)).toBe(3);
    expect(db.prepare("SELECT max(version) FROM events WHERE stream_id = 'parcel-P1'").pluck().get()).toBe(2);
  });

  it('an expectedVersion that is already behind is refused before deciding', () => {
    const log = basicLog();
    const before = allRows(log);
    const result = log.handle({ type: 'ReportException', payload: { parcelId: 'P1', kind: 'damaged' }, expectedVersion: 0 });
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'CONCURRENCY' }) });
    expect(allRows(log)).toEqual(before);
  });
});

describe('a command is all or nothing', () => {
  it('a rejected command appends nothing to events, commands or reservations', () => {
    const log = basicLog();
    const before = allRows(log);
    const rejections = [
      log.handle({ type: 'RecordScan', payload: { parcelId: 'P404', depotId: 'north-hub', kind: 'arrived' } }),
      log.handle({ type: 'RegisterParcel', payload: { ...parcelPayload(9), trackingCode: parcelPayload(1).trackingCode } }),
      log.handle({ type: 'RegisterDepot', payload: { depotId: 'north-hub', name: 'Again', region: 'north' }, commandId: 'cmd-dup-depot' }),
    ];
    expect(rejections.map((r) => (r.ok ? 'accepted' : r.error.code))).toEqual(['NOT_FOUND', 'CONFLICT', 'CONFLICT']);
    expect(allRows(log)).toEqual(before);
  });

  it('PlanRoute with three parcels, one unknown, is rejected whole and a valid retry appends all four events together', () => {
    const log = basicLog();
    const before = allRows(log);
    const route = { routeId: 'R-1', driverId: 'sam', depotId: 'north-hub', date: '2026-03-03' };
    const rejected = log.handle({ type: 'PlanRoute', payload: { ...route, parcelIds: ['P1', 'P2', 'P404'] } });
    expect(rejected).toEqual({ ok: false, error: expect.objectContaining({ code: 'NOT_FOUND', field: 'payload.parcelIds.2' }) });
    expect(allRows(log)).toEqual(before);

    const planned = accepted(log.handle({ type: 'PlanRoute', payload: { ...route, parcelIds: ['P1', 'P2', 'P3'] } }));
    expect(planned.events.map((e) => [e.position, e.type])).toEqual([
      [7, 'RoutePlanned'],
      [8, 'ParcelAddedToRoute'],
      [9, 'ParcelAddedToRoute'],
      [10, 'ParcelAddedToRoute'],
    ]);
  });

  it('a storage failure while writing the third event of a command rolls back the events already written', () => {
    const log = basicLog();
    const before = allRows(log);
    // Stands in for a disk error: the insert of the second parcel's event fails mid-append.
    log.writer.exec(`CREATE TEMP TRIGGER fail_mid_append BEFORE INSERT ON main.events WHEN NEW.stream_id = 'parcel-P2'
      BEGIN SELECT RAISE(ABORT, 'simulated storage failure'); END`);
    const request: CommandRequest = {
      type: 'PlanRoute',
      payload: { routeId: 'R-1', driverId: 'sam', depotId: 'north-hub', date: '2026-03-03', parcelIds: ['P1', 'P2', 'P3'] },
      commandId: 'cmd-plan',
    };
    expect(log.handle(request)).toEqual({ ok: false, error: expect.objectContaining({ message: expect.stringContaining('simulated storage failure') }) });
    expect(allRows(log)).toEqual(before);

    log.writer.exec('DROP TRIGGER temp.fail_mid_append');
    const retried = accepted(log.handle(request));
    expect(retried.duplicate).toBe(false);
    expect(retried.events).toHaveLength(4);
  });
});

describe('who recorded a command, and on which device', () => {
  const depot = (depotId: string): CommandRequest => ({ type: 'RegisterDepot', payload: { depotId, name: `Depot ${depotId}`, region: 'north' } });
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it("every event's metadata names the session's actor and the data folder's own device, which stays the same when the folder is opened again", async () => {
    const dir = tempDataDir('origin');
    const options = { dataDir: dir.path, projectors: 'inline', backgroundCheckpoints: false } as const;
    const first = await openTestCore(options);
    const deviceId = first.core.deviceId;
    expect(deviceId).toMatch(UUID);
    accepted(await first.command(depot('east')));
    await first.close();
    const again = await openTestCore(options);
    expect(again.core.deviceId).toBe(deviceId);
    const { position } = accepted(await again.command(depot('west')));
    expect(await again.query('event.get', { position })).toMatchObject({ ok: true, data: { position, actor: 'tester', deviceId } });
    await again.close();

    const db = openPlainConnection(logPathIn(dir.path));
    expect(db.prepare('SELECT device_id FROM device').pluck().all()).toEqual([deviceId]);
    const metadata = (db.prepare('SELECT metadata FROM events ORDER BY position').pluck().all() as string[]).map((m) => JSON.parse(m) as unknown);
    expect(metadata).toEqual([expect.objectContaining({ actor: 'tester', deviceId }), expect.objectContaining({ actor: 'tester', deviceId })]);
  });

  it('refuses a request that names its own actor or device, as an unknown field: who sends a command is the session\'s to say', async () => {
    const waybill = await openTestCore({ dataDir: tempDataDir('origin').path, projectors: 'inline', backgroundCheckpoints: false });
    try {
      for (const field of ['actor', 'deviceId']) {
        const request = { ...depot('east'), [field]: 'mallory' } as unknown as CommandRequest;
        expect(await waybill.command(request)).toEqual({ ok: false, error: { code: 'VALIDATION', message: `Unknown field: ${field}.`, field } });
      }
      expect(waybill.head()).toBe(0);
    } finally {
      await waybill.close();
    }
  });
});
