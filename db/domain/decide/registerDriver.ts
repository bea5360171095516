import { event, streamIds } from '../events.ts';
import { accept, reject, type Decider } from './decision.ts';

export const registerDriver: Decider<'RegisterDriver'> = (command, view) => {
  if (view.driver(command.driverId).exists) {
    return reject('CONFLICT', `Driver ${command.driverId} is already registered.`, { field: 'driverId', rule: 'driver_exists' });
  }
  if (!view.depot(command.homeDepotId).exists) {
    return reject('NOT_FOUND', `There is no depot ${command.homeDepotId}.`, { field: 'homeDepotId', rule: 'depot_unknown' });
  }
  return accept(event(streamIds.driver(command.driverId), 'DriverRegistered', { ...command, at: view.now }));
};
