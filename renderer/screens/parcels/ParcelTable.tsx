import type { ParcelSummaryRow } from '../../../db/contract/index.ts';
import { links } from '../../app/route.ts';
import { StatusChip } from '../../components/StatusChip.tsx';
import { VirtualRows } from '../../components/VirtualRows.tsx';
import { formatTime } from '../../lib/format.ts';

const rowHeight = 40;

export function ParcelTable({ rows, hasMore, onNearEnd }: { rows: readonly ParcelSummaryRow[]; hasMore: boolean; onNearEnd: () => void }) {
  return (
    <div className="vtable vtable-parcels" role="table" aria-label="Parcels">
      <div className="vtable-head" role="row">
        <span role="columnheader">Tracking code</span>
        <span role="columnheader">Status</span>
        <span role="columnheader">Recipient</span>
        <span role="columnheader">Destination</span>
        <span role="columnheader">Route</span>
        <span role="columnheader">ETA</span>
        <span role="columnheader">Updated</span>
      </div>
      <VirtualRows
        label="parcels"
        rows={rows}
        rowHeight={rowHeight}
        hasMore={hasMore}
        onNearEnd={onNearEnd}
        rowKey={(row) => row.parcelId}
        renderRow={(row) => (
          <a className="vtable-row" href={links.parcel(row.parcelId)}>
            <span className="mono strong">{row.trackingCode}</span>
            <span>
              <StatusChip status={row.status} />
            </span>
            <span className="ellipsis">{row.recipientName}</span>
            <span className="ellipsis">
              {row.city} <span className="muted">· {row.destinationDepotId}</span>
            </span>
            <span className="mono muted ellipsis">{row.routeId ?? '—'}</span>
            <span>{formatTime(row.eta)}</span>
            <span className="muted">{formatTime(row.updatedAt)}</span>
          </a>
        )}
      />
    </div>
  );
}
