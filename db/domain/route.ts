import type { DomainEvent } from './events.ts';

export interface RouteState {
  exists: boolean;
  driverId: string | null;
  depotId: string | null;
  parcelIds: readonly string[];
  started: boolean;
  completed: boolean;
  closedStops: number;
}

export const initialRoute: RouteState = {
  exists: false,
  driverId: null,
  depotId: null,
  parcelIds: [],
  started: false,
  completed: false,
  closedStops: 0,
};

export function evolveRoute(state: RouteState, event: DomainEvent): RouteState {
  switch (event.type) {
    case 'RoutePlanned':
      return { ...state, exists: true, driverId: event.payload.driverId, depotId: event.payload.depotId, parcelIds: event.payload.parcelIds };
    case 'RouteStarted':
      return { ...state, started: true };
    case 'RouteStopClosed':
      return { ...state, closedStops: state.closedStops + 1 };
    case 'RouteCompleted':
      return { ...state, completed: true };
    default:
      return state;
  }
}
