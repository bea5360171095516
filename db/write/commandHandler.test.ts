import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { commandRequestSchema, type CommandRequest } from '../contract/index.ts';
import { openLogWriter } from '../log/openEventLog.ts';
import { CommandHandler, type CommandOrigin } from './commandHandler.ts';

let dir: string;
let db: Database.Database;
let handler: CommandHandler;
const parcel = (parcelId: string, trackingCode: string) => ({
  type: 'RegisterParcel' as const,
  payload: { parcelId, trackingCode, recipient: { name: 'Ada', street: '1 Mill St', city: 'Leeds', postcode: 'LS1 1AA' }, originDepotId: 'a', destinationDepotId: 'b', weightKg: 1 },
});
const origin: CommandOrigin = { actor: 'spec', deviceId: 'device-1' };
/** The handler takes requests as the core's boundary has validated them. */
const valid = (request: CommandRequest) => commandRequestSchema.parse(request);
const handle = (on: CommandHandler, request: CommandRequest) => on.handle(valid(request), origin);
const count = () => db.prepare('SELECT count(*) FROM events').pluck().get();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'waybill-handler-'));
  db = openLogWriter(join(dir, 'events.db'));
  handler = new CommandHandler(db);
  expect(handle(handler, { type: 'RegisterDepot', payload: { depotId: 'a', name: 'A', region: 'north' } })).toMatchObject({ ok: true });
  expect(handle(handler, { type: 'RegisterDepot', payload: { depotId: 'b', name: 'B', region: 'north' } })).toMatchObject({ ok: true });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CommandHandler', () => {
  it('answers a repeated command id from the events of the first delivery', () => {
    const first = handle(handler, { ...parcel('p1', 'AAA111'), commandId: 'c-1' });
    const again = handle(handler, { ...parcel('p1', 'AAA111'), commandId: 'c-1' });
    expect(again).toEqual({ ...first, duplicate: true });
    expect(count()).toBe(3);
  });

  it('decides against committed state after a batch that rolled back (the stream cache forgets it)', () => {
    const batch: CommandRequest[] = [
      parcel('p2', 'BBB222'),
      { type: 'RecordScan', payload: { parcelId: 'p2', depotId: 'a', kind: 'departed' } },
      { type: 'RecordScan', payload: { parcelId: 'nope', depotId: 'a', kind: 'arrived' } },
    ];
    const results = handler.handleAll(batch.map((request) => ({ request: valid(request), origin })));
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(count()).toBe(2);
    // p2 was rolled back: scanning it is NOT_FOUND, and registering it again works from version 0.
    expect(handle(handler, { type: 'RecordScan', payload: { parcelId: 'p2', depotId: 'a', kind: 'departed' } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(handle(handler, parcel('p2', 'BBB222'))).toMatchObject({ ok: true, events: [{ version: 1 }] });
    expect(handle(handler, { type: 'RecordScan', payload: { parcelId: 'p2', depotId: 'a', kind: 'departed' } })).toMatchObject({ ok: true, events: [{ version: 2 }] });
  });

  it('sees events another writer appended to a stream it has cached', () => {
    expect(handle(handler, parcel('p3', 'CCC333'))).toMatchObject({ ok: true });
    expect(handle(handler, { type: 'RecordScan', payload: { parcelId: 'p3', depotId: 'a', kind: 'departed' } })).toMatchObject({ ok: true });
    const other = new CommandHandler(db);
    expect(handle(other, { type: 'RecordScan', payload: { parcelId: 'p3', depotId: 'b', kind: 'arrived' } })).toMatchObject({ ok: true });
    expect(handle(handler, { type: 'RecordScan', payload: { parcelId: 'p3', depotId: 'b', kind: 'arrived' } })).toMatchObject({
      ok: false,
      error: { code: 'RULE', rule: 'already_at_depot' },
    });
  });

  it('records the origin it is given, and the command, in the metadata of every event it appends', () => {
    const result = handler.handle(valid({ ...parcel('p4', 'DDD444'), commandId: 'c-4', correlationId: 'corr-4' }), { actor: 'ana', deviceId: 'laptop-7' });
    expect(result).toMatchObject({ ok: true, commandId: 'c-4' });
    const metadata = db.prepare("SELECT metadata FROM events WHERE command_id = 'c-4'").pluck().all() as string[];
    expect(metadata.map((m) => JSON.parse(m))).toEqual([
      { commandId: 'c-4', correlationId: 'corr-4', causationId: 'c-4', actor: 'ana', deviceId: 'laptop-7', recordedAt: expect.any(String) },
    ]);
  });

  it('names the field of a rule rejection from the request root (payload.…), as every answer of the core does', () => {
    expect(handle(handler, parcel('p5', 'EEE555'))).toMatchObject({ ok: true });
    expect(handle(handler, parcel('p5', 'FFF666'))).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/p5/), field: 'payload.parcelId', rule: 'parcel_exists' },
    });
    expect(handle(handler, { ...parcel('p6', 'EEE555') })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'payload.trackingCode', rule: 'tracking_code_unique' },
    });
  });

  it('refuses a command on a stream at another version than expected, naming expectedVersion as it is', () => {
    expect(handle(handler, parcel('p7', 'GGG777'))).toMatchObject({ ok: true, events: [{ version: 1 }] });
    expect(handle(handler, { type: 'RecordScan', payload: { parcelId: 'p7', depotId: 'a', kind: 'departed' }, expectedVersion: 0 })).toMatchObject({
      ok: false,
      error: { code: 'CONCURRENCY', field: 'expectedVersion', rule: 'expected_version', retryable: true },
    });
    expect(count()).toBe(3);
  });
});
