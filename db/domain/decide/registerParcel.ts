import { event, streamIds } from '../events.ts';
import { reservationKinds } from '../reservations.ts';
import { accept, reject, type Decider } from './decision.ts';

export const registerParcel: Decider<'RegisterParcel'> = (command, view) => {
  if (view.parcel(command.parcelId).exists) {
    return reject('CONFLICT', `Parcel ${command.parcelId} is already registered.`, { field: 'parcelId', rule: 'parcel_exists' });
  }
  const owner = view.reservationOwner(reservationKinds.trackingCode, command.trackingCode);
  if (owner !== null) {
    return reject('CONFLICT', `Tracking code ${command.trackingCode} is already used by parcel ${owner}.`, {
      field: 'trackingCode',
      rule: 'tracking_code_unique',
    });
  }
  for (const field of ['originDepotId', 'destinationDepotId'] as const) {
    if (!view.depot(command[field]).exists) {
      return reject('NOT_FOUND', `There is no depot ${command[field]}.`, { field, rule: 'depot_unknown' });
    }
  }
  return accept(
    event(streamIds.parcel(command.parcelId), 'ParcelRegistered', {
      parcelId: command.parcelId,
      trackingCode: command.trackingCode,
      recipient: command.recipient,
      originDepotId: command.originDepotId,
      destinationDepotId: command.destinationDepotId,
      weightKg: command.weightKg,
      description: command.description ?? null,
      promisedBy: command.promisedBy ?? null,
      at: view.now,
    }),
  );
};
