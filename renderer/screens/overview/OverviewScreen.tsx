import { parcelStatuses, type DepotBoardRow, type ParcelStatus } from '../../../db/contract/index.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { useQuery } from '../../lib/useQuery.ts';
import { AttentionList } from './AttentionList.tsx';
import { DepotBoard } from './DepotBoard.tsx';
import { LiveCharts } from './LiveCharts.tsx';
import { StatusSummary } from './StatusSummary.tsx';

function totalsByStatus(rows: readonly DepotBoardRow[]): Record<ParcelStatus, number> {
  const totals = Object.fromEntries(parcelStatuses.map((status) => [status, 0])) as Record<ParcelStatus, number>;
  for (const row of rows) for (const status of parcelStatuses) totals[status] += row.counts[status] ?? 0;
  return totals;
}

export function OverviewScreen() {
  const board = useQuery('depots.board', {}, { followHeadMs: 2000 });
  const rows = board.data ?? [];
  return (
    <div className="screen">
      <PageHeader title="Overview" subtitle="Depots, parcels and how the read models keep up" freshness={board.freshness} onRefresh={() => void board.reload()} />
      {board.error && !board.data ? <ErrorState error={board.error} onRetry={() => void board.reload()} /> : null}
      {board.loading && !board.data ? <Loading /> : null}
      {board.data ? (
        <>
          <StatusSummary totals={totalsByStatus(rows)} />
          <LiveCharts />
          <div className="grid-2 grid-top">
            <section className="card">
              <h2 className="card-title">Depot board</h2>
              {rows.length === 0 ? <Empty title="No depots yet">Load sample data or register a depot with the CLI.</Empty> : <DepotBoard rows={rows} />}
            </section>
            <AttentionList />
          </div>
        </>
      ) : null}
    </div>
  );
}
