import { describe, expect, it } from 'vitest';
import type { ParcelRegisteredV1 } from '../../db/domain/upcasters.ts';
import { eventHash } from '../../db/log/eventHash.ts';
import { openLogReader } from '../../db/log/openEventLog.ts';
import { verifyLog } from '../../db/log/verifyLog.ts';
import { projectionByName } from '../../db/projections/index.ts';
import { Projector } from '../../db/readmodel/catchUp.ts';
import { openReadModelWriter } from '../../db/readmodel/openReadModel.ts';
import { tempDataDir, type TempDataDir } from '../helpers/tempDataDir.ts';
import { openPlainConnection, openTestLog, type TestLog } from '../helpers/testLog.ts';

const REGISTERED_AT = '2025-03-01T09:00:00.000Z';
const v1: ParcelRegisteredV1 = {
  parcelId: 'P-OLD',
  trackingCode: 'WB000777',
  recipientName: 'Ada Lovelace',
  recipientStreet: '12 St James Square',
  recipientCity: 'London',
  recipientPostcode: 'SW1Y 4JH',
  originDepotId: 'north-hub',
  destinationDepotId: 'south',
  weightGrams: 2500,
  at: REGISTERED_AT,
};
const V1_PAYLOAD = JSON.stringify(v1);

/**
 * A log holding two depots written by today's code and, after them, a ParcelRegistered at schema
 * version 1 as an older Waybill stored it: inserted from a plain connection with a valid hash chain.
 */
function logWithOldEvent(dir: TempDataDir): { log: TestLog; position: number } {
  const log = openTestLog(dir.file('events.db'));
  log.run('RegisterDepot', { depotId: 'north-hub', name: 'North Hub', region: 'north' });
  log.run('RegisterDepot', { depotId: 'south', name: 'South Yard', region: 'south' });
  const outside = openPlainConnection(log.path);
  const last = outside.prepare('SELECT position, hash FROM events ORDER BY position DESC LIMIT 1').get() as { position: number; hash: string };
  const metadata = { commandId: 'old-cmd-1', correlationId: 'old-cmd-1', causationId: 'old-cmd-1', actor: 'legacy', deviceId: null, recordedAt: REGISTERED_AT };
  const row = {
    position: last.position + 1,
    eventId: '0195500a-0000-7000-8000-000000000001',
    streamId: 'parcel-P-OLD',
    version: 1,
    type: 'ParcelRegistered',
    schemaVersion: 1,
    payload: V1_PAYLOAD,
    metadata: JSON.stringify(metadata),
    recordedAt: REGISTERED_AT,
  };
  outside
    .prepare(
      `INSERT INTO events (position, event_id, stream_id, version, type, schema_version, payload, metadata, recorded_at, correlation_id, command_id, hash)
       VALUES (@position, @eventId, @streamId, @version, @type, @schemaVersion, @payload, @metadata, @recordedAt, 'old-cmd-1', 'old-cmd-1', @hash)`,
    )
    .run({ ...row, hash: eventHash(last.hash, row) });
  outside.close();
  return { log, position: row.position };
}

describe('an event stored at an older schema version', () => {
  it('keeps the log verifiable: the old row extends the hash chain', () => {
    const { log } = logWithOldEvent(tempDataDir('upcast'));
    expect(verifyLog(log.writer)).toMatchObject({ head: 3, gapless: true, guards: true, integrity: 'ok', chain: { ok: true, firstBadPosition: null } });
  });

  it('is upcast on the command path: the decision knows the parcel, so a scan of it is accepted', () => {
    const { log } = logWithOldEvent(tempDataDir('upcast'));
    const scan = log.handle({ type: 'RecordScan', payload: { parcelId: 'P-OLD', depotId: 'north-hub', kind: 'departed' } });
    expect(scan).toMatchObject({ ok: true, events: [{ streamId: 'parcel-P-OLD', version: 2, type: 'ParcelScanned' }] });
    const arrive = log.handle({ type: 'RecordScan', payload: { parcelId: 'P-OLD', depotId: 'south', kind: 'arrived' } });
    expect(arrive).toMatchObject({ ok: true, events: [{ streamId: 'parcel-P-OLD', version: 3, type: 'ParcelScanned' }] });
  });

  it('is upcast for the read model: parcel_summary shows the nested recipient and the weight in kg', () => {
    const dir = tempDataDir('upcast');
    const { log } = logWithOldEvent(dir);
    const projection = projectionByName('parcel_summary');
    const readModel = openReadModelWriter(dir.file('parcel_summary.db'), projection);
    const logReader = openLogReader(log.path);
    try {
      const projector = new Projector(projection, readModel, logReader);
      expect(projector.catchUp()).toBe(3);
      const row = readModel
        .prepare(
          `SELECT tracking_code AS trackingCode, recipient_name AS recipientName, street, city, postcode, weight_kg AS weightKg,
                  description, status, current_depot_id AS currentDepotId, registered_at AS registeredAt
           FROM parcel_summary WHERE parcel_id = 'P-OLD'`,
        )
        .get();
      expect(row).toEqual({
        trackingCode: 'WB000777',
        recipientName: 'Ada Lovelace',
        street: '12 St James Square',
        city: 'London',
        postcode: 'SW1Y 4JH',
        weightKg: 2.5,
        description: null,
        status: 'registered',
        currentDepotId: 'north-hub',
        registeredAt: REGISTERED_AT,
      });
    } finally {
      readModel.close();
      logReader.close();
    }
  });

  it('is never rewritten: after reads and new appends it keeps its bytes and version beside today\'s v2 events', () => {
    const { log, position } = logWithOldEvent(tempDataDir('upcast'));
    log.run('RecordScan', { parcelId: 'P-OLD', depotId: 'north-hub', kind: 'departed' });
    log.run('RegisterParcel', {
      parcelId: 'P-NEW',
      trackingCode: 'WB000778',
      recipient: { name: 'Grace Hopper', street: '3 Canal Wharf', city: 'Leeds', postcode: 'LS11 5PS' },
      originDepotId: 'north-hub',
      destinationDepotId: 'south',
      weightKg: 1.2,
    });
    const registered = log.writer
      .prepare("SELECT position, schema_version AS schemaVersion, payload FROM events WHERE type = 'ParcelRegistered' ORDER BY position")
      .all() as { position: number; schemaVersion: number; payload: string }[];
    expect(registered.map((r) => [r.position, r.schemaVersion])).toEqual([
      [position, 1],
      [5, 2],
    ]);
    expect(registered[0]!.payload).toBe(V1_PAYLOAD);
  });
});
