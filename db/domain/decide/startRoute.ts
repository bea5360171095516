import type { DomainEvent } from '../events.ts';
import { event, streamIds } from '../events.ts';
import { accept, reject, type Decider } from './decision.ts';

export const startRoute: Decider<'StartRoute'> = (command, view) => {
  const route = view.route(command.routeId);
  if (!route.exists) return reject('NOT_FOUND', `There is no route ${command.routeId}.`, { field: 'routeId', rule: 'route_unknown' });
  if (route.started) return reject('RULE', `Route ${command.routeId} has already started.`, { field: 'routeId', rule: 'route_started' });
  // Every stop can close before the start (all parcels reported lost); such a route is over.
  if (route.completed) {
    return reject('RULE', `Route ${command.routeId} is already complete: every stop was closed.`, { field: 'routeId', rule: 'route_completed' });
  }
  const at = command.at ?? view.now;
  const driverId = route.driverId ?? '';
  const events: DomainEvent[] = [event(streamIds.route(command.routeId), 'RouteStarted', { routeId: command.routeId, driverId, at })];
  for (const parcelId of route.parcelIds) {
    // A parcel reported lost after planning stays off the van.
    if (view.parcel(parcelId).status !== 'planned') continue;
    events.push(event(streamIds.parcel(parcelId), 'ParcelOutForDelivery', { parcelId, routeId: command.routeId, driverId, at }));
  }
  return accept(...events);
};
