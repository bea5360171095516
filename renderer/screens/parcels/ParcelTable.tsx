import type { ParcelSummaryRow } from '../../../db/contract/index.ts';
import { links } from '../../app/route.ts';
import { StatusChip } from '../../components/StatusChip.tsx';
import { ariaRowCount, VirtualRows } from '../../components/VirtualRows.tsx';
import { formatTime } from '../../lib/format.ts';

const rowHeight = 40;

export function ParcelTable({ rows, hasMore, onNearEnd }: { rows: readonly ParcelSummaryRow[]; hasMore: boolean; onNearEnd: () => void }) {
  return (
    <div className="vtable vtable-parcels" role="table" aria-label="Parcels" aria-rowcount={ariaRowCount(rows.length, hasMore)}>
      <div className="vtable-head" role="row" aria-rowindex={1}>
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
        rowClassName={() => 'vtable-row'}
        renderRow={(row) => (
          <>
            <span role="cell" className="mono strong">
              {/* The link covers the whole row (.row-link::after), so the row opens the parcel wherever it is clicked. */}
              <a className="row-link" href={links.parcel(row.parcelId)}>
                {row.trackingCode}
              </a>
            </span>
            <span role="cell">
              <StatusChip status={row.status} />
            </span>
            <span role="cell" className="ellipsis">{row.recipientName}</span>
            <span role="cell" className="ellipsis">
              {row.city} <span className="muted">· {row.destinationDepotId}</span>
            </span>
            <span role="cell" className="mono muted ellipsis">{row.routeId ?? '—'}</span>
            <span role="cell">{formatTime(row.eta)}</span>
            <span role="cell" className="muted">{formatTime(row.updatedAt)}</span>
          </>
        )}
      />
    </div>
  );
}
