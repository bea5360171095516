import { event, streamIds } from '../events.ts';
import { accept, reject, type Decider } from './decision.ts';

export const registerDepot: Decider<'RegisterDepot'> = (command, view) => {
  if (view.depot(command.depotId).exists) {
    return reject('CONFLICT', `Depot ${command.depotId} is already registered.`, { field: 'depotId', rule: 'depot_exists' });
  }
  return accept(event(streamIds.depot(command.depotId), 'DepotRegistered', { ...command, at: view.now }));
};
