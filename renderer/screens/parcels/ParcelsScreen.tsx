import { useEffect } from 'react';
import { parcelStatuses, type ParcelStatus } from '../../../db/contract/index.ts';
import { useConsole, useSlice } from '../../app/consoleContext.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { formatRoute, navigate } from '../../app/route.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { formatCount } from '../../lib/format.ts';
import type { ParcelFilters } from '../../stores/lists.ts';
import { ParcelFiltersBar } from './ParcelFiltersBar.tsx';
import { ParcelTable } from './ParcelTable.tsx';

export function filtersFromQuery(query: Record<string, string>): ParcelFilters {
  const filters: ParcelFilters = { sort: query.sort === 'tracking' ? 'tracking' : 'updated' };
  if (parcelStatuses.includes(query.status as ParcelStatus)) filters.status = query.status as ParcelStatus;
  if (query.depotId) filters.depotId = query.depotId;
  if (query.search) filters.search = query.search;
  return filters;
}

/** The parcel list: filters live in the URL, rows arrive a keyset page at a time as the table scrolls. */
export function ParcelsScreen({ query }: { query: Record<string, string> }) {
  const { parcels } = useConsole();
  const state = useSlice(parcels, (s) => s);
  const key = JSON.stringify(filtersFromQuery(query));

  useEffect(() => {
    const filters = JSON.parse(key) as ParcelFilters;
    if (JSON.stringify(parcels.getState().params) !== key || parcels.getState().status === 'idle') void parcels.getState().setParams(filters);
    else void parcels.getState().refresh();
  }, [parcels, key]);

  const change = (next: ParcelFilters) => navigate(formatRoute({ screen: 'parcels', query: { ...next } }), { replace: true });
  const filtered = Boolean(state.params.status || state.params.depotId || state.params.search);
  return (
    <div className="screen screen-fill">
      <PageHeader
        title="Parcels"
        subtitle={state.total === null ? ' ' : `${formatCount(state.total)} ${filtered ? 'matching' : 'in all'}${state.params.search && state.total >= 1000 ? ' (search shows the newest 1,000)' : ''}`}
        freshness={state.freshness}
        onRefresh={() => void parcels.getState().refresh()}
      />
      <ParcelFiltersBar filters={state.params} onChange={change} />
      {state.status === 'error' && state.rows.length === 0 && state.error ? <ErrorState error={state.error} onRetry={() => void parcels.getState().refresh()} /> : null}
      {state.status === 'loading' && state.rows.length === 0 ? <Loading /> : null}
      {state.status === 'ready' && state.rows.length === 0 ? (
        <Empty title={filtered ? 'No parcel matches these filters' : 'No parcels yet'}>{filtered ? 'Clear a filter or search for something else.' : 'Register one on the Field work screen, or load sample data.'}</Empty>
      ) : null}
      {state.rows.length > 0 ? <ParcelTable rows={state.rows} hasMore={state.next !== null} onNearEnd={() => void parcels.getState().loadMore()} /> : null}
    </div>
  );
}
