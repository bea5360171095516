import type { EventRow } from '../../../db/contract/index.ts';
import { ariaRowCount, VirtualRows } from '../../components/VirtualRows.tsx';
import { formatTime } from '../../lib/format.ts';

const rowHeight = 40;

export function EventTable(props: { rows: readonly EventRow[]; selected: number | null; onSelect: (position: number) => void; hasMore: boolean; onNearEnd: () => void }) {
  return (
    <div className="vtable vtable-events" role="table" aria-label="Events" aria-rowcount={ariaRowCount(props.rows.length, props.hasMore)}>
      <div className="vtable-head" role="row" aria-rowindex={1}>
        <span role="columnheader">Position</span>
        <span role="columnheader">Type</span>
        <span role="columnheader">Stream</span>
        <span role="columnheader">Actor</span>
        <span role="columnheader">Recorded</span>
      </div>
      <VirtualRows
        label="events"
        rows={props.rows}
        rowHeight={rowHeight}
        hasMore={props.hasMore}
        onNearEnd={props.onNearEnd}
        rowKey={(row) => row.position}
        rowClassName={(row) => (row.position === props.selected ? 'vtable-row selected' : 'vtable-row')}
        renderRow={(row) => (
          <>
            <span role="cell" className="mono muted">
              {/* The button covers the whole row (.row-link::after): the row selects its event wherever it is clicked. */}
              <button type="button" className="row-link" aria-pressed={row.position === props.selected} onClick={() => props.onSelect(row.position)}>
                #{row.position}
              </button>
            </span>
            <span role="cell" className="strong ellipsis">{row.type}</span>
            <span role="cell" className="mono ellipsis">{row.streamId}</span>
            <span role="cell" className="ellipsis">{row.actor ?? '—'}</span>
            <span role="cell" className="muted">{formatTime(row.recordedAt)}</span>
          </>
        )}
      />
    </div>
  );
}
