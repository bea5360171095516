import { parcelStatuses, type ParcelStatus } from '../../../db/contract/index.ts';
import { formatRoute } from '../../app/route.ts';
import { formatCount, statusLabels } from '../../lib/format.ts';

/** One tile per parcel status, each a link to the parcel list filtered by it. */
export function StatusSummary({ totals }: { totals: Record<ParcelStatus, number> }) {
  const all = parcelStatuses.reduce((sum, status) => sum + totals[status], 0);
  return (
    <section className="card" aria-label="Parcels by status">
      <div className="card-title-row">
        <h2 className="card-title">Parcels by status</h2>
        <span className="muted">{formatCount(all)} parcels</span>
      </div>
      <div className="status-bar" aria-hidden="true">
        {parcelStatuses.map((status) =>
          totals[status] > 0 ? <span key={status} className={`status-bar-part bg-${status}`} style={{ flexGrow: totals[status] }} /> : null,
        )}
      </div>
      <div className="status-tiles">
        {parcelStatuses.map((status) => (
          <a key={status} className="status-tile" href={formatRoute({ screen: 'parcels', query: { status } })}>
            <span className={`status-dot bg-${status}`} aria-hidden="true" />
            <span className="status-tile-label">{statusLabels[status]}</span>
            <span className="status-tile-count">{formatCount(totals[status])}</span>
          </a>
        ))}
      </div>
    </section>
  );
}
