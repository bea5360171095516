import type { ParcelSummaryRow } from '../../../db/contract/index.ts';
import { StateChip } from '../../components/StatusChip.tsx';
import { useQuery } from '../../lib/useQuery.ts';

/** The route and driver the parcel is on (or was last on), from the route board. */
export function ParcelRouteCard({ parcel }: { parcel: ParcelSummaryRow }) {
  const route = useQuery('route.current', parcel.driverId ? { driverId: parcel.driverId } : null);
  const board = route.data && (parcel.routeId === null || route.data.routeId === parcel.routeId) ? route.data : null;
  const stop = board?.stops.find((row) => row.parcelId === parcel.parcelId) ?? null;
  return (
    <section className="card">
      <h2 className="card-title">Route and driver</h2>
      {!parcel.driverId && !parcel.routeId ? <p className="muted">Not planned onto a route yet.</p> : null}
      <dl className="facts facts-compact">
        {parcel.routeId ? <div className="fact"><dt>Route</dt><dd className="mono">{parcel.routeId}</dd></div> : null}
        {parcel.driverId ? <div className="fact"><dt>Driver</dt><dd>{board?.driverName ?? parcel.driverId}</dd></div> : null}
        {board ? <div className="fact"><dt>Route state</dt><dd><StateChip state={board.state} tone={board.state === 'completed' ? 'ok' : 'info'} /></dd></div> : null}
        {board ? <div className="fact"><dt>Date</dt><dd>{board.date}</dd></div> : null}
        {stop ? <div className="fact"><dt>Stop</dt><dd>{stop.stop} of {board?.stops.length} · {stop.state}</dd></div> : null}
      </dl>
    </section>
  );
}
