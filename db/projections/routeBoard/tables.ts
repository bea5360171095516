import type { RouteBoard, RouteStopRow } from '../../contract/index.ts';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Every route with its driver and progress, for a driver's current-route screen. */
export const routes = sqliteTable(
  'routes',
  {
    routeId: text('route_id').primaryKey(),
    driverId: text('driver_id').notNull(),
    driverName: text('driver_name'),
    depotId: text('depot_id').notNull(),
    date: text('date').notNull(),
    state: text('state').$type<RouteBoard['state']>().notNull(),
    startedAt: text('started_at'),
    /** Position of the RoutePlanned event: a driver's routes in the order they were planned. */
    plannedPosition: integer('planned_position').notNull(),
  },
  (t) => [
    index('routes_by_driver').on(t.driverId, t.plannedPosition),
    // A driver's latest route in a given state without walking past their finished ones (a driver
    // with months of completed routes made route.current read every one of them).
    index('routes_by_driver_state').on(t.driverId, t.state, t.plannedPosition),
  ],
);

/** A route's stops in order, with enough of the parcel to find the door. */
export const routeStops = sqliteTable(
  'route_stops',
  {
    routeId: text('route_id').notNull(),
    stop: integer('stop').notNull(),
    parcelId: text('parcel_id').notNull(),
    trackingCode: text('tracking_code'),
    recipientName: text('recipient_name'),
    street: text('street'),
    city: text('city'),
    state: text('state').$type<RouteStopRow['state']>().notNull(),
    reason: text('reason'),
    at: text('at'),
  },
  (t) => [primaryKey({ columns: [t.routeId, t.stop] }), index('route_stops_by_parcel').on(t.parcelId)],
);

/** Private: what a stop shows of its parcel. */
export const boardParcels = sqliteTable('_parcels', {
  parcelId: text('parcel_id').primaryKey(),
  trackingCode: text('tracking_code').notNull(),
  recipientName: text('recipient_name').notNull(),
  street: text('street').notNull(),
  city: text('city').notNull(),
});

/** Private: driver names. */
export const boardDrivers = sqliteTable('_drivers', {
  driverId: text('driver_id').primaryKey(),
  name: text('name').notNull(),
});
