import { links, formatRoute } from '../../app/route.ts';
import { StatusChip } from '../../components/StatusChip.tsx';
import { Empty, ErrorState } from '../../components/States.tsx';
import { formatTime } from '../../lib/format.ts';
import { useQuery } from '../../lib/useQuery.ts';

/** Parcels someone should look at: failed delivery attempts and parcels reported lost. */
export function AttentionList() {
  const failed = useQuery('parcels.list', { status: 'attempt_failed', limit: 6 }, { followHeadMs: 3000 });
  const lost = useQuery('parcels.list', { status: 'lost', limit: 6 }, { followHeadMs: 3000 });
  const rows = [...(failed.data?.rows ?? []), ...(lost.data?.rows ?? [])].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, 8);
  const total = (failed.data?.total ?? 0) + (lost.data?.total ?? 0);
  const error = failed.error ?? lost.error;
  return (
    <section className="card">
      <div className="card-title-row">
        <h2 className="card-title">Needs attention</h2>
        {total > 0 ? <a href={formatRoute({ screen: 'parcels', query: { status: 'attempt_failed' } })}>{total} in all</a> : null}
      </div>
      {error ? <ErrorState error={error} /> : null}
      {!error && rows.length === 0 && failed.data ? <Empty title="Nothing needs attention">No failed attempts and no lost parcels.</Empty> : null}
      <ul className="attention-list">
        {rows.map((row) => (
          <li key={row.parcelId}>
            <a href={links.parcel(row.parcelId)} className="mono">
              {row.trackingCode}
            </a>
            <span className="attention-detail">
              {row.recipientName}, {row.city}
              {row.lastException ? <span className="muted"> · {row.lastException.replace(/_/g, ' ')}</span> : null}
            </span>
            <StatusChip status={row.status} />
            <span className="muted small">{formatTime(row.updatedAt)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
