import { event, streamIds } from '../events.ts';
import { accept, reject, type Decider } from './decision.ts';

export const startRoute: Decider<'StartRoute'> = (command, view) => {
  const route = view.route(command.routeId);
  if (!route.exists) return reject('NOT_FOUND', `There is no route ${command.routeId}.`, { field: 'routeId', rule: 'route_unknown' });
  if (route.started) return reject('RULE', `Route ${command.routeId} has already started.`, { field: 'routeId', rule: 'route_started' });
  return accept(event(streamIds.route(command.routeId), 'RouteStarted', { routeId: command.routeId, driverId: route.driverId ?? '', at: command.at ?? view.now }));
};
