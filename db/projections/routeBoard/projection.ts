import { defineProjection } from '../../readmodel/projection.ts';
import { boardDrivers, boardParcels, routes, routeStops } from './tables.ts';

export const routeBoard = defineProjection({
  name: 'route_board',
  version: 1,
  policy: 'halt',
  tables: [routes, routeStops, boardParcels, boardDrivers],
  handles: [
    'DriverRegistered',
    'ParcelRegistered',
    'RoutePlanned',
    'ParcelAddedToRoute',
    'RouteStarted',
    'DeliveryAttempted',
    'ExceptionReported',
    'RouteStopClosed',
    'RouteCompleted',
  ],
  prepare(db) {
    const putDriver = db.prepare(
      'INSERT INTO _drivers (driver_id, name) VALUES (?, ?) ON CONFLICT (driver_id) DO UPDATE SET name = excluded.name',
    );
    const putParcel = db.prepare('INSERT INTO _parcels (parcel_id, tracking_code, recipient_name, street, city) VALUES (?, ?, ?, ?, ?)');
    const plan = db.prepare(
      `INSERT INTO routes (route_id, driver_id, driver_name, depot_id, date, state, started_at, planned_position)
       VALUES (?, ?, (SELECT name FROM _drivers WHERE driver_id = ?), ?, ?, 'planned', NULL, ?)`,
    );
    // LEFT JOIN so a stop is listed even if its parcel is unknown here.
    const addStop = db.prepare(
      `INSERT INTO route_stops (route_id, stop, parcel_id, tracking_code, recipient_name, street, city, state, reason, at)
       SELECT ?, ?, q.parcel_id, p.tracking_code, p.recipient_name, p.street, p.city, 'pending', NULL, NULL
       FROM (SELECT ? AS parcel_id) q LEFT JOIN _parcels p ON p.parcel_id = q.parcel_id`,
    );
    const start = db.prepare("UPDATE routes SET state = 'started', started_at = ? WHERE route_id = ?");
    const complete = db.prepare("UPDATE routes SET state = 'completed' WHERE route_id = ?");
    const noteReason = db.prepare('UPDATE route_stops SET reason = ? WHERE parcel_id = ? AND route_id = ?');
    const noteLost = db.prepare("UPDATE route_stops SET reason = ? WHERE parcel_id = ? AND state = 'pending'");
    const closeStop = db.prepare('UPDATE route_stops SET state = ?, at = ? WHERE parcel_id = ? AND route_id = ?');

    return (event) => {
      switch (event.type) {
        case 'DriverRegistered':
          return void putDriver.run(event.payload.driverId, event.payload.name);
        case 'ParcelRegistered': {
          const p = event.payload;
          return void putParcel.run(p.parcelId, p.trackingCode, p.recipient.name, p.recipient.street, p.recipient.city);
        }
        case 'RoutePlanned': {
          const p = event.payload;
          return void plan.run(p.routeId, p.driverId, p.driverId, p.depotId, p.date, event.position);
        }
        case 'ParcelAddedToRoute':
          return void addStop.run(event.payload.routeId, event.payload.stop, event.payload.parcelId);
        case 'RouteStarted':
          return void start.run(event.payload.at, event.payload.routeId);
        case 'DeliveryAttempted':
          // The RouteStopClosed that follows sets the stop's state; the reason lives only here.
          return void noteReason.run(event.payload.reason, event.payload.parcelId, event.payload.routeId);
        case 'ExceptionReported':
          if (event.payload.kind !== 'lost') return;
          return void noteLost.run(`reported lost${event.payload.note ? `: ${event.payload.note}` : ''}`, event.payload.parcelId);
        case 'RouteStopClosed':
          return void closeStop.run(event.payload.outcome, event.payload.at, event.payload.parcelId, event.payload.routeId);
        case 'RouteCompleted':
          return void complete.run(event.payload.routeId);
      }
    };
  },
});
