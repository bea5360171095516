import { describe, expect, it } from 'vitest';
import { pulledEventSchema, wireEventSchema, type PulledEvent, type WireEvent } from '../../db/contract/syncWire.ts';
import { deviceEventsAfter, deviceHead } from '../../db/log/originEvents.ts';
import { ORIGIN_GENESIS_HASH, originHash } from '../../db/log/originHash.ts';
import { verifyLog } from '../../db/log/verifyLog.ts';
import { applyPulled, pullCursor } from '../../db/write/applyPulled.ts';
import { CommandHandler } from '../../db/write/commandHandler.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { openPlainConnection, openTestLog, parcelPayload, recordBasics, writeLogBefore0002, type TestLog } from '../helpers/testLog.ts';

const RECEIVED = '2026-12-04T09:00:00.000Z';
const asPulled = (events: readonly WireEvent[], firstSeq = 1): PulledEvent[] => events.map((e, i) => ({ ...e, serverSeq: firstSeq + i, receivedAt: RECEIVED }));
const originsOf = (log: TestLog) => log.writer.prepare('SELECT position, device_id AS deviceId, device_seq AS deviceSeq FROM event_origins ORDER BY position').all();
const snapshot = (log: TestLog) => ({
  events: log.writer.prepare('SELECT * FROM events ORDER BY position').all(),
  origins: log.writer.prepare('SELECT * FROM event_origins ORDER BY position').all(),
  order: log.writer.prepare('SELECT * FROM server_order ORDER BY server_seq').all(),
});

function chainHolds(events: readonly WireEvent[]): boolean {
  let previous = ORIGIN_GENESIS_HASH;
  for (const e of events) {
    if (originHash(previous, e) !== e.deviceHash) return false;
    previous = e.deviceHash;
  }
  return true;
}

function laptop(name: string): TestLog {
  return openTestLog(tempDataDir(name).file('events.db'));
}

describe('every event has an origin', () => {
  it('an event recorded here gets this device and its next number, chained; a rejected command numbers nothing', () => {
    const log = laptop('origins-own');
    recordBasics(log, 2);
    expect(log.handle({ type: 'RegisterParcel', payload: parcelPayload(1) })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    log.run('RegisterParcel', parcelPayload(3));
    expect(originsOf(log)).toEqual([1, 2, 3, 4, 5, 6].map((n) => ({ position: n, deviceId: log.deviceId, deviceSeq: n })));
    const wire = deviceEventsAfter(log.writer, log.deviceId, 0, 100);
    expect(wire.map((e) => wireEventSchema.parse(e))).toEqual(wire);
    expect(chainHolds(wire)).toBe(true);
    expect(deviceEventsAfter(log.writer, log.deviceId, 4, 100).map((e) => e.deviceSeq)).toEqual([5, 6]);
    expect(verifyLog(log.writer).origins).toEqual({ ok: true, devices: 1, firstBadPosition: null });
  });

  it('a log from before origins gets them at its next open: its events, in log order, as this device\'s', () => {
    const path = tempDataDir('origins-old').file('events.db');
    writeLogBefore0002(path);
    const log = openTestLog(path);
    expect(originsOf(log)).toEqual([1, 2, 3, 4, 5, 6].map((n) => ({ position: n, deviceId: log.deviceId, deviceSeq: n })));
    expect(chainHolds(deviceEventsAfter(log.writer, log.deviceId, 0, 100))).toBe(true);
    log.run('RegisterParcel', parcelPayload(9));
    expect(deviceHead(log.writer, log.deviceId)).toBe(7);
    expect(verifyLog(log.writer)).toMatchObject({ chain: { ok: true }, origins: { ok: true, devices: 1 } });
  });

  it('verify finds the first event whose device hash an outside program altered', () => {
    const log = laptop('origins-tamper');
    recordBasics(log, 3);
    log.close();
    const outside = openPlainConnection(log.path);
    outside.exec('DROP TRIGGER event_origins_no_update');
    outside.prepare('UPDATE event_origins SET device_hash = ? WHERE position = 4').run('f'.repeat(64));
    expect(verifyLog(outside).origins).toEqual({ ok: false, devices: 1, firstBadPosition: 4 });
  });
});

describe('events pulled from the sync server', () => {
  it('are appended in the server order with their origin, time and bytes; the cursor moves in the same transaction', () => {
    const a = laptop('pull-a');
    recordBasics(a, 2);
    const fromA = deviceEventsAfter(a.writer, a.deviceId, 0, 100);
    const b = laptop('pull-b');
    expect(applyPulled(b.writer, asPulled(fromA))).toEqual({ appended: 5, known: 0, head: 5, cursor: 5, reordered: false });
    expect(pullCursor(b.writer)).toBe(5);
    expect(deviceEventsAfter(b.writer, a.deviceId, 0, 100)).toEqual(fromA);
    expect(b.writer.prepare('SELECT server_seq AS serverSeq, position, received_at AS receivedAt FROM server_order').all()).toEqual(
      [1, 2, 3, 4, 5].map((n) => ({ serverSeq: n, position: n, receivedAt: RECEIVED })),
    );
    expect(verifyLog(b.writer)).toMatchObject({ chain: { ok: true }, origins: { ok: true, devices: 1 } });
  });

  it('a page sent again, or the laptop\'s own events coming back, change nothing but the places in the order', () => {
    const a = laptop('pull-again');
    recordBasics(a, 1);
    const own = asPulled(deviceEventsAfter(a.writer, a.deviceId, 0, 100));
    expect(applyPulled(a.writer, own)).toEqual({ appended: 0, known: 4, head: 4, cursor: 4, reordered: false });
    const before = snapshot(a);
    expect(applyPulled(a.writer, own)).toEqual({ appended: 0, known: 0, head: 4, cursor: 4, reordered: false });
    expect(snapshot(a)).toEqual(before);
  });

  it('two laptops appending to one parcel while offline keep both events; versions are local and the expected-version check stays right', () => {
    const a = laptop('offline-a');
    const b = laptop('offline-b');
    recordBasics(a, 1);
    applyPulled(b.writer, asPulled(deviceEventsAfter(a.writer, a.deviceId, 0, 100)));
    const scanA = a.run('RecordScan', { parcelId: 'P1', depotId: 'north-hub', kind: 'arrived' });
    const scanB = b.run('RecordScan', { parcelId: 'P1', depotId: 'south', kind: 'arrived' });
    expect([scanA.events[0]!.version, scanB.events[0]!.version]).toEqual([2, 2]);
    // B pulls A's scan (server order: A's first four, B's four back, A's scan, B's scan).
    const page = asPulled([deviceEventsAfter(a.writer, a.deviceId, 4, 1)[0]!, ...deviceEventsAfter(b.writer, b.deviceId, 0, 1)], 5);
    // The server put A's scan before B's own, which B had already applied: B's log order now differs from the server's.
    expect(applyPulled(b.writer, page)).toEqual({ appended: 1, known: 1, head: 6, cursor: 6, reordered: true });
    expect(b.writer.prepare('SELECT position, server_seq AS serverSeq FROM reorders').all()).toEqual([{ position: 6, serverSeq: 5 }]);
    const streamHere = b.writer.prepare("SELECT version, event_id AS eventId FROM events WHERE stream_id = 'parcel-P1' ORDER BY version").all();
    expect(streamHere).toEqual([
      { version: 1, eventId: expect.any(String) },
      { version: 2, eventId: scanB.events[0]!.eventId },
      { version: 3, eventId: scanA.events[0]!.eventId },
    ]);
    expect(b.handle({ type: 'RecordScan', payload: { parcelId: 'P1', depotId: 'north-hub', kind: 'arrived' }, expectedVersion: 2 })).toMatchObject({ ok: false, error: { code: 'CONCURRENCY' } });
    expect(b.handle({ type: 'RecordScan', payload: { parcelId: 'P1', depotId: 'north-hub', kind: 'departed' }, expectedVersion: 3 })).toMatchObject({ ok: true, events: [{ version: 4 }] });
  });

  it('another device\'s clock never moves this device\'s: its events keep their own times, and ours keep ours', () => {
    const a = laptop('clock-a');
    const ahead = new CommandHandler(a.writer, { now: () => '2030-01-01T00:00:00.000Z' });
    ahead.handle({ type: 'RegisterDepot', payload: { depotId: 'north-hub', name: 'North Hub', region: 'north' } } as never, a.origin);
    const b = laptop('clock-b');
    applyPulled(b.writer, asPulled(deviceEventsAfter(a.writer, a.deviceId, 0, 100)));
    const now = new CommandHandler(b.writer, { now: () => '2026-12-04T10:00:00.000Z' });
    now.handle({ type: 'RegisterDepot', payload: { depotId: 'south', name: 'South Yard', region: 'south' } } as never, b.origin);
    expect(b.writer.prepare('SELECT recorded_at FROM events ORDER BY position').pluck().all()).toEqual(['2030-01-01T00:00:00.000Z', '2026-12-04T10:00:00.000Z']);
  });

  it('refuses, changing nothing, a page that skips a server sequence, breaks a device\'s chain or forks it', () => {
    const a = laptop('refuse-a');
    recordBasics(a, 2);
    const fromA = asPulled(deviceEventsAfter(a.writer, a.deviceId, 0, 100));
    const b = laptop('refuse-b');
    applyPulled(b.writer, fromA.slice(0, 2));
    const before = snapshot(b);
    expect(() => applyPulled(b.writer, fromA.slice(3))).toThrow(expect.objectContaining({ code: 'CONFLICT', rule: 'pull_gap' }));
    const altered = { ...fromA[2]!, payload: fromA[2]!.payload.replace('Sam Carter', 'Someone Else') };
    expect(() => applyPulled(b.writer, [altered])).toThrow(expect.objectContaining({ code: 'CORRUPT', rule: 'chain_broken' }));
    const forked = { ...fromA[1]!, eventId: '0190f5e2-0000-7000-8000-000000000001', serverSeq: 3 };
    expect(() => applyPulled(b.writer, [pulledEventSchema.parse(forked)])).toThrow(expect.objectContaining({ code: 'CONFLICT', rule: 'fork' }));
    expect(snapshot(b)).toEqual(before);
  });
});
