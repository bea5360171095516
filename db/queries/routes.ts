import { routes, routeStops } from '../projections/routeBoard/tables.ts';
import { selectList, type ColumnKey, type Row } from '../readmodel/tableSql.ts';
import { defineQuery } from './defineQuery.ts';

const MAX_STOPS = 1000;
/** The states of a route the driver is still on. */
const OPEN_STATES = ['planned', 'started'] as const;

type RouteRecord = Row<typeof routes, Exclude<ColumnKey<typeof routes>, 'plannedPosition'>>;
type PlannedRouteRecord = Row<typeof routes>;
type StopRecord = Row<typeof routeStops, Exclude<ColumnKey<typeof routeStops>, 'routeId'>>;

const ROUTE_COLUMNS = selectList(routes, { except: ['plannedPosition'] });

/** A driver's current route: the latest one still planned or started, else the latest one; null if they have none. */
export const routeCurrent = defineQuery({
  name: 'route.current',
  readModel: 'route_board',
  prepare({ route_board: db }) {
    // One index seek per open state (planned, started); the newer of the two wins.
    const latestIn = db.prepare(
      `SELECT ${selectList(routes)} FROM routes
       WHERE driver_id = ? AND state = ? ORDER BY planned_position DESC LIMIT 1`,
    );
    const latest = db.prepare(`SELECT ${ROUTE_COLUMNS} FROM routes WHERE driver_id = ? ORDER BY planned_position DESC LIMIT 1`);
    const latestOpen = (driverId: string): RouteRecord | undefined => {
      let newest: PlannedRouteRecord | undefined;
      for (const state of OPEN_STATES) {
        const route = latestIn.get(driverId, state) as PlannedRouteRecord | undefined;
        if (route && (!newest || route.plannedPosition > newest.plannedPosition)) newest = route;
      }
      if (!newest) return undefined;
      const { plannedPosition, ...route } = newest;
      void plannedPosition;
      return route;
    };
    const stops = db.prepare(
      `SELECT ${selectList(routeStops, { except: ['routeId'] })}
       FROM route_stops WHERE route_id = ? ORDER BY stop LIMIT ${MAX_STOPS}`,
    );
    return ({ driverId }) => {
      const route = latestOpen(driverId) ?? (latest.get(driverId) as RouteRecord | undefined);
      if (!route) return null;
      return { ...route, stops: stops.all(route.routeId) as StopRecord[] };
    };
  },
});
