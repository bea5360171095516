import type { DomainEvent } from './events.ts';

export interface DepotState {
  exists: boolean;
  name: string | null;
  region: string | null;
}
export const initialDepot: DepotState = { exists: false, name: null, region: null };

export function evolveDepot(state: DepotState, event: DomainEvent): DepotState {
  return event.type === 'DepotRegistered' ? { exists: true, name: event.payload.name, region: event.payload.region } : state;
}

export interface DriverState {
  exists: boolean;
  name: string | null;
  homeDepotId: string | null;
}
export const initialDriver: DriverState = { exists: false, name: null, homeDepotId: null };

export function evolveDriver(state: DriverState, event: DomainEvent): DriverState {
  return event.type === 'DriverRegistered' ? { exists: true, name: event.payload.name, homeDepotId: event.payload.homeDepotId } : state;
}
