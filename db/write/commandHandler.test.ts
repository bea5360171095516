import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { openLogWriter } from '../log/openEventLog.ts';
import { CommandHandler } from './commandHandler.ts';

let dir: string;
let db: Database.Database;
let handler: CommandHandler;
const parcel = (parcelId: string, trackingCode: string) => ({
  type: 'RegisterParcel' as const,
  payload: { parcelId, trackingCode, recipient: { name: 'Ada', street: '1 Mill St', city: 'Leeds', postcode: 'LS1 1AA' }, originDepotId: 'a', destinationDepotId: 'b', weightKg: 1 },
});
const count = () => db.prepare('SELECT count(*) FROM events').pluck().get();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'waybill-handler-'));
  db = openLogWriter(join(dir, 'events.db'));
  handler = new CommandHandler(db);
  expect(handler.handle({ type: 'RegisterDepot', payload: { depotId: 'a', name: 'A', region: 'north' } }).ok).toBe(true);
  expect(handler.handle({ type: 'RegisterDepot', payload: { depotId: 'b', name: 'B', region: 'north' } }).ok).toBe(true);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CommandHandler', () => {
  it('answers a repeated command id from the events of the first delivery', () => {
    const first = handler.handle({ ...parcel('p1', 'AAA111'), commandId: 'c-1' });
    const again = handler.handle({ ...parcel('p1', 'AAA111'), commandId: 'c-1' });
    expect(again).toEqual({ ...first, duplicate: true });
    expect(count()).toBe(3);
  });

  it('decides against committed state after a batch that rolled back (the stream cache forgets it)', () => {
    const results = handler.handleAll([
      parcel('p2', 'BBB222'),
      { type: 'RecordScan', payload: { parcelId: 'p2', depotId: 'a', kind: 'departed' } },
      { type: 'RecordScan', payload: { parcelId: 'nope', depotId: 'a', kind: 'arrived' } },
    ]);
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(count()).toBe(2);
    // p2 was rolled back: scanning it is NOT_FOUND, and registering it again works from version 0.
    expect(handler.handle({ type: 'RecordScan', payload: { parcelId: 'p2', depotId: 'a', kind: 'departed' } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(handler.handle(parcel('p2', 'BBB222'))).toMatchObject({ ok: true, events: [{ version: 1 }] });
    expect(handler.handle({ type: 'RecordScan', payload: { parcelId: 'p2', depotId: 'a', kind: 'departed' } })).toMatchObject({ ok: true, events: [{ version: 2 }] });
  });

  it('sees events another writer appended to a stream it has cached', () => {
    expect(handler.handle(parcel('p3', 'CCC333')).ok).toBe(true);
    expect(handler.handle({ type: 'RecordScan', payload: { parcelId: 'p3', depotId: 'a', kind: 'departed' } }).ok).toBe(true);
    const other = new CommandHandler(db);
    expect(other.handle({ type: 'RecordScan', payload: { parcelId: 'p3', depotId: 'b', kind: 'arrived' } }).ok).toBe(true);
    expect(handler.handle({ type: 'RecordScan', payload: { parcelId: 'p3', depotId: 'b', kind: 'arrived' } })).toMatchObject({
      ok: false,
      error: { code: 'RULE', rule: 'already_at_depot' },
    });
  });
});
