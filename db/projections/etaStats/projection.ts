import { defineProjection } from '../../readmodel/projection.ts';
import { hoursBetween } from '../etaModel.ts';
import { deliveryDurations, regionWeather, statsDepots, statsParcels } from './tables.ts';

export const etaStats = defineProjection({
  name: 'eta_stats',
  version: 1,
  policy: 'halt',
  tables: [deliveryDurations, regionWeather, statsParcels, statsDepots],
  handles: ['DepotRegistered', 'ParcelRegistered', 'WeatherRecorded', 'DeliveryAttempted'],
  prepare(db) {
    const putDepot = db.prepare(
      'INSERT INTO _depots (depot_id, region) VALUES (?, ?) ON CONFLICT (depot_id) DO UPDATE SET region = excluded.region',
    );
    const putParcel = db.prepare(
      // A parcel registered again elsewhere (a sync conflict): the first registration in the order stands.
      'INSERT INTO _parcels (parcel_id, region, registered_at) VALUES (?, (SELECT region FROM _depots WHERE depot_id = ?), ?) ON CONFLICT (parcel_id) DO NOTHING',
    );
    // `since` moves only when the condition changes: recording the same weather again does not reset it.
    const putWeather = db.prepare(
      `INSERT INTO region_weather (region, condition, since) VALUES (?, ?, ?)
       ON CONFLICT (region) DO UPDATE SET since = CASE WHEN condition = excluded.condition THEN since ELSE excluded.since END,
         condition = excluded.condition`,
    );
    // Weather at delivery time is the region's latest WeatherRecorded before the delivery in log order.
    const deliveredParcel = db.prepare(
      `SELECT p.region, p.registered_at AS registeredAt, coalesce(w.condition, 'unknown') AS condition
       FROM _parcels p LEFT JOIN region_weather w ON w.region = p.region WHERE p.parcel_id = ?`,
    );
    const addDuration = db.prepare(
      `INSERT INTO delivery_durations (region, condition, deliveries, total_hours, min_hours, max_hours)
       VALUES (@region, @condition, 1, @hours, @hours, @hours)
       ON CONFLICT (region, condition) DO UPDATE SET deliveries = deliveries + 1, total_hours = total_hours + excluded.total_hours,
         min_hours = min(min_hours, excluded.min_hours), max_hours = max(max_hours, excluded.max_hours)`,
    );

    return (event) => {
      switch (event.type) {
        case 'DepotRegistered':
          return void putDepot.run(event.payload.depotId, event.payload.region);
        case 'ParcelRegistered':
          return void putParcel.run(event.payload.parcelId, event.payload.destinationDepotId, event.payload.at);
        case 'WeatherRecorded':
          return void putWeather.run(event.payload.region, event.payload.condition, event.payload.at);
        case 'DeliveryAttempted': {
          if (event.payload.outcome !== 'delivered') return;
          const parcel = deliveredParcel.get(event.payload.parcelId) as
            | { region: string | null; registeredAt: string; condition: string }
            | undefined;
          if (!parcel) throw new Error(`eta_stats has no parcel ${event.payload.parcelId}`);
          if (parcel.region === null) return;
          const hours = hoursBetween(parcel.registeredAt, event.payload.at);
          return void addDuration.run({ region: parcel.region, condition: parcel.condition, hours });
        }
      }
    };
  },
});
