import { useSyncExternalStore } from 'react';

export type ScreenName = 'overview' | 'field' | 'parcels' | 'parcel' | 'events' | 'event' | 'projections' | 'sync';

/** A screen and its parameters, as written in the hash: `#/parcel/P-1`, `#/events?correlationId=…`. */
export interface Route {
  screen: ScreenName;
  /** The path segment after the screen: a parcel id or an event position. */
  id?: string;
  query: Record<string, string>;
}

const screens: readonly ScreenName[] = ['overview', 'field', 'parcels', 'parcel', 'events', 'event', 'projections', 'sync'];

export function parseHash(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  const [first, ...rest] = path.split('/');
  const screen = screens.includes(first as ScreenName) ? (first as ScreenName) : 'overview';
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) if (value !== '') query[key] = value;
  const id = rest.length > 0 ? decodeURIComponent(rest.join('/')) : undefined;
  return id === undefined ? { screen, query } : { screen, id, query };
}

export function formatRoute(route: { screen: ScreenName; id?: string | number; query?: Record<string, string | undefined> }): string {
  let hash = `#/${route.screen}`;
  if (route.id !== undefined) hash += `/${encodeURIComponent(String(route.id))}`;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(route.query ?? {})) if (value !== undefined && value !== '') params.set(key, value);
  const search = params.toString();
  return search ? `${hash}?${search}` : hash;
}

export const links = {
  parcel: (parcelId: string) => formatRoute({ screen: 'parcel', id: parcelId }),
  event: (position: number) => formatRoute({ screen: 'event', id: position }),
  stream: (streamId: string) => formatRoute({ screen: 'events', query: { streamId } }),
  correlation: (correlationId: string) => formatRoute({ screen: 'events', query: { correlationId } }),
  sync: () => formatRoute({ screen: 'sync' }),
};

/** Goes to a hash; `replace` keeps filter edits out of the back-button history. */
export function navigate(hash: string, options: { replace?: boolean } = {}): void {
  if (window.location.hash === hash) return;
  if (options.replace) {
    window.history.replaceState(window.history.state, '', hash);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else window.location.hash = hash;
}

function subscribe(callback: () => void): () => void {
  window.addEventListener('hashchange', callback);
  return () => window.removeEventListener('hashchange', callback);
}

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}
