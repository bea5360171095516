import type { DomainEvent } from '../events.ts';
import { event, streamIds } from '../events.ts';
import { accept, reject, type Decider } from './decision.ts';
import { parcelIsClosed } from './parcelRules.ts';

export const planRoute: Decider<'PlanRoute'> = (command, view) => {
  if (view.route(command.routeId).exists) {
    return reject('CONFLICT', `Route ${command.routeId} is already planned.`, { field: 'routeId', rule: 'route_exists' });
  }
  if (!view.driver(command.driverId).exists) {
    return reject('NOT_FOUND', `There is no driver ${command.driverId}.`, { field: 'driverId', rule: 'driver_unknown' });
  }
  if (!view.depot(command.depotId).exists) {
    return reject('NOT_FOUND', `There is no depot ${command.depotId}.`, { field: 'depotId', rule: 'depot_unknown' });
  }
  const events: DomainEvent[] = [
    event(streamIds.route(command.routeId), 'RoutePlanned', { ...command, parcelIds: [...command.parcelIds], at: view.now }),
  ];
  for (const [index, parcelId] of command.parcelIds.entries()) {
    const field = `parcelIds.${index}`;
    const parcel = view.parcel(parcelId);
    if (!parcel.exists) return reject('NOT_FOUND', `There is no parcel ${parcelId}.`, { field, rule: 'parcel_unknown' });
    const closed = parcelIsClosed(parcel, field);
    if (closed) return closed;
    if (parcel.routeId !== null) {
      return reject('RULE', `Parcel ${parcelId} is already on route ${parcel.routeId}.`, { field, rule: 'parcel_on_route' });
    }
    if (parcel.currentDepotId !== command.depotId || parcel.status === 'in_transit') {
      return reject('RULE', `Parcel ${parcelId} is not at depot ${command.depotId}.`, { field, rule: 'parcel_not_at_depot' });
    }
    events.push(
      event(streamIds.parcel(parcelId), 'ParcelAddedToRoute', {
        parcelId,
        routeId: command.routeId,
        driverId: command.driverId,
        depotId: command.depotId,
        stop: index + 1,
        at: view.now,
      }),
    );
  }
  return accept(...events);
};
