import type { DomainEvent } from '../events.ts';
import { event, streamIds } from '../events.ts';
import { accept, reject, type Decider } from './decision.ts';
import { parcelIsClosed } from './parcelRules.ts';

export const recordDeliveryAttempt: Decider<'RecordDeliveryAttempt'> = (command, view) => {
  const parcel = view.parcel(command.parcelId);
  if (!parcel.exists) return reject('NOT_FOUND', `There is no parcel ${command.parcelId}.`, { field: 'parcelId', rule: 'parcel_unknown' });
  const route = view.route(command.routeId);
  if (!route.exists) return reject('NOT_FOUND', `There is no route ${command.routeId}.`, { field: 'routeId', rule: 'route_unknown' });
  const closed = parcelIsClosed(parcel);
  if (closed) return closed;
  if (parcel.routeId !== command.routeId) {
    return reject('RULE', `Parcel ${command.parcelId} is not on route ${command.routeId}.`, { field: 'routeId', rule: 'parcel_not_on_route' });
  }
  if (!route.started) {
    return reject('RULE', `Route ${command.routeId} has not started yet; start it before recording deliveries.`, {
      field: 'routeId',
      rule: 'route_not_started',
    });
  }
  if (command.outcome === 'failed' && !command.reason) {
    return reject('VALIDATION', 'Say why the delivery failed.', { field: 'reason', rule: 'failure_needs_reason' });
  }
  const at = command.at ?? view.now;
  const driverId = route.driverId ?? '';
  const events: DomainEvent[] = [
    event(streamIds.parcel(command.parcelId), 'DeliveryAttempted', {
      parcelId: command.parcelId,
      routeId: command.routeId,
      driverId,
      outcome: command.outcome,
      reason: command.reason ?? null,
      at,
    }),
    event(streamIds.route(command.routeId), 'RouteStopClosed', { routeId: command.routeId, parcelId: command.parcelId, outcome: command.outcome, at }),
  ];
  if (route.closedStops + 1 === route.parcelIds.length) {
    events.push(event(streamIds.route(command.routeId), 'RouteCompleted', { routeId: command.routeId, driverId, at }));
  }
  return accept(...events);
};
