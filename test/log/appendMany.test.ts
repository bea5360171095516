// The one append path writes a batch of commands in multi-row statements: the log it leaves must be
// the one that appending them one at a time leaves, row for row and hash for hash, including what a
// batch decides among its own commands (stream versions, command ids, reservations).
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { upcasters } from '../../db/domain/upcasters.ts';
import { EventLogWriter, type AppendRequest } from '../../db/log/eventLogWriter.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { openTestLog, tableRows } from '../helpers/testLog.ts';

const AT = '2026-12-04T09:00:00.000Z';

/** Ids that come out the same in every log the spec opens. */
function idsFrom(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}-${String(++n).padStart(4, '0')}`;
}

function elsewhere(deviceSeq: number, payload: object) {
  return { deviceId: 'other-device', deviceSeq, deviceHash: `h${deviceSeq}`, recordedAt: AT, payload: JSON.stringify(payload), metadata: '{"commandId":"theirs"}' };
}

/** Own and pulled commands mixed, streams touched twice, the same command id given twice, one tracking code claimed twice. */
function batch(newEventId: () => string, copy = 0): AppendRequest[] {
  const own = (id: string, streamId: string, key: string): AppendRequest => ({
    commandId: copy === 0 ? id : `${id}-${copy}`,
    commandType: 'RegisterParcel',
    events: [{ streamId, type: 'ParcelRegistered', schemaVersion: 2, payload: { parcelId: streamId, trackingCode: key } }],
    metadata: { commandId: id, correlationId: id, actor: 'spec' },
    recordedAt: AT,
    newEventId,
    reservations: [{ kind: 'tracking_code', key, owner: streamId }],
    reservationConflict: 'keep-first',
  });
  return [
    own('c1', 'parcel-a', 'WB1'),
    {
      commandId: 'theirs',
      commandIdTaken: 'fresh',
      commandType: 'Pulled',
      events: [
        { streamId: 'parcel-a', type: 'ParcelScanned', schemaVersion: 1, payload: { n: 1 }, eventId: `pulled-${copy}-1`, recordedElsewhere: elsewhere(2 * copy + 1, { n: 1 }) },
        { streamId: 'parcel-b', type: 'ParcelScanned', schemaVersion: 1, payload: { n: 2 }, eventId: `pulled-${copy}-2`, recordedElsewhere: elsewhere(2 * copy + 2, { n: 2 }) },
      ],
      metadata: { commandId: 'theirs' },
      recordedAt: AT,
      newEventId,
    },
    { ...own('theirs', 'parcel-b', 'WB1'), commandId: 'theirs', commandIdTaken: 'fresh' },
    own('c3', 'parcel-a', 'WB2'),
  ];
}

function logRows(db: Database.Database) {
  return {
    events: tableRows(db, 'events'),
    commands: tableRows(db, 'commands'),
    reservations: tableRows(db, 'reservations'),
    origins: db.prepare('SELECT * FROM event_origins ORDER BY position').all(),
  };
}

function freshLog(name: string) {
  const dir = tempDataDir(name);
  const log = openTestLog(`${dir.path}/events.db`);
  // Both logs are one device, so their own chains can be compared.
  log.writer.exec('DROP TRIGGER device_no_update');
  log.writer.prepare('UPDATE device SET device_id = ?').run('this-device');
  return new EventLogWriter(log.writer, upcasters);
}

describe('appendMany', () => {
  it('leaves the log that appending the same commands one at a time leaves, and answers the same', () => {
    const one = freshLog('append-one');
    const many = freshLog('append-many');
    const oneByOne = one.transaction(() => batch(idsFrom('e')).map((request) => one.append(request)));
    const together = many.transaction(() => many.appendMany(batch(idsFrom('e'))));
    expect(together).toEqual(oneByOne);
    expect(logRows(many.db)).toEqual(logRows(one.db));
  });

  it('decides among its own commands: versions follow on per stream, a taken command id is replaced, the first claim on a key keeps it', () => {
    const many = freshLog('append-many-rules');
    const together = many.transaction(() => many.appendMany(batch(idsFrom('e'))));
    expect(together.map((c) => [c.commandId, c.position, c.events.map((e) => [e.streamId, e.version])])).toEqual([
      ['c1', 1, [['parcel-a', 1]]],
      ['theirs', 3, [['parcel-a', 2], ['parcel-b', 1]]],
      ['e-0002', 4, [['parcel-b', 2]]], // e-0001 is c1's event id
      ['c3', 5, [['parcel-a', 3]]],
    ]);
    expect(tableRows(many.db, 'reservations')).toEqual([
      { kind: 'tracking_code', key: 'WB1', owner: 'parcel-a', position: 1 },
      { kind: 'tracking_code', key: 'WB2', owner: 'parcel-a', position: 5 },
    ]);
  });

  it('refuses a claim another command of the same batch holds, and appends nothing of the batch', () => {
    const many = freshLog('append-many-refused');
    const requests = batch(idsFrom('e')).map((r) => ({ ...r, reservationConflict: 'refuse' as const }));
    expect(() => many.transaction(() => many.appendMany(requests))).toThrow(expect.objectContaining({ code: 'CONFLICT', message: 'WB1 is already reserved by parcel-a.' }));
    expect(logRows(many.db)).toEqual({ events: [], commands: [], reservations: [], origins: [] });
  });

  it('writes batches larger than one statement takes (over a hundred rows)', () => {
    const one = freshLog('append-one-large');
    const many = freshLog('append-many-large');
    const large = (newEventId: () => string) => Array.from({ length: 23 }, (_, copy) => batch(newEventId, copy)).flat();
    one.transaction(() => large(idsFrom('e')).map((request) => one.append(request)));
    many.transaction(() => many.appendMany(large(idsFrom('e'))));
    const rows = logRows(many.db);
    expect(rows.events).toHaveLength(23 * 5);
    expect(rows).toEqual(logRows(one.db));
  });
});
