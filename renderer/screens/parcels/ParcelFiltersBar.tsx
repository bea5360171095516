import { useEffect, useState } from 'react';
import { parcelStatuses, type ParcelStatus } from '../../../db/contract/index.ts';
import { statusLabels } from '../../lib/format.ts';
import { useQuery } from '../../lib/useQuery.ts';
import type { ParcelFilters } from '../../stores/lists.ts';

/** Search (debounced), status, destination depot and sort for the parcel list. */
export function ParcelFiltersBar({ filters, onChange }: { filters: ParcelFilters; onChange: (filters: ParcelFilters) => void }) {
  const depots = useQuery('depots.board', {});
  const [search, setSearch] = useState(filters.search ?? '');
  useEffect(() => setSearch(filters.search ?? ''), [filters.search]);
  useEffect(() => {
    if (search === (filters.search ?? '')) return;
    const timer = setTimeout(() => onChange({ ...filters, search: search.trim() || undefined }), 250);
    return () => clearTimeout(timer);
  }, [search, filters, onChange]);

  return (
    <div className="filters" role="search">
      <input className="input filter-search" type="search" placeholder="Search tracking code, recipient, street, city…" value={search} onChange={(event) => setSearch(event.target.value)} aria-label="Search parcels" />
      <select className="input" aria-label="Status" value={filters.status ?? ''} onChange={(event) => onChange({ ...filters, status: (event.target.value || undefined) as ParcelStatus | undefined })}>
        <option value="">Any status</option>
        {parcelStatuses.map((status) => (
          <option key={status} value={status}>
            {statusLabels[status]}
          </option>
        ))}
      </select>
      <select className="input" aria-label="Destination depot" value={filters.depotId ?? ''} onChange={(event) => onChange({ ...filters, depotId: event.target.value || undefined })}>
        <option value="">Any destination</option>
        {(depots.data ?? []).map((depot) => (
          <option key={depot.depotId} value={depot.depotId}>
            {depot.name}
          </option>
        ))}
      </select>
      <select className="input" aria-label="Sort" value={filters.sort} onChange={(event) => onChange({ ...filters, sort: event.target.value === 'tracking' ? 'tracking' : 'updated' })}>
        <option value="updated">Recently changed first</option>
        <option value="tracking">By tracking code</option>
      </select>
    </div>
  );
}
