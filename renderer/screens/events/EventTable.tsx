import type { EventRow } from '../../../db/contract/index.ts';
import { VirtualRows } from '../../components/VirtualRows.tsx';
import { formatTime } from '../../lib/format.ts';

const rowHeight = 40;

export function EventTable(props: { rows: readonly EventRow[]; selected: number | null; onSelect: (position: number) => void; hasMore: boolean; onNearEnd: () => void }) {
  return (
    <div className="vtable vtable-events" role="table" aria-label="Events">
      <div className="vtable-head" role="row">
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
        renderRow={(row) => (
          <button type="button" className={`vtable-row${row.position === props.selected ? ' selected' : ''}`} onClick={() => props.onSelect(row.position)}>
            <span className="mono muted">#{row.position}</span>
            <span className="strong ellipsis">{row.type}</span>
            <span className="mono ellipsis">{row.streamId}</span>
            <span className="ellipsis">{row.actor ?? '—'}</span>
            <span className="muted">{formatTime(row.recordedAt)}</span>
          </button>
        )}
      />
    </div>
  );
}
