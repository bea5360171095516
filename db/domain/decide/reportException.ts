import type { DomainEvent } from '../events.ts';
import { event, streamIds } from '../events.ts';
import { accept, reject, type Decider } from './decision.ts';
import { parcelIsClosed } from './parcelRules.ts';

export const reportException: Decider<'ReportException'> = (command, view) => {
  const parcel = view.parcel(command.parcelId);
  if (!parcel.exists) return reject('NOT_FOUND', `There is no parcel ${command.parcelId}.`, { field: 'parcelId', rule: 'parcel_unknown' });
  const closed = parcelIsClosed(parcel);
  if (closed) return closed;
  const at = command.at ?? view.now;
  const events: DomainEvent[] = [
    event(streamIds.parcel(command.parcelId), 'ExceptionReported', { parcelId: command.parcelId, kind: command.kind, note: command.note ?? null, at }),
  ];
  // A parcel lost while on a route closes its stop, so the route can still complete.
  if (command.kind === 'lost' && parcel.routeId !== null) {
    const route = view.route(parcel.routeId);
    events.push(event(streamIds.route(parcel.routeId), 'RouteStopClosed', { routeId: parcel.routeId, parcelId: command.parcelId, outcome: 'failed', at }));
    if (route.closedStops + 1 === route.parcelIds.length) {
      events.push(event(streamIds.route(parcel.routeId), 'RouteCompleted', { routeId: parcel.routeId, driverId: route.driverId ?? '', at }));
    }
  }
  return accept(...events);
};
