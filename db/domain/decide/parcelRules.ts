import type { ParcelState } from '../parcel.ts';
import { reject, type Decision } from './decision.ts';

/** Delivered and lost parcels accept no further field work. */
export function parcelIsClosed(parcel: ParcelState, field = 'parcelId'): Decision | null {
  if (parcel.status === 'delivered') return reject('RULE', 'This parcel was already delivered.', { field, rule: 'parcel_delivered' });
  if (parcel.status === 'lost') return reject('RULE', 'This parcel was reported lost.', { field, rule: 'parcel_lost' });
  return null;
}
