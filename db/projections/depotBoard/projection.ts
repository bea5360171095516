import type { ParcelStatus } from '../../contract/index.ts';
import { evolveParcel, initialParcel } from '../../domain/parcel.ts';
import { defineProjection } from '../../readmodel/projection.ts';
import { boardParcels, depotCounts, depots } from './tables.ts';

export const depotBoard = defineProjection({
  name: 'depot_board',
  version: 1,
  policy: 'halt',
  tables: [depots, depotCounts, boardParcels],
  handles: [
    'DepotRegistered',
    'ParcelRegistered',
    'ParcelScanned',
    'ParcelAddedToRoute',
    'ParcelOutForDelivery',
    'DeliveryAttempted',
    'ExceptionReported',
  ],
  prepare(db) {
    const putDepot = db.prepare(
      `INSERT INTO depots (depot_id, name, region) VALUES (?, ?, ?)
       ON CONFLICT (depot_id) DO UPDATE SET name = excluded.name, region = excluded.region`,
    );
    const putParcel = db.prepare('INSERT INTO _parcels (parcel_id, depot_id, status) VALUES (?, ?, ?)');
    const getParcel = db.prepare('SELECT depot_id AS depotId, status FROM _parcels WHERE parcel_id = ?');
    const setStatus = db.prepare('UPDATE _parcels SET status = ? WHERE parcel_id = ?');
    const bump = db.prepare(
      'INSERT INTO depot_counts (depot_id, status, n) VALUES (?, ?, ?) ON CONFLICT (depot_id, status) DO UPDATE SET n = n + excluded.n',
    );

    return (event) => {
      switch (event.type) {
        case 'DepotRegistered':
          return void putDepot.run(event.payload.depotId, event.payload.name, event.payload.region);
        case 'ParcelRegistered':
          // Registered again on another laptop while offline: a conflict, and the first registration in the order stands.
          if (getParcel.get(event.payload.parcelId) !== undefined) return;
          putParcel.run(event.payload.parcelId, event.payload.destinationDepotId, 'registered');
          return void bump.run(event.payload.destinationDepotId, 'registered', 1);
        case 'ParcelScanned':
        case 'ParcelAddedToRoute':
        case 'ParcelOutForDelivery':
        case 'DeliveryAttempted':
        case 'ExceptionReported': {
          const parcel = getParcel.get(event.payload.parcelId) as { depotId: string; status: ParcelStatus } | undefined;
          if (!parcel) throw new Error(`depot_board has no parcel ${event.payload.parcelId}`);
          // The domain's own rule decides the status, so the board can never disagree with it.
          const status = evolveParcel({ ...initialParcel, exists: true, status: parcel.status }, event).status;
          if (status === null || status === parcel.status) return;
          setStatus.run(status, event.payload.parcelId);
          bump.run(parcel.depotId, parcel.status, -1);
          bump.run(parcel.depotId, status, 1);
        }
      }
    };
  },
});
