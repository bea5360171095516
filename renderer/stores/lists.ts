import type { EventRow, ParcelStatus, ParcelSummaryRow, QueryParams, WaybillTransport } from '../../db/contract/index.ts';
import { createPagedListStore } from './pagedList.ts';

export interface ParcelFilters {
  status?: ParcelStatus;
  depotId?: string;
  search?: string;
  sort: 'updated' | 'tracking';
}

export interface EventFilters {
  streamId?: string;
  type?: string;
  actor?: string;
  correlationId?: string;
  from?: string;
  to?: string;
  search?: string;
}

/** Rows per page: several viewports' worth, so scrolling asks for at most one page per viewport of rows. */
export const parcelPageSize = 200;
export const eventPageSize = 200;

/** Where the list's reads wait: the position asked for, else this console's latest write. */
export type ReadOptions = (minPosition?: number) => { minPosition: number; timeoutMs?: number } | undefined;

export function createParcelListStore(api: WaybillTransport, readOptions: ReadOptions) {
  return createPagedListStore<ParcelSummaryRow, ParcelFilters>(
    (filters, cursor, minPosition) => {
      const params: QueryParams<'parcels.list'> = { ...filters, limit: parcelPageSize };
      if (cursor !== undefined) params.after = String(cursor);
      const options = readOptions(minPosition);
      return api.call('parcels.list', { params, ...(options ? { options } : {}) });
    },
    { sort: 'updated' },
  );
}

export function createEventListStore(api: WaybillTransport, readOptions: ReadOptions) {
  return createPagedListStore<EventRow, EventFilters>((filters, cursor, minPosition) => {
    const params: QueryParams<'events.list'> = { ...filters, limit: eventPageSize };
    if (cursor !== undefined) params.before = Number(cursor);
    const options = readOptions(minPosition);
    return api.call('events.list', { params, ...(options ? { options } : {}) });
  }, {});
}

export type ParcelListStore = ReturnType<typeof createParcelListStore>;
export type EventListStore = ReturnType<typeof createEventListStore>;
