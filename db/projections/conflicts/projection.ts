import { createHash } from 'node:crypto';
import type { ConflictKind } from '../../contract/index.ts';
import type { StoredEvent } from '../../domain/events.ts';
import { defineProjection } from '../../readmodel/projection.ts';
import { insertInto } from '../../readmodel/tableSql.ts';
import { conflictCodes, conflictParcels, conflicts, conflictSides } from './tables.ts';

/** A conflict's id from its two events, whichever came first: laptops that saw them in another order name it alike. */
export function conflictId(kind: ConflictKind, a: string, b: string): string {
  const hex = createHash('sha256').update(`${kind}\n${[a, b].sort().join('\n')}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

interface ParcelRules {
  parcelId: string;
  trackingCode: string;
  registeredPosition: number;
  deliveredPosition: number | null;
  lostPosition: number | null;
}

/**
 * Conflicts: the rules a shared order can break when laptops record offline, each breach kept as
 * a record naming both events (the one that stands and the one that broke the rule) until a
 * person resolves it with ResolveConflict. Built in the server's order like every read model.
 */
export const conflictsProjection = defineProjection({
  name: 'conflicts',
  version: 1,
  policy: 'halt',
  tables: [conflicts, conflictSides, conflictParcels, conflictCodes],
  handles: ['ParcelRegistered', 'ParcelScanned', 'DeliveryAttempted', 'ExceptionReported', 'ConflictResolved'],
  readsMetadata: true,
  logNumbering: {
    conflicts: { positions: ['first_position', 'position'] },
    conflict_sides: { positions: ['position'] },
    _parcels: { positions: ['registered_position', 'delivered_position', 'lost_position'] },
    _codes: { positions: ['position'] },
  },
  prepare(db) {
    const putSide = db.prepare(
      'INSERT INTO conflict_sides (position, event_id, type, device_id, actor, recorded_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (position) DO NOTHING',
    );
    const sideId = db.prepare('SELECT event_id FROM conflict_sides WHERE position = ?').pluck();
    const getParcel = db.prepare('SELECT parcel_id AS parcelId, tracking_code AS trackingCode, registered_position AS registeredPosition, delivered_position AS deliveredPosition, lost_position AS lostPosition FROM _parcels WHERE parcel_id = ?');
    const putParcel = insertInto(db, conflictParcels);
    const setDelivered = db.prepare('UPDATE _parcels SET delivered_position = ? WHERE parcel_id = ? AND delivered_position IS NULL');
    const setLost = db.prepare('UPDATE _parcels SET lost_position = ? WHERE parcel_id = ? AND lost_position IS NULL');
    const codeHolder = db.prepare('SELECT parcel_id AS parcelId, position FROM _codes WHERE tracking_code = ?');
    const putCode = insertInto(db, conflictCodes);
    const putConflict = db.prepare(
      `INSERT INTO conflicts (conflict_id, kind, parcel_id, summary, first_position, position, state) VALUES (?, ?, ?, ?, ?, ?, 'open')
       ON CONFLICT (conflict_id) DO NOTHING`,
    );
    const resolve = db.prepare("UPDATE conflicts SET state = 'resolved', outcome = ?, note = ?, resolved_by = ?, resolved_at = ? WHERE conflict_id = ? AND state = 'open'");

    const side = (event: StoredEvent) => putSide.run(event.position, event.eventId, event.type, event.metadata.deviceId, event.metadata.actor, event.recordedAt);
    const clash = (kind: ConflictKind, parcelId: string, firstPosition: number, event: StoredEvent, summary: string) => {
      side(event);
      const firstId = sideId.get(firstPosition) as string;
      putConflict.run(conflictId(kind, firstId, event.eventId), kind, parcelId, summary, firstPosition, event.position);
    };

    return (event) => {
      switch (event.type) {
        case 'ParcelRegistered': {
          const p = event.payload;
          const existing = getParcel.get(p.parcelId) as ParcelRules | undefined;
          if (existing) return clash('parcel_registered_twice', p.parcelId, existing.registeredPosition, event, `Parcel ${p.parcelId} was registered twice, on two devices; the first registration stands.`);
          const holder = codeHolder.get(p.trackingCode) as { parcelId: string; position: number } | undefined;
          side(event);
          putParcel.run({ parcelId: p.parcelId, trackingCode: p.trackingCode, registeredPosition: event.position, deliveredPosition: null, lostPosition: null });
          if (holder) return clash('tracking_code_taken', p.parcelId, holder.position, event, `Tracking code ${p.trackingCode} was given to ${holder.parcelId} and to ${p.parcelId}; ${holder.parcelId} keeps it, ${p.parcelId} needs a new label.`);
          return void putCode.run({ trackingCode: p.trackingCode, parcelId: p.parcelId, position: event.position });
        }
        case 'DeliveryAttempted': {
          if (event.payload.outcome !== 'delivered') return;
          const parcel = getParcel.get(event.payload.parcelId) as ParcelRules | undefined;
          if (!parcel) return;
          if (parcel.lostPosition !== null) clash('delivered_and_lost', parcel.parcelId, parcel.lostPosition, event, `Parcel ${parcel.parcelId} was recorded delivered and reported lost.`);
          else side(event);
          return void setDelivered.run(event.position, parcel.parcelId);
        }
        case 'ExceptionReported': {
          if (event.payload.kind !== 'lost') return;
          const parcel = getParcel.get(event.payload.parcelId) as ParcelRules | undefined;
          if (!parcel) return;
          if (parcel.deliveredPosition !== null) clash('delivered_and_lost', parcel.parcelId, parcel.deliveredPosition, event, `Parcel ${parcel.parcelId} was recorded delivered and reported lost.`);
          else side(event);
          return void setLost.run(event.position, parcel.parcelId);
        }
        case 'ParcelScanned': {
          const parcel = getParcel.get(event.payload.parcelId) as ParcelRules | undefined;
          if (parcel?.deliveredPosition == null) return;
          return clash('scan_after_delivery', parcel.parcelId, parcel.deliveredPosition, event, `Parcel ${parcel.parcelId} was scanned at ${event.payload.depotId} after it was delivered.`);
        }
        case 'ConflictResolved': {
          const p = event.payload;
          return void resolve.run(p.outcome, p.note, event.metadata.actor, p.at, p.conflictId);
        }
      }
    };
  },
});
