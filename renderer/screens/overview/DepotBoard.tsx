import type { DepotBoardRow, ParcelStatus } from '../../../db/contract/index.ts';
import { formatRoute } from '../../app/route.ts';
import { formatCount } from '../../lib/format.ts';

const columns: readonly { status: ParcelStatus; label: string }[] = [
  { status: 'at_depot', label: 'At depot' },
  { status: 'planned', label: 'Planned' },
  { status: 'out_for_delivery', label: 'Out' },
  { status: 'attempt_failed', label: 'Failed' },
  { status: 'delivered', label: 'Delivered' },
];

export function DepotBoard({ rows }: { rows: readonly DepotBoardRow[] }) {
  return (
    <div className="table-scroll">
    <table className="table table-compact">
      <thead>
        <tr>
          <th>Depot</th>
          {columns.map((column) => (
            <th key={column.status} className="num">
              {column.label}
            </th>
          ))}
          <th className="num">Total</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.depotId}>
            <td className="nowrap">
              <a href={formatRoute({ screen: 'parcels', query: { depotId: row.depotId } })}>{row.name}</a>
              <div className="muted small">{row.region}</div>
            </td>
            {columns.map((column) => (
              <td key={column.status} className={`num${column.status === 'attempt_failed' && row.counts.attempt_failed > 0 ? ' text-danger' : ''}`}>
                {formatCount(row.counts[column.status] ?? 0)}
              </td>
            ))}
            <td className="num strong">{formatCount(row.total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
