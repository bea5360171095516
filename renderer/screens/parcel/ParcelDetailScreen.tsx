import { PageHeader } from '../../app/PageHeader.tsx';
import { links } from '../../app/route.ts';
import { StatusChip } from '../../components/StatusChip.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { useQuery } from '../../lib/useQuery.ts';
import { EtaCard } from './EtaCard.tsx';
import { ParcelFields } from './ParcelFields.tsx';
import { ParcelRouteCard } from './ParcelRouteCard.tsx';
import { ParcelTimeline } from './ParcelTimeline.tsx';

/** One parcel: what the summary says, why (the event behind every field), when it should arrive, and its history. */
export function ParcelDetailScreen({ parcelId }: { parcelId: string }) {
  const summary = useQuery('parcel.summary', { parcelId }, { followHeadMs: 1500 });
  const parcel = summary.data;
  if (summary.error && parcel === undefined) return <div className="screen"><PageHeader title="Parcel" /><ErrorState error={summary.error} onRetry={() => void summary.reload()} /></div>;
  if (parcel === undefined) return <div className="screen"><PageHeader title="Parcel" /><Loading /></div>;
  if (parcel === null) {
    return (
      <div className="screen">
        <PageHeader title="Parcel not found" freshness={summary.freshness} />
        <Empty title={`No parcel ${parcelId}`}>It may not be registered yet, or the read model is still catching up.</Empty>
      </div>
    );
  }
  return (
    <div className="screen">
      <PageHeader
        title={parcel.trackingCode}
        subtitle={
          <>
            <StatusChip status={parcel.status} /> <span className="muted">parcel {parcel.parcelId} · </span>
            <a href={links.stream(`parcel-${parcel.parcelId}`)}>its event stream</a>
          </>
        }
        freshness={summary.freshness}
        onRefresh={() => void summary.reload()}
      />
      <div className="detail-layout">
        <div className="detail-main">
          <ParcelFields parcel={parcel} />
          <ParcelTimeline parcelId={parcel.parcelId} lastPosition={parcel.lastPosition} />
        </div>
        <aside className="detail-side">
          <EtaCard parcelId={parcel.parcelId} lastPosition={parcel.lastPosition} />
          <ParcelRouteCard parcel={parcel} />
        </aside>
      </div>
    </div>
  );
}
