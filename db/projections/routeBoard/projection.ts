import { defineProjection } from '../../readmodel/projection.ts';
import { insertInto, selectList, type Row } from '../../readmodel/tableSql.ts';
import { boardDrivers, boardParcels, routes, routeStops } from './tables.ts';

export const routeBoard = defineProjection({
  name: 'route_board',
  version: 1,
  policy: 'halt',
  tables: [routes, routeStops, boardParcels, boardDrivers],
  logNumbering: { routes: { positions: ['planned_position'] } },
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
    const putParcel = insertInto(db, boardParcels);
    const driverName = db.prepare('SELECT name FROM _drivers WHERE driver_id = ?').pluck();
    const plan = insertInto(db, routes);
    const parcelOf = db.prepare(`SELECT ${selectList(boardParcels, { except: ['parcelId'] })} FROM _parcels WHERE parcel_id = ?`);
    const addStop = insertInto(db, routeStops);
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
          // Registered again on another laptop while offline: a conflict, and the first registration in the order stands.
          if (parcelOf.get(p.parcelId) !== undefined) return;
          return void putParcel.run({ parcelId: p.parcelId, trackingCode: p.trackingCode, recipientName: p.recipient.name, street: p.recipient.street, city: p.recipient.city });
        }
        case 'RoutePlanned': {
          const p = event.payload;
          const name = (driverName.get(p.driverId) as string | undefined) ?? null;
          return void plan.run({ routeId: p.routeId, driverId: p.driverId, driverName: name, depotId: p.depotId, date: p.date, state: 'planned', startedAt: null, plannedPosition: event.position });
        }
        case 'ParcelAddedToRoute': {
          const p = event.payload;
          // A stop is listed even if its parcel is unknown here.
          const parcel = parcelOf.get(p.parcelId) as Omit<Row<typeof boardParcels>, 'parcelId'> | undefined;
          return void addStop.run({
            routeId: p.routeId,
            stop: p.stop,
            parcelId: p.parcelId,
            trackingCode: parcel?.trackingCode ?? null,
            recipientName: parcel?.recipientName ?? null,
            street: parcel?.street ?? null,
            city: parcel?.city ?? null,
            state: 'pending',
            reason: null,
            at: null,
          });
        }
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
