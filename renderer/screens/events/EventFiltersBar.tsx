import { useEffect, useState, type FormEvent } from 'react';
import { knownEventTypes } from '../../lib/format.ts';
import type { EventFilters } from '../../stores/lists.ts';

const textFilters = [
  { key: 'search', label: 'Search payloads…', className: 'filter-search' },
  { key: 'streamId', label: 'Stream, e.g. parcel-P-1' },
  { key: 'correlationId', label: 'Correlation id' },
  { key: 'actor', label: 'Actor' },
] as const;

/** `datetime-local` speaks local time without a zone; the query wants ISO 8601 with one. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);
const toLocal = (iso: string | undefined) => {
  if (!iso) return '';
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/** Filters apply on Enter or on leaving a field, so typing an id does not fire a query per key. */
export function EventFiltersBar({ filters, onChange }: { filters: EventFilters; onChange: (filters: EventFilters) => void }) {
  const [draft, setDraft] = useState<EventFilters>(filters);
  useEffect(() => setDraft(filters), [filters]);
  const apply = (next: EventFilters = draft) => {
    const clean = Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined && value !== '')) as EventFilters;
    if (JSON.stringify(clean) !== JSON.stringify(filters)) onChange(clean);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply();
  };
  const active = Object.keys(filters).length > 0;
  return (
    <form className="filters" role="search" onSubmit={submit}>
      {textFilters.map((filter) => (
        <input key={filter.key} className={`input ${'className' in filter ? filter.className : ''}`} placeholder={filter.label} aria-label={filter.label} value={draft[filter.key] ?? ''} onChange={(event) => setDraft({ ...draft, [filter.key]: event.target.value })} onBlur={() => apply()} />
      ))}
      <select className="input" aria-label="Event type" value={draft.type ?? ''} onChange={(event) => apply({ ...draft, type: event.target.value || undefined })}>
        <option value="">Any type</option>
        {knownEventTypes.map((type) => (
          <option key={type} value={type}>
            {type}
          </option>
        ))}
      </select>
      <input className="input" type="datetime-local" aria-label="From" value={toLocal(draft.from)} onChange={(event) => apply({ ...draft, from: toIso(event.target.value) })} />
      <input className="input" type="datetime-local" aria-label="To" value={toLocal(draft.to)} onChange={(event) => apply({ ...draft, to: toIso(event.target.value) })} />
      <button type="submit" className="button">Apply</button>
      {active ? <button type="button" className="button button-ghost" onClick={() => onChange({})}>Clear</button> : null}
    </form>
  );
}
