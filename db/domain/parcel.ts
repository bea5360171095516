import type { ParcelStatus } from '../contract/index.ts';
import type { DomainEvent } from './events.ts';

export interface ParcelState {
  exists: boolean;
  trackingCode: string | null;
  status: ParcelStatus | null;
  originDepotId: string | null;
  destinationDepotId: string | null;
  currentDepotId: string | null;
  routeId: string | null;
  attempts: number;
  registeredAt: string | null;
}

export const initialParcel: ParcelState = {
  exists: false,
  trackingCode: null,
  status: null,
  originDepotId: null,
  destinationDepotId: null,
  currentDepotId: null,
  routeId: null,
  attempts: 0,
  registeredAt: null,
};

export function evolveParcel(state: ParcelState, event: DomainEvent): ParcelState {
  switch (event.type) {
    case 'ParcelRegistered': {
      const p = event.payload;
      return {
        ...state,
        exists: true,
        trackingCode: p.trackingCode,
        status: 'registered',
        originDepotId: p.originDepotId,
        destinationDepotId: p.destinationDepotId,
        currentDepotId: p.originDepotId,
        registeredAt: p.at,
      };
    }
    case 'ParcelScanned':
      return event.payload.kind === 'arrived'
        ? { ...state, status: 'at_depot', currentDepotId: event.payload.depotId }
        : { ...state, status: 'in_transit', currentDepotId: null };
    case 'ParcelAddedToRoute':
      return { ...state, status: 'planned', routeId: event.payload.routeId };
    case 'ParcelOutForDelivery':
      return { ...state, status: 'out_for_delivery' };
    case 'DeliveryAttempted':
      return event.payload.outcome === 'delivered'
        ? { ...state, status: 'delivered', attempts: state.attempts + 1, routeId: null, currentDepotId: null }
        : { ...state, status: 'attempt_failed', attempts: state.attempts + 1, routeId: null };
    case 'ExceptionReported':
      return event.payload.kind === 'lost' ? { ...state, status: 'lost', routeId: null } : state;
    default:
      return state;
  }
}
