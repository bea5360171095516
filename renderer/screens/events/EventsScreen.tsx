import { useEffect, useState } from 'react';
import { useConsole, useSlice } from '../../app/consoleContext.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { formatRoute, navigate } from '../../app/route.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import type { EventFilters } from '../../stores/lists.ts';
import { EventDetail } from './EventDetail.tsx';
import { EventFiltersBar } from './EventFiltersBar.tsx';
import { EventTable } from './EventTable.tsx';

const filterKeys = ['streamId', 'type', 'actor', 'correlationId', 'from', 'to', 'search'] as const;

export function filtersFromQuery(query: Record<string, string>): EventFilters {
  const filters: EventFilters = {};
  for (const key of filterKeys) if (query[key]) filters[key] = query[key];
  return filters;
}

/** The global log (or one stream, or one correlation), newest first, with the selected event beside it. */
export function EventsScreen({ query }: { query: Record<string, string> }) {
  const { events } = useConsole();
  const state = useSlice(events, (s) => s);
  const [selected, setSelected] = useState<number | null>(null);
  const key = JSON.stringify(filtersFromQuery(query));

  useEffect(() => {
    const filters = JSON.parse(key) as EventFilters;
    if (JSON.stringify(events.getState().params) !== key || events.getState().status === 'idle') void events.getState().setParams(filters);
    else void events.getState().refresh();
  }, [events, key]);

  const selectedRow = state.rows.find((row) => row.position === selected) ?? state.rows[0] ?? null;
  const filtered = Object.keys(state.params).length > 0;
  return (
    <div className="screen screen-fill">
      <PageHeader title="Event history" subtitle={filtered ? 'Filtered view of the log, newest first' : 'Every event in the log, newest first'} freshness={state.freshness} onRefresh={() => void events.getState().refresh()} />
      <EventFiltersBar filters={state.params} onChange={(next) => navigate(formatRoute({ screen: 'events', query: { ...next } }), { replace: true })} />
      {state.status === 'error' && state.error && state.rows.length === 0 ? <ErrorState error={state.error} onRetry={() => void events.getState().refresh()} /> : null}
      {state.status === 'loading' && state.rows.length === 0 ? <Loading /> : null}
      {state.status === 'ready' && state.rows.length === 0 ? <Empty title={filtered ? 'No event matches these filters' : 'The log is empty'}>{filtered ? 'Clear a filter to see more.' : 'Load sample data to get started.'}</Empty> : null}
      {state.rows.length > 0 ? (
        <div className="split">
          <EventTable rows={state.rows} selected={selectedRow?.position ?? null} onSelect={setSelected} hasMore={state.next !== null} onNearEnd={() => void events.getState().loadMore()} />
          <aside className="card split-side">{selectedRow ? <EventDetail event={selectedRow} /> : null}</aside>
        </div>
      ) : null}
    </div>
  );
}
