import { event, streamIds } from '../events.ts';
import { accept, reject, type Decider } from './decision.ts';
import { parcelIsClosed } from './parcelRules.ts';

export const recordScan: Decider<'RecordScan'> = (command, view) => {
  const parcel = view.parcel(command.parcelId);
  if (!parcel.exists) return reject('NOT_FOUND', `There is no parcel ${command.parcelId}.`, { field: 'parcelId', rule: 'parcel_unknown' });
  if (!view.depot(command.depotId).exists) {
    return reject('NOT_FOUND', `There is no depot ${command.depotId}.`, { field: 'depotId', rule: 'depot_unknown' });
  }
  const closed = parcelIsClosed(parcel);
  if (closed) return closed;
  if (parcel.status === 'planned' || parcel.status === 'out_for_delivery') {
    return reject('RULE', `Parcel ${command.parcelId} is on route ${parcel.routeId}; record a delivery attempt instead.`, {
      field: 'parcelId',
      rule: 'parcel_on_route',
    });
  }
  const here = parcel.currentDepotId === command.depotId;
  if (command.kind === 'arrived' && here && parcel.status === 'at_depot') {
    return reject('RULE', `Parcel ${command.parcelId} is already at depot ${command.depotId}.`, { field: 'depotId', rule: 'already_at_depot' });
  }
  if (command.kind === 'departed' && !(here && parcel.status !== 'in_transit')) {
    return reject('RULE', `Parcel ${command.parcelId} is not at depot ${command.depotId}, so it cannot depart from it.`, {
      field: 'depotId',
      rule: 'not_at_depot',
    });
  }
  return accept(
    event(streamIds.parcel(command.parcelId), 'ParcelScanned', {
      parcelId: command.parcelId,
      depotId: command.depotId,
      kind: command.kind,
      at: command.at ?? view.now,
    }),
  );
};
