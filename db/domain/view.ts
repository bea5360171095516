import type { DomainEvent } from './events.ts';
import { streamIds } from './events.ts';
import { evolveDepot, evolveDriver, initialDepot, initialDriver, type DepotState, type DriverState } from './depot.ts';
import { evolveParcel, initialParcel, type ParcelState } from './parcel.ts';
import { evolveRoute, initialRoute, type RouteState } from './route.ts';

export interface LoadedStream {
  version: number;
  events: readonly DomainEvent[];
}

/** What a decision may look at: current states folded from streams, plus write-side lookups. */
export interface DecisionView {
  readonly now: string;
  depot(id: string): DepotState;
  driver(id: string): DriverState;
  parcel(id: string): ParcelState;
  route(id: string): RouteState;
  /** Whether a person already resolved this sync conflict. */
  conflictResolved(conflictId: string): boolean;
  /** Who holds a key of a kind (a tracking code, say), if anyone. */
  reservationOwner(kind: string, key: string): string | null;
  /** Versions of every stream looked at: what a store with many writers checks at append (the Emmett peer in the benchmarks). */
  readonly seenVersions: ReadonlyMap<string, number>;
}

export interface ViewSources {
  now: string;
  readStream(streamId: string): LoadedStream;
  reservationOwner(kind: string, key: string): string | null;
}

export function createDecisionView(sources: ViewSources): DecisionView {
  const seenVersions = new Map<string, number>();
  const cache = new Map<string, unknown>();
  function fold<S>(streamId: string, initial: S, evolve: (state: S, event: DomainEvent) => S): S {
    const hit = cache.get(streamId);
    if (hit !== undefined) return hit as S;
    const stream = sources.readStream(streamId);
    seenVersions.set(streamId, stream.version);
    let state = initial;
    for (const event of stream.events) state = evolve(state, event);
    cache.set(streamId, state);
    return state;
  }
  return {
    now: sources.now,
    depot: (id) => fold(streamIds.depot(id), initialDepot, evolveDepot),
    driver: (id) => fold(streamIds.driver(id), initialDriver, evolveDriver),
    parcel: (id) => fold(streamIds.parcel(id), initialParcel, evolveParcel),
    route: (id) => fold(streamIds.route(id), initialRoute, evolveRoute),
    conflictResolved: (id) => fold(streamIds.conflict(id), false, (resolved, e) => resolved || e.type === 'ConflictResolved'),
    reservationOwner: (kind, key) => sources.reservationOwner(kind, key),
    seenVersions,
  };
}
