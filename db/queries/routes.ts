import type { RouteBoard, RouteStopRow } from '../contract.ts';
import { defineQuery } from './defineQuery.ts';

const MAX_STOPS = 1000;

const ROUTE_COLUMNS = `route_id AS routeId, driver_id AS driverId, driver_name AS driverName, depot_id AS depotId, date, state,
  started_at AS startedAt`;

/** A driver's current route: the latest one still planned or started, else the latest one; null if they have none. */
export const routeCurrent = defineQuery({
  name: 'route.current',
  readModel: 'route_board',
  maxRows: MAX_STOPS,
  prepare({ route_board: db }) {
    // Walks the driver's routes newest first; the open one is almost always the latest.
    const latestOpen = db.prepare(
      `SELECT ${ROUTE_COLUMNS} FROM routes WHERE driver_id = ? AND state IN ('planned', 'started') ORDER BY planned_position DESC LIMIT 1`,
    );
    const latest = db.prepare(`SELECT ${ROUTE_COLUMNS} FROM routes WHERE driver_id = ? ORDER BY planned_position DESC LIMIT 1`);
    const stops = db.prepare(
      `SELECT stop, parcel_id AS parcelId, tracking_code AS trackingCode, recipient_name AS recipientName, street, city, state, reason, at
       FROM route_stops WHERE route_id = ? ORDER BY stop LIMIT ${MAX_STOPS}`,
    );
    return ({ driverId }) => {
      const route = (latestOpen.get(driverId) ?? latest.get(driverId)) as Omit<RouteBoard, 'stops'> | undefined;
      if (!route) return null;
      return { ...route, stops: stops.all(route.routeId) as RouteStopRow[] };
    };
  },
});
